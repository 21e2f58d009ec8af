import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOrder, SHOPIFY_COLUMNS, shopifyRows } from '../factories/csv';
import { makeProduct } from '../factories/data';
import { twoUsers } from '../support/browser';
import { useTestServer } from '../support/server';
import { standInOrder } from '../factories/shop-orders';
import { useShopifyStandIn } from '../support/shops';

const ORDERS = 600;

// Importing a Shopify export through the wizard: the profile is recognised, a dry run reports what
// would happen, the import runs with a progress bar, while a colleague's board shows the import under
// way and the new orders arriving without a reload.
describe('CSV import in Chromium, two signed-in users', () => {
  const srv = useTestServer();
  const shop = useShopifyStandIn();
  const { alice, bob, signIn } = twoUsers(srv);
  let csv: Buffer;

  beforeAll(async () => {
    const skus: string[] = [];
    for (let i = 0; i < 4; i++) skus.push((await makeProduct(srv.admin, { sku: `IMP-${i}-${Date.now().toString(36)}` })).sku);
    const good = Array.from({ length: ORDERS }, (_, i) => exportOrder(i + 1, skus, 2));
    // One more order whose quantity is not a number: rejected, with its line.
    const bad = shopifyRows(exportOrder(ORDERS + 1, skus, 1)).map((row) => row.map((cell, i) => (SHOPIFY_COLUMNS[i] === 'Lineitem quantity' ? 'lots' : cell)));
    csv = Buffer.from(stringify([SHOPIFY_COLUMNS, ...good.flatMap(shopifyRows), ...bad]));
  });

  it('A imports 600 orders through the wizard; B sees the import run and the orders arrive on the board', async () => {
    // B watches the board, empty so far, connected for live updates.
    const b = await bob.page();
    await b.goto(`${srv.url}/`);
    await b.getByText('No orders match these filters.').waitFor({ timeout: 10_000 });
    await expect.poll(() => b.getByTestId('orders-total').textContent(), { timeout: 10_000 }).toBe('0 orders');
    await b.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });

    // A opens the wizard from the board and chooses the file: the Shopify profile is recognised.
    const a = await alice.page();
    await a.goto(`${srv.url}/`);
    await a.getByTestId('import-orders').click();
    await a.waitForURL(/\/imports$/);
    await a.getByTestId('import-file').setInputFiles({ name: 'orders_export.csv', mimeType: 'text/csv', buffer: csv });
    await a.getByTestId('import-detected-profile').waitFor({ timeout: 10_000 });
    expect(await a.getByTestId('import-detected-profile').getAttribute('data-profile')).toBe('shopify');
    expect(await a.getByTestId('import-encoding').textContent()).toBe('utf-8');
    expect(await a.getByTestId('import-delimiter').textContent()).toBe(',');
    expect(await a.getByTestId('import-preview-row').count()).toBe(10);

    // The mapping: the built-in profile preselected, its columns in the selects.
    await a.getByTestId('import-next').click();
    await expect.poll(() => a.getByTestId('import-profile').inputValue(), { timeout: 5_000 }).toBe('shopify');
    expect(await a.getByTestId('import-map-reference').inputValue()).toBe('Name');
    expect(await a.getByTestId('import-map-quantity').inputValue()).toBe('Lineitem quantity');
    expect(await a.getByTestId('import-mapping-problems').count()).toBe(0);

    // The dry run reports what would happen, and writes nothing.
    await a.getByTestId('import-dry-run').click();
    const report = a.getByTestId('import-report');
    await report.waitFor({ timeout: 20_000 });
    expect(await report.getAttribute('data-dry-run')).toBe('true');
    expect(await a.getByTestId('import-count-created').textContent()).toBe(String(ORDERS));
    expect(await a.getByTestId('import-count-rejected').textContent()).toBe('1');
    expect(await a.getByTestId('import-error-row').count()).toBe(1);
    expect((await alice.api.get('/api/sale-orders?limit=1')).body.total).toBe(0);

    // The import: B's board shows the bar while it runs. What B's page shows is sampled at each DOM
    // change: the bar's value and the order count, as long as the bar is there.
    await b.evaluate(`(() => {
      const seen = (window.importSeen = []);
      new MutationObserver(() => {
        const bar = document.querySelector('#board-import-bar');
        if (bar) seen.push({ progress: bar.value, total: document.querySelector('[data-testid="orders-total"]')?.textContent ?? '' });
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    const barSeen = b.getByTestId('board-import-progress').waitFor({ state: 'attached', timeout: 30_000 });
    await a.getByTestId('import-run').click();
    await barSeen;

    await expect.poll(() => a.getByTestId('import-report').getAttribute('data-dry-run'), { timeout: 30_000 }).toBe('false');
    expect(await a.getByTestId('import-count-created').textContent()).toBe(String(ORDERS));
    expect(await a.getByTestId('import-count-rejected').textContent()).toBe('1');
    const errorRow = a.getByTestId('import-error-row');
    expect(await errorRow.count()).toBe(1);
    expect(await errorRow.textContent()).toContain(`#${1000 + ORDERS + 1}`);
    const errorsHref = await a.getByTestId('import-errors-csv').getAttribute('href');
    const errorsCsv = await alice.api.get(errorsHref!);
    expect(errorsCsv.status).toBe(200);
    await a.screenshot({ path: 'test-results/e2e-import-report.png' });

    // B's board: the orders arrived without a reload, with their channel, and the bar is gone.
    await expect.poll(() => b.getByTestId('orders-total').textContent(), { timeout: 20_000 }).toBe(`${ORDERS} orders`);
    await b.getByTestId('board-import-progress').waitFor({ state: 'detached', timeout: 10_000 });
    // While the bar was up it moved, and orders arrived: counts between none and all of them.
    const seen = await b.evaluate(() => (globalThis as unknown as { importSeen: { progress: number; total: string }[] }).importSeen);
    const values = [...new Set(seen.map((x) => x.progress))];
    expect(values.filter((v) => v > 0 && v < 100).length, JSON.stringify(values)).toBeGreaterThanOrEqual(2);
    const counts = [...new Set(seen.map((x) => Number(x.total.replace(/\D/g, ''))))];
    expect(
      counts.some((n) => n > 0 && n < ORDERS),
      JSON.stringify(counts),
    ).toBe(true);
    await expect.poll(() => b.getByTestId('order-channel').first().textContent(), { timeout: 10_000 }).toBe('CSV imports');

    // A's link shows the board filtered on the import's channel.
    await a.getByTestId('import-board-link').click();
    await a.waitForURL(/\/\?channelId=\d+$/);
    const channelId = Number(new URL(a.url()).searchParams.get('channelId'));
    await expect.poll(() => a.getByTestId('orders-total').textContent(), { timeout: 10_000 }).toBe(`${ORDERS} orders`);
    expect(await a.getByTestId('channel-filter').inputValue()).toBe(String(channelId));
    const listed = (await alice.api.get(`/api/sale-orders?channelId=${channelId}&limit=1`)).body;
    expect(listed.total).toBe(ORDERS);
  }, 120_000);
  it('an admin adds a webhook channel: its address to copy, credentials set, and turns it off', async () => {
    const admin = await signIn('admin@example.com', 'admin-password-1');
    await admin.goto(`${srv.url}/settings`);
    await admin.getByTestId('settings-channels').click();
    await admin.waitForURL(/\/settings\/channels$/);
    await admin.getByTestId('channel-add').click();
    await admin.getByTestId('channel-kind').selectOption('webhook');
    await admin.getByTestId('channel-name').fill('Marketplace feed');
    await admin.getByTestId('channel-credential-secret').fill('too-short');
    await admin.getByTestId('channel-save').click();
    expect(await admin.getByTestId('channel-form').textContent()).toContain('At least 16 characters.');
    await admin.getByTestId('channel-credential-secret').fill('a-long-enough-signing-secret');
    await admin.getByTestId('channel-save').click();
    await admin.getByTestId('channel-form').waitFor({ state: 'detached', timeout: 10_000 });

    const row = admin.locator('[data-testid="channel-row"][data-kind="webhook"]');
    await row.waitFor({ timeout: 10_000 });
    const id = Number(await row.getAttribute('data-id'));
    expect(await row.getByTestId('channel-credentials').textContent()).toBe('set');
    expect(await row.getByTestId('channel-webhook-url').inputValue()).toBe(`${srv.url}/api/webhooks/channels/${id}`);
    expect(await row.getByTestId('channel-last-sync').textContent()).toContain('never');

    await row.getByTestId('channel-active').uncheck();
    await expect.poll(async () => (await srv.admin.get(`/api/channels/${id}`)).body.active, { timeout: 10_000 }).toBe(false);
    expect(await row.getByTestId('channel-active').isChecked()).toBe(false);
  }, 60_000);

  it('an admin adds a Shopify shop: Test connection with a wrong token, then the right one, before saving', async () => {
    shop.orders = Array.from({ length: 3 }, (_, n) => standInOrder(n, ['IMP-X'], new Date(Date.UTC(2026, 10, 1, 9, n)).toISOString()));
    const admin = await signIn('admin@example.com', 'admin-password-1');
    await admin.goto(`${srv.url}/settings/channels`);
    await admin.getByTestId('channel-add').click();
    await admin.getByTestId('channel-kind').selectOption('shopify');
    await admin.getByTestId('channel-name').fill('Coffee shop');
    await admin.getByTestId('channel-setting-shopUrl').fill(shop.url);
    await admin.getByTestId('channel-credential-accessToken').fill('shpat_wrong');
    await admin.getByTestId('channel-test').click();
    const result = admin.getByTestId('channel-test-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 10_000 }).toBe('false');
    expect(await result.textContent()).toContain('refused the credentials (401)');
    await admin.getByTestId('channel-credential-accessToken').fill(shop.token);
    await admin.getByTestId('channel-test').click();
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 10_000 }).toBe('true');
    expect((await result.textContent())!.trim()).toBe('Connected: the shop holds 3 orders');
    await admin.screenshot({ path: 'test-results/e2e-channel-test.png' });
    // Nothing was saved by the tests.
    expect((await srv.admin.get('/api/channels')).body.items.some((c: { name: string }) => c.name === 'Coffee shop')).toBe(false);
    await admin.getByTestId('channel-save').click();
    await admin.getByTestId('channel-form').waitFor({ state: 'detached', timeout: 10_000 });
    await admin.locator('[data-testid="channel-row"][data-kind="shopify"]').waitFor({ timeout: 10_000 });
  }, 60_000);
});
