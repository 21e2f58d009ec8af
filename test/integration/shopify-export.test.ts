import { describe, expect, it } from 'vitest';
import type { Channel } from '../../contracts/schemas/channels';
import type { ImportStatus } from '../../contracts/schemas/imports';
import type { Invoice } from '../../contracts/schemas/invoices';
import type { Partner } from '../../contracts/schemas/partners';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { ApiClient } from '../support/client';
import { makeProduct } from '../factories/data';
import { itemTotals, makeAccountedTax, postInvoice } from '../factories/invoicing';
import { eventually } from '../support/eventually';
import { pdfText } from '../support/pdf';
import { useTestServer } from '../support/server';
import { EU_SHOP_PRODUCTS, UNKNOWN_SKU, euShopOrders, shopifyExportFile, shopifyTotals, type ShopifyExportOrder } from '../factories/shopify-export';
import { setStock } from '../factories/stock';

// A European shop's real-format Shopify export (79 columns): 37 good orders with percentage and fixed
// codes, line discounts, shipping, VAT at 20% and 19% and none, accented and international emails,
// cash-on-delivery orders without one, lines without a SKU, an unknown product, a malformed email, notes
// over several lines; and 3 broken records, each right after an order whose Note Attributes span lines.
describe('a Shopify export of a European shop', () => {
  const srv = useTestServer();
  const { orders, good, broken } = euShopOrders();
  const { text, lineOf } = shopifyExportFile(orders);
  let channelId = 0;

  async function runImport(c: ApiClient, fields: Record<string, string>): Promise<ImportStatus> {
    const res = await c.upload('/api/imports', fields, [{ name: 'orders_export_1.csv', data: Buffer.from(text, 'utf8'), type: 'text/csv' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return eventually(async () => {
      const s = (await c.get(`/api/imports/${res.body.jobId}`)).body as ImportStatus;
      if (s.state === 'failed') throw new Error(s.failedReason ?? 'failed');
      return s.state === 'completed' && s;
    }, 120_000);
  }
  const imported = async () => {
    const list = (await srv.admin.get(`/api/sale-orders?channelId=${channelId}&limit=100`)).body as { items: SaleOrder[]; total: number };
    return new Map(list.items.map((o) => [o.externalId!, o]));
  };
  const full = async (o: SaleOrder) => (await srv.admin.get(`/api/sale-orders/${o.id}`)).body as SaleOrder;
  const partnerCount = async () => (await srv.admin.get('/api/partners?limit=1')).body.total as number;

  it('the dry run finds every good order, the flagged ones and the broken records, and writes nothing', { timeout: 120_000 }, async () => {
    await makeAccountedTax(srv.admin, 20, 'VAT 20%');
    await makeAccountedTax(srv.admin, 19, 'DE MwSt. 19%');
    for (const p of EU_SHOP_PRODUCTS) {
      const made = await makeProduct(srv.admin, { ...p, type: 'storable', taxIds: [] });
      await setStock(srv.admin, made.id, 500);
    }
    const partners = await partnerCount();
    const dry = await runImport(srv.admin, { profile: 'shopify', dryRun: 'true' });
    expect(dry).toMatchObject({ dryRun: true, orders: 40, created: 37, updated: 0, skipped: 0, rejected: 3, flagged: 2 });
    expect(dry.flaggedOrders!.map((f) => [f.reference, f.orderId, f.reasons.map((r) => r.code)])).toEqual([
      ['#2024', null, ['invalid_email']],
      ['#2028', null, ['unmatched_product']],
    ]);
    channelId = ((await srv.admin.get('/api/channels')).body.items as Channel[]).find((c) => c.kind === 'csv')!.id;
    expect((await imported()).size).toBe(0);
    expect(await partnerCount()).toBe(partners);
  });

  it('every good order comes in to the cent; each broken record is reported at its first line; two come in flagged', { timeout: 120_000 }, async () => {
    const result = await runImport(srv.admin, { profile: 'shopify' });
    expect(result).toMatchObject({ dryRun: false, rows: orders.reduce((s, o) => s + o.lines.length, 0), orders: 40, created: 37, rejected: 3, flagged: 2 });
    // Each broken record at the physical line it starts on (each follows a record spanning 4 lines).
    for (const b of broken) {
      const line = lineOf.get(b.order.name)!;
      const reported = result.errors!.find((e) => e.reference === b.order.name && e.row === line);
      expect(reported?.message, `${b.order.name} at line ${line}: ${JSON.stringify(result.errors)}`).toMatch(b.why);
      expect(reported!.message).toMatch(new RegExp(`^Line ${line} \\(record \\d+\\)`));
    }
    expect(result.errorCount).toBe(broken.reduce((s, b) => s + b.order.lines.length, 0));

    const byRef = await imported();
    expect(byRef.size).toBe(37);
    for (const o of good) {
      const t = shopifyTotals(o);
      const ours = byRef.get(o.name)!;
      expect(ours, o.name).toBeDefined();
      expect([o.name, ours.amountTotal, ours.amountTax]).toEqual([o.name, t.total, t.taxes]);
      const flagged = o.name === '#2024' || o.name === '#2028';
      expect([o.name, ours.needsAttention]).toEqual([o.name, flagged]);
    }
  });

  it('discounts stay on the order as the shop gave them: the code, the line amounts, the order discount', async () => {
    const byRef = await imported();
    const percent = good.find((o) => o.code && 'percent' in o.code && o.lines.length > 1)!;
    const p = await full(byRef.get(percent.name)!);
    expect(p.discountCode).toBe(percent.code!.code);
    expect(p.orderDiscount).toBe(shopifyTotals(percent).orderDiscount);
    expect(p.lines.filter((l) => !l.isShipping).reduce((s, l) => s + l.orderDiscount, 0)).toBe(p.orderDiscount);
    expect(p.amountDiscount).toBe(shopifyTotals(percent).discountAmount);
    const fixed = good.find((o) => o.code && 'amount' in o.code)!;
    expect((await full(byRef.get(fixed.name)!)).orderDiscount).toBe(500);
    const lineLevel = good.find((o) => o.lineCode && !o.code)!;
    const l = await full(byRef.get(lineLevel.name)!);
    expect(l.discountCode).toBe('DUO');
    expect(l.orderDiscount).toBe(0);
    expect(l.lines[0]!.discountAmount).toBe(300);
    // Shipping is its own line, taxed like the goods, outside the order discount.
    const shipping = p.lines.find((x) => x.isShipping);
    expect(shipping).toMatchObject({ sku: 'SHIPPING', orderDiscount: 0, unitPrice: percent.shipping.amount });
  });

  it('customers: international emails kept, cash-on-delivery orders without one, a malformed one noted and the order flagged', async () => {
    const byRef = await imported();
    const partnerOf = async (name: string) => (await srv.admin.get(`/api/partners/${byRef.get(name)!.partnerId}`)).body as Partner;
    const withEmail = (email: string) => good.find((o) => o.email === email)!.name;
    expect((await partnerOf(withEmail('jürgen@müller.de'))).email).toBe('jürgen@müller.de');
    expect((await partnerOf(withEmail('josé@example.com'))).email).toBe('josé@example.com');
    expect((await partnerOf(withEmail('fatima.garcía@example.com'))).email).toBe('fatima.garcía@example.com');
    const cod = good.find((o) => o.paymentMethod.startsWith('Cash'))!;
    expect(await partnerOf(cod.name)).toMatchObject({ email: null, name: cod.address.name });
    expect(byRef.get(cod.name)!.needsAttention).toBe(false);

    const malformed = await full(byRef.get('#2024')!);
    expect(malformed.attentionReasons).toEqual([
      { code: 'invalid_email', message: 'The customer\'s email "marie.dupont@@example.fr" is not a valid address: the customer was saved without one' },
    ]);
    expect((await partnerOf('#2024')).email).toBeNull();
    const notes = (await srv.admin.get(`/api/messages?model=saleOrder&resId=${malformed.id}`)).body.items as { type: string; body: string }[];
    expect(notes.some((n) => n.type === 'note' && n.body.includes('marie.dupont@@example.fr'))).toBe(true);
  });

  it('lines without a SKU are matched by name; notes over several lines are kept whole', async () => {
    const byRef = await imported();
    const nameOnly = good.find((o) => o.lines.some((l) => !l.sku && l.taxable !== false))!;
    const o = await full(byRef.get(nameOnly.name)!);
    const line = nameOnly.lines.find((l) => !l.sku)!;
    const product = EU_SHOP_PRODUCTS.find((p) => p.name === line.name)!;
    expect(o.lines.find((l) => l.description === line.name)).toMatchObject({ sku: product.sku, productId: expect.any(Number) });
    const noted = good.find((o) => o.notes)!;
    expect((await full(byRef.get(noted.name)!)).note).toContain('Merci de ne pas sonner :\nle bébé dort.\nDéposer chez la voisine, « Mme Roux », 2e étage.');
  });

  it('the unknown product keeps its line, the total is right, and the order cannot be confirmed until it is matched', async () => {
    const byRef = await imported();
    const source = good.find((o) => o.lines.some((l) => l.sku === UNKNOWN_SKU))! as ShopifyExportOrder;
    const o = await full(byRef.get(source.name)!);
    expect(o.amountTotal).toBe(shopifyTotals(source).total);
    const unmatched = o.lines.find((l) => l.productId === null)!;
    expect(unmatched).toMatchObject({ sku: UNKNOWN_SKU, description: 'Affiche « Édition limitée » 50×70', quantity: 1, unitPrice: 3900 });
    expect(unmatched.taxIds).toHaveLength(1);
    const refused = await srv.admin.post(`/api/sale-orders/${o.id}/confirm`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/"Affiche « Édition limitée » 50×70" is not matched to a product/);
    expect((await full(o)).state).toBe('draft');

    // Matched to a product: the shop's price and taxes stay, the flag goes, and it confirms.
    const poster = await makeProduct(srv.admin, { sku: 'POSTER-LTD', name: 'Affiche édition limitée', listPrice: 4500, type: 'consumable', taxIds: [] });
    const lines = o.lines.map((l) => ({
      id: l.id,
      productId: l.id === unmatched.id ? poster.id : l.productId,
      quantity: l.quantity,
      discount: l.discount,
      discountAmount: l.discountAmount,
    }));
    const matched = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, lines });
    expect(matched.status, JSON.stringify(matched.body)).toBe(200);
    expect(matched.body).toMatchObject({ needsAttention: false, attentionReasons: [], amountTotal: o.amountTotal });
    expect(matched.body.lines.find((l: { id: number }) => l.id === unmatched.id)).toMatchObject({ productId: poster.id, unitPrice: 3900, sku: 'POSTER-LTD' });
    expect((await srv.admin.post(`/api/sale-orders/${o.id}/confirm`, {})).status).toBe(200);
  });

  it('a discounted order invoices to the same total, posts balanced, and its PDF shows the code and the discount', async () => {
    const byRef = await imported();
    const source = good.find((o) => o.code && 'percent' in o.code && o.lines.length > 1 && o.vat.rate === 20)!;
    const o = await full(byRef.get(source.name)!);
    expect((await srv.admin.post(`/api/sale-orders/${o.id}/confirm`, {})).status).toBe(200);
    const { invoiceIds } = (await srv.admin.post(`/api/sale-orders/${o.id}/invoice`)).body as { invoiceIds: number[] };
    const draft = (await srv.admin.get(`/api/invoices/${invoiceIds[0]}`)).body as Invoice;
    expect(draft).toMatchObject({ amountTotal: o.amountTotal, amountTax: o.amountTax, discountCode: source.code!.code, orderDiscount: o.orderDiscount });
    const posted = await postInvoice(srv.admin, draft.id);
    const sums = itemTotals(posted);
    expect(sums.debit).toBe(sums.credit);
    expect(sums.debit).toBe(o.amountTotal);
    const pdf = await srv.admin.download(`/api/invoices/${posted.id}/pdf`);
    const text = await pdfText(pdf.body);
    expect(text).toContain(`Discount ${source.code!.code}`);
    expect(text).toContain(`-€${(o.orderDiscount / 100).toFixed(2)}`);
  });

  it('the same file again creates nothing', { timeout: 120_000 }, async () => {
    const before = (await imported()).size;
    const again = await runImport(srv.admin, { profile: 'shopify' });
    expect(again).toMatchObject({ created: 0, skipped: 37, rejected: 3, flagged: 0 });
    expect((await imported()).size).toBe(before);
  });
});
