import type { Product, Tax } from '../../contracts/schemas/catalog';
import type { Invoice } from '../../contracts/schemas/invoices';
import type { Partner } from '../../contracts/schemas/partners';
import type { ApiClient } from '../support/client';
import { makePartner, makeProduct } from './data';

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
