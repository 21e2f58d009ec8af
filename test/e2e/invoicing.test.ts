import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../contracts/schemas/invoices';
import { confirmedOrder, makeAccountedTax } from '../factories/invoicing';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// Invoicing an order in the console: one click on the order drafts its invoice, Post and Register
// payment complete it, while a colleague's board follows the order's invoice status without a reload.
describe('invoicing in Chromium, two signed-in users', () => {
  const srv = useTestServer();
  const { alice, bob } = twoUsers(srv, { alice: 'accounting' });

  it('A invoices, posts and gets paid for an order; B sees it go from To invoice to Invoiced on the board', async () => {
    const tax = await makeAccountedTax(srv.admin, 20);
    // 2 × 12.50 + 20 % tax, and 9.99 untaxed: 39.99 in all.
    const order = await confirmedOrder(srv.admin, [
      { quantity: 2, unitPrice: 1250, taxIds: [tax.id] },
      { quantity: 1, unitPrice: 999 },
    ]);
    expect(order.invoiceStatus).toBe('to_invoice');

    // B watches the board.
    const b = await bob.page();
    await b.goto(`${srv.url}/`);
    const row = b.locator(`[data-testid="order-row"][data-id="${order.id}"]`);
    await expect.poll(() => row.getAttribute('data-invoice-status'), { timeout: 10_000 }).toBe('to_invoice');
    expect(await row.getByTestId('order-invoice-status').textContent()).toBe('To invoice');

    // A opens the order: one click drafts the invoice and opens it.
    const a = await alice.page();
    await a.goto(`${srv.url}/orders/${order.id}`);
    await a.getByTestId('order-create-invoice').click();
    await a.waitForURL(/\/invoices\/\d+$/, { timeout: 10_000 });
    const invoiceId = Number(new URL(a.url()).pathname.split('/').pop());
    await expect.poll(() => a.getByTestId('invoice-state').textContent(), { timeout: 10_000 }).toBe('Draft');
    expect(await a.getByTestId('invoice-order').textContent()).toBe(order.name);
    expect(await a.getByTestId('invoice-line').count()).toBe(2);
    expect(await a.getByTestId('invoice-tax-total').count()).toBe(1);
    expect(await a.getByTestId('invoice-total').textContent()).toContain('39.99');

    // B's board follows without a reload: the order is invoiced (its draft counts).
    await expect.poll(() => row.getAttribute('data-invoice-status'), { timeout: 10_000 }).toBe('invoiced');
    expect(await row.getByTestId('order-invoice-status').textContent()).toBe('Invoiced');

    // Post: the invoice gets its number and its journal entry.
    await a.getByTestId('invoice-post').click();
    await expect.poll(() => a.getByTestId('invoice-state').textContent(), { timeout: 10_000 }).toBe('Posted');
    expect(await a.getByTestId('invoice-name').textContent()).toMatch(/^INV\/\d{4}\/\d{5}$/);
    expect(await a.getByTestId('invoice-payment-state').textContent()).toBe('Not paid');
    expect(await a.getByTestId('journal-debit-total').textContent()).toBe(await a.getByTestId('journal-credit-total').textContent());

    // Register payment: the dialog offers the full amount due.
    await a.getByTestId('invoice-register-payment').click();
    const amount = a.getByTestId('payment-amount');
    await amount.waitFor({ state: 'visible' });
    expect(await amount.inputValue()).toBe('39.99');
    await a.getByTestId('payment-method-bank').check();
    await a.screenshot({ path: 'test-results/e2e-invoice-payment.png' });
    await a.getByTestId('payment-submit').click();
    await a.getByTestId('payment-form').waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => a.getByTestId('invoice-payment-state').textContent(), { timeout: 10_000 }).toBe('Paid');
    expect(await a.getByTestId('invoice-amount-due').textContent()).toContain('0.00');
    expect(await a.getByTestId('invoice-payment').count()).toBe(1);

    const saved: Invoice = (await alice.api.get(`/api/invoices/${invoiceId}`)).body;
    expect(saved.state).toBe('posted');
    expect(saved.paymentState).toBe('paid');
    expect(saved.amountResidual).toBe(0);
    expect(saved.amountTotal).toBe(3999);

    // B's board still shows the order invoiced, without a reload, and the order page lists the paid invoice.
    expect(await row.getAttribute('data-invoice-status')).toBe('invoiced');
    await a.goto(`${srv.url}/orders/${order.id}`);
    const listed = a.locator(`[data-testid="order-invoice"][data-id="${invoiceId}"]`);
    await expect.poll(() => listed.getAttribute('data-payment-state'), { timeout: 10_000 }).toBe('paid');

    await a.screenshot({ path: 'test-results/e2e-invoicing-order.png' });
    await b.screenshot({ path: 'test-results/e2e-invoicing-board.png' });
  });
});
