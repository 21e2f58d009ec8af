import { describe, expect, it } from 'vitest';
import { makeOrder } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// Two people in two browsers: A confirms an order, B's board follows without a reload, and B's
// stale edit of the same order meets the conflict message instead of overwriting A's change.
describe('the console in Chromium, two signed-in users', () => {
  const srv = useTestServer();
  const { alice, bob } = twoUsers(srv);

  it('A confirms; B sees it live on the board and meets a conflict when saving a stale copy', async () => {
    const order = await makeOrder(alice.api, { note: 'Leave at the front desk' });
    const a = await alice.page();
    const b = await bob.page();

    // B watches the board.
    await b.goto(`${srv.url}/`);
    const row = b.locator(`[data-testid="order-row"][data-id="${order.id}"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('draft');

    // B opens the order in a second tab and starts editing the note: a copy that is about to go stale.
    const bDetail = await b.context().newPage();
    await bDetail.goto(`${srv.url}/orders/${order.id}`);
    await expect.poll(() => bDetail.getByTestId('order-state').textContent()).toMatch(/quotation/i);
    await bDetail.getByTestId('order-note').fill('Call the customer before delivery');

    // A confirms the order from its detail page; B's presence shows there.
    await a.goto(`${srv.url}/orders/${order.id}`);
    await expect.poll(() => a.getByTestId('presence').textContent(), { timeout: 10_000 }).toContain('BK');
    await a.getByTestId('action-confirm').click();
    // Confirming reserves stock and raises what the order needs: on a loaded machine it takes more than a second.
    await expect.poll(() => a.getByTestId('order-state').textContent(), { timeout: 15_000 }).toMatch(/sales order/i);

    // B's board follows without a reload.
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('sale');

    // B saves the stale copy: the console shows the conflict, and A's confirmation stands.
    await bDetail.getByTestId('order-save').click();
    const conflict = bDetail.getByTestId('conflict');
    await conflict.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await conflict.textContent()).toMatch(/changed by someone else/i);
    const current = await alice.api.get(`/api/sale-orders/${order.id}`);
    expect(current.body.state).toBe('sale');
    expect(current.body.note).toBe('Leave at the front desk');

    await b.screenshot({ path: 'test-results/e2e-board.png' });
    await bDetail.screenshot({ path: 'test-results/e2e-conflict.png' });
  });

  it('a record page with no record id in its URL says there is no such record, with the way back to its list', async () => {
    const a = await alice.page();
    for (const [path, text] of [
      ['/orders/abc', 'There is no order “abc”.'],
      ['/invoices/0', 'There is no invoice “0”.'],
      ['/partners/-3', 'There is no partner “-3”.'],
      ['/products/x%20y', 'There is no product “x y”.'],
      ['/pickings/1.5', 'There is no transfer “1.5”.'],
    ]) {
      await a.goto(`${srv.url}${path}`);
      await expect.poll(() => a.getByRole('alert').textContent(), { timeout: 10_000 }).toBe(text);
    }
    await a.getByText('Back to the deliveries').click();
    await a.waitForURL(`${srv.url}/deliveries`);
  });
});
