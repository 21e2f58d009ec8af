import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { makeOrder, makeProduct } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// The console by keyboard (issue 17): the command palette (Ctrl+K) opens records and runs the page's
// actions, `/` goes to the page's search, j/k/x/Enter work the board, and a kanban card dragged to
// another column (or moved with its "Move to…" menu) runs that state change on the server.
describe('the console by keyboard, in Chromium', () => {
  const srv = useTestServer();
  const { alice, signIn } = twoUsers(srv);

  const stateOf = async (id: number) => ((await alice.api.get(`/api/sale-orders/${id}`)).body as SaleOrder).state;
  const focusedTestId = (p: Page) => p.locator(':focus').getAttribute('data-testid', { timeout: 5_000 });

  async function openPalette(p: Page): Promise<void> {
    await p.keyboard.press('Control+k');
    await p.getByTestId('palette-input').waitFor({ state: 'visible' });
    expect(await focusedTestId(p)).toBe('palette-input');
  }

  it('Ctrl+K opens an order by its number; Escape gives the focus back', async () => {
    const order = await makeOrder(alice.api);
    await makeOrder(alice.api);
    const a = await alice.page();
    await a.goto(`${srv.url}/`);
    await a.locator('[data-testid="order-row"]').first().waitFor();

    // Escape closes it and the focus goes back where it was.
    await a.getByTestId('order-search').focus();
    await openPalette(a);
    expect(await a.getByTestId('palette-input').getAttribute('role')).toBe('combobox');
    await a.keyboard.press('Escape');
    await a.getByTestId('palette-input').waitFor({ state: 'hidden' });
    expect(await focusedTestId(a)).toBe('order-search');

    // The number, Enter: the order's page.
    await a.locator('main').click({ position: { x: 5, y: 5 } });
    await openPalette(a);
    await a.keyboard.type(order.name);
    const hit = a.getByTestId('palette-hit-saleOrder').first();
    await expect.poll(() => hit.textContent(), { timeout: 10_000 }).toContain(order.name);
    // The active option is the input's aria-activedescendant.
    const activeId = await a.getByTestId('palette-input').getAttribute('aria-activedescendant');
    expect(await a.locator(`[id="${activeId}"]`).getAttribute('aria-selected')).toBe('true');
    expect(await a.locator(`[id="${activeId}"]`).textContent()).toContain(order.name);
    await a.keyboard.press('Enter');
    await a.waitForURL(`${srv.url}/orders/${order.id}`, { timeout: 10_000 });
    await expect.poll(() => a.getByTestId('order-state').textContent()).toMatch(/quotation/i);
  });

  it("runs the order page's actions from the palette, only those its state allows", async () => {
    const order = await makeOrder(alice.api);
    const a = await alice.page();
    await a.goto(`${srv.url}/orders/${order.id}`);
    await expect.poll(() => a.getByTestId('order-state').textContent(), { timeout: 10_000 }).toMatch(/quotation/i);

    await openPalette(a);
    const actions = a.locator('[data-testid^="palette-command-order-"]');
    await expect
      .poll(() => actions.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))))
      .toEqual(['palette-command-order-save', 'palette-command-order-send', 'palette-command-order-confirm', 'palette-command-order-cancel']);
    await a.keyboard.type('confirm');
    await expect.poll(() => a.locator('[role="option"]').first().getAttribute('data-testid')).toBe('palette-command-order-confirm');
    await a.keyboard.press('Enter');
    await expect.poll(() => a.getByTestId('order-state').textContent(), { timeout: 10_000 }).toMatch(/sales order/i);
    expect(await stateOf(order.id)).toBe('sale');

    // Confirmed: the palette now offers what a sales order allows (invoice it, lock, cancel), not confirm.
    await openPalette(a);
    await expect
      .poll(() => actions.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))))
      .toEqual(['palette-command-order-save', 'palette-command-order-lock', 'palette-command-order-cancel', 'palette-command-order-create-invoice']);
    await a.keyboard.press('Escape');
  });

  it("runs an invoice's actions from the palette (an accountant's: post)", async () => {
    const product = await makeProduct(srv.admin, { invoicePolicy: 'order' });
    const order = await makeOrder(srv.admin, { lines: [{ productId: product.id, quantity: 1 }] });
    expect((await srv.admin.post(`/api/sale-orders/${order.id}/confirm`, {})).status).toBe(200);
    const invoiceId = (await srv.admin.post(`/api/sale-orders/${order.id}/invoice`)).body.invoiceIds[0] as number;
    const a = await signIn('admin@example.com', 'admin-password-1');
    await a.goto(`${srv.url}/invoices/${invoiceId}`);
    await expect.poll(() => a.getByTestId('invoice-state').textContent(), { timeout: 10_000 }).toBe('Draft');
    await openPalette(a);
    await a.keyboard.type('post');
    await expect.poll(() => a.locator('[role="option"]').first().getAttribute('data-testid')).toBe('palette-command-invoice-post');
    await a.keyboard.press('Enter');
    await expect.poll(() => a.getByTestId('invoice-state').textContent(), { timeout: 10_000 }).toBe('Posted');
    expect((await srv.admin.get(`/api/invoices/${invoiceId}`)).body.state).toBe('posted');
  });

  it('`/` puts the cursor in the search box of the board and of a list page, but types a slash in a field', async () => {
    await makeOrder(alice.api);
    const a = await alice.page();
    await a.goto(`${srv.url}/`);
    await a.locator('[data-testid="order-row"]').first().waitFor();
    await a.locator('main').click({ position: { x: 5, y: 5 } });
    await a.keyboard.press('/');
    expect(await focusedTestId(a)).toBe('order-search');
    expect(await a.getByTestId('order-search').inputValue()).toBe('');
    await a.keyboard.type('a/b');
    expect(await a.getByTestId('order-search').inputValue()).toBe('a/b');

    await a.goto(`${srv.url}/partners`);
    await a.locator('main input[type="search"]').waitFor();
    await a.locator('main').click({ position: { x: 5, y: 5 } });
    await a.keyboard.press('/');
    expect(await a.locator(':focus').getAttribute('type')).toBe('search');
  });

  it('j/k move the cursor through the board, x ticks a row, Enter opens it; select all ticks the loaded orders', async () => {
    for (let i = 0; i < 3; i++) await makeOrder(alice.api);
    const a = await alice.page();
    await a.goto(`${srv.url}/`);
    const rows = a.locator('[data-testid="order-row"]');
    await rows.nth(2).waitFor();
    const total = (await alice.api.get('/api/sale-orders?limit=1')).body.total as number;
    await a.locator('main').click({ position: { x: 5, y: 5 } });

    const cursorId = () => a.locator('[data-testid="order-row"].cursor').getAttribute('data-id');
    const idAt = (i: number) => rows.nth(i).getAttribute('data-id');
    await a.keyboard.press('j');
    expect(await cursorId()).toBe(await idAt(0));
    await a.keyboard.press('j');
    await a.keyboard.press('j');
    expect(await cursorId()).toBe(await idAt(2));
    await a.keyboard.press('k');
    expect(await cursorId()).toBe(await idAt(1));

    // x ticks the cursor's row, and again unticks it.
    await a.keyboard.press('x');
    expect(await a.getByTestId('orders-selected').textContent()).toBe('1 selected');
    expect(await rows.nth(1).getByTestId('order-select').isChecked()).toBe(true);
    await a.keyboard.press('x');
    expect(await a.getByTestId('orders-selected').count()).toBe(0);

    // Select all: the header checkbox says what it selects (every order here: all are loaded).
    const all = a.getByTestId('select-all-loaded');
    expect(await all.getAttribute('aria-label')).toBe(`Select all ${total} orders`);
    await all.check();
    expect(await a.getByTestId('orders-selected').textContent()).toBe(`${total} selected`);
    await all.uncheck();
    expect(await a.getByTestId('orders-selected').count()).toBe(0);
    // …and from the palette.
    await openPalette(a);
    await a.keyboard.type('select all');
    await expect.poll(() => a.getByTestId('palette-command-board-select-all').textContent()).toContain(`Select all ${total} orders`);
    await a.keyboard.press('Enter');
    expect(await a.getByTestId('orders-selected').textContent()).toBe(`${total} selected`);
    expect(await all.isChecked()).toBe(true);
    await a.getByTestId('clear-selection').click();

    // Enter opens the cursor's order.
    await a.locator('main').click({ position: { x: 5, y: 5 } });
    await a.keyboard.press('k');
    const target = await cursorId();
    await a.keyboard.press('Enter');
    await a.waitForURL(`${srv.url}/orders/${target}`, { timeout: 10_000 });
  });

  it('dragging a quotation to "Sales order" confirms it; columns it cannot go to refuse the drop; the server has the last word', async () => {
    const toConfirm = await makeOrder(alice.api);
    const toLeave = await makeOrder(alice.api);
    const empty = await makeOrder(alice.api, { lines: [] });
    const a = await alice.page();
    await a.goto(`${srv.url}/?view=kanban`);
    const column = (state: string) => a.locator(`[data-testid="kanban-column"][data-state="${state}"]`);
    const card = (id: number) => a.locator(`[data-testid="order-row"][data-id="${id}"]`);
    await card(toConfirm.id).waitFor();

    // While a quotation is dragged, the columns it may go to are marked and the others refuse it.
    await card(toLeave.id).hover();
    await a.mouse.down();
    await column('done').hover();
    await column('done').hover({ position: { x: 20, y: 40 } });
    await expect.poll(() => column('done').getAttribute('data-drop')).toBe('refused');
    expect(await column('sale').getAttribute('data-drop')).toBe('allowed');
    expect(await column('cancel').getAttribute('data-drop')).toBe('allowed');
    await a.mouse.up();
    // Dropped on "Locked": nothing happens.
    await expect.poll(() => column('done').getAttribute('data-drop')).toBe(null);
    expect(await column('draft').locator(`[data-id="${toLeave.id}"]`).count()).toBe(1);
    expect(await stateOf(toLeave.id)).toBe('draft');

    // Dropped on "Sales order": confirmed on the server, and the card is in that column.
    await card(toConfirm.id).dragTo(column('sale'));
    await expect.poll(() => stateOf(toConfirm.id), { timeout: 10_000 }).toBe('sale');
    await expect.poll(() => column('sale').locator(`[data-id="${toConfirm.id}"]`).count(), { timeout: 10_000 }).toBe(1);
    expect(await column('draft').locator(`[data-id="${toConfirm.id}"]`).count()).toBe(0);

    // The server refuses (an order without lines cannot be confirmed: 422): the card goes back, the reason shows.
    await card(empty.id).dragTo(column('sale'));
    await expect.poll(() => a.getByTestId('move-error').textContent(), { timeout: 10_000 }).toContain('no lines');
    await expect.poll(() => column('draft').locator(`[data-id="${empty.id}"]`).count()).toBe(1);
    expect(await column('sale').locator(`[data-id="${empty.id}"]`).count()).toBe(0);
    expect(await stateOf(empty.id)).toBe('draft');

    // Without a mouse: the card's "Move to…" menu offers the states it may go to.
    const move = card(toLeave.id).getByTestId('move-to');
    await move.focus();
    await a.keyboard.press('Enter');
    const options = card(toLeave.id).getByTestId('move-to-option');
    expect(await options.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['sent', 'sale', 'cancel']);
    await expect.poll(() => focusedTestId(a)).toBe('move-to-option');
    await a.keyboard.press('ArrowDown');
    await a.keyboard.press('ArrowDown');
    await a.keyboard.press('Enter');
    await expect.poll(() => stateOf(toLeave.id), { timeout: 10_000 }).toBe('cancel');
    await expect.poll(() => column('cancel').locator(`[data-id="${toLeave.id}"]`).count(), { timeout: 10_000 }).toBe(1);
    await a.screenshot({ path: 'test-results/e2e-kanban-keyboard.png' });
  });
});
