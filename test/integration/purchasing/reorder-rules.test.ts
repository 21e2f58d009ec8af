import { describe, expect, it } from 'vitest';
import type { PurchaseOrder } from '../../../contracts/schemas/purchasing';
import { scheduleReorderScan } from '../../../server/modules/purchasing/reorder-schedule';
import { runtime } from '../../../server/runtime';
import { makeOrder, makePartner, makeProduct } from '../../factories/data';
import { setStock } from '../../factories/stock';
import { eventually } from '../../support/eventually';
import { expectError, expectStatus } from '../../support/expect';
import { jobsSettled, pendingJobs } from '../../support/jobs';
import { useTestServer } from '../../support/server';

describe('reorder rules: CRUD, the check after stock changes, the scan, idempotence under concurrency', () => {
  const srv = useTestServer();

  /** A storable product bought from a vendor of its own (so each test reads only its own RFQs). */
  async function boughtProduct(leadDays = 2) {
    const vendor = await makePartner(srv.admin, { name: `Vendor ${Date.now()}`, roles: ['vendor'] });
    const product = await makeProduct(srv.admin, { cost: 1000, vendors: [{ partnerId: vendor.id, price: 1200, minQty: 1, leadDays }] });
    return { vendor, product };
  }

  async function rule(fields: Record<string, unknown>) {
    const res = await srv.admin.post('/api/reorder-rules', fields);
    expectStatus(res, 201);
    return res.body as { id: number; version: number; warehouseId: number };
  }

  /** The vendor's RFQs and purchase orders, read whole. */
  async function rfqsOf(vendorId: number): Promise<PurchaseOrder[]> {
    const list = (await srv.admin.get(`/api/purchase-orders?partnerId=${vendorId}`)).body.items as { id: number }[];
    return Promise.all(list.map(async (o) => (await srv.admin.get(`/api/purchase-orders/${o.id}`)).body as PurchaseOrder));
  }

  async function confirmOrder(productId: number, quantity: number) {
    const order = await makeOrder(srv.admin, { lines: [{ productId, quantity }] });
    expectStatus(await srv.admin.post(`/api/sale-orders/${order.id}/confirm`), 200);
    return order;
  }

  describe('CRUD', () => {
    it('creates one rule per product and warehouse (main by default), checks input, versions changes', async () => {
      const { product } = await boughtProduct();
      const created = await srv.admin.post('/api/reorder-rules', { productId: product.id, min: 5, max: 20, multiple: 5 });
      expectStatus(created, 201);
      expect(created.body).toMatchObject({ productId: product.id, warehouseId: 1, min: 5, max: 20, multiple: 5, active: true, lastRunAt: null });

      expectError(await srv.admin.post('/api/reorder-rules', { productId: product.id, min: 1, max: 2 }), 409, 'conflict');
      expectError(await srv.admin.post('/api/reorder-rules', { productId: product.id, warehouseId: 1, min: 1, max: 2 }), 409, 'conflict');
      expectError(await srv.admin.post('/api/reorder-rules', { productId: 999999, min: 1, max: 2 }), 400, 'validation', 'productId');
      expectError(await srv.admin.post('/api/reorder-rules', { productId: product.id, warehouseId: 999, min: 1, max: 2 }), 400, 'validation', 'warehouseId');
      expectError(await srv.admin.post('/api/reorder-rules', { productId: product.id, min: 5, max: 2 }), 400, 'validation', 'max');
      expectError(await srv.admin.post('/api/reorder-rules', { productId: product.id, min: 1, max: 2, multiple: 0 }), 400, 'validation', 'multiple');
      const consumable = await makeProduct(srv.admin, { type: 'consumable' });
      expectError(await srv.admin.post('/api/reorder-rules', { productId: consumable.id, min: 1, max: 2 }), 400, 'validation', 'productId');

      const patched = await srv.admin.patch(`/api/reorder-rules/${created.body.id}`, { version: created.body.version, max: 30, active: false });
      expectStatus(patched, 200);
      expect(patched.body).toMatchObject({ min: 5, max: 30, active: false, version: created.body.version + 1 });
      const stale = await srv.admin.patch(`/api/reorder-rules/${created.body.id}`, { version: created.body.version, min: 1 });
      expectError(stale, 409, 'conflict');
      expect(stale.body.error.current).toMatchObject({ max: 30, version: patched.body.version });
      expectError(await srv.admin.patch(`/api/reorder-rules/${created.body.id}`, { version: patched.body.version, min: 31 }), 400, 'validation', 'max');

      const list = await srv.admin.get(`/api/reorder-rules?productId=${product.id}`);
      expect(list.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: created.body.id, max: 30 })] });
      expect((await srv.admin.get(`/api/reorder-rules?q=${encodeURIComponent(product.sku)}`)).body.total).toBe(1);

      expectStatus(await srv.admin.delete(`/api/reorder-rules/${created.body.id}`), 204);
      expectError(await srv.admin.delete(`/api/reorder-rules/${created.body.id}`), 404, 'not_found');
      expect((await srv.admin.get(`/api/reorder-rules?productId=${product.id}`)).body.total).toBe(0);
    });

    it('roles: a buyer manages rules; warehouse staff may read them, not change them', async () => {
      const { product } = await boughtProduct();
      const buyer = await srv.user('purchase', 'Bea Buyer');
      const created = await buyer.post('/api/reorder-rules', { productId: product.id, min: 1, max: 4 });
      expectStatus(created, 201);
      const wh = await srv.user('warehouse', 'Wanda Warehouse');
      expectStatus(await wh.get(`/api/reorder-rules?productId=${product.id}`), 200);
      expectError(await wh.post('/api/reorder-rules', { productId: product.id, min: 1, max: 4 }), 403, 'forbidden');
      expectError(await wh.patch(`/api/reorder-rules/${created.body.id}`, { version: created.body.version, min: 2 }), 403, 'forbidden');
      expectError(await wh.delete(`/api/reorder-rules/${created.body.id}`), 403, 'forbidden');
      expectError(await wh.post('/api/replenishment/run'), 403, 'forbidden');
      expectStatus(await buyer.delete(`/api/reorder-rules/${created.body.id}`), 204);
    });
  });

  it('acceptance 3: min 5, max 20, multiple 5, 3 on hand; an order for 4 (forecast −1) → an RFQ line of 25; a second run and 20 concurrent stock changes add nothing', async () => {
    const { vendor, product } = await boughtProduct();
    await setStock(srv.admin, product.id, 3);
    await jobsSettled('reorder');
    const r = await rule({ productId: product.id, min: 5, max: 20, multiple: 5 });
    expect(await rfqsOf(vendor.id)).toEqual([]);

    // The confirmation moves the forecast to 3 − 4 = −1: the product's check runs as a job after commit.
    await confirmOrder(product.id, 4);
    await jobsSettled('reorder');
    const [rfq, ...others] = await rfqsOf(vendor.id);
    expect(others).toEqual([]);
    expect(rfq).toMatchObject({ state: 'draft', origin: `Reorder [${product.sku}] WH`, warehouseId: 1 });
    expect(rfq!.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 25, unitPrice: 1200 })]);
    const checked = (await srv.admin.get(`/api/reorder-rules?productId=${product.id}`)).body.items[0];
    expect(checked.lastRunAt).not.toBeNull();
    expect(checked.version).toBe(r.version);

    // A second run: the RFQ's 25 count as incoming (3 + 25 − 4 = 24), nothing more is ordered.
    const run = await srv.admin.post('/api/replenishment/run');
    expectStatus(run, 200);
    expect(run.body.purchaseOrderIds).not.toContain(rfq!.id);

    // Twenty concurrent stock changes (counts of 2 and 3: each moves the forecast, none below 5 with the RFQ).
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => setStock(srv.admin, product.id, 2 + (i % 2))));
    // Coalesced per product: at most one job per window the burst spanned (REORDER_COALESCE_MS, 1 s), not 20.
    expect(await pendingJobs('reorder')).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
    await jobsSettled('reorder');
    const after = await rfqsOf(vendor.id);
    expect(after).toHaveLength(1);
    expect(after[0]!.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 25 })]);
    expect(after[0]!.version).toBe(rfq!.version);
  });

  it('twenty concurrent stock changes below the minimum, with scans running alongside, give one RFQ line', async () => {
    const { vendor, product } = await boughtProduct();
    await setStock(srv.admin, product.id, 10);
    await jobsSettled('reorder');
    await rule({ productId: product.id, min: 5, max: 20, multiple: 5 });
    // Every count is 0–4: whichever check comes first orders 20 − count → 20 (multiples of 5), after which the forecast is ≥ 20.
    const changes = Array.from({ length: 20 }, (_, i) => setStock(srv.admin, product.id, i % 5));
    const runs = Array.from({ length: 4 }, () => srv.admin.post('/api/replenishment/run'));
    const [ran] = await Promise.all([Promise.all(runs), Promise.all(changes)]);
    for (const res of ran) expectStatus(res, 200);
    await jobsSettled('reorder');
    const rfqs = await rfqsOf(vendor.id);
    expect(rfqs).toHaveLength(1);
    expect(rfqs[0]!.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 20 })]);
  });

  it('every rule is scanned on a schedule (REORDER_INTERVAL_MINUTES, 15 by default); a scheduled scan orders a rule below its minimum', async () => {
    await scheduleReorderScan();
    expect(await runtime().queues.schedules('reorder')).toEqual([{ key: 'all-rules', everyMs: 15 * 60_000 }]);
    const { vendor, product } = await boughtProduct();
    await rule({ productId: product.id, min: 1, max: 4 });
    await runtime().queues.schedule('reorder', 'every-half-second', {}, 500);
    try {
      const [rfq] = await eventually(async () => {
        const rfqs = await rfqsOf(vendor.id);
        return rfqs.length > 0 && rfqs;
      });
      expect(rfq!.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 4 })]);
    } finally {
      await runtime().queues.unschedule('reorder', 'every-half-second');
    }
    await jobsSettled('reorder');
  });

  it('runs over every rule: in multiples, per warehouse; an inactive rule or a product without vendor orders nothing', async () => {
    const { vendor, product } = await boughtProduct(4);
    const quiet = await boughtProduct();
    const lonely = await makeProduct(srv.admin);
    // Rules below their minimum without any stock change: only a run checks them.
    await rule({ productId: product.id, min: 2, max: 7.5, multiple: 2.5 });
    await rule({ productId: quiet.product.id, min: 2, max: 7, active: false });
    await rule({ productId: lonely.id, min: 2, max: 7 });
    const run = await srv.admin.post('/api/replenishment/run');
    expectStatus(run, 200);
    const [rfq] = await rfqsOf(vendor.id);
    expect(run.body.purchaseOrderIds).toContain(rfq!.id);
    expect(rfq!.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 7.5 })]);
    expect(new Date(rfq!.lines[0]!.datePlanned).getTime() - new Date(rfq!.dateOrder).getTime()).toBe(4 * 86_400_000);
    expect(await rfqsOf(quiet.vendor.id)).toEqual([]);
    const report = (await srv.admin.get('/api/replenishment')).body;
    expect(report.withoutVendor).toContainEqual({ productId: lonely.id, sku: lonely.sku, productName: lonely.name });

    // Another warehouse keeps its own rule and its own RFQ.
    const other = await srv.admin.post('/api/warehouses', { name: `Second ${Date.now()}`, code: `W${Date.now() % 10000}` });
    expectStatus(other, 201);
    await rule({ productId: product.id, warehouseId: other.body.id, min: 1, max: 3 });
    await srv.admin.post('/api/replenishment/run');
    const rfqs = await rfqsOf(vendor.id);
    expect(rfqs.map((o) => [o.warehouseId, o.lines.map((l) => l.quantity)])).toEqual(
      expect.arrayContaining([
        [1, [7.5]],
        [other.body.id, [3]],
      ]),
    );
  });
});
