import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeOrder, makePartner, makeProduct } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// Purchasing in two browsers: the purchase board and the RFQ page follow what others do, live.
describe('purchasing in Chromium', () => {
  const srv = useTestServer();
  const { alice, bob, signIn } = twoUsers(srv, { alice: 'sales', bob: 'purchase' });

  /** Waits until the page's socket is up and its rooms joined, and marks the window so a reload shows. */
  async function liveAndMarked(p: Page): Promise<void> {
    await p.locator('.live.online').waitFor({ state: 'visible', timeout: 10_000 });
    await p.evaluate(() => ((globalThis as unknown as { pageMarker: number }).pageMarker = 42));
    // The room is joined once the socket is up; give the subscription a moment to land.
    await p.waitForTimeout(300);
  }

  const notReloaded = (p: Page) => p.evaluate(() => (globalThis as unknown as { pageMarker?: number }).pageMarker);

  async function vendorProduct(fields: Record<string, unknown> = {}) {
    const vera = await makePartner(srv.admin, { name: `Vera Vendor ${Date.now().toString(36)}`, roles: ['vendor'] });
    const product = await makeProduct(srv.admin, { type: 'storable', vendors: [{ partnerId: vera.id, price: 5000, minQty: 1, leadDays: 3 }], ...fields });
    return { vera, product };
  }

  /** Picks an option of an entity picker by typing part of its name. */
  async function pick(p: Page, testid: string, text: string): Promise<void> {
    await p.getByTestId(testid).last().fill(text);
    await p
      .getByRole('option', { name: new RegExp(text) })
      .first()
      .click();
  }

  it('a buyer creates an RFQ from the board, edits its draft line and sends it; a colleague sees each step live, and a stale tab meets the conflict', async () => {
    const { vera, product } = await vendorProduct();

    // A watches the board's kanban.
    const a = await alice.page();
    await a.goto(`${srv.url}/purchases?view=kanban`);
    const rfqColumn = a.locator('[data-testid="purchase-column"][data-state="draft"]');
    await rfqColumn.waitFor({ state: 'visible', timeout: 10_000 });
    await liveAndMarked(a);

    // B creates the RFQ from the board.
    const b = await bob.page();
    await b.goto(`${srv.url}/purchases`);
    await b.getByTestId('new-rfq').click();
    await pick(b, 'new-rfq-vendor', vera.name);
    await b.getByTestId('new-rfq-create').click();
    await b.waitForURL(/\/purchases\/\d+$/);
    const id = Number(new URL(b.url()).pathname.split('/').pop());
    await expect.poll(() => b.getByTestId('purchase-state').textContent()).toBe('RFQ');
    expect(await b.getByTestId('purchase-vendor').textContent()).toBe(vera.name);

    // A's RFQ column shows it, without a reload.
    const card = rfqColumn.locator(`[data-testid="purchase-card"][data-id="${id}"]`);
    await card.waitFor({ state: 'visible', timeout: 10_000 });

    // B adds a line: the vendor's price comes from the server.
    await b.getByTestId('purchase-add-line').click();
    await pick(b, 'purchase-line-product', product.sku);
    await b.getByTestId('purchase-line-quantity').fill('4');
    await b.getByTestId('purchase-save').click();
    await expect.poll(() => b.getByTestId('purchase-line-subtotal').textContent(), { timeout: 10_000 }).toContain('200.00');
    const saved = await bob.api.get(`/api/purchase-orders/${id}`);
    expect(saved.body.lines).toMatchObject([{ productId: product.id, quantity: 4, unitPrice: 5000 }]);
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('200.00');

    // A opens the RFQ (read only for sales); a second tab of B's starts an edit that goes stale.
    const aDetail = await a.context().newPage();
    await aDetail.goto(`${srv.url}/purchases/${id}`);
    await expect.poll(() => aDetail.getByTestId('purchase-line-quantity-value').textContent(), { timeout: 10_000 }).toBe('4');
    expect(await aDetail.getByTestId('purchase-save').count()).toBe(0);
    const bStale = await b.context().newPage();
    await bStale.goto(`${srv.url}/purchases/${id}`);
    await bStale.getByTestId('purchase-note').fill('Deliver to the back door');

    // B raises the quantity: A's page follows; the stale tab's save is refused with the conflict.
    await b.getByTestId('purchase-line-quantity').fill('6');
    await b.getByTestId('purchase-save').click();
    await expect.poll(() => aDetail.getByTestId('purchase-line-quantity-value').textContent(), { timeout: 10_000 }).toBe('6');
    await bStale.getByTestId('remote-change').waitFor({ state: 'visible', timeout: 10_000 });
    await bStale.getByTestId('purchase-save').click();
    await bStale.getByTestId('conflict').waitFor({ state: 'visible', timeout: 10_000 });
    const current = await bob.api.get(`/api/purchase-orders/${id}`);
    expect(current.body.note).toBeNull();
    expect(current.body.lines[0].quantity).toBe(6);

    // B sends the RFQ after a look at the email; on A's board its card moves to RFQ sent.
    await b.getByTestId('purchase-send').click();
    await b.getByTestId('purchase-send-preview').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await b.getByTestId('purchase-send-subject').textContent()).toContain(current.body.name);
    await b.getByTestId('purchase-send-submit').click();
    await expect.poll(() => b.getByTestId('purchase-state').textContent(), { timeout: 10_000 }).toBe('RFQ sent');
    await a
      .locator(`[data-testid="purchase-column"][data-state="sent"] [data-testid="purchase-card"][data-id="${id}"]`)
      .waitFor({ state: 'visible', timeout: 10_000 });
    expect(await card.count()).toBe(0);

    expect(await notReloaded(a)).toBe(42);
    await a.screenshot({ path: 'test-results/e2e-purchase-board.png' });
    await b.screenshot({ path: 'test-results/e2e-purchase-rfq.png' });
  });

  // Acceptance 6 of issue 15: needs the make-to-order confirmation, PO confirmation, receipts and the
  // replenishment endpoints (the other branches of the issue).
  it('A confirms a make-to-order sale; B sees the RFQ live and confirms it; the warehouse receives it; A sees the delivery turn Ready; the replenishment page orders below the minimum', async () => {
    const { product } = await vendorProduct({ routes: ['buy', 'mto'] });
    const order = await makeOrder(alice.api, { lines: [{ productId: product.id, quantity: 3 }] });
    const warehouse = await srv.user('warehouse', 'Wanda Stock');

    // B watches the purchase board.
    const b = await bob.page();
    await b.goto(`${srv.url}/purchases`);
    await b.getByTestId('purchases-total').waitFor({ state: 'visible', timeout: 10_000 });
    await liveAndMarked(b);

    // A confirms the order from its page.
    const a = await alice.page();
    await a.goto(`${srv.url}/orders/${order.id}`);
    await liveAndMarked(a);
    await a.getByTestId('action-confirm').click();
    // Confirming reserves stock and raises what the order needs: on a loaded machine it takes more than a second.
    await expect.poll(() => a.getByTestId('order-state').textContent(), { timeout: 15_000 }).toMatch(/sales order/i);

    const pos = await bob.api.get(`/api/purchase-orders?saleOrderId=${order.id}`);
    expect(pos.body.total).toBe(1);
    const rfq = pos.body.items[0];
    expect(rfq).toMatchObject({ state: 'draft', amountUntaxed: 15000 });

    // B's board shows the new RFQ without a reload; A's order page lists it, and its delivery waits on it.
    const row = b.locator(`[data-testid="purchase-row"][data-id="${rfq.id}"]`);
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await row.getAttribute('data-state')).toBe('draft');
    expect(await notReloaded(b)).toBe(42);
    await a.locator(`[data-testid="order-purchase"][data-id="${rfq.id}"]`).waitFor({ state: 'visible', timeout: 10_000 });
    const delivery = a.getByTestId('order-delivery');
    await expect.poll(() => delivery.getAttribute('data-state'), { timeout: 10_000 }).toBe('waiting');

    // B opens it and confirms it: the receipt is there to receive.
    await row.getByTestId('purchase-link').click();
    await b.waitForURL(`${srv.url}/purchases/${rfq.id}`);
    expect(await b.getByTestId('purchase-origin').textContent()).toContain(order.name);
    await b.getByTestId('purchase-confirm').click();
    await expect.poll(() => b.getByTestId('purchase-state').textContent(), { timeout: 10_000 }).toBe('Purchase order');
    const receive = b.getByTestId('purchase-receive');
    await receive.waitFor({ state: 'visible', timeout: 10_000 });
    const receiptPath = await receive.getAttribute('href');
    expect(receiptPath).toMatch(/^\/pickings\/\d+$/);

    // The warehouse validates the receipt: everything ordered arrives.
    const w = await signIn(warehouse.user!.email);
    await w.goto(`${srv.url}${receiptPath}`);
    await expect.poll(() => w.getByTestId('picking-state').textContent(), { timeout: 10_000 }).toMatch(/ready|waiting/i);
    expect(await w.getByTestId('picking-purchase-order').getAttribute('href')).toBe(`/purchases/${rfq.id}`);
    await w.getByTestId('picking-validate').click();
    await expect.poll(() => w.getByTestId('picking-state').textContent(), { timeout: 10_000 }).toBe('Done');

    // A's order page shows its delivery Ready, live; B's PO page shows the line received.
    await expect.poll(() => delivery.getAttribute('data-state'), { timeout: 10_000 }).toBe('assigned');
    expect(await notReloaded(a)).toBe(42);
    await expect.poll(() => b.getByTestId('purchase-line-received').first().textContent(), { timeout: 10_000 }).toBe('3');
    await a.screenshot({ path: 'test-results/e2e-purchase-mto-order.png' });

    // B bills what was received: the vendor bill links back to the purchase order.
    await b.getByTestId('purchase-bill').click();
    const billLink = b.getByTestId('purchase-bill-link');
    await billLink.waitFor({ state: 'visible', timeout: 10_000 });
    await billLink.click();
    await b.waitForURL(/\/invoices\/\d+$/);
    await expect.poll(() => b.getByTestId('invoice-type').textContent(), { timeout: 10_000 }).toBe('Vendor bill');
    expect(await b.getByTestId('invoice-purchase-order').getAttribute('href')).toBe(`/purchases/${rfq.id}`);
    expect((await b.getByTestId('invoice-purchase-order').textContent())?.trim()).toBe(rfq.name);

    // B gives a product with 3 on hand a reorder rule on its page: min 5, max 20, multiple 5.
    const { product: low } = await vendorProduct();
    expect((await srv.admin.post('/api/stock/adjustments', { productId: low.id, quantity: 3 })).status).toBe(200);
    await b.goto(`${srv.url}/products/${low.id}`);
    await b.getByTestId('new-reorder-rule').click();
    await b.getByTestId('reorder-rule-min-input').fill('5');
    await b.getByTestId('reorder-rule-max-input').fill('20');
    await b.getByTestId('reorder-rule-multiple-input').fill('5');
    await b.getByTestId('rule-save').click();
    const rule = b.getByTestId('reorder-rule-row');
    await rule.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await rule.getByTestId('reorder-rule-max').textContent()).toBe('20');

    // The replenishment page orders it: from 3 back up to 20, in fives → 20.
    await b.goto(`${srv.url}/replenishment`);
    const lowRow = b.locator(`[data-testid="replenishment-row"][data-product-id="${low.id}"]`);
    await lowRow.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await lowRow.getByTestId('replenishment-quantity').inputValue()).toBe('20');
    await lowRow.getByTestId('replenishment-select').check();
    await b.getByTestId('replenishment-order').click();
    const link = b.getByTestId('replenishment-rfq');
    await link.waitFor({ state: 'visible', timeout: 10_000 });
    const lowRfq = await bob.api.get(`/api/purchase-orders/${await link.getAttribute('data-id')}`);
    expect(lowRfq.body.state).toBe('draft');
    expect(lowRfq.body.lines.find((l: { productId: number }) => l.productId === low.id)).toMatchObject({ quantity: 20 });
    await b.screenshot({ path: 'test-results/e2e-replenishment.png' });
  });

  // Acceptance 2 of issue 15 in the console: needs the order-more endpoint (the replenishment branch).
  it('a delivery short of stock offers to order what it misses; the buyer raises it and the RFQ gets that much', async () => {
    const { product } = await vendorProduct();
    expect((await srv.admin.post('/api/stock/adjustments', { productId: product.id, quantity: 2 })).status).toBe(200);
    const order = await makeOrder(alice.api, { lines: [{ productId: product.id, quantity: 5 }] });
    expect((await alice.api.post(`/api/sale-orders/${order.id}/confirm`, {})).status).toBe(200);
    const delivery = (await alice.api.get(`/api/pickings?saleOrderId=${order.id}`)).body.items[0];

    const b = await bob.page();
    await b.goto(`${srv.url}/pickings/${delivery.id}`);
    const orderMore = b.getByTestId('picking-order-more');
    await orderMore.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await orderMore.textContent()).toContain('Order 3 more');
    await orderMore.click();
    const quantity = b.getByTestId('order-more-quantity');
    expect(await quantity.inputValue()).toBe('3');
    await quantity.fill('10');
    await b.getByTestId('order-more-submit').click();
    const link = b.getByTestId('order-more-rfq');
    await link.waitFor({ state: 'visible', timeout: 10_000 });
    const rfqId = Number((await link.getAttribute('href'))!.split('/').pop());
    const rfq = await bob.api.get(`/api/purchase-orders/${rfqId}`);
    expect(rfq.body.state).toBe('draft');
    expect(rfq.body.lines.find((l: { productId: number }) => l.productId === product.id)).toMatchObject({ quantity: 10 });
    // All of the shortage is on order now: the button is gone, the page says where it comes from.
    const onOrder = b.getByTestId('picking-on-order');
    await onOrder.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await onOrder.textContent()).toContain(`3 on order (${rfq.body.name})`);
    expect(await orderMore.isVisible()).toBe(false);
    await b.screenshot({ path: 'test-results/e2e-order-more.png' });
  });
});
