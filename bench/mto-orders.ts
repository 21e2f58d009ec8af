import { performance } from 'node:perf_hooks';
import type { ApiClient } from '../test/support/client';
import { pool } from './common';

// Confirmations of make-to-order sales: each order's 3 lines are products on the buy + mto routes,
// all bought from one vendor, so every confirmation creates a delivery that waits and fills that
// vendor's one draft RFQ (lines merged per product, a demand per sale line) under the vendor's row
// lock, in the confirmation's transaction: the contention buyers see when many such orders arrive.

async function ok<T>(p: Promise<{ status: number; body: T }>, status: number, what: string): Promise<T> {
  const res = await p;
  if (res.status !== status) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export type MtoFigure = { count: number; concurrency: number; perSecond: number; rfqLines: number; rfqQuantity: number };

/**
 * Orders per second created and confirmed through the API (3 make-to-order lines each), after a
 * warm-up pass whose RFQ is confirmed so the timed pass fills a draft of its own from empty.
 */
export async function mtoOrders(api: ApiClient, opts: { orders: number; concurrency: number; partnerId: number; taxIds: number[] }): Promise<MtoFigure> {
  const vendor = await ok(api.post<{ id: number }>('/api/partners', { name: 'Bench vendor', email: 'vendor@example.com', roles: ['vendor'] }), 201, 'vendor');
  const productIds: number[] = [];
  for (let i = 0; i < 5; i++) {
    const p = await ok(
      api.post<{ id: number }>('/api/products', {
        sku: `BENCH-MTO-${i}`,
        name: `Bench made-to-order product ${i}`,
        listPrice: 4999 + i * 100,
        cost: 2500,
        taxIds: opts.taxIds,
        routes: ['buy', 'mto'],
        vendors: [{ partnerId: vendor.id, price: 2500 + i * 50, minQty: 1, leadDays: 5 }],
      }),
      201,
      'product',
    );
    productIds.push(p.id);
  }
  const order = async (i: number) => {
    const lines = [0, 1, 2].map((k) => ({ productId: productIds[(i + k) % productIds.length]!, quantity: 1 + k }));
    const created = await ok(api.post<{ id: number }>('/api/sale-orders', { partnerId: opts.partnerId, lines }), 201, 'create');
    await ok(api.post(`/api/sale-orders/${created.id}/confirm`), 200, 'confirm');
  };
  const draft = async () => {
    const list = await ok(api.get<{ items: { id: number }[] }>(`/api/purchase-orders?partnerId=${vendor.id}&state=draft`), 200, 'RFQ list');
    if (list.items.length !== 1) throw new Error(`expected one draft RFQ for the bench vendor, found ${list.items.length}`);
    return ok(api.get<{ id: number; lines: { quantity: number }[] }>(`/api/purchase-orders/${list.items[0]!.id}`), 200, 'RFQ');
  };
  await pool(50, opts.concurrency, order); // warm-up: JIT, pools, prepared statements
  await ok(api.post(`/api/purchase-orders/${(await draft()).id}/confirm`, {}), 200, 'confirm the warm-up RFQ');
  const started = performance.now();
  await pool(opts.orders, opts.concurrency, order);
  const perSecond = opts.orders / ((performance.now() - started) / 1000);
  const rfq = await draft();
  const rfqQuantity = rfq.lines.reduce((s, l) => s + l.quantity, 0);
  // Every ordered unit is on the RFQ, once: 1 + 2 + 3 per order.
  if (rfqQuantity !== opts.orders * 6) throw new Error(`the RFQ holds ${rfqQuantity} units for ${opts.orders} orders (expected ${opts.orders * 6})`);
  return { count: opts.orders, concurrency: opts.concurrency, perSecond, rfqLines: rfq.lines.length, rfqQuantity };
}
