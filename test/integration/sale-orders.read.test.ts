import { describe, expect, it } from 'vitest';
import type { Partner } from '../../contracts/schemas/partners';
import type { SaleOrderSummary } from '../../contracts/schemas/sales';
import { makePartner } from '../factories/data';
import { saleOrderKit } from '../factories/sale-orders';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

// GET /api/sale-orders/:id, the board's list (GET /api/sale-orders) and its counts per state.

const srv = useTestServer();
const { fixtures, create, plainOrder, acted } = saleOrderKit(srv);

describe('GET /api/sale-orders/:id', () => {
  it('every role may read; 404 for a missing order; 400 for a bad id', async () => {
    const o = await plainOrder();
    for (const role of ['warehouse', 'accounting', 'sales'] as const) {
      const res = await (await srv.user(role)).get(`/api/sale-orders/${o.id}`);
      expectStatus(res, 200);
      expect(res.body).toEqual(o);
    }
    expectError(await srv.admin.get('/api/sale-orders/999999'), 404, 'not_found');
    expectError(await srv.admin.get('/api/sale-orders/S00001'), 400, 'validation', 'id');
  });
});

describe('GET /api/sale-orders', () => {
  // Five orders of two customers whose names carry a tag, so the filters below match only them.
  async function board() {
    const f = await fixtures();
    const tag = uniqueTag('board');
    const alpha = await makePartner(srv.admin, { name: `Alpha ${tag}` });
    const beta = await makePartner(srv.admin, { name: `Beta ${tag}` });
    const mk = (partner: Partner, qty: number, extra: Record<string, unknown> = {}) =>
      create(srv.admin, { partnerId: partner.id, lines: [{ productId: f.plain.id, quantity: qty }], ...extra });
    const o1 = await mk(alpha, 1);
    const o2 = await mk(alpha, 2).then((o) => acted(o.id, 'send'));
    const o3 = await mk(alpha, 3, { needsAttention: true }).then((o) => acted(o.id, 'confirm'));
    const o4 = await mk(beta, 4).then((o) => acted(o.id, 'cancel'));
    const o5 = await mk(beta, 5, { needsAttention: true });
    return { tag, alpha, beta, o: [o1, o2, o3, o4, o5] as const };
  }
  const ids = (res: { body: { items: SaleOrderSummary[] } }) => res.body.items.map((o) => o.id);

  it('filters by state list, customer name, partner, flags; sorts; pages with total', async () => {
    const { tag, alpha, o } = await board();
    const [o1, o2, o3, o4, o5] = o;

    const all = await srv.admin.get(`/api/sale-orders?q=${tag}`);
    expectStatus(all, 200);
    expect(all.body.total).toBe(5);
    expect(ids(all)).toEqual([o5.id, o4.id, o3.id, o2.id, o1.id]); // default: newest first
    const { shippingAddress: _a, warehouseId: _w, note: _n, createdById: _c, lines: _l, orderDiscount: _d, amountDiscount: _ad, ...summary } = o5;
    expect(all.body.items[0]).toEqual(summary);
    expect(all.body.items[0].partnerName).toBe(`Beta ${tag}`);

    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&state=draft,sent`))).toEqual([o5.id, o2.id, o1.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&state=cancel`))).toEqual([o4.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?partnerId=${alpha.id}`))).toEqual([o3.id, o2.id, o1.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?partnerId=${alpha.id}&state=sale,done`))).toEqual([o3.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&needsAttention=true`))).toEqual([o5.id, o3.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&needsAttention=false`))).toEqual([o4.id, o2.id, o1.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&invoiceStatus=to_invoice`))).toEqual([o3.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=Alpha%20${tag}`))).toEqual([o3.id, o2.id, o1.id]);
    // q on the order's number.
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${o3.name}`))).toEqual([o3.id]);

    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&sort=amountTotal`))).toEqual([o1.id, o2.id, o3.id, o4.id, o5.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&sort=-amountTotal`))).toEqual([o5.id, o4.id, o3.id, o2.id, o1.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&sort=name`))).toEqual([o1.id, o2.id, o3.id, o4.id, o5.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&sort=state`))).toEqual([o4.id, o1.id, o5.id, o3.id, o2.id]); // cancel, draft ×2 (id breaks the tie), sale, sent

    const page = await srv.admin.get(`/api/sale-orders?q=${tag}&sort=name&limit=2&offset=1`);
    expect(page.body.total).toBe(5);
    expect(ids(page)).toEqual([o2.id, o3.id]);
    const tail = await srv.admin.get(`/api/sale-orders?q=${tag}&sort=name&limit=2&offset=4`);
    expect(tail.body.total).toBe(5);
    expect(ids(tail)).toEqual([o5.id]);
  });

  it('filters by channel, external id and order date (dateTo inclusive)', async () => {
    const tag = uniqueTag('dates');
    const jan = await plainOrder({ channelId: 31, externalId: `${tag}-1`, dateOrder: '2020-01-15T10:00:00Z' });
    const endJan = await plainOrder({ channelId: 31, externalId: `${tag}-2`, dateOrder: '2020-01-31T23:59:59Z' });
    const feb = await plainOrder({ channelId: 32, externalId: `${tag}-3`, dateOrder: '2020-02-01T00:00:00Z' });
    const byId = (res: { body: { items: SaleOrderSummary[] } }) => ids(res).sort((a, b) => a - b);
    expect(byId(await srv.admin.get(`/api/sale-orders?q=${tag}`))).toEqual([jan.id, endJan.id, feb.id]);
    expect(byId(await srv.admin.get(`/api/sale-orders?q=${tag}&channelId=31`))).toEqual([jan.id, endJan.id]);
    expect(byId(await srv.admin.get(`/api/sale-orders?q=${tag}-3`))).toEqual([feb.id]);
    expect(byId(await srv.admin.get(`/api/sale-orders?q=${tag}&dateFrom=2020-01-01&dateTo=2020-01-31`))).toEqual([jan.id, endJan.id]);
    expect(byId(await srv.admin.get(`/api/sale-orders?q=${tag}&dateFrom=2020-01-31`))).toEqual([endJan.id, feb.id]);
    expect(ids(await srv.admin.get(`/api/sale-orders?q=${tag}&sort=dateOrder`))).toEqual([jan.id, endJan.id, feb.id]);
  });

  it('400 for a bad state, sort, flag, date or page size', async () => {
    expectError(await srv.admin.get('/api/sale-orders?state=draft,shipped'), 400, 'validation', 'state.1');
    expectError(await srv.admin.get('/api/sale-orders?sort=partnerId'), 400, 'validation', 'sort');
    expectError(await srv.admin.get('/api/sale-orders?needsAttention=maybe'), 400, 'validation', 'needsAttention');
    expectError(await srv.admin.get('/api/sale-orders?dateFrom=01/02/2020'), 400, 'validation', 'dateFrom');
    expectError(await srv.admin.get('/api/sale-orders?partnerId=abc'), 400, 'validation', 'partnerId');
    expectError(await srv.admin.get('/api/sale-orders?limit=1000'), 400, 'validation', 'limit');
  });

  it('every role may read the board', async () => {
    for (const role of ['warehouse', 'accounting'] as const) expectStatus(await (await srv.user(role)).get('/api/sale-orders'), 200);
  });
});

describe('GET /api/sale-orders/counts', () => {
  it('counts orders per state under the filters (the state filter aside)', async () => {
    const f = await fixtures();
    const tag = uniqueTag('counts');
    const p = await makePartner(srv.admin, { name: `Counted ${tag}` });
    const mk = () => create(srv.admin, { partnerId: p.id, lines: [{ productId: f.plain.id, quantity: 1 }] });
    await mk();
    await mk();
    await mk().then((o) => acted(o.id, 'send'));
    await mk().then((o) => acted(o.id, 'confirm'));
    await mk()
      .then((o) => acted(o.id, 'confirm'))
      .then((o) => acted(o.id, 'lock'));
    await mk().then((o) => acted(o.id, 'cancel'));
    const expected = { draft: 2, sent: 1, sale: 1, done: 1, cancel: 1 };
    const res = await srv.admin.get(`/api/sale-orders/counts?partnerId=${p.id}`);
    expectStatus(res, 200);
    expect(res.body).toEqual(expected);
    expect((await srv.admin.get(`/api/sale-orders/counts?q=${tag}`)).body).toEqual(expected);
    expect((await srv.admin.get(`/api/sale-orders/counts?q=${tag}&state=draft`)).body).toEqual(expected);
    expect((await (await srv.user('warehouse')).get(`/api/sale-orders/counts?q=${tag}&needsAttention=true`)).body).toEqual({
      draft: 0,
      sent: 0,
      sale: 0,
      done: 0,
      cancel: 0,
    });
    expectError(await srv.admin.get('/api/sale-orders/counts?invoiceStatus=maybe'), 400, 'validation', 'invoiceStatus');
  });
});
