import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../contracts/schemas/channels';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { syncChannel } from '../../server/workflows/channel-sync.workflow';
import { makeProduct } from '../factories/data';
import { eventually } from '../support/eventually';
import { useTestServer } from '../support/server';
import { standInOrder, standInWooOrder } from '../factories/shop-orders';
import { useShopifyStandIn, useWooCommerceStandIn } from '../support/shops';
import { makeAccountedTax } from '../factories/invoicing';
import type { Res } from '../support/client';

const ORDERS = 260; // two pages of 250
const SKUS = ['SYNC-A', 'SYNC-B'];
const at = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();

// Fetching a Shopify shop's orders: every order once, nothing new the second time, changes followed,
// the shop's rate limit waited out, its failures retried, the cursor kept.
describe('shop sync (Shopify Admin API stand-in)', () => {
  const shop = useShopifyStandIn();
  const srv = useTestServer({ env: () => ({ CHANNEL_RETRY_MS: '20', CHANNEL_ATTEMPTS: '3' }) });
  let channel: Channel;

  async function setup() {
    if (channel) return;
    for (const sku of SKUS) await makeProduct(srv.admin, { sku, name: sku, taxIds: [] });
    shop.orders = Array.from({ length: ORDERS }, (_, n) => standInOrder(n, SKUS, at(n)));
    channel = (
      await srv.admin.post('/api/channels', {
        kind: 'shopify',
        name: 'Shop (stand-in)',
        settings: { shopUrl: shop.url },
        credentials: { accessToken: shop.token },
      })
    ).body;
  }
  const count = async () => (await srv.admin.get(`/api/sale-orders?channelId=${channel.id}&limit=1`)).body.total as number;
  const runSync = async () => {
    const res = await srv.admin.post(`/api/channels/${channel.id}/sync`);
    expect(res.status).toBe(202);
    return eventually(async () => {
      const job = (await srv.admin.get(`/api/jobs/${res.body.jobId}`)).body;
      if (job.state === 'failed') throw new Error(job.failedReason);
      return job.state === 'completed' && job.result;
    }, 60_000);
  };

  it('the first sync takes every order once, page by page; the second takes nothing new', async () => {
    await setup();
    shop.rateLimitNext = 1;
    shop.failNext = 1;
    const first = await runSync();
    expect(first).toMatchObject({ fetched: ORDERS, created: ORDERS, failed: 0, cursor: at(ORDERS - 1) });
    expect(await count()).toBe(ORDERS);
    // The 429 was waited out and the 500 tried again: both answered before the first page came.
    expect(shop.requests.filter((q) => q.page_info)).toHaveLength(1);
    const o = (await srv.admin.get(`/api/sale-orders?channelId=${channel.id}&limit=1&sort=name`)).body.items[0] as SaleOrder;
    const full = (await srv.admin.get(`/api/sale-orders/${o.id}`)).body as SaleOrder;
    expect(full).toMatchObject({ state: 'draft', externalId: '7000000', needsAttention: false });
    expect(full.lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['SYNC-A', 1, 1000],
      ['SYNC-B', 2, 1100],
      ['SHIPPING', 1, 395],
    ]);

    const before = shop.requests.length;
    const second = await runSync();
    expect(second).toMatchObject({ created: 0, updated: 0 });
    expect(await count()).toBe(ORDERS);
    // It asked only for what changed since the cursor.
    expect(shop.requests[before]!.updated_at_min).toBe(at(ORDERS - 1));
    const status = (await srv.admin.get(`/api/channels/${channel.id}`)).body as Channel;
    expect(status).toMatchObject({ cursor: at(ORDERS - 1), lastError: null, orderCount: ORDERS });
    expect(status.lastSyncAt).toBeTruthy();
  });

  it('an order changed in the shop updates ours; a new one is added', async () => {
    await setup();
    const changed = { ...shop.orders[5]!, updated_at: at(ORDERS + 10), line_items: [{ ...shop.orders[5]!.line_items[0]!, quantity: 9 }] };
    shop.orders[5] = changed;
    shop.orders.push(standInOrder(ORDERS, SKUS, at(ORDERS + 11)));
    const r = await runSync();
    expect(r).toMatchObject({ created: 1, updated: 1 });
    const o = (await srv.admin.get(`/api/sale-orders?channelId=${channel.id}&q=7000005`)).body.items[0] as SaleOrder;
    const full = (await srv.admin.get(`/api/sale-orders/${o.id}`)).body as SaleOrder;
    expect(full.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['SYNC-A', 9],
      ['SHIPPING', 1],
    ]);
  });

  it('a shop failing past its retries keeps the cursor of the last page taken; the next sync goes on from there', async () => {
    await setup();
    const base = ORDERS + 100;
    for (let n = 0; n < 300; n++) shop.orders.push(standInOrder(base + n, SKUS, at(base + n)));
    const cursorBefore = ((await srv.admin.get(`/api/channels/${channel.id}`)).body as Channel).cursor;
    // Page one comes; then the shop fails for longer than the sync retries (3 tries).
    shop.failNextPages = true;
    await expect(syncChannel(channel.id)).rejects.toThrow(/answered 503/);
    shop.failNextPages = false;
    const after = (await srv.admin.get(`/api/channels/${channel.id}`)).body as Channel;
    expect(after.lastError).toMatch(/answered 503/);
    expect(after.cursor! > cursorBefore!).toBe(true);
    const taken = await count();
    expect(taken).toBe(ORDERS + 1 + 249); // the first page of 250 began with the order at the cursor, taken before
    const resumed = shop.requests.length;
    const r = await runSync();
    expect(shop.requests[resumed]!.updated_at_min).toBe(after.cursor);
    expect(r.failed).toBe(0);
    expect(await count()).toBe(ORDERS + 1 + 300);
    expect(((await srv.admin.get(`/api/channels/${channel.id}`)).body as Channel).lastError).toBeNull();
  });

  it('refused credentials are shown on the channel and not retried', async () => {
    await setup();
    const bad = (
      await srv.admin.post('/api/channels', { kind: 'shopify', name: 'Wrong key', settings: { shopUrl: shop.url }, credentials: { accessToken: 'nope' } })
    ).body;
    const asked = shop.requests.length;
    const r = await syncChannel(bad.id);
    expect(r).toMatchObject({ fetched: 0, created: 0 });
    expect(shop.requests.length).toBe(asked + 1);
    expect((await srv.admin.get(`/api/channels/${bad.id}`)).body.lastError).toMatch(/refused the credentials \(401\)/);
    expect((await (await srv.user('sales')).post(`/api/channels/${bad.id}/sync`)).status).toBe(403);
    const csv = (await srv.admin.post('/api/channels', { kind: 'csv', name: 'Files' })).body;
    expect((await srv.admin.post(`/api/channels/${csv.id}/sync`)).status).toBe(422);
  });

  it("test connection: one request with the saved or the typed credentials, the shop's refusal as the answer, nothing written", async () => {
    await setup();
    const before = (await srv.admin.get(`/api/channels/${channel.id}`)).body as Channel;
    const asked = shop.requests.length;
    const saved = await srv.admin.post(`/api/channels/${channel.id}/test`);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ ok: true, message: `Connected: the shop holds ${shop.orders.length} orders`, shopOrders: shop.orders.length });
    expect(shop.requests.slice(asked)).toEqual([{ status: 'any', path: 'count' }]);
    // Typed in the form, not saved: a wrong token is the shop's answer, asked once (a person is waiting).
    const typed = await srv.admin.post(`/api/channels/${channel.id}/test`, { credentials: { accessToken: 'typo' } });
    expect(typed.body).toMatchObject({ ok: false, shopOrders: null });
    expect(typed.body.message).toMatch(/refused the credentials \(401\)/);
    const fresh = await srv.admin.post('/api/channels/test', { kind: 'shopify', settings: { shopUrl: shop.url }, credentials: { accessToken: shop.token } });
    expect(fresh.body).toMatchObject({ ok: true, shopOrders: shop.orders.length });
    // Wrong addresses: nothing there, or a web page instead of the API.
    const down = await srv.admin.post('/api/channels/test', {
      kind: 'shopify',
      settings: { shopUrl: 'http://127.0.0.1:9' },
      credentials: { accessToken: 'x' },
    });
    expect(down.body).toMatchObject({ ok: false });
    expect(down.body.message).toMatch(/could not be reached/);
    const page = await srv.admin.post('/api/channels/test', { kind: 'shopify', settings: { shopUrl: srv.url }, credentials: { accessToken: 'x' } });
    expect(page.body.ok).toBe(false);
    // Bad input names its field; kinds without a shop, and non-admins, are refused.
    expect((await srv.admin.post('/api/channels/test', { settings: { shopUrl: shop.url } })).body.error.details[0].field).toBe('kind');
    expect((await srv.admin.post('/api/channels/test', { kind: 'shopify', settings: { shopUrl: 'not a url' } })).body.error.details[0].field).toMatch(
      /^settings/,
    );
    const csv = (await srv.admin.get('/api/channels')).body.items.find((c: Channel) => c.kind === 'csv') as Channel;
    expect((await srv.admin.post(`/api/channels/${csv.id}/test`)).status).toBe(422);
    expect((await (await srv.user('sales')).post(`/api/channels/${channel.id}/test`)).status).toBe(403);
    // Nothing was written (the syncs queued by the test before may still run meanwhile: their fields aside).
    const { version, settings, hasCredentials, lastError } = before;
    expect((await srv.admin.get(`/api/channels/${channel.id}`)).body).toMatchObject({ version, settings, hasCredentials, lastError });
  });
});

const wooAt = (n: number) => new Date(Date.UTC(2026, 10, 2) + n * 60_000).toISOString().slice(0, 19);
/** The modified_after a sync asks with: a second before the last change taken. */
const secondBefore = (gmt: string) => new Date(Date.parse(`${gmt}Z`) - 1000).toISOString().slice(0, 19);

describe('shop sync (WooCommerce REST v3 stand-in) and its webhooks', () => {
  const woo = useWooCommerceStandIn();
  const srv = useTestServer({ env: () => ({ CHANNEL_RETRY_MS: '20', CHANNEL_ATTEMPTS: '3' }) });

  it('every order once across pages, money from strings to the cent, taxes by rate; the 429 and the 500 are waited out', async () => {
    const vat = await makeAccountedTax(srv.admin, 20, 'TVA 20%');
    for (const sku of ['WOO-A', 'WOO-B']) await makeProduct(srv.admin, { sku, name: sku, taxIds: [vat.id] });
    woo.orders = Array.from({ length: 230 }, (_, n) => standInWooOrder(n, ['WOO-A', 'WOO-B'], wooAt(n)));
    const channel = (
      await srv.admin.post('/api/channels', {
        kind: 'woocommerce',
        name: 'Woo FR',
        settings: { siteUrl: woo.url },
        credentials: { consumerKey: woo.key, consumerSecret: woo.secret, webhookSecret: 'woo-webhook-secret' },
      })
    ).body as Channel;
    woo.rateLimitNext = 1;
    woo.failNext = 1;
    const first = await syncChannel(channel.id);
    // The last order of each full page comes again at the top of the next (asked a second early): taken once.
    expect(first).toMatchObject({ fetched: 232, created: 230, unchanged: 2, failed: 0, cursor: new Date(`${wooAt(229)}Z`).toISOString() });
    // Each request asks from the last change taken (a second early): 3 pages of 100, 100 and 32.
    expect(woo.requests.slice(-3).map((q) => q.modified_after ?? null)).toEqual([null, secondBefore(wooAt(99)), secondBefore(wooAt(198))]);
    const again = await syncChannel(channel.id);
    expect(again).toMatchObject({ fetched: 1, created: 0, unchanged: 1 });
    expect(woo.requests[woo.requests.length - 1]!.modified_after).toBe(secondBefore(wooAt(229)));

    const list = (await srv.admin.get(`/api/sale-orders?channelId=${channel.id}&limit=500`)).body as { items: SaleOrder[]; total: number };
    expect(list.total).toBe(230);
    // Every order's total is the shop's, to the cent (lines and 20% VAT per line).
    for (const o of list.items.slice(0, 40)) {
      const shopOrder = woo.orders.find((w) => String(w.id) === o.externalId)!;
      const expected = shopOrder.line_items.reduce((s, l) => s + Math.round(Number(l.total) * 100) + Math.round(Number(l.taxes![0]!.total) * 100), 0);
      expect(o.amountTotal, o.externalId!).toBe(expected);
      expect(o.needsAttention).toBe(false);
    }

    // Its webhook: signed by WooCommerce (base64 HMAC-SHA256), a ping answered, a repeated delivery taken once.
    const post = async (body: string, headers: Record<string, string>) => {
      const res = await fetch(`${srv.url}/api/webhooks/channels/${channel.id}`, { method: 'POST', headers, body });
      return { status: res.status, body: (await res.json()) as Res['body'] };
    };
    expect((await post('webhook_id=12', { 'content-type': 'application/x-www-form-urlencoded' })).body).toMatchObject({ status: 'ignored', reason: 'ping' });
    const raw = JSON.stringify(standInWooOrder(500, ['WOO-A'], wooAt(500)));
    const signed = {
      'content-type': 'application/json',
      'x-wc-webhook-topic': 'order.created',
      'x-wc-webhook-delivery-id': 'wc-delivery-1',
      'x-wc-webhook-signature': createHmac('sha256', 'woo-webhook-secret').update(raw).digest('base64'),
    };
    expect((await post(raw, signed)).body.status).toBe('created');
    expect((await post(raw, signed)).body.status).toBe('duplicate');
    expect((await post(raw, { ...signed, 'x-wc-webhook-delivery-id': 'wc-delivery-2', 'x-wc-webhook-signature': 'AAAA' })).status).toBe(401);
    expect((await srv.admin.get(`/api/sale-orders?channelId=${channel.id}&limit=1`)).body.total).toBe(231);

    // Test connection: the site's count from X-WP-Total; a wrong secret is refused by the site.
    expect((await srv.admin.post(`/api/channels/${channel.id}/test`)).body).toMatchObject({ ok: true, shopOrders: woo.orders.length });
    const wrong = await srv.admin.post(`/api/channels/${channel.id}/test`, { credentials: { consumerKey: woo.key, consumerSecret: 'cs_wrong' } });
    expect(wrong.body.ok).toBe(false);
    expect(wrong.body.message).toMatch(/refused the credentials/);
  });
});
