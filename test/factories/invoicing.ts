import type { Invoice } from '../../contracts/schemas/invoices';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { ApiClient } from '../support/client';
import { makePartner, makeProduct } from './data';
import { setStock } from './stock';

let seq = 0;
const next = () => `${++seq}${Date.now().toString(36)}`;

function ok<T>(res: { status: number; body: T }, status = 200): T {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A tax posting to a tax account of its own (so its journal item can be told apart). */
export async function makeAccountedTax(
  c: ApiClient,
  rate: number,
  name = `Tax ${rate}% ${next()}`,
): Promise<{ id: number; accountId: number; accountCode: string }> {
  const code = `24${String(Math.floor(Math.random() * 90000) + 10000)}`;
  const account = ok(await c.post('/api/accounts', { code, name: `${name} collected`, type: 'tax' }), 201) as { id: number; code: string };
  const tax = ok(await c.post('/api/taxes', { name, rate, accountId: account.id }), 201) as { id: number };
  return { id: tax.id, accountId: account.id, accountCode: account.code };
}

/** A confirmed order of the given lines (products made here, stocked enough to deliver). */
export async function confirmedOrder(
  c: ApiClient,
  lines: { quantity: number; unitPrice: number; taxIds?: number[]; discount?: number; invoicePolicy?: 'order' | 'delivery'; type?: string }[],
  partnerId?: number,
): Promise<SaleOrder> {
  const partner = partnerId ?? (await makePartner(c)).id;
  const products: { id: number }[] = [];
  for (const l of lines) {
    const p = await makeProduct(c, { invoicePolicy: l.invoicePolicy ?? 'order', taxIds: l.taxIds ?? [], type: l.type ?? 'storable', listPrice: l.unitPrice });
    if ((l.type ?? 'storable') === 'storable') await setStock(c, p.id, 1000);
    products.push(p);
  }
  const order = ok(
    await c.post('/api/sale-orders', {
      partnerId: partner,
      lines: lines.map((l, i) => ({
        productId: products[i]!.id,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        discount: l.discount ?? 0,
        taxIds: l.taxIds ?? [],
      })),
    }),
    201,
  ) as SaleOrder;
  return ok(await c.post(`/api/sale-orders/${order.id}/confirm`, {})) as SaleOrder;
}

export async function invoiceOrder(c: ApiClient, orderId: number): Promise<Invoice> {
  const { invoiceIds } = ok(await c.post(`/api/sale-orders/${orderId}/invoice`), 201) as { invoiceIds: number[] };
  return ok(await c.get(`/api/invoices/${invoiceIds[0]}`)) as Invoice;
}

export async function postInvoice(c: ApiClient, id: number): Promise<Invoice> {
  return ok(await c.post(`/api/invoices/${id}/post`, {})) as Invoice;
}

/** Delivers `quantities` (by product) of the order's open delivery; the rest waits in a backorder. */
export async function deliver(c: ApiClient, orderId: number, quantities: Record<number, number>): Promise<void> {
  const list = ok(await c.get(`/api/pickings?saleOrderId=${orderId}&type=outgoing`)) as { items: { id: number; state: string }[] };
  const open = list.items.find((p) => p.state !== 'done' && p.state !== 'cancel');
  if (!open) throw new Error('no open delivery');
  const picking = ok(await c.get(`/api/pickings/${open.id}`)) as { moves: { id: number; productId: number }[] };
  const moves = picking.moves.map((m) => ({ id: m.id, quantityDone: quantities[m.productId] ?? 0 }));
  ok(await c.post(`/api/pickings/${open.id}/validate`, { moves, backorder: true }));
}

/** The sum of an invoice's journal items: debit and credit. */
export function itemTotals(inv: Invoice): { debit: number; credit: number } {
  return inv.journalItems.reduce((s, i) => ({ debit: s.debit + i.debit, credit: s.credit + i.credit }), { debit: 0, credit: 0 });
}
