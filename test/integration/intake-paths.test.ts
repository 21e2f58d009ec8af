import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../contracts/schemas/channels';
import type { Partner } from '../../contracts/schemas/partners';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { syncChannel } from '../../server/workflows/channel-sync.workflow';
import type { Res } from '../support/client';
import { makeProduct } from '../factories/data';
import { makeAccountedTax } from '../factories/invoicing';
import { useTestServer, type TestServer } from '../support/server';
import { useShopifyStandIn, useWooCommerceStandIn } from '../support/shops';
import { EU_SHOP_PRODUCTS, UNKNOWN_SKU, asExternalOrder, asShopifyApiOrder, asWooOrder, euShopOrders, shopifyTotals } from '../factories/shopify-export';

// The European shop's 37 orders through every other way in: the Shopify and WooCommerce shops (their
// stand-ins, synced through their real APIs), their webhooks, and the generic JSON webhook. Same
// results as the CSV export: each order's total the shop's to the cent, codes and discounts kept,
// international emails kept, the malformed email and the unknown product flagged, nothing else.
const { good } = euShopOrders();
const FLAGGED = new Map([
  ['#2024', ['invalid_email']],
  ['#2028', ['unmatched_product']],
]);

async function catalog(srv: TestServer): Promise<void> {
  await makeAccountedTax(srv.admin, 20, `VAT 20% ${randomUUID().slice(0, 6)}`);
  await makeAccountedTax(srv.admin, 19, `MwSt 19% ${randomUUID().slice(0, 6)}`);
  for (const p of EU_SHOP_PRODUCTS) await makeProduct(srv.admin, { ...p, type: 'consumable', taxIds: [] });
}

/** Every order of the channel as the shop sold it: totals, taxes, codes, flags, customers' emails. */
async function expectSameAsTheShop(srv: TestServer, channelId: number, byExternalId: (o: (typeof good)[number]) => string): Promise<void> {
  const list = (await srv.admin.get(`/api/sale-orders?channelId=${channelId}&limit=100`)).body as { items: SaleOrder[] };
  const ours = new Map(list.items.map((o) => [o.externalId!, o]));
  expect(ours.size).toBe(good.length);
  for (const source of good) {
    const t = shopifyTotals(source);
    const o = ours.get(byExternalId(source))!;
    expect([source.name, o.amountTotal, o.amountTax]).toEqual([source.name, t.total, t.taxes]);
    expect([source.name, o.attentionReasons.map((r) => r.code)]).toEqual([source.name, FLAGGED.get(source.name) ?? []]);
    const codes = [source.code?.code, source.lineCode].filter(Boolean).join(', ');
    expect([source.name, o.discountCode]).toEqual([source.name, codes || null]);
  }
  const withEmail = async (email: string) => {
    const o = ours.get(byExternalId(good.find((x) => x.email === email)!))!;
    return ((await srv.admin.get(`/api/partners/${o.partnerId}`)).body as Partner).email;
  };
  expect(await withEmail('jürgen@müller.de')).toBe('jürgen@müller.de');
  expect(await withEmail('fatima.garcía@example.com')).toBe('fatima.garcía@example.com');
  const unknown = ours.get(byExternalId(good.find((x) => x.lines.some((l) => l.sku === UNKNOWN_SKU))!))!;
  const full = (await srv.admin.get(`/api/sale-orders/${unknown.id}`)).body as SaleOrder;
  expect(full.lines.find((l) => l.productId === null)).toMatchObject({ sku: UNKNOWN_SKU, unitPrice: 3900 });
  expect((await srv.admin.post(`/api/sale-orders/${unknown.id}/confirm`, {})).status).toBe(422);
}

describe('the same orders from Shopify: its API and its webhooks', () => {
  const shop = useShopifyStandIn();
  const srv = useTestServer();
  const secret = 'shpss_eu_shop_webhook_secret';

  it('synced through the Admin API, every order comes in as the shop sold it', { timeout: 120_000 }, async () => {
    await catalog(srv);
    shop.orders = good.map((o, n) => asShopifyApiOrder(o, new Date(Date.UTC(2026, 10, 20) + n * 60_000).toISOString()));
    const channel = (
      await srv.admin.post('/api/channels', {
        kind: 'shopify',
        name: 'Atelier Lumière (Shopify)',
        settings: { shopUrl: shop.url },
        credentials: { accessToken: shop.token, webhookSecret: secret },
      })
    ).body as Channel;
    expect(await syncChannel(channel.id)).toMatchObject({ fetched: good.length, created: good.length, failed: 0 });
    await expectSameAsTheShop(srv, channel.id, (o) => String(o.id));
  });

  it('pushed by its orders/create webhook, the same', { timeout: 120_000 }, async () => {
    const channel = (
      await srv.admin.post('/api/channels', {
        kind: 'shopify',
        name: 'Atelier Lumière (webhooks)',
        settings: { shopUrl: 'https://atelier-lumiere.myshopify.com' },
        credentials: { accessToken: 'shpat_x', webhookSecret: secret },
      })
    ).body as Channel;
    for (const o of good) {
      const raw = JSON.stringify(asShopifyApiOrder(o));
      const res = await fetch(`${srv.url}/api/webhooks/channels/${channel.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-hmac-sha256': createHmac('sha256', secret).update(raw).digest('base64'),
          'x-shopify-topic': 'orders/create',
          'x-shopify-webhook-id': randomUUID(),
        },
        body: raw,
      });
      expect([o.name, res.status]).toEqual([o.name, 200]);
    }
    await expectSameAsTheShop(srv, channel.id, (o) => String(o.id));
  });
});

describe('the same orders from WooCommerce: its REST API and its webhooks', () => {
  const woo = useWooCommerceStandIn();
  const srv = useTestServer();
  const secret = 'woo-eu-webhook-secret';

  it('synced through REST v3, every order comes in as the shop sold it (coupons spread over the lines)', { timeout: 120_000 }, async () => {
    await catalog(srv);
    woo.orders = good.map((o, n) => asWooOrder(o, new Date(Date.UTC(2026, 10, 20) + n * 60_000).toISOString().slice(0, 19)));
    const channel = (
      await srv.admin.post('/api/channels', {
        kind: 'woocommerce',
        name: 'Atelier Lumière (Woo)',
        settings: { siteUrl: woo.url },
        credentials: { consumerKey: woo.key, consumerSecret: woo.secret, webhookSecret: secret },
      })
    ).body as Channel;
    expect(await syncChannel(channel.id)).toMatchObject({ created: good.length, failed: 0 });
    await expectSameAsTheShop(srv, channel.id, (o) => String(o.id % 1_000_000));
  });

  it('pushed by its order.created webhook, the same', { timeout: 120_000 }, async () => {
    const channel = (
      await srv.admin.post('/api/channels', {
        kind: 'woocommerce',
        name: 'Atelier Lumière (Woo webhooks)',
        settings: { siteUrl: 'https://atelier-lumiere.example' },
        credentials: { consumerKey: 'ck_x', consumerSecret: 'cs_x', webhookSecret: secret },
      })
    ).body as Channel;
    for (const o of good) {
      const raw = JSON.stringify(asWooOrder(o));
      const res = await fetch(`${srv.url}/api/webhooks/channels/${channel.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-wc-webhook-topic': 'order.created',
          'x-wc-webhook-delivery-id': randomUUID(),
          'x-wc-webhook-signature': createHmac('sha256', secret).update(raw).digest('base64'),
        },
        body: raw,
      });
      expect([o.name, res.status]).toEqual([o.name, 200]);
    }
    await expectSameAsTheShop(srv, channel.id, (o) => String(o.id % 1_000_000));
  });
});

describe('the same orders through the generic JSON webhook', () => {
  const srv = useTestServer();

  it('in the external order format, the same; a malformed email is no reason to refuse an order', { timeout: 120_000 }, async () => {
    await catalog(srv);
    const secret = 'generic-eu-secret-0123456789abcdef';
    const channel = (await srv.admin.post('/api/channels', { kind: 'webhook', name: 'Marketplace EU', credentials: { secret } })).body as Channel;
    const post = async (body: unknown) => {
      const raw = JSON.stringify(body);
      const res = await fetch(`${srv.url}/api/webhooks/channels/${channel.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-commercecore-signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
        body: raw,
      });
      return { status: res.status, body: (await res.json()) as Res['body'] };
    };
    for (const o of good) {
      const res = await post(asExternalOrder(o));
      expect([o.name, res.status, res.body.status]).toEqual([o.name, 200, 'created']);
    }
    await expectSameAsTheShop(srv, channel.id, (o) => String(o.id));
    // A country by its name is looked up; one that is none is noted, the order kept.
    const named = await post({
      ...asExternalOrder(good[0]!),
      externalId: 'EU-NAMED',
      shippingAddress: { ...asExternalOrder(good[0]!).shippingAddress, countryCode: 'Deutschland' },
    });
    expect((await srv.admin.get(`/api/sale-orders/${named.body.orderId}`)).body.shippingAddress.countryCode).toBe('DE');
    const nowhere = await post({
      ...asExternalOrder(good[0]!),
      externalId: 'EU-NOWHERE',
      shippingAddress: { ...asExternalOrder(good[0]!).shippingAddress, countryCode: 'Narnia' },
    });
    expect(nowhere.body.reasons).toEqual([{ code: 'invalid_contact', message: 'The country "Narnia" is not one known here: the address was kept without it' }]);
    // What makes an order impossible to record is still refused, naming the field.
    const noLines = await post({ ...asExternalOrder(good[0]!), externalId: 'EU-EMPTY', lines: [] });
    expect(noLines.status).toBe(400);
    expect(noLines.body.error.details[0].field).toBe('lines');
  });
});
