import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Dashboard } from '../../contracts/schemas/dashboard';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { SalesAnalysis } from '../../contracts/schemas/sales-analysis';
import { makePartner } from '../factories/data';
import { expectStatus } from '../support/expect';
import { useBrowser } from '../support/browser';
import { useTestServer } from '../support/server';

// The dashboard in Chromium on the demo shop (SEED_DEMO=1): the landing page after sign-in, its tiles
// the API's counts (each linking to a list of exactly that many), and live: an order created and then
// confirmed through the API moves the tile and today's bar on the open page, without a reload.
describe('dashboard in Chromium', () => {
  const srv = useTestServer({ env: () => ({ SEED_DEMO: '1' }) });
  const { signIn } = useBrowser(srv);

  const tile = (p: Page, key: string) => p.locator(`[data-testid="tile"][data-key="${key}"]`);
  const tileCount = async (p: Page, key: string) => Number(await tile(p, key).getAttribute('data-count'));
  /** The orders chart's figure for its last period (today, by day), from its table of figures. */
  const todaysOrders = (p: Page) =>
    p.locator('[data-testid="orders-chart-table"] tbody tr').last().locator('td').last().getAttribute('data-value').then(Number);
  const totalOrders = (p: Page) => p.getByTestId('dashboard-totals').getAttribute('data-orders').then(Number);

  it('lands on the dashboard after sign-in; its tiles are the API counts and link to lists of that many; a confirmed order moves it live', async () => {
    const page = await signIn('admin@example.com', 'admin-password-1');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForURL((u) => u.pathname === '/dashboard');
    await page.getByTestId('tile').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.getByTestId('orders-chart').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).toBe('page');

    // Every tile shows the API's count for the demo data, in the API's order.
    const api = (await srv.admin.get('/api/dashboard')).body as Dashboard;
    const shown = await page.getByTestId('tile').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-key')} ${e.getAttribute('data-count')}`));
    expect(shown).toEqual(api.tiles.map((t) => `${t.key} ${t.count}`));
    expect(api.tiles.find((t) => t.key === 'ordersToConfirm')!.count).toBeGreaterThan(0);
    expect(await totalOrders(page)).toBe(api.totals.orders);
    expect(await page.getByTestId('top-product').count()).toBe(api.topProducts.length);
    // The charts' figures are there for screen readers too: one row per day of the range.
    expect(await page.locator('[data-testid="orders-chart-table"] tbody tr').count()).toBe(api.days.length);
    expect(await page.locator('[data-testid="orders-chart"] canvas').getAttribute('aria-label')).toContain('Confirmed orders per day by channel');

    await page.screenshot({ path: 'docs/dashboard.png' });

    // A tile's link opens its list, filtered to exactly what it counts.
    for (const [key, total] of [
      ['ordersToConfirm', 'orders-total'],
      ['invoicesOverdue', 'invoices-total'],
      ['deliveriesLate', 'delivery-total'],
    ] as const) {
      const count = api.tiles.find((t) => t.key === key)!.count;
      await tile(page, key).getByTestId('tile-link').click();
      await expect.poll(() => page.getByTestId(total).textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^${count} `));
      await page.goBack();
      await tile(page, key).waitFor({ state: 'visible', timeout: 10_000 });
    }

    // Live: the page's socket is up; a marker shows a reload.
    await page.locator('.live.online').waitFor({ state: 'visible', timeout: 10_000 });
    await page.evaluate(() => ((globalThis as unknown as { pageMarker: number }).pageMarker = 42));
    await page.waitForTimeout(300);
    const toConfirm = await tileCount(page, 'ordersToConfirm');
    const today = await todaysOrders(page);
    const orders = await totalOrders(page);

    // A new quotation through the API: one more to confirm.
    const customer = await makePartner(srv.admin, { name: 'Léa Dashboard' });
    const created = await srv.admin.post('/api/sale-orders', { partnerId: customer.id, lines: [{ productId: api.topProducts[0]!.productId, quantity: 1 }] });
    expectStatus(created, 201);
    const order = created.body as SaleOrder;
    await expect.poll(() => tileCount(page, 'ordersToConfirm'), { timeout: 10_000 }).toBe(toConfirm + 1);

    // Confirmed: the tile goes back, today's bar and the range's total grow by one.
    expectStatus(await srv.admin.post(`/api/sale-orders/${order.id}/confirm`, {}), 200);
    await expect.poll(() => tileCount(page, 'ordersToConfirm'), { timeout: 10_000 }).toBe(toConfirm);
    await expect.poll(() => todaysOrders(page), { timeout: 10_000 }).toBe(today + 1);
    expect(await totalOrders(page)).toBe(orders + 1);
    expect(await page.evaluate(() => (globalThis as unknown as { pageMarker?: number }).pageMarker)).toBe(42);
    expect(((await srv.admin.get('/api/dashboard')).body as Dashboard).totals.orders).toBe(orders + 1);

    // The top products' link: the sales analysis by product of the same range, the same figures.
    await page.getByTestId('top-products-analysis').click();
    await page.waitForURL((u) => u.pathname === '/reports' && u.searchParams.get('tab') === 'sales');
    const analysis = (await srv.admin.get(`/api/reports/sales?rows=product&from=${api.from}&to=${api.to}`)).body as SalesAnalysis;
    const totalRow = page.getByTestId('sales-total');
    await expect.poll(() => totalRow.locator('td').last().textContent(), { timeout: 10_000 }).toBe(String(analysis.total.orders));
    expect(await page.getByTestId('sales-row').count()).toBe(analysis.items.length);
    // A second dimension makes it a pivot, kept in the address.
    await page.getByTestId('sales-columns').selectOption('channel');
    await page.getByTestId('sales-pivot').waitFor({ state: 'visible', timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('columns')).toBe('channel');
    await page.screenshot({ path: 'test-results/e2e-sales-analysis.png', fullPage: true });
  });

  it('pictures of the demo shop for the README: the board (with the shop’s numbers) and an order', async () => {
    const page = await signIn('admin@example.com', 'admin-password-1');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${srv.url}/`);
    await page.getByTestId('order-row').first().waitFor({ state: 'visible', timeout: 10_000 });
    // A third of the demo orders came from the shop's CSV export: their numbers show beside ours.
    await expect.poll(() => page.getByTestId('order-reference').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.locator('.live.online').waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: 'docs/board.png' });

    const { items } = (await srv.admin.get('/api/sale-orders?state=sale&limit=50')).body as { items: { id: number; reference: string | null }[] };
    const shown = items.find((o) => o.reference !== null) ?? items[0]!;
    await page.goto(`${srv.url}/orders/${shown.id}`);
    await page.getByTestId('order-state').waitFor({ state: 'visible', timeout: 10_000 });
    await page.getByTestId('order-line').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: 'docs/order.png' });
  });
});
