import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Picking } from '../../contracts/schemas/inventory';
import type { Product } from '../../contracts/schemas/catalog';
import { makePartner, makeProduct } from '../factories/data';
import { confirmPurchase, confirmedOrder, deliveryOf, purchasesOf } from '../factories/purchasing';
import { setStock } from '../factories/stock';
import { expectStatus } from '../support/expect';
import { useBrowser } from '../support/browser';
import { useTestServer } from '../support/server';

// The materials-flow page in Chromium: a product sold from stock, made to order and drop-shipped
// shows its locations and routes with the open moves on each; validating a delivery through the API
// lowers its route's count on the open page, without a reload.
describe('materials flow in Chromium', () => {
  const srv = useTestServer();
  const { signIn } = useBrowser(srv);

  /** Waits until the page's socket is up, and marks the window so a reload would show. */
  async function liveAndMarked(p: Page): Promise<void> {
    await p.locator('.live.online').waitFor({ state: 'visible', timeout: 10_000 });
    await p.evaluate(() => ((globalThis as unknown as { pageMarker: number }).pageMarker = 42));
    // The room is joined once the socket is up; give the subscription a moment to land.
    await p.waitForTimeout(300);
  }
  const notReloaded = (p: Page) => p.evaluate(() => (globalThis as unknown as { pageMarker?: number }).pageMarker);

  // Make to order has two edges (Vendors → Stock, Stock → Customers): `to` picks one by its end's location id.
  const edge = (p: Page, route: string, to?: string) => p.locator(`[data-testid="flow-edge"][data-route="${route}"]${to ? `[data-to="${to}"]` : ''}`);
  const countOf = (p: Page, route: string, to?: string) => edge(p, route, to).getByTestId('flow-edge-count').textContent();
  const nodeOf = async (p: Page, kind: string) => (await p.locator(`[data-testid="flow-node"][data-kind="${kind}"]`).getAttribute('data-id'))!;

  it('a product with stock, make-to-order and drop-ship routes: its nodes and edges with counts, live; an edge lists its moves', async () => {
    const vera = await makePartner(srv.admin, { name: 'Vera Vendor', roles: ['vendor'] });
    const product: Product = await makeProduct(srv.admin, {
      name: 'Copper Kettle',
      vendors: [{ partnerId: vera.id, price: 5000, minQty: 1, leadDays: 3 }],
    });
    const setRoutes = async (routes: string[]) => {
      const current = (await srv.admin.get(`/api/products/${product.id}`)).body as { version: number };
      expectStatus(await srv.admin.patch(`/api/products/${product.id}`, { version: current.version, routes }), 200);
    };
    // From stock (2), made to order (3, its PO confirmed: a receipt on the make-to-order route), drop-shipped (2, its PO confirmed).
    await setStock(srv.admin, product.id, 5);
    const shipped: Picking = await deliveryOf(srv.admin, (await confirmedOrder(srv.admin, product.id, 2)).id);
    await setRoutes(['buy', 'mto']);
    const mto = await deliveryOf(srv.admin, (await confirmedOrder(srv.admin, product.id, 3)).id);
    await confirmPurchase(srv.admin, (await purchasesOf(srv.admin, vera.id))[0]!.id);
    await setRoutes(['buy', 'mto', 'dropship']);
    const sale = await confirmedOrder(srv.admin, product.id, 2);
    const dsRfq = (await purchasesOf(srv.admin, vera.id)).find((p) => p.saleOrderIds.includes(sale.id))!;
    expectStatus(await srv.admin.post(`/api/purchase-orders/${dsRfq.id}/confirm`, {}), 200);

    // From the product page, "Routes" opens its graph.
    const page = await signIn('admin@example.com', 'admin-password-1');
    await page.goto(`${srv.url}/products/${product.id}`);
    await page.getByTestId('product-routes').click();
    await page.waitForURL(new RegExp(`/stock/flow\\?productId=${product.id}$`));
    await edge(page, 'dropship').waitFor({ state: 'visible', timeout: 10_000 });

    const nodes = await page.getByTestId('flow-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')).sort());
    expect(nodes).toEqual(['adjustment', 'customer', 'returns', 'stock', 'vendor']);
    const edges = await page
      .getByTestId('flow-edge')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-route')} ${e.querySelector('[data-testid="flow-edge-count"]')?.textContent}`).sort());
    expect(edges).toEqual(['adjustment 0', 'adjustment 0', 'buy 0', 'dropship 1', 'mto 1', 'mto 1', 'return 0', 'return 0', 'ship 1'].sort());
    // Edges name their ends by location ids that are nodes of the graph: make to order comes in from
    // Vendors to Stock (the receipt bought for the order) and goes out from Stock to Customers.
    const [vendors, stock, customers] = [await nodeOf(page, 'vendor'), await nodeOf(page, 'stock'), await nodeOf(page, 'customer')];
    const ends = await edge(page, 'mto').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')}→${e.getAttribute('data-to')}`).sort());
    expect(ends).toEqual([`${vendors}→${stock}`, `${stock}→${customers}`].sort());
    expect(await edge(page, 'dropship').getAttribute('aria-label')).toMatch(/Drop-ship \(Vera Vendor\).*1 open move, quantity 2/);
    await expect.poll(() => page.getByTestId('flow-scope').textContent()).toContain('Copper Kettle');
    await page.getByTestId('flow-graph').waitFor({ state: 'visible' });
    await page.screenshot({ path: 'docs/materials-flow.png', fullPage: true });

    // An edge lists its moves, with links to their pickings.
    await edge(page, 'mto', customers).click();
    const row = page.locator(`[data-testid="flow-move"][data-picking-id="${mto.id}"]`);
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await row.getByRole('link', { name: mto.name }).getAttribute('href')).toBe(`/pickings/${mto.id}`);
    // And by keyboard: the ship edge is a button.
    await edge(page, 'ship').focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="flow-move"][data-picking-id="${shipped.id}"]`).waitFor({ state: 'visible', timeout: 10_000 });

    // The picture downloads as PNG (drawn on a canvas in the browser).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flow-download-png').click()]);
    expect(download.suggestedFilename()).toBe(`materials-flow-product-${product.id}.png`);
    const png = await readFile((await download.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');

    // The warehouse validates the delivery from stock: the open page's count falls, without a reload.
    await liveAndMarked(page);
    expectStatus(await srv.admin.post(`/api/pickings/${shipped.id}/validate`, {}), 200);
    await expect.poll(() => countOf(page, 'ship'), { timeout: 10_000 }).toBe('0');
    expect(await countOf(page, 'mto', customers)).toBe('1');
    expect(await countOf(page, 'mto', stock)).toBe('1');
    // The ship edge's list, open below, follows too.
    await expect.poll(() => page.getByTestId('flow-moves').textContent(), { timeout: 10_000 }).toContain('No open moves');
    expect(await notReloaded(page)).toBe(42);
  });
});
