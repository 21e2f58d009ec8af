import type { Product, Tax } from '../../contracts/schemas/catalog';
import type { Invoice } from '../../contracts/schemas/invoices';
import type { Partner } from '../../contracts/schemas/partners';
import type { ApiClient } from '../support/client';
import { makePartner, makeProduct } from './data';
import type { Picking } from '../../contracts/schemas/inventory';
import type { PurchaseOrder } from '../../contracts/schemas/purchasing';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { expectStatus } from '../support/expect';

// Purchasing test data, made through the API: a vendor with a product bought from them, orders
// confirmed, the deliveries, RFQs and receipts they lead to.

/** Vendor Vera and a storable product bought from her at 50.00, 3 days' lead, on the given routes (default buy + make-to-order). */
export async function boughtProduct(c: ApiClient, routes: string[] = ['buy', 'mto'], fields: Record<string, unknown> = {}) {
  const vera = await makePartner(c, { name: `Vera Vendor ${Date.now().toString(36)}`, roles: ['vendor'] });
  const product = await makeProduct(c, { routes, vendors: [{ partnerId: vera.id, price: 5000, minQty: 1, leadDays: 3 }], ...fields });
  return { vera, product };
}

/** A sale order of `quantity` × the product for a new customer, confirmed by `c`. */
export async function confirmedOrder(c: ApiClient, productId: number, quantity: number, partnerId?: number): Promise<SaleOrder> {
  const customer = partnerId ?? (await makePartner(c)).id;
  const created = await c.post('/api/sale-orders', { partnerId: customer, lines: [{ productId, quantity }] });
  expectStatus(created, 201);
  const confirmed = await c.post(`/api/sale-orders/${created.body.id}/confirm`, {});
  expectStatus(confirmed, 200);
  return confirmed.body;
}

/** The open delivery of an order (its newest picking that is not cancelled). */
export async function deliveryOf(c: ApiClient, saleOrderId: number): Promise<Picking> {
  const list = await c.get(`/api/pickings?saleOrderId=${saleOrderId}&type=outgoing`);
  expectStatus(list, 200);
  const open = (list.body.items as Picking[]).filter((p) => p.state !== 'cancel').sort((a, b) => b.id - a.id)[0];
  if (!open) throw new Error(`order ${saleOrderId} has no delivery`);
  return (await c.get(`/api/pickings/${open.id}`)).body;
}

/** The vendor's purchase orders, newest first. */
export async function purchasesOf(c: ApiClient, vendorId: number): Promise<PurchaseOrder[]> {
  const list = await c.get(`/api/purchase-orders?partnerId=${vendorId}&sort=-createdAt`);
  expectStatus(list, 200);
  return Promise.all((list.body.items as { id: number }[]).map(async (p) => (await c.get(`/api/purchase-orders/${p.id}`)).body as PurchaseOrder));
}

export async function purchase(c: ApiClient, id: number): Promise<PurchaseOrder> {
  const res = await c.get(`/api/purchase-orders/${id}`);
  expectStatus(res, 200);
  return res.body;
}

export async function picking(c: ApiClient, id: number): Promise<Picking> {
  const res = await c.get(`/api/pickings/${id}`);
  expectStatus(res, 200);
  return res.body;
}

/** Confirms a PO and returns it with its receipt (the open incoming picking). */
export async function confirmPurchase(c: ApiClient, id: number): Promise<{ po: PurchaseOrder; receipt: Picking }> {
  const res = await c.post(`/api/purchase-orders/${id}/confirm`, {});
  expectStatus(res, 200);
  const receipts = await Promise.all((res.body as PurchaseOrder).pickingIds.map((pid) => picking(c, pid)));
  const receipt = receipts.find((p) => p.type === 'incoming' && p.state !== 'done' && p.state !== 'cancel');
  if (!receipt) throw new Error(`${res.body.name} has no open receipt`);
  return { po: res.body, receipt };
}

let seq = 0;
const next = () => `${++seq}${Date.now().toString(36)}`;

function ok<T>(res: { status: number; body: T }, status = 200): T {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A purchase tax at `rate` % posting to the chart's deductible VAT account (1400). */
export async function makeDeductibleTax(c: ApiClient, rate: number): Promise<Tax> {
  const accounts = ok(await c.get('/api/accounts?q=1400')) as { items: { id: number; code: string }[] };
  const account = accounts.items.find((a) => a.code === '1400');
  if (!account) throw new Error('the default chart has no 1400 VAT deductible account');
  return ok(await c.post('/api/taxes', { name: `Deductible VAT ${rate}% ${next()}`, rate, accountId: account.id }), 201) as Tax;
}

/** A vendor and a product bought from them at `price` (cents) with the purchase tax `taxId`, under a bill policy. */
export async function vendorProduct(
  c: ApiClient,
  opts: { price: number; taxId: number; billPolicy: 'ordered' | 'received'; type?: 'storable' | 'consumable' | 'service' },
): Promise<{ vendor: Partner; product: Product }> {
  const vendor = await makePartner(c, { name: `Vera Vendor ${next()}`, roles: ['vendor'] });
  const product = await makeProduct(c, {
    type: opts.type ?? 'storable',
    cost: opts.price,
    purchaseTaxIds: [opts.taxId],
    billPolicy: opts.billPolicy,
    vendors: [{ partnerId: vendor.id, price: opts.price, minQty: 1, leadDays: 3 }],
  });
  return { vendor, product };
}

/** A vendor bill drafted by hand (POST /api/invoices). */
export async function draftBill(c: ApiClient, partnerId: number, lines: Record<string, unknown>[]): Promise<Invoice> {
  return ok(await c.post('/api/invoices', { partnerId, lines }), 201) as Invoice;
}
