import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Location } from '../../contracts/schemas/company';
import type { StockReportItem } from '../../contracts/schemas/inventory';
import { makeOrder, makeProduct } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';
import { setStock } from '../factories/stock';

// The stock console in Chromium: moving returned goods back to Stock from the report, the warehouses
// page, and an order's deliveries with their state and tracking, live.
describe('stock in Chromium', () => {
  const srv = useTestServer();
  const { alice, bob, signIn } = twoUsers(srv, { bob: 'warehouse' });
  let stock: Location;
  let returns: Location;

  beforeAll(async () => {
    const res = await srv.admin.get('/api/locations?kind=internal&warehouseId=1');
    expect(res.status).toBe(200);
    const locations: Location[] = res.body.items;
    stock = locations.find((l) => !l.isReturns)!;
    returns = locations.find((l) => l.isReturns)!;
    expect(stock.name).toBe('WH/Stock');
    expect(returns.name).toBe('WH/Returns');
  });

  /** The stock page searched down to one product. */
  async function openStock(page: Page, sku: string): Promise<void> {
    await page.goto(`${srv.url}/stock`);
    await page.getByTestId('stock-search').fill(sku);
    await page.getByTestId('stock-search').press('Enter');
  }

  const row = (page: Page, productId: number, locationId: number) =>
    page.locator(`[data-testid="stock-row"][data-product-id="${productId}"][data-location-id="${locationId}"]`);

  it('moves 2 of 3 returned units from WH/Returns back to WH/Stock through the dialog', async () => {
    const product = await makeProduct(srv.admin, { type: 'storable' });
    await setStock(srv.admin, product.id, 3, returns.id);

    const b = await bob.page();
    await openStock(b, product.sku);
    const fromRow = row(b, product.id, returns.id);
    const toRow = row(b, product.id, stock.id);
    await fromRow.waitFor({ state: 'visible', timeout: 10_000 });
    await toRow.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await fromRow.getByTestId('stock-on-hand').textContent()).toBe('3');
    expect(await toRow.getByTestId('stock-on-hand').textContent()).toBe('0');
    // Nothing on hand in Stock: nothing to move from there.
    expect(await toRow.getByTestId('stock-move').isDisabled()).toBe(true);

    await fromRow.getByTestId('stock-move').click();
    const quantity = b.getByTestId('move-quantity');
    await quantity.waitFor({ state: 'visible' });
    // It opens with all the free stock, on its way back to the same warehouse's Stock.
    expect(await quantity.inputValue()).toBe('3');
    expect(await b.getByTestId('move-destination').inputValue()).toBe(String(stock.id));
    expect(await b.getByTestId('move-scrap').isChecked()).toBe(false);

    // More than is free is refused before it is sent.
    await quantity.fill('4');
    await b.getByTestId('move-submit').click();
    await expect.poll(() => b.getByTestId('move-form').textContent()).toContain('At most 3 can move');

    await quantity.fill('2');
    await b.getByTestId('move-reason').fill('Checked, back on the shelf');
    await b.screenshot({ path: 'test-results/e2e-stock-move-dialog.png' });
    await b.getByTestId('move-submit').click();
    await b.getByTestId('move-form').waitFor({ state: 'detached', timeout: 10_000 });

    await expect.poll(() => fromRow.getByTestId('stock-on-hand').textContent(), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => toRow.getByTestId('stock-on-hand').textContent(), { timeout: 10_000 }).toBe('2');
    expect(await b.getByTestId('stock-notice').textContent()).toContain('Moved 2');

    const report = await bob.api.get(`/api/stock/report?productId=${product.id}`);
    const onHand = Object.fromEntries((report.body.items as StockReportItem[]).map((i) => [i.locationName, i.onHand]));
    expect(onHand).toMatchObject({ 'WH/Returns': 1, 'WH/Stock': 2 });
    await b.screenshot({ path: 'test-results/e2e-stock-move.png' });

    // The server's refusal shows in the dialog: the last unit went elsewhere while it was open.
    await fromRow.getByTestId('stock-move').click();
    await quantity.waitFor({ state: 'visible' });
    await setStock(srv.admin, product.id, 0, returns.id);
    await quantity.fill('1');
    await b.getByTestId('move-submit').click();
    const error = b.getByTestId('move-form').getByTestId('error');
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await error.textContent()).toMatch(/Only 0 of .* can move from WH\/Returns/);
  });

  it('lists the warehouses with their locations; an admin adds one, others only read', async () => {
    const admin = await signIn('admin@example.com', 'admin-password-1');
    await admin.goto(`${srv.url}/settings/warehouses`);
    const main = admin.locator('[data-testid="warehouse-row"][data-code="WH"]');
    await main.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await main.textContent()).toContain('WH/Returns');

    await admin.getByTestId('warehouse-add').click();
    await admin.getByTestId('warehouse-name').fill('East depot');
    await admin.getByTestId('warehouse-code').fill('east');
    await admin.getByTestId('warehouse-save').click();
    const east = admin.locator('[data-testid="warehouse-row"][data-code="EAST"]');
    await east.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await east.getByTestId('warehouse-location').allTextContents()).toEqual(['EAST/Stock', 'EAST/Returns']);
    await admin.screenshot({ path: 'test-results/e2e-warehouses.png' });

    // The same code again: the server's refusal shows in the dialog.
    await admin.getByTestId('warehouse-add').click();
    await admin.getByTestId('warehouse-name').fill('East again');
    await admin.getByTestId('warehouse-code').fill('EAST');
    await admin.getByTestId('warehouse-save').click();
    const error = admin.getByTestId('warehouse-form').getByTestId('error');
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await error.textContent()).toContain('EAST');

    // The warehouse reaches the list from the stock page, and only reads it.
    const b = await bob.page();
    await b.goto(`${srv.url}/stock`);
    await b.getByTestId('stock-warehouses').click();
    await b.waitForURL(`${srv.url}/settings/warehouses`);
    await b.locator('[data-testid="warehouse-row"][data-code="EAST"]').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await b.getByTestId('warehouse-add').count()).toBe(0);
  });

  it("shows the order's deliveries with state and tracking, live, and ships a quotation from the warehouse chosen", async () => {
    const product = await makeProduct(srv.admin, { type: 'storable' });
    await setStock(srv.admin, product.id, 10);
    const order = await makeOrder(alice.api, { lines: [{ productId: product.id, quantity: 2 }] });
    const confirmed = await alice.api.post(`/api/sale-orders/${order.id}/confirm`);
    expect(confirmed.status).toBe(200);
    const pickings = await alice.api.get(`/api/pickings?saleOrderId=${order.id}`);
    const picking = pickings.body.items[0];

    const a = await alice.page();
    await a.goto(`${srv.url}/orders/${order.id}`);
    const delivery = a.locator(`[data-testid="order-delivery"][data-id="${picking.id}"]`);
    await delivery.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await a.getByTestId('order-deliveries').getAttribute('data-count')).toBe('1');
    expect(await delivery.textContent()).toContain(picking.name);
    expect(await delivery.getAttribute('data-state')).toBe('assigned');
    expect(await delivery.getAttribute('href')).toBe(`/pickings/${picking.id}`);
    await a.waitForTimeout(300);

    // The warehouse ships it: state and tracking follow on the order page, with no reload.
    const validated = await bob.api.post(`/api/pickings/${picking.id}/validate`, { carrier: 'DHL', trackingRef: '1Z999' });
    expect(validated.status).toBe(200);
    await expect.poll(() => delivery.getAttribute('data-state'), { timeout: 10_000 }).toBe('done');
    expect((await delivery.textContent())?.replace(/\s+/g, ' ')).toMatch(/WH\/OUT\/\d+ · Done · DHL 1Z999/);
    await a.screenshot({ path: 'test-results/e2e-order-deliveries.png' });

    // A quotation may change the warehouse it ships from (there are two since the test above).
    const east = (await alice.api.get('/api/warehouses')).body.items.find((w: { code: string }) => w.code === 'EAST');
    const quotation = await makeOrder(alice.api, { lines: [{ productId: product.id, quantity: 1 }] });
    await a.goto(`${srv.url}/orders/${quotation.id}`);
    const select = a.getByTestId('order-warehouse');
    await select.waitFor({ state: 'visible', timeout: 10_000 });
    await select.selectOption(String(east.id));
    await a.getByTestId('order-save').click();
    await expect.poll(async () => (await alice.api.get(`/api/sale-orders/${quotation.id}`)).body.warehouseId, { timeout: 10_000 }).toBe(east.id);
    await a.getByTestId('action-confirm').click();
    // Confirming reserves stock and raises what the order needs: on a loaded machine it takes more than a second.
    await expect.poll(() => a.getByTestId('order-state').textContent(), { timeout: 15_000 }).toMatch(/sales order/i);
    await expect.poll(() => a.getByTestId('order-delivery').first().textContent(), { timeout: 10_000 }).toContain('EAST/OUT/');
    expect(await select.isDisabled()).toBe(true);
  });
});
