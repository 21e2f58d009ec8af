import { stringify } from 'csv-stringify/sync';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../contracts/schemas/catalog';
import type { Invoice } from '../../contracts/schemas/invoices';
import type { SaleOrder, SaleOrderSummary } from '../../contracts/schemas/sales';
import { makeProduct } from '../factories/data';
import { invoiceOrder, makeAccountedTax } from '../factories/invoicing';
import { useBrowser } from '../support/browser';
import { useTestServer } from '../support/server';
import type { ApiClient } from '../support/client';
import { SHOPIFY_EXPORT_COLUMNS } from '../factories/shopify-export';

// A Shopify orders export as shops really send it: Shopify's own headers ("Shipping Street" rather than
// "Shipping Address1"), with its discount, shipping-method and tax columns, and without some optional
// columns (Phone, Shipping Address2, Shipping Province, Notes). The wizard recognises it; one order is
// discounted, another has a product not known here, a third a quantity that is not one.
const LEFT_OUT = new Set(['Phone', 'Shipping Address1', 'Shipping Address2', 'Shipping Province', 'Notes']);
const COLUMNS = SHOPIFY_EXPORT_COLUMNS.filter((c) => !LEFT_OUT.has(c));

type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

const customer = (n: number, name: string, email: string): Row => ({
  Email: email,
  'Financial Status': 'paid',
  'Paid at': '2026-11-20 10:20:00 +0100',
  'Fulfillment Status': 'unfulfilled',
  'Accepts Marketing': 'no',
  Currency: 'EUR',
  'Created at': `2026-11-2${n} 10:15:00 +0100`,
  'Billing Name': name,
  'Billing Street': `${n} Quai Saint-Antoine`,
  'Billing Address1': `${n} Quai Saint-Antoine`,
  'Billing City': 'Lyon',
  'Billing Zip': '69002',
  'Billing Country': 'FR',
  'Shipping Name': name,
  'Shipping Street': `${n} Quai Saint-Antoine`,
  'Shipping City': 'Lyon',
  'Shipping Zip': '69002',
  'Shipping Country': 'FR',
  'Payment Method': 'Shopify Payments',
  Id: String(6_100_000 + n),
});

const line = (sku: string, name: string, quantity: number, price: string, extra: Row = {}): Row => ({
  'Lineitem quantity': String(quantity),
  'Lineitem name': name,
  'Lineitem price': price,
  'Lineitem compare at price': '',
  'Lineitem sku': sku,
  'Lineitem requires shipping': 'true',
  'Lineitem taxable': 'true',
  'Lineitem fulfillment status': 'pending',
  'Lineitem discount': '0.00',
  ...extra,
});

function shopifyCsv(skus: { discounted: string; known: string }): Buffer {
  const rows: Row[] = [
    // #2001: 2 × 25.00 with 5.00 off the line; SAVE5 takes 10.00 in all (5.00 of it the line's), shipping
    // 4.90 taxed: taxes 20% of 40.00 + 20% of 4.90 = 8.98, total 40.00 + 4.90 + 8.98 = 53.88. A note
    // attribute over two physical lines: the records below start further down the file than their number.
    {
      Name: '#2001',
      ...customer(1, 'Camille Roux', 'camille.roux@example.com'),
      Subtotal: '40.00',
      Shipping: '4.90',
      Taxes: '8.98',
      Total: '53.88',
      'Discount Code': 'SAVE5',
      'Discount Amount': '10.00',
      'Shipping Method': 'Colissimo',
      'Note Attributes': 'gift-wrap: yes\ndelivery: leave at the door',
      'Tax 1 Name': 'VAT 20%',
      'Tax 1 Value': '8.98',
      ...line(skus.discounted, 'Linen apron', 2, '25.00', { 'Lineitem discount': '5.00' }),
    },
    // #2002: a product the shop sells that is not known here, beside one that is: 19.00 + 10.00, taxes 5.80.
    {
      Name: '#2002',
      ...customer(2, 'Jonas Weber', 'jonas.weber@example.com'),
      Subtotal: '29.00',
      Shipping: '0.00',
      Taxes: '5.80',
      Total: '34.80',
      'Discount Amount': '0.00',
      'Tax 1 Name': 'VAT 20%',
      'Tax 1 Value': '5.80',
      ...line('MYST-1', 'Mystery box', 1, '19.00'),
    },
    { Name: '#2002', ...line(skus.known, 'Tea towel', 1, '10.00') },
    // #2003: a quantity that is not a number: rejected, at its line and record.
    {
      Name: '#2003',
      ...customer(3, 'Ana Lima', 'ana.lima@example.com'),
      Subtotal: '10.00',
      Shipping: '0.00',
      Taxes: '2.00',
      Total: '12.00',
      'Tax 1 Name': 'VAT 20%',
      'Tax 1 Value': '2.00',
      ...line(skus.known, 'Tea towel', 1, '10.00', { 'Lineitem quantity': 'lots' }),
    },
  ];
  return Buffer.from(stringify([COLUMNS, ...rows.map((r) => COLUMNS.map((c) => r[c] ?? ''))]));
}

describe('Order intake in Chromium: a Shopify export with discounts and an unknown product', () => {
  const srv = useTestServer();
  const { signIn } = useBrowser(srv);
  let alice: ApiClient;
  let taxId: number;
  let apron: Product;
  let towel: Product;
  let box: Product;
  let csv: Buffer;

  beforeAll(async () => {
    alice = await srv.user('sales', 'Alice Martin');
    taxId = (await makeAccountedTax(srv.admin, 20, 'VAT 20%')).id;
    const tag = Date.now().toString(36);
    apron = await makeProduct(srv.admin, { sku: `APRON-${tag}`, name: 'Linen apron', listPrice: 2500, taxIds: [taxId], invoicePolicy: 'order' });
    towel = await makeProduct(srv.admin, { sku: `TOWEL-${tag}`, name: 'Tea towel', listPrice: 1000, taxIds: [taxId] });
    // What the mystery box is here: another list price and no tax, so that matching visibly keeps the shop's.
    box = await makeProduct(srv.admin, { sku: `BOX-${tag}`, name: 'Surprise box', listPrice: 3000, taxIds: [] });
    csv = shopifyCsv({ discounted: apron.sku, known: towel.sku });
  });

  async function orderByReference(reference: string): Promise<SaleOrder> {
    const list = (await alice.get('/api/sale-orders?limit=50')).body as { items: SaleOrderSummary[] };
    const found = list.items.find((o) => o.externalId === reference);
    if (!found) throw new Error(`no order ${reference} among ${list.items.map((o) => o.externalId).join(', ')}`);
    return (await alice.get(`/api/sale-orders/${found.id}`)).body as SaleOrder;
  }

  const text = async (page: Page, testid: string) => ((await page.getByTestId(testid).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  let flaggedUrl = '';

  it('the wizard recognises the export, and the dry run and the import list the flagged order beside the rejected one', async () => {
    const a = await signIn(alice.user!.email);
    await a.goto(`${srv.url}/imports`);
    await a.getByTestId('import-file').setInputFiles({ name: 'orders_export_1.csv', mimeType: 'text/csv', buffer: csv });
    await a.getByTestId('import-detected-profile').waitFor({ timeout: 10_000 });
    expect(await a.getByTestId('import-detected-profile').getAttribute('data-profile')).toBe('shopify');
    expect(await text(a, 'import-format')).toContain('Detected: Shopify orders export');

    // The profile is preselected, its columns as this file spells them; the optional ones it lacks are no problem.
    await a.getByTestId('import-next').click();
    await expect.poll(() => a.getByTestId('import-profile').inputValue(), { timeout: 5_000 }).toBe('shopify');
    expect(await text(a, 'import-profile-detected')).toContain('Detected: Shopify orders export');
    expect(await a.getByTestId('import-map-reference').inputValue()).toBe('Name');
    expect(await a.getByTestId('import-map-shippingStreet').inputValue()).toBe('Shipping Street');
    expect(await a.getByTestId('import-map-lineDiscount').inputValue()).toBe('Lineitem discount');
    expect(await a.getByTestId('import-map-orderDiscount').inputValue()).toBe('Discount Amount');
    expect(await a.getByTestId('import-map-taxNames').inputValue()).toMatch(/^Tax 1 Name\b/);
    expect(await a.getByTestId('import-map-notes').inputValue()).toBe('');
    // Without "Phone", the customer's phone is read from its variant "Billing Phone".
    expect(await a.getByTestId('import-map-customerPhone').inputValue()).toBe('Billing Phone');
    expect(await a.getByTestId('import-mapping-problems').count()).toBe(0);
    expect(await a.getByTestId('import-dry-run').isEnabled()).toBe(true);
    await a.screenshot({ path: 'test-results/e2e-intake-mapping.png', fullPage: true });

    // The dry run: the order with the unknown product would be taken, flagged, and why; the bad row at its line and record.
    await a.getByTestId('import-dry-run').click();
    const report = a.getByTestId('import-report');
    await report.waitFor({ timeout: 20_000 });
    expect(await report.getAttribute('data-dry-run')).toBe('true');
    expect(await text(a, 'import-count-created')).toBe('2');
    expect(await text(a, 'import-count-flagged')).toBe('1');
    expect(await text(a, 'import-count-rejected')).toBe('1');
    const dryFlagged = a.getByTestId('import-flagged-row');
    expect(await dryFlagged.count()).toBe(1);
    expect(await dryFlagged.getAttribute('data-reference')).toBe('#2002');
    const dryReason = dryFlagged.getByTestId('import-flagged-reason');
    expect(await dryReason.getAttribute('data-code')).toBe('unmatched_product');
    expect(await dryReason.textContent()).toContain('Mystery box');
    expect(await dryFlagged.getByTestId('import-flagged-link').count()).toBe(0);
    const errorRow = a.getByTestId('import-error-row');
    expect(await errorRow.count()).toBe(1);
    // The header is line 1, #2001 spans lines 2-3, #2002 lines 4-5: #2003 is the 4th record, on line 6.
    expect(await errorRow.getAttribute('data-line')).toBe('6');
    expect(await errorRow.getAttribute('data-record')).toBe('4');
    expect(await errorRow.textContent()).toContain('#2003');
    expect((await alice.get('/api/sale-orders?limit=1')).body.total).toBe(0);

    // The import: the same, with a link to the flagged order.
    await a.getByTestId('import-run').click();
    await expect.poll(() => a.getByTestId('import-report').getAttribute('data-dry-run'), { timeout: 30_000 }).toBe('false');
    expect(await text(a, 'import-count-created')).toBe('2');
    expect(await text(a, 'import-count-flagged')).toBe('1');
    const flagged = a.getByTestId('import-flagged-row');
    expect(await flagged.getByTestId('import-flagged-reason').textContent()).toContain('Mystery box');
    const link = flagged.getByTestId('import-flagged-link');
    const mystery = await orderByReference('#2002');
    expect(await link.textContent()).toBe(mystery.name);
    expect(await link.getAttribute('href')).toBe(`/orders/${mystery.id}`);
    expect(await a.getByTestId('import-error-row').count()).toBe(1);
    await a.screenshot({ path: 'test-results/e2e-intake-report.png', fullPage: true });
    flaggedUrl = `${srv.url}/orders/${mystery.id}`;

    // The board says why the order is flagged, and shows the discount code of the other.
    await a.getByTestId('import-board-link').click();
    await a.waitForURL(/\/\?channelId=\d+$/);
    const flaggedRow = a.locator(`[data-testid="order-row"][data-id="${mystery.id}"]`);
    await flaggedRow.waitFor({ timeout: 10_000 });
    const attention = flaggedRow.getByTestId('order-attention');
    expect(await attention.textContent()).toContain('Mystery box');
    expect(await attention.getAttribute('title')).toContain('Mystery box');
    const discounted = await orderByReference('#2001');
    const discountedRow = a.locator(`[data-testid="order-row"][data-id="${discounted.id}"]`);
    expect(await discountedRow.getByTestId('order-discount-code').textContent()).toContain('SAVE5');
    expect(await discountedRow.getByTestId('order-attention').count()).toBe(0);
    await a.screenshot({ path: 'test-results/e2e-intake-board.png' });

    // On the kanban too.
    await a.getByTestId('view-kanban').click();
    const card = a.locator(`[data-testid="order-row"][data-id="${mystery.id}"]`);
    await card.getByTestId('order-attention').waitFor({ timeout: 10_000 });
    expect(await card.getByTestId('order-attention').textContent()).toContain('Mystery box');
    await a.screenshot({ path: 'test-results/e2e-intake-kanban.png' });
  }, 90_000);

  it('the discounted order shows its code, its discounts and the totals the shop charged', async () => {
    const order = await orderByReference('#2001');
    expect(order.needsAttention).toBe(false);
    expect(order.amountTotal).toBe(5388);
    const a = await signIn(alice.user!.email);
    await a.goto(`${srv.url}/orders/${order.id}`);
    await a.getByTestId('order-totals').waitFor({ timeout: 10_000 });
    expect(await a.getByTestId('order-discount-code-input').inputValue()).toBe('SAVE5');
    expect(await a.getByTestId('order-discount-input').inputValue()).toBe('5.00');
    expect(await text(a, 'amount-discount')).toBe('−€10.00');
    expect(await text(a, 'order-discount-total')).toBe('−€5.00');
    expect(await a.getByTestId('order-totals').textContent()).toContain('Discount SAVE5');
    expect(await text(a, 'amount-untaxed')).toBe('€44.90');
    expect(await text(a, 'amount-tax')).toBe('€8.98');
    expect(await text(a, 'amount-total')).toBe('€53.88');
    const apronLine = a.locator('[data-testid="order-line"][data-shipping="false"]');
    expect(await apronLine.getByTestId('line-discount-amount').inputValue()).toBe('5.00');
    const shippingLine = a.locator('[data-testid="order-line"][data-shipping="true"]');
    expect(await shippingLine.getByTestId('line-shipping').textContent()).toBe('Shipping');
    expect(await shippingLine.getByTestId('line-description').inputValue()).toBe('Colissimo');
    expect(await a.getByTestId('order-attention-notice').count()).toBe(0);
    await a.locator('section[aria-labelledby="sec-lines"]').screenshot({ path: 'test-results/e2e-intake-discounts.png' });
  }, 60_000);

  it('the flagged order: its unmatched line matched to a product, the flag clears and the order is confirmed', async () => {
    const before = await orderByReference('#2002');
    const unmatchedId = before.lines.find((l) => l.productId === null)!.id;
    const a = await signIn(alice.user!.email);
    await a.goto(flaggedUrl);

    // Why it needs attention; neither "Mark as checked" nor Confirm while the line is unmatched, and why.
    const notice = a.getByTestId('order-attention-notice');
    await notice.waitFor({ timeout: 10_000 });
    const reason = notice.getByTestId('order-attention-reason');
    expect(await reason.count()).toBe(1);
    expect(await reason.getAttribute('data-code')).toBe('unmatched_product');
    expect(await reason.textContent()).toContain('Mystery box');
    expect(await a.getByTestId('order-mark-checked').isDisabled()).toBe(true);
    expect(await text(a, 'order-mark-checked-why')).toContain('Match the unmatched line to a product first');
    expect(await a.getByTestId('action-confirm').isDisabled()).toBe(true);
    expect(await text(a, 'action-blocked-confirm')).toContain('"Mystery box" is not matched to a product');

    const row = a.locator(`[data-testid="order-line"][data-line-id="${unmatchedId}"]`);
    expect(await row.getAttribute('data-unmatched')).toBe('true');
    expect(await text(a, 'line-unmatched')).toBe('⚠ Unmatched product — shop SKU MYST-1');
    expect(await row.getByTestId('line-unit-price').inputValue()).toBe('19.00');
    await a.screenshot({ path: 'test-results/e2e-intake-flagged.png' });
    await a.locator('section[aria-labelledby="sec-lines"]').screenshot({ path: 'test-results/e2e-intake-unmatched-line.png' });

    // Matched to the box: the line keeps the shop's description, price and taxes.
    const picker = row.getByTestId('line-match-product');
    await picker.fill(box.sku);
    const option = a.getByRole('option').filter({ hasText: box.sku });
    await option.waitFor({ timeout: 10_000 });
    await option.click();
    await row.getByTestId('line-matched').waitFor({ timeout: 5_000 });
    expect(await row.getByTestId('line-description').inputValue()).toBe('Mystery box');
    expect(await row.getByTestId('line-unit-price').inputValue()).toBe('19.00');
    await a.getByTestId('order-save').click();
    await expect.poll(() => text(a, 'notice'), { timeout: 10_000 }).toBe('Saved.');

    const after = (await alice.get(`/api/sale-orders/${before.id}`)).body as SaleOrder;
    const matched = after.lines.find((l) => l.id === unmatchedId)!;
    expect(matched).toMatchObject({ productId: box.id, description: 'Mystery box', unitPrice: 1900, taxIds: [taxId] });
    expect(after.needsAttention).toBe(false);
    expect(after.attentionReasons).toEqual([]);
    expect(after.amountTotal).toBe(3480);

    // The flag is gone and Confirm works.
    await notice.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await a.getByTestId('action-blocked-confirm').count()).toBe(0);
    expect(await a.getByTestId('action-confirm').isEnabled()).toBe(true);
    await a.getByTestId('action-confirm').click();
    await expect.poll(() => a.getByTestId('order-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('sale');
    expect((await alice.get(`/api/sale-orders/${before.id}`)).body.state).toBe('sale');
  }, 60_000);

  it('"Mark as checked" clears a flag that has no unmatched line', async () => {
    const order = await orderByReference('#2002');
    const flagged = (await alice.post('/api/sale-orders', { partnerId: order.partnerId, needsAttention: true, lines: [{ productId: towel.id, quantity: 1 }] }))
      .body as SaleOrder;
    const a = await signIn(alice.user!.email);
    await a.goto(`${srv.url}/orders/${flagged.id}`);
    const notice = a.getByTestId('order-attention-notice');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toContain('flagged by hand');
    expect(await a.getByTestId('order-mark-checked-why').count()).toBe(0);
    await a.getByTestId('order-mark-checked').click();
    await notice.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await alice.get(`/api/sale-orders/${flagged.id}`)).body.needsAttention).toBe(false);
    expect(await a.getByTestId('order-needs-attention').isChecked()).toBe(false);
  }, 60_000);

  it('the invoice of the discounted order shows its code and each line’s fixed discount; a draft line’s amount can be changed', async () => {
    const order = await orderByReference('#2001');
    expect((await srv.admin.post(`/api/sale-orders/${order.id}/confirm`, {})).status).toBe(200);
    const invoice = await invoiceOrder(srv.admin, order.id);
    expect(invoice).toMatchObject({ discountCode: 'SAVE5', orderDiscount: 500, amountTotal: 5388 });
    const apronLine = invoice.lines.find((l) => l.productId === apron.id)!;

    const admin = await signIn('admin@example.com', 'admin-password-1');
    await admin.goto(`${srv.url}/invoices/${invoice.id}`);
    await admin.getByTestId('invoice-totals').waitFor({ timeout: 10_000 });
    expect(await text(admin, 'invoice-order-discount')).toBe('−€5.00');
    expect(await admin.getByTestId('invoice-totals').textContent()).toContain('Discount SAVE5');
    expect(await text(admin, 'invoice-total')).toBe('€53.88');
    const row = admin.locator(`[data-testid="invoice-line"][data-line-id="${apronLine.id}"]`);
    const amount = row.getByTestId('invoice-line-discount-amount');
    expect(await amount.inputValue()).toBe('5.00');
    expect(await row.textContent()).toContain('+ order €5.00');
    await admin.locator('section[aria-labelledby="sec-lines"]').screenshot({ path: 'test-results/e2e-intake-invoice.png' });

    // 6.00 off the line instead of 5.00: 20% less tax on 1.00 less.
    await amount.fill('6.00');
    await admin.getByTestId('invoice-save').click();
    await expect.poll(async () => ((await srv.admin.get(`/api/invoices/${invoice.id}`)).body as Invoice).amountTotal, { timeout: 10_000 }).toBe(5268);
    const saved = (await srv.admin.get(`/api/invoices/${invoice.id}`)).body as Invoice;
    expect(saved.lines.find((l) => l.id === apronLine.id)).toMatchObject({ discountAmount: 600, orderDiscount: 500 });
    await expect.poll(() => text(admin, 'invoice-total'), { timeout: 10_000 }).toBe('€52.68');
  }, 60_000);

  it('international email addresses are typed as they are: a colleague signs in with one, a customer gets one', async () => {
    // An administrator adds a colleague whose address has an accent; the colleague signs in with it.
    const admin = await signIn('admin@example.com', 'admin-password-1');
    await admin.goto(`${srv.url}/users`);
    await admin.getByTestId('new-user').click();
    await admin.getByTestId('user-email').fill('josé.núñez@example.com');
    await admin.getByTestId('user-name').fill('José Núñez');
    await admin.getByTestId('user-password').fill('user-password-1');
    await admin.getByTestId('user-save').click();
    await admin.getByTestId('user-form').waitFor({ state: 'detached', timeout: 10_000 });
    const users = (await srv.admin.get('/api/users?limit=100')).body.items as { email: string }[];
    expect(users.map((u) => u.email)).toContain('josé.núñez@example.com');
    const jose = await signIn('josé.núñez@example.com');
    expect(new URL(jose.url()).pathname).not.toBe('/login');

    // A customer's address on a domain of its own script.
    const order = await orderByReference('#2001');
    const a = await signIn(alice.user!.email);
    await a.goto(`${srv.url}/partners/${order.partnerId}`);
    const email = a.getByTestId('partner-email');
    await expect.poll(() => email.inputValue(), { timeout: 10_000 }).toBe('camille.roux@example.com');
    await email.fill('jürgen@müller.de');
    await a.getByTestId('partner-save').click();
    await expect.poll(async () => (await alice.get(`/api/partners/${order.partnerId}`)).body.email, { timeout: 10_000 }).toBe('jürgen@müller.de');
  }, 60_000);
});
