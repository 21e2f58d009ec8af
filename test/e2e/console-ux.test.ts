import { describe, expect, it } from 'vitest';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { makeAccountedTax, confirmedOrder, invoiceOrder } from '../factories/invoicing';
import { makePartner, makeProduct } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// What a user meets first and all day: no error on the first visit, the menus and buttons their role
// and the record's state allow, amounts as they type, the shop's order number, a partner's records.
describe('the console as people use it, in Chromium', () => {
  const srv = useTestServer();
  const { alice, signIn, anonymous } = twoUsers(srv, { alice: 'sales', bob: 'accounting' });

  it('the first visit goes to the sign-in page without an error in the browser console', async () => {
    const page = await anonymous();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${srv.url}/`);
    await page.waitForURL(/\/login/, { timeout: 10_000 });
    await page.getByTestId('login-email').waitFor();
    expect(problems).toEqual([]);
  });

  it('a sales user has neither Settings nor Users; an admin has both', async () => {
    const sales = await alice.page();
    const nav = sales.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Orders' }).first().waitFor();
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await sales.getByRole('link', { name: 'Users' }).count()).toBe(0);
    // Typed in by hand, the page says there is nothing for this role (the server refuses the writes).
    await sales.goto(`${srv.url}/settings`);
    await sales.getByTestId('settings-none').waitFor();

    const admin = await signIn('admin@example.com', 'admin-password-1');
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await admin.getByTestId('settings-users').waitFor();
  });

  it('line and order totals follow the typing by the server’s rule, and the server’s figures stand after save', async () => {
    const tax = await makeAccountedTax(srv.admin, 20);
    const product = await makeProduct(srv.admin, { name: 'Lampe Étoile', listPrice: 1999, taxIds: [tax.id] });
    const partner = await makePartner(srv.admin, { name: 'Zoë Dupré' });
    const order = (
      await alice.api.post('/api/sale-orders', {
        partnerId: partner.id,
        reference: '#1002',
        orderDiscount: 300,
        lines: [
          { productId: product.id, quantity: 1 },
          { productId: product.id, quantity: 2, discount: 12.5 },
        ],
      })
    ).body as SaleOrder;

    const page = await alice.page();
    await page.goto(`${srv.url}/orders/${order.id}`);
    expect(await page.getByTestId('order-reference').textContent()).toContain('#1002');
    const lines = page.getByTestId('order-line');
    await expect.poll(() => lines.count()).toBe(2);
    // 3 × 19.99 at −12.5 %: 52.47 before the order's €3 off is spread again, no save yet.
    await lines.nth(1).getByTestId('line-quantity').fill('3');
    await expect.poll(() => page.getByTestId('totals-as-typed').count()).toBe(1);
    const typedLine = await lines.nth(1).getByTestId('line-total').textContent();
    const typedTotal = await page.getByTestId('amount-total').textContent();

    await page.getByTestId('order-save').click();
    await expect.poll(() => page.getByTestId('unsaved').count(), { timeout: 10_000 }).toBe(0);
    const saved = (await alice.api.get(`/api/sale-orders/${order.id}`)).body as SaleOrder;
    const euro = (cents: number) => `€${(cents / 100).toFixed(2)}`;
    expect(typedLine).toBe(euro(saved.lines[1]!.total));
    expect(typedTotal).toBe(euro(saved.amountTotal));
    expect(await page.getByTestId('amount-total').textContent()).toBe(euro(saved.amountTotal));

    // The board shows the shop's number beside ours, and finds the order by it.
    await page.goto(`${srv.url}/?q=%231002`);
    const row = page.locator(`[data-testid="order-row"][data-id="${order.id}"]`);
    await expect.poll(() => row.getByTestId('order-reference').textContent(), { timeout: 10_000 }).toBe('#1002');
  });

  it('Create invoice is disabled with its reason once everything is invoiced; the partner page links to the records', async () => {
    const partner = await makePartner(srv.admin, { name: 'Maison Réault' });
    const order = await confirmedOrder(srv.admin, [{ quantity: 1, unitPrice: 4200 }], partner.id);
    await invoiceOrder(srv.admin, order.id);

    const page = await alice.page();
    await page.goto(`${srv.url}/orders/${order.id}`);
    const button = page.getByTestId('order-create-invoice');
    await expect.poll(() => button.isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await button.getAttribute('title')).toBe('Everything on this order is invoiced.');
    expect(await page.getByTestId('order-create-invoice-reason').textContent()).toBe('Everything on this order is invoiced.');

    await page.goto(`${srv.url}/partners/${partner.id}`);
    await expect.poll(() => page.getByTestId('partner-orders').textContent(), { timeout: 10_000 }).toMatch(/1\s+order/);
    await expect.poll(() => page.getByTestId('partner-invoices').textContent()).toMatch(/1\s+invoice/);
    await page.getByTestId('partner-orders').click();
    await page.waitForURL(new RegExp(`partnerId=${partner.id}`));
    await expect.poll(() => page.getByTestId('order-row').count(), { timeout: 10_000 }).toBe(1);
  });
});
