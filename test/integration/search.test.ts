import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit, SearchKind, SearchResult } from '../../contracts/schemas/search';
import type { ApiClient } from '../support/client';
import { makeOrder, makePartner, makeProduct } from '../factories/data';
import { setStock } from '../factories/stock';
import { useTestServer } from '../support/server';

// GET /api/search (the command palette): orders, partners, products, transfers and invoices found by
// number or name, grouped by kind, each kind under the permission and record rule of its own list.
describe('GET /api/search', () => {
  const srv = useTestServer();
  const tag = Date.now().toString(36).toUpperCase();

  /** One confirmed order with its delivery and its posted invoice, created by `owner`. */
  async function invoicedOrder(owner: ApiClient, customer: string, externalId: string) {
    const partner = await makePartner(srv.admin, { name: customer });
    const product = await makeProduct(srv.admin, { invoicePolicy: 'order', listPrice: 1500 });
    await setStock(srv.admin, product.id, 20);
    const order = await makeOrder(owner, { partnerId: partner.id, externalId, lines: [{ productId: product.id, quantity: 1 }] });
    expect((await owner.post(`/api/sale-orders/${order.id}/confirm`, {})).status).toBe(200);
    const picking = (await srv.admin.get(`/api/pickings?saleOrderId=${order.id}`)).body.items[0] as { id: number; name: string };
    const invoiced = await srv.admin.post(`/api/sale-orders/${order.id}/invoice`);
    expect(invoiced.status).toBe(201);
    const invoiceId = invoiced.body.invoiceIds[0] as number;
    const posted = await srv.admin.post(`/api/invoices/${invoiceId}/post`, {});
    expect(posted.status).toBe(200);
    return { order, partner, product, picking, invoice: { id: invoiceId, name: posted.body.name as string } };
  }

  async function search(c: ApiClient, q: string, extra = ''): Promise<SearchResult> {
    const res = await c.get<SearchResult>(`/api/search?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  const hitsOf = (r: SearchResult, kind: SearchKind): SearchHit[] => r.groups.find((g) => g.kind === kind)?.hits ?? [];
  const idsOf = (r: SearchResult, kind: SearchKind) => hitsOf(r, kind).map((h) => h.id);

  let world: Awaited<ReturnType<typeof invoicedOrder>>;
  beforeAll(async () => {
    world = await invoicedOrder(srv.admin, `Harbour Supplies ${tag}`, `#SHOP-${tag}`);
  });

  it('finds each kind by its number and by its name', async () => {
    const { order, partner, product, picking, invoice } = world;

    // Orders: the number, the shop's reference, the customer's name.
    for (const q of [order.name, `#SHOP-${tag}`, `Harbour Supplies ${tag}`]) {
      const hit = hitsOf(await search(srv.admin, q), 'saleOrder').find((h) => h.id === order.id);
      expect(hit, q).toMatchObject({ kind: 'saleOrder', label: order.name });
      expect(hit!.detail).toContain(`Harbour Supplies ${tag}`);
      expect(hit!.detail).toContain('Sales order');
    }
    // Partners: the name, the email.
    for (const q of [`harbour supplies ${tag.toLowerCase()}`, partner.email!]) {
      expect(idsOf(await search(srv.admin, q), 'partner'), q).toContain(partner.id);
    }
    // Products: the SKU, the name.
    for (const q of [product.sku, product.name]) {
      const hit = hitsOf(await search(srv.admin, q), 'product').find((h) => h.id === product.id);
      expect(hit, q).toMatchObject({ label: product.name, detail: product.sku });
    }
    // Transfers: the number, the origin (the order they serve).
    for (const q of [picking.name, order.name]) {
      const hit = hitsOf(await search(srv.admin, q), 'picking').find((h) => h.id === picking.id);
      expect(hit, q).toMatchObject({ label: picking.name });
      expect(hit!.detail).toMatch(/^Delivery · /);
    }
    // Invoices: the number.
    expect(invoice.name).toMatch(/^INV\/\d{4}\/\d{5}$/);
    const inv = hitsOf(await search(srv.admin, invoice.name), 'invoice');
    expect(inv[0]).toMatchObject({ id: invoice.id, label: invoice.name });
    expect(inv[0]!.detail).toContain(`Harbour Supplies ${tag}`);
  });

  it('puts the record whose number it is first, and digits alone find the number', async () => {
    const orders = [];
    for (let i = 0; i < 12; i++) orders.push(await makeOrder(srv.admin));
    // "12" is S00012, not S00112 or S00120.
    const target = orders.find((o) => Number(o.name.slice(1)) >= 10)!;
    const digits = String(Number(target.name.slice(1)));
    const byDigits = hitsOf(await search(srv.admin, digits), 'saleOrder');
    expect(byDigits[0]).toMatchObject({ id: target.id, label: target.name });
    const byNumber = hitsOf(await search(srv.admin, target.name.toLowerCase()), 'saleOrder');
    expect(byNumber[0]).toMatchObject({ id: target.id });
    // A prefix of numbers: all of them (up to the limit), the newest first.
    const prefix = target.name.slice(0, -1);
    const byPrefix = hitsOf(await search(srv.admin, prefix, '&limit=3&kinds=saleOrder'), 'saleOrder');
    expect(byPrefix).toHaveLength(3);
    expect(byPrefix.every((h) => h.label.startsWith(prefix))).toBe(true);
  });

  it('matches names with accents (as typed; without them on MariaDB, whose collation ignores accents)', async () => {
    const muller = await makePartner(srv.admin, { name: `Jürgen Müller ${tag}` });
    const jose = await makePartner(srv.admin, { name: `José Álvarez ${tag}`, email: `josé.${tag.toLowerCase()}@example.com` });
    const order = await makeOrder(srv.admin, { partnerId: muller.id });
    const r = await search(srv.admin, `Müller ${tag}`);
    expect(idsOf(r, 'partner')).toEqual([muller.id]);
    expect(idsOf(r, 'saleOrder')).toEqual([order.id]);
    expect(idsOf(await search(srv.admin, 'José Á'), 'partner')).toContain(jose.id);
    expect(idsOf(await search(srv.admin, `josé.${tag.toLowerCase()}@`), 'partner')).toEqual([jose.id]);
    if (srv.mode === 'mysql') {
      expect(idsOf(await search(srv.admin, `muller ${tag}`), 'partner')).toEqual([muller.id]);
      expect(idsOf(await search(srv.admin, `jose alvarez ${tag}`), 'partner')).toEqual([jose.id]);
    }
  });

  it('a user limited to their own orders finds only theirs, with their transfers and invoices', async () => {
    const ann = await srv.user('sales', 'Ann Own');
    expect((await srv.admin.patch(`/api/users/${ann.user!.id}`, { orderAccess: 'own' })).status).toBe(200);
    const mine = await invoicedOrder(ann, `Ann Customer ${tag}`, `#ANN-${tag}`);
    const theirs = world;

    for (const q of [mine.order.name, `#ANN-${tag}`, `Ann Customer ${tag}`]) {
      expect(idsOf(await search(ann, q), 'saleOrder'), q).toEqual([mine.order.id]);
    }
    for (const q of [theirs.order.name, `#SHOP-${tag}`, `Harbour Supplies ${tag}`]) {
      expect(idsOf(await search(ann, q), 'saleOrder'), q).toEqual([]);
    }
    expect(idsOf(await search(ann, mine.picking.name), 'picking')).toEqual([mine.picking.id]);
    expect(idsOf(await search(ann, theirs.picking.name), 'picking')).toEqual([]);
    expect(idsOf(await search(ann, mine.invoice.name), 'invoice')).toEqual([mine.invoice.id]);
    expect(idsOf(await search(ann, theirs.invoice.name), 'invoice')).toEqual([]);
    // "S0" matches every order's number: only hers come back.
    const all = hitsOf(await search(ann, 'S0', '&limit=20'), 'saleOrder');
    expect(all.map((h) => h.id)).toEqual([mine.order.id]);
    // Partners and products have no record rule: everyone who may read them finds them.
    expect(idsOf(await search(ann, `Harbour Supplies ${tag}`), 'partner')).toEqual([theirs.partner.id]);
  });

  it('a role without invoice read gets no invoices (no group at all); the kinds it may read still answer', async () => {
    const wh = await srv.user('warehouse', 'Walt Warehouse');
    const r = await search(wh, world.invoice.name);
    expect(r.groups.map((g) => g.kind)).toEqual(['saleOrder', 'partner', 'product', 'picking']);
    expect(idsOf(await search(wh, world.picking.name), 'picking')).toEqual([world.picking.id]);
    expect((await search(wh, world.invoice.name, '&kinds=invoice')).groups).toEqual([]);
    const accounting = await srv.user('accounting', 'Alma Accounting');
    expect(idsOf(await search(accounting, world.invoice.name), 'invoice')).toEqual([world.invoice.id]);
  });

  it('limits the hits per kind and searches only the kinds asked for', async () => {
    for (let i = 0; i < 4; i++) await makePartner(srv.admin, { name: `Limit Partner ${tag} ${i}` });
    const r = await search(srv.admin, `Limit Partner ${tag}`, '&limit=2&kinds=partner,product');
    expect(r.groups.map((g) => g.kind)).toEqual(['partner', 'product']);
    expect(hitsOf(r, 'partner').map((h) => h.label)).toEqual([`Limit Partner ${tag} 0`, `Limit Partner ${tag} 1`]);
  });

  it('answers 400 for bad parameters and 401 without a session', async () => {
    for (const [query, field] of [
      ['', 'q'],
      ['?q=', 'q'],
      ['?q=%20%20', 'q'],
      [`?q=${'x'.repeat(101)}`, 'q'],
      ['?q=a&q=b', 'q'],
      ['?q=a&limit=0', 'limit'],
      ['?q=a&limit=21', 'limit'],
      ['?q=a&limit=many', 'limit'],
      ['?q=a&kinds=saleOrder,spaceship', 'kinds'],
    ] as const) {
      const res = await srv.admin.get(`/api/search${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation');
      expect(JSON.stringify(res.body.error.details), query).toContain(field);
    }
    expect((await srv.anonymous().get('/api/search?q=a')).status).toBe(401);
  });
});
