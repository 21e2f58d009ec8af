import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { Res } from '../support/client';
import { makeProduct } from '../factories/data';
import { makeAccountedTax } from '../factories/invoicing';
import { useTestServer } from '../support/server';

const SECRET = 'shpss_test_webhook_secret_0123456789';

/** A Shopify order as its orders/create webhook posts it (the REST order object). */
function shopifyOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: 5_123_456_789_012,
    name: '#1001',
    email: 'ada.lovelace@example.com',
    created_at: '2026-11-20T10:15:00+01:00',
    updated_at: '2026-11-20T10:15:00+01:00',
    note: 'Leave it with the neighbour',
    financial_status: 'paid',
    total_price: '60.82',
    customer: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada.lovelace@example.com', phone: '+44 20 7946 0000' },
    shipping_address: {
      first_name: 'Ada',
      last_name: 'Lovelace',
      name: 'Ada Lovelace',
      address1: '12 St James Square',
      address2: null,
      city: 'London',
      zip: 'SW1Y 4JH',
      province_code: null,
      country_code: 'GB',
      phone: null,
    },
    line_items: [
      { sku: 'SHOP-MUG', title: 'Mug', name: 'Mug - Blue', quantity: 2, price: '12.50', total_discount: '0.00', tax_lines: [{ rate: 0.2, price: '5.00' }] },
      { sku: 'SHOP-TEA', title: 'Tea', name: 'Tea', quantity: 1, price: '24.00', total_discount: '2.40', tax_lines: [{ rate: 0.2, price: '4.32' }] },
    ],
    shipping_lines: [{ title: 'Standard', price: '4.90', tax_lines: [] }],
    ...overrides,
  };
}

describe('orders pushed by shops (webhooks)', () => {
  const srv = useTestServer();
  let channelId = 0;

  async function setup() {
    if (channelId) return;
    const vat = await makeAccountedTax(srv.admin, 20, 'VAT 20% (shop)');
    await makeProduct(srv.admin, { sku: 'SHOP-MUG', name: 'Mug', listPrice: 1200, taxIds: [vat.id] });
    await makeProduct(srv.admin, { sku: 'SHOP-TEA', name: 'Tea', listPrice: 2400, taxIds: [vat.id] });
    const c = await srv.admin.post('/api/channels', {
      kind: 'shopify',
      name: 'Shopify UK',
      settings: { shopUrl: 'https://uk-shop.myshopify.com' },
      credentials: { accessToken: 'shpat_x', webhookSecret: SECRET },
    });
    channelId = c.body.id;
  }

  async function deliver(body: unknown, opts: { id?: string; topic?: string; secret?: string; signature?: string } = {}) {
    const raw = JSON.stringify(body);
    const signature =
      opts.signature ??
      createHmac('sha256', opts.secret ?? SECRET)
        .update(raw)
        .digest('base64');
    const res = await fetch(`${srv.url}/api/webhooks/channels/${channelId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': signature,
        'x-shopify-topic': opts.topic ?? 'orders/create',
        'x-shopify-webhook-id': opts.id ?? randomUUID(),
        'x-shopify-shop-domain': 'uk-shop.myshopify.com',
      },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as Res['body'] };
  }
  const channelOrders = async () => (await srv.admin.get(`/api/sale-orders?channelId=${channelId}&limit=100`)).body as { items: SaleOrder[]; total: number };

  it('a signed orders/create becomes a quotation: customer by email, lines by SKU, taxes by rate, shipping, the shop reference', async () => {
    await setup();
    const res = await deliver(shopifyOrder(), { id: 'delivery-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'created', orderId: expect.any(Number) });
    const o = (await srv.admin.get(`/api/sale-orders/${res.body.orderId}`)).body as SaleOrder;
    expect(o).toMatchObject({ state: 'draft', channelId, externalId: '5123456789012', reference: '#1001', needsAttention: false });
    // The shop's number is what the customer quotes: the board's search finds the order by it.
    const found = (await srv.admin.get('/api/sale-orders?q=%231001')).body as { items: { id: number; reference: string | null }[] };
    expect(found.items.map((i) => [i.id, i.reference])).toEqual([[o.id, '#1001']]);
    expect(o.shippingAddress).toMatchObject({ name: 'Ada Lovelace', street: '12 St James Square', city: 'London', countryCode: 'GB' });
    expect(o.note).toContain('Shop order #1001 (paid)');
    expect(o.note).toContain('Leave it with the neighbour');
    // The shop's 2.40 off the tea is an amount off that line, not a percentage.
    expect(o.lines.map((l) => [l.sku, l.description, l.quantity, l.unitPrice, l.discountAmount, l.total])).toEqual([
      ['SHOP-MUG', 'Mug - Blue', 2, 1250, 0, 3000],
      ['SHOP-TEA', 'Tea', 1, 2400, 240, 2592],
      ['SHIPPING', 'Standard', 1, 490, 0, 490],
    ]);
    // To the cent, as the shop said: 30.00 + 25.92 + 4.90 = 60.82.
    expect(o.amountTotal).toBe(6082);
    const partner = (await srv.admin.get(`/api/partners/${o.partnerId}`)).body;
    expect(partner).toMatchObject({ name: 'Ada Lovelace', email: 'ada.lovelace@example.com', city: 'London' });
  });

  it('the same delivery again changes nothing; a bad signature is refused with nothing written', async () => {
    await setup();
    const before = await channelOrders();
    const again = await deliver(shopifyOrder(), { id: 'delivery-1' });
    expect(again).toEqual({ status: 200, body: { status: 'duplicate', orderId: null, name: null, reasons: [] } });
    // Another delivery of the same version of the order: recognised as unchanged.
    expect((await deliver(shopifyOrder(), { id: 'delivery-1b' })).body.status).toBe('unchanged');
    const partners = (await srv.admin.get('/api/partners?limit=1')).body.total;

    const forged = await deliver(shopifyOrder({ id: 999, email: 'mallory@example.com' }), { id: 'delivery-forged', secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect((await deliver(shopifyOrder({ id: 998 }), { id: 'delivery-nosig', signature: '' })).status).toBe(401);
    expect((await channelOrders()).total).toBe(before.total);
    expect((await srv.admin.get('/api/partners?limit=1')).body.total).toBe(partners);
    // The forged delivery id was not spent: a genuine delivery with it still counts.
    expect((await deliver(shopifyOrder({ id: 997, name: '#1003' }), { id: 'delivery-forged' })).body.status).toBe('created');
  });

  it('a change updates the quotation; once confirmed, the change is a note and a flag', async () => {
    await setup();
    const order = shopifyOrder({ id: 42_000, name: '#1010', total_price: null });
    const created = await deliver(order);
    const changed = { ...order, line_items: [{ ...order.line_items[0]!, quantity: 3 }], updated_at: '2026-11-21T09:00:00Z' };
    const updated = await deliver(changed, { topic: 'orders/updated' });
    expect(updated.body).toMatchObject({ status: 'updated', orderId: created.body.orderId });
    const o = (await srv.admin.get(`/api/sale-orders/${created.body.orderId}`)).body as SaleOrder;
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['SHOP-MUG', 3],
      ['SHIPPING', 1],
    ]);
    expect((await srv.admin.post(`/api/sale-orders/${o.id}/confirm`)).status).toBe(200);
    const late = await deliver({ ...changed, line_items: [{ ...order.line_items[0]!, quantity: 1 }] }, { topic: 'orders/updated' });
    expect(late.body).toMatchObject({ status: 'noted', orderId: o.id });
    const after = (await srv.admin.get(`/api/sale-orders/${o.id}`)).body as SaleOrder;
    expect(after).toMatchObject({ state: 'sale', needsAttention: true });
    expect(after.lines[0]!.quantity).toBe(3);
    const notes = (await srv.admin.get(`/api/messages?model=saleOrder&resId=${o.id}`)).body.items as { type: string; body: string }[];
    expect(notes.some((m) => m.type === 'note' && m.body.includes('changed #1010 after it was confirmed'))).toBe(true);
    expect((await deliver(shopifyOrder(), { topic: 'customers/create' })).body).toMatchObject({ status: 'ignored' });
  });

  it('an unknown SKU or a total that does not match lands as a flagged quotation, nothing dropped', async () => {
    await setup();
    const res = await deliver(
      shopifyOrder({
        id: 77_000,
        name: '#1020',
        total_price: '99.00',
        line_items: [
          { sku: 'SHOP-MUG', name: 'Mug', quantity: 1, price: '12.50', tax_lines: [{ rate: 0.2 }] },
          { sku: 'NOPE-1', name: 'Mystery box', quantity: 2, price: '9.99', tax_lines: [{ rate: 0.2 }] },
        ],
      }),
    );
    expect(res.body.status).toBe('created');
    const o = (await srv.admin.get(`/api/sale-orders/${res.body.orderId}`)).body as SaleOrder;
    expect(o).toMatchObject({ state: 'draft', needsAttention: true });
    // The unknown product keeps its line, unmatched, with the shop's name, quantity, price and taxes.
    expect(o.lines.map((l) => [l.sku, l.productId === null, l.description, l.quantity, l.unitPrice, l.total])).toEqual([
      ['SHOP-MUG', false, 'Mug', 1, 1250, 1500],
      ['NOPE-1', true, 'Mystery box', 2, 999, 2398],
      ['SHIPPING', false, 'Standard', 1, 490, 490],
    ]);
    expect(o.attentionReasons.map((r) => r.code).sort()).toEqual(['total_mismatch', 'unmatched_product']);
    expect(o.attentionReasons.find((r) => r.code === 'unmatched_product')!.message).toContain('"Mystery box" (the shop\'s SKU NOPE-1) is not matched');
    const mismatch = await deliver(shopifyOrder({ id: 77_001, name: '#1021', total_price: '99.00' }));
    const m = (await srv.admin.get(`/api/sale-orders/${mismatch.body.orderId}`)).body as SaleOrder;
    expect(m.needsAttention).toBe(true);
    expect(m.attentionReasons).toEqual([
      {
        code: 'total_mismatch',
        message: "The shop's total is €99.00, shipping €4.90; ours is €60.82, taxes €9.32, shipping €4.90: check prices, discounts and taxes",
      },
    ]);
    // The chatter says it too, with both amounts.
    const notes = (await srv.admin.get(`/api/messages?model=saleOrder&resId=${m.id}`)).body.items as { type: string; body: string }[];
    expect(notes.some((n) => n.type === 'note' && n.body.includes('€99.00') && n.body.includes('€60.82'))).toBe(true);
  });

  it('an older version of an order, replayed under a new delivery id, never rolls it back (logged, ignored)', async () => {
    await setup();
    const v1 = shopifyOrder({ id: 99_000, name: '#1040', total_price: null, updated_at: '2026-11-20T10:00:00Z' });
    expect((await deliver(v1)).body.status).toBe('created');
    const v2 = { ...v1, updated_at: '2026-11-20T12:00:00Z', line_items: [{ ...v1.line_items[0]!, quantity: 5 }] };
    const updated = await deliver(v2, { topic: 'orders/updated' });
    expect(updated.body.status).toBe('updated');
    // The signed v1 body again, with a fresh delivery id (outside the signature): stale.
    const replay = await deliver(v1, { topic: 'orders/updated' });
    expect(replay.body).toMatchObject({ status: 'stale', orderId: updated.body.orderId });
    const o = (await srv.admin.get(`/api/sale-orders/${updated.body.orderId}`)).body as SaleOrder;
    expect(o.lines[0]!.quantity).toBe(5);
    // The same version again later is unchanged; a newer one applies.
    expect((await deliver({ ...v2, updated_at: '2026-11-20T13:00:00Z' }, { topic: 'orders/updated' })).body.status).toBe('unchanged');
    expect((await deliver({ ...v2, updated_at: '2026-11-20T12:30:00Z' }, { topic: 'orders/updated' })).body.status).toBe('stale');
    const v3 = { ...v2, updated_at: '2026-11-20T14:00:00Z', line_items: [{ ...v1.line_items[0]!, quantity: 2 }] };
    expect((await deliver(v3, { topic: 'orders/updated' })).body.status).toBe('updated');
    expect(((await srv.admin.get(`/api/sale-orders/${o.id}`)).body as SaleOrder).lines[0]!.quantity).toBe(2);
  });

  it('deliveries of one new order racing each other make one order', async () => {
    await setup();
    const body = shopifyOrder({ id: 88_000, name: '#1030', total_price: null });
    const results = await Promise.all(Array.from({ length: 6 }, () => deliver(body)));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(results.filter((r) => r.body.status === 'created')).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.orderId)).size).toBe(1);
  });

  it('the generic JSON webhook: hex signature, the external order format, a bad body names its field', async () => {
    const secret = 'generic-secret-0123456789abcdef';
    const c = await srv.admin.post('/api/channels', { kind: 'webhook', name: 'Marketplace X', credentials: { secret } });
    expect(c.status).toBe(201);
    await makeProduct(srv.admin, { sku: 'GEN-1', name: 'Generic', listPrice: 500, taxIds: [] });
    const post = async (body: unknown, sig?: string) => {
      const raw = JSON.stringify(body);
      const res = await fetch(`${srv.url}/api/webhooks/channels/${c.body.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-commercecore-signature': sig ?? `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
        body: raw,
      });
      return { status: res.status, body: (await res.json()) as Res['body'] };
    };
    const order = {
      externalId: 'MX-1',
      date: '2026-11-25T08:00:00Z',
      customer: { name: 'Grace Hopper', email: 'grace@example.com' },
      lines: [{ sku: 'GEN-1', name: 'Generic', quantity: 4, unitPrice: 500 }],
    };
    const ok = await post(order);
    expect(ok.body).toMatchObject({ status: 'created' });
    expect((await srv.admin.get(`/api/sale-orders/${ok.body.orderId}`)).body.amountTotal).toBe(2000);
    const bad = await post({ ...order, externalId: 'MX-2', lines: [{ sku: 'GEN-1', name: 'Generic', quantity: -1, unitPrice: 500 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('lines.0.quantity');
    expect((await post(order, 'sha256=00')).status).toBe(401);
    expect(
      (await fetch(`${srv.url}/api/webhooks/channels/999999`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
    ).toBe(404);
  });
});
