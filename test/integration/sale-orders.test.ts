import { describe, expect, it } from 'vitest';
import type { Partner } from '../../contracts/schemas/partners';
import type { Product, Tax } from '../../contracts/schemas/catalog';
import type { SaleOrder, SaleOrderSummary } from '../../contracts/schemas/sales';
import type { ApiClient } from '../support/client';
import { makePartner, makeProduct, makeTax } from '../factories/data';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

const srv = useTestServer();

type Fixtures = {
  vat20: Tax;
  vat55: Tax;
  customer: Partner;
  /** 19.99, taxed 20% and 5.5% */
  lamp: Product;
  /** 19.99, taxed 20% */
  chair: Product;
  /** 10.00, untaxed */
  plain: Product;
};

// Shared records, made once on first use so every test can run alone.
let fixturesPromise: Promise<Fixtures> | undefined;
function fixtures(): Promise<Fixtures> {
  fixturesPromise ??= (async () => {
    const vat20 = await makeTax(srv.admin, 20, 'VAT 20%');
    const vat55 = await makeTax(srv.admin, 5.5, 'VAT 5.5%');
    const customer = await makePartner(srv.admin, { name: 'Fixture Customer' });
    const lamp = await makeProduct(srv.admin, { sku: 'LAMP-01', name: 'Desk lamp', listPrice: 1999, taxIds: [vat20.id, vat55.id] });
    const chair = await makeProduct(srv.admin, { sku: 'CHAIR-01', name: 'Chair', listPrice: 1999, taxIds: [vat20.id] });
    const plain = await makeProduct(srv.admin, { sku: 'PLAIN-01', name: 'Plain item', listPrice: 1000, taxIds: [] });
    return { vat20, vat55, customer, lamp, chair, plain };
  })();
  return fixturesPromise;
}

async function create(c: ApiClient, body: Record<string, unknown>): Promise<SaleOrder> {
  const res = await c.post('/api/sale-orders', body);
  expectStatus(res, 201);
  return res.body;
}

/** A plain order: one line of 2 × 10.00, untaxed. */
async function plainOrder(fields: Record<string, unknown> = {}): Promise<SaleOrder> {
  const f = await fixtures();
  return create(srv.admin, { partnerId: f.customer.id, lines: [{ productId: f.plain.id, quantity: 2 }], ...fields });
}

async function act(id: number, action: string, body?: unknown, c: ApiClient = srv.admin) {
  return c.post(`/api/sale-orders/${id}/${action}`, body);
}

async function acted(id: number, action: string): Promise<SaleOrder> {
  const res = await act(id, action);
  expectStatus(res, 200);
  return res.body;
}

type State = 'draft' | 'sent' | 'sale' | 'done' | 'cancel';
/** An order driven to the given state through the API. */
async function orderIn(state: State): Promise<SaleOrder> {
  const o = await plainOrder();
  switch (state) {
    case 'draft':
      return o;
    case 'sent':
      return acted(o.id, 'send');
    case 'sale':
      return acted(o.id, 'confirm');
    case 'done':
      await acted(o.id, 'confirm');
      return acted(o.id, 'lock');
    case 'cancel':
      return acted(o.id, 'cancel');
  }
}

async function read(id: number): Promise<SaleOrder> {
  const res = await srv.admin.get(`/api/sale-orders/${id}`);
  expectStatus(res, 200);
  return res.body;
}

const numberOf = (name: string) => Number(name.slice(1));
const lineBody = (l: SaleOrder['lines'][number]) => ({
  id: l.id,
  productId: l.productId,
  quantity: l.quantity,
  unitPrice: l.unitPrice,
  discount: l.discount,
  taxIds: l.taxIds,
});

describe('POST /api/sale-orders', () => {
  it('creates a quotation whose lines default to the product: price, taxes, description', async () => {
    const f = await fixtures();
    const o = await create(srv.admin, { partnerId: f.customer.id, lines: [{ productId: f.chair.id, quantity: 1 }] });
    expect(o).toEqual({
      id: expect.any(Number),
      name: expect.stringMatching(/^S\d{5}$/),
      partnerId: f.customer.id,
      partnerName: 'Fixture Customer',
      state: 'draft',
      invoiceStatus: 'no',
      deliveryStatus: 'pending',
      needsAttention: false,
      attentionReasons: [],
      discountCode: null,
      channelId: null,
      externalId: null,
      dateOrder: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      orderDiscount: 0,
      amountDiscount: 0,
      // 19.99 + 20% = 4.00 (3.998 rounded)
      amountUntaxed: 1999,
      amountTax: 400,
      amountTotal: 2399,
      currency: 'EUR',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: expect.any(Number),
      shippingAddress: null,
      warehouseId: 1,
      note: null,
      createdById: srv.admin.user!.id,
      lines: [
        {
          id: expect.any(Number),
          productId: f.chair.id,
          sku: 'CHAIR-01',
          description: '[CHAIR-01] Chair',
          quantity: 1,
          unitPrice: 1999,
          discount: 0,
          discountAmount: 0,
          orderDiscount: 0,
          isShipping: false,
          taxIds: [f.vat20.id],
          subtotal: 1999,
          amountTax: 400,
          total: 2399,
          qtyDelivered: 0,
          qtyInvoiced: 0,
          qtyToInvoice: 0,
        },
      ],
    });
    expect(await read(o.id)).toEqual(o);
  });

  it('computes amounts to the cent: discount, two taxes on one line, fractional quantity, per-line rounding half away from zero', async () => {
    const f = await fixtures();
    const o = await create(srv.admin, {
      partnerId: f.customer.id,
      lines: [
        // 3 × 19.99 − 15% = 50.9745 → 50.97; 20% of 50.97 = 10.194 → 10.19; 5.5% of 50.97 = 2.80335 → 2.80
        { productId: f.lamp.id, quantity: 3, discount: 15 },
        // 1.5 × 19.99 = 29.985 → 29.99 (half away from zero; half-even would give 29.98); 20% = 5.998 → 6.00
        { productId: f.chair.id, quantity: 1.5 },
        // 3.00 with only the 5.5% tax: 0.165 → 0.17 (half-even would give 0.16)
        { productId: f.plain.id, quantity: 1, unitPrice: 300, taxIds: [f.vat55.id], description: 'Custom text' },
      ],
    });
    expect(o.lines.map((l) => [l.quantity, l.unitPrice, l.discount, l.taxIds, l.subtotal, l.amountTax, l.total])).toEqual([
      [3, 1999, 15, [f.vat20.id, f.vat55.id], 5097, 1019 + 280, 6396],
      [1.5, 1999, 0, [f.vat20.id], 2999, 600, 3599],
      [1, 300, 0, [f.vat55.id], 300, 17, 317],
    ]);
    expect(o.lines[2]!.description).toBe('Custom text');
    expect(o.amountUntaxed).toBe(5097 + 2999 + 300); // 8396
    expect(o.amountTax).toBe(1299 + 600 + 17); // 1916
    expect(o.amountTotal).toBe(10312);
    // The same numbers after a round trip through the database.
    expect(await read(o.id)).toEqual(o);
  });

  it('more rounding cases: three-decimal quantity, 100% discount, a 4-decimal tax rate', async () => {
    const f = await fixtures();
    const odd = await makeTax(srv.admin, 19.6154);
    const o = await create(srv.admin, {
      partnerId: f.customer.id,
      lines: [
        // 0.333 × 10.00 = 3.33
        { productId: f.plain.id, quantity: 0.333 },
        // free
        { productId: f.lamp.id, quantity: 2, discount: 100 },
        // 7 × 0.99 − 12.5% = 6.06375 → 6.06; 19.6154% of 6.06 = 1.18869 → 1.19
        { productId: f.plain.id, quantity: 7, unitPrice: 99, discount: 12.5, taxIds: [odd.id] },
      ],
    });
    expect(o.lines.map((l) => [l.subtotal, l.amountTax, l.total])).toEqual([
      [333, 0, 333],
      [0, 0, 0],
      [606, 119, 725],
    ]);
    expect([o.amountUntaxed, o.amountTax, o.amountTotal]).toEqual([939, 119, 1058]);
  });

  it('stores the shipping address, note, flags and given date; a quotation may have no lines', async () => {
    const f = await fixtures();
    const o = await create(srv.admin, {
      partnerId: f.customer.id,
      shippingAddress: { name: 'Jane Roe', street: 'Hauptstr. 1', city: 'Berlin', zip: '10115', countryCode: 'de', phone: '+49 30 1' },
      note: 'Leave at the door',
      needsAttention: true,
      dateOrder: '2026-03-01T12:30:00+02:00',
      warehouseId: 1,
    });
    expect(o.shippingAddress).toEqual({ name: 'Jane Roe', street: 'Hauptstr. 1', city: 'Berlin', zip: '10115', countryCode: 'DE', phone: '+49 30 1' });
    expect(o).toMatchObject({
      note: 'Leave at the door',
      needsAttention: true,
      dateOrder: '2026-03-01T10:30:00.000Z',
      lines: [],
      amountUntaxed: 0,
      amountTax: 0,
      amountTotal: 0,
    });
  });

  it('400 naming the field for bad input, and a failed create uses no number (gapless)', async () => {
    const f = await fixtures();
    const before = await plainOrder();
    const ok = { partnerId: f.customer.id, lines: [{ productId: f.plain.id, quantity: 1 }] };
    const line = ok.lines[0]!;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, partnerId: 999999 }, 'partnerId'],
      [{ ...ok, partnerId: undefined }, 'partnerId'],
      [{ ...ok, lines: [{ ...line, productId: 999999 }] }, 'lines.productId'],
      [{ ...ok, lines: [{ ...line, quantity: -1 }] }, 'lines.0.quantity'],
      [{ ...ok, lines: [{ ...line, quantity: 0 }] }, 'lines.0.quantity'],
      [{ ...ok, lines: [{ ...line, quantity: 1.2345 }] }, 'lines.0.quantity'],
      [{ ...ok, lines: [line, { ...line, discount: 100.01 }] }, 'lines.1.discount'],
      [{ ...ok, lines: [{ ...line, discount: -5 }] }, 'lines.0.discount'],
      [{ ...ok, lines: [{ ...line, discount: 10.005 }] }, 'lines.0.discount'],
      [{ ...ok, lines: [{ ...line, unitPrice: 19.99 }] }, 'lines.0.unitPrice'],
      [{ ...ok, lines: [{ ...line, unitPrice: -100 }] }, 'lines.0.unitPrice'],
      [{ ...ok, lines: [{ ...line, taxIds: [999999] }] }, 'lines.taxIds'],
      [{ ...ok, lines: [{ ...line, id: 5 }] }, 'lines.0.id'],
      [{ ...ok, lines: [{ ...line, colour: 'red' }] }, 'lines.0'],
      [{ ...ok, shippingAddress: { countryCode: 'DEU' } }, 'shippingAddress.countryCode'],
      [{ ...ok, warehouseId: 999 }, 'warehouseId'],
      [{ ...ok, channelId: 3e9, externalId: 'too-big' }, 'channelId'],
      [{ ...ok, dateOrder: 'yesterday' }, 'dateOrder'],
      [{ ...ok, state: 'sale' }, '(body)'],
    ];
    for (const [body, field] of cases) {
      const res = await srv.admin.post('/api/sale-orders', body);
      expectError(res, 400, 'validation', field);
    }
    const inactive = await makeTax(srv.admin, 9);
    expectStatus(await srv.admin.patch(`/api/taxes/${inactive.id}`, { version: inactive.version, active: false }), 200);
    expectError(await srv.admin.post('/api/sale-orders', { ...ok, lines: [{ ...line, taxIds: [inactive.id] }] }), 400, 'validation', 'lines.taxIds');

    const after = await plainOrder();
    expect(numberOf(after.name)).toBe(numberOf(before.name) + 1);
  });

  it('403 for warehouse and accounting users, 401 anonymous; nothing is created', async () => {
    const f = await fixtures();
    const body = { partnerId: f.customer.id, lines: [{ productId: f.plain.id, quantity: 1 }], externalId: uniqueTag('rbac') };
    expectError(await (await srv.user('warehouse')).post('/api/sale-orders', body), 403, 'forbidden');
    expectError(await (await srv.user('accounting')).post('/api/sale-orders', body), 403, 'forbidden');
    expectError(await srv.anonymous().post('/api/sale-orders', body), 401, 'unauthorized');
    expect((await srv.admin.get(`/api/sale-orders?q=${body.externalId}`)).body.total).toBe(0);
    expectStatus(await (await srv.user('sales')).post('/api/sale-orders', body), 201);
  });

  it('409 for a duplicate (channelId, externalId); the same external id on another channel is fine', async () => {
    const ext = uniqueTag('ext');
    const first = await plainOrder({ channelId: 7, externalId: ext });
    expect(first).toMatchObject({ channelId: 7, externalId: ext });
    const dup = await srv.admin.post('/api/sale-orders', { partnerId: first.partnerId, channelId: 7, externalId: ext, lines: [] });
    expectError(dup, 409, 'conflict');
    expect(dup.body.error.message).toContain(first.name);
    await plainOrder({ channelId: 8, externalId: ext });
    expect((await srv.admin.get(`/api/sale-orders?q=${ext}`)).body.total).toBe(2);
  });

  it('409 (never 500, never two orders) for the same (channelId, externalId) sent twice at once', async () => {
    const f = await fixtures();
    const ext = uniqueTag('race');
    const body = { partnerId: f.customer.id, channelId: 9, externalId: ext, lines: [{ productId: f.plain.id, quantity: 1 }] };
    const results = await Promise.all([
      srv.admin.post('/api/sale-orders', body),
      srv.admin.post('/api/sale-orders', body),
      srv.admin.post('/api/sale-orders', body),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expectError(r, 409, 'conflict');
    expect((await srv.admin.get(`/api/sale-orders?channelId=9&q=${ext}`)).body.total).toBe(1);
  });
});

describe('sale order numbers', () => {
  it('S00001… unique and gapless under 20 concurrent creates', async () => {
    const f = await fixtures();
    const last = await plainOrder();
    const res = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        srv.admin.post('/api/sale-orders', { partnerId: f.customer.id, lines: [{ productId: f.plain.id, quantity: i + 1 }] }),
      ),
    );
    for (const r of res) expectStatus(r, 201);
    const numbers = res.map((r) => numberOf(r.body.name)).sort((a, b) => a - b);
    const start = numberOf(last.name) + 1;
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => start + i));
    for (const r of res) expect(r.body.name).toBe(`S${String(numberOf(r.body.name)).padStart(5, '0')}`);
    // Each order kept its own lines.
    for (const r of res) expect(r.body.amountTotal).toBe(r.body.lines[0].quantity * 1000);
  });

  it('the first order of a fresh database is S00001', async () => {
    await plainOrder();
    const first = await srv.admin.get('/api/sale-orders?sort=name&limit=1');
    expect(first.body.items[0].name).toBe('S00001');
  });
});

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

describe('PATCH /api/sale-orders/:id', () => {
  it('edits a quotation: header, and lines as the full new list (change, add, remove), amounts recomputed', async () => {
    const f = await fixtures();
    const other = await makePartner(srv.admin, { name: 'Other customer' });
    const o = await create(srv.admin, {
      partnerId: f.customer.id,
      lines: [
        { productId: f.plain.id, quantity: 1 },
        { productId: f.chair.id, quantity: 1 },
      ],
    });
    const [plainLine, chairLine] = o.lines;
    const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, {
      version: o.version,
      partnerId: other.id,
      note: 'Updated',
      shippingAddress: { city: 'Lille', countryCode: 'fr' },
      lines: [
        // 4 × 10.00 − 10% = 36.00
        { id: plainLine!.id, productId: f.plain.id, quantity: 4, discount: 10 },
        // new: 2 × 19.99 − 15% = 33.983 → 33.98; 20% = 6.796 → 6.80; 5.5% = 1.8689 → 1.87
        { productId: f.lamp.id, quantity: 2, discount: 15 },
      ],
    });
    expectStatus(res, 200);
    const u: SaleOrder = res.body;
    expect(u).toMatchObject({
      partnerId: other.id,
      partnerName: 'Other customer',
      note: 'Updated',
      shippingAddress: { city: 'Lille', countryCode: 'FR' },
      version: o.version + 1,
    });
    expect(u.lines.map((l) => l.id)).toEqual([plainLine!.id, expect.any(Number)]);
    expect(u.lines.map((l) => l.id)).not.toContain(chairLine!.id);
    expect(u.lines.map((l) => [l.productId, l.quantity, l.discount, l.subtotal, l.amountTax, l.total])).toEqual([
      [f.plain.id, 4, 10, 3600, 0, 3600],
      [f.lamp.id, 2, 15, 3398, 680 + 187, 4265],
    ]);
    expect([u.amountUntaxed, u.amountTax, u.amountTotal]).toEqual([6998, 867, 7865]);
    expect(await read(o.id)).toEqual(u);
  });

  it('a line keeps its price and taxes unless changed, even when the product changes later', async () => {
    const f = await fixtures();
    const prod = await makeProduct(srv.admin, { listPrice: 500, taxIds: [f.vat20.id] });
    const o = await create(srv.admin, { partnerId: f.customer.id, lines: [{ productId: prod.id, quantity: 1 }] });
    expectStatus(await srv.admin.patch(`/api/products/${prod.id}`, { version: prod.version, listPrice: 900, taxIds: [] }), 200);
    const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, lines: [{ id: o.lines[0]!.id, productId: prod.id, quantity: 2 }] });
    expectStatus(res, 200);
    // 2 × 5.00 = 10.00, 20% = 2.00: the line's own price and taxes
    expect(res.body.lines[0]).toMatchObject({ unitPrice: 500, taxIds: [f.vat20.id], subtotal: 1000, amountTax: 200, total: 1200 });
  });

  it("a line switched to another product takes that product's price, taxes and description", async () => {
    const f = await fixtures();
    const o = await create(srv.admin, { partnerId: f.customer.id, lines: [{ productId: f.plain.id, quantity: 2 }] });
    const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, lines: [{ id: o.lines[0]!.id, productId: f.lamp.id, quantity: 2 }] });
    expectStatus(res, 200);
    // 2 × 19.99 = 39.98; 20% = 7.996 → 8.00; 5.5% = 2.1989 → 2.20
    expect(res.body.lines).toEqual([
      expect.objectContaining({
        id: o.lines[0]!.id,
        productId: f.lamp.id,
        sku: 'LAMP-01',
        description: '[LAMP-01] Desk lamp',
        unitPrice: 1999,
        taxIds: [f.vat20.id, f.vat55.id],
        subtotal: 3998,
        amountTax: 1020,
        total: 5018,
      }),
    ]);
    // A description typed by hand is kept while the product stays.
    const typed = await srv.admin.patch(`/api/sale-orders/${o.id}`, {
      version: res.body.version,
      lines: [{ id: o.lines[0]!.id, productId: f.lamp.id, quantity: 2, description: 'Lamp, gift-wrapped' }],
    });
    expectStatus(typed, 200);
    const kept = await srv.admin.patch(`/api/sale-orders/${o.id}`, {
      version: typed.body.version,
      lines: [{ id: o.lines[0]!.id, productId: f.lamp.id, quantity: 3 }],
    });
    expect(kept.body.lines[0].description).toBe('Lamp, gift-wrapped');
  });

  it('409 for a stale version, with the current order in error.current; nothing changes', async () => {
    const o = await plainOrder();
    const first = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, note: 'first' });
    expectStatus(first, 200);
    const stale = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, note: 'second' });
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.current).toEqual(first.body);
    expect(await read(o.id)).toEqual(first.body);
  });

  it('400 naming the field: no version, unknown product or partner, a line of another order, bad address', async () => {
    const f = await fixtures();
    const o = await plainOrder();
    const other = await plainOrder();
    const line = { id: o.lines[0]!.id, productId: f.plain.id, quantity: 2 };
    expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { note: 'x' }), 400, 'validation', 'version');
    expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, partnerId: 999999 }), 400, 'validation', 'partnerId');
    expectError(
      await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, lines: [{ ...line, productId: 999999 }] }),
      400,
      'validation',
      'lines.productId',
    );
    expectError(
      await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, lines: [{ ...line, id: other.lines[0]!.id }] }),
      400,
      'validation',
      'lines.0.id',
    );
    expectError(
      await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, lines: [line, { ...line, id: undefined, quantity: -2 }] }),
      400,
      'validation',
      'lines.1.quantity',
    );
    expectError(
      await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, lines: [{ ...line, taxIds: [999999] }] }),
      400,
      'validation',
      'lines.taxIds',
    );
    expectError(
      await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, shippingAddress: { countryCode: 'France' } }),
      400,
      'validation',
      'shippingAddress.countryCode',
    );
    expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, state: 'sale' }), 400, 'validation');
    expect(await read(o.id)).toEqual(o);
    expect(await read(other.id)).toEqual(other);
  });

  it('400 when the same line id appears twice (the amounts would count it twice)', async () => {
    const f = await fixtures();
    const o = await plainOrder();
    const line = { id: o.lines[0]!.id, productId: f.plain.id, quantity: 2 };
    const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, lines: [line, { ...line, quantity: 3 }] });
    expectError(res, 400, 'validation', 'lines.1.id');
    expect(await read(o.id)).toEqual(o);
  });

  it('two edits from the same version at once: one wins, the other gets 409', async () => {
    const o = await plainOrder();
    const results = await Promise.all(['one', 'two', 'three'].map((note) => srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, note })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const winner = results.find((r) => r.status === 200)!;
    for (const r of results.filter((x) => x.status === 409)) {
      expectError(r, 409, 'conflict');
      expect(r.body.error.current).toEqual(winner.body);
    }
    expect(await read(o.id)).toEqual(winner.body);
    expect(winner.body.version).toBe(o.version + 1);
  });

  it('404 for a missing order; 403 for warehouse and accounting users', async () => {
    expectError(await srv.admin.patch('/api/sale-orders/999999', { version: 0, note: 'x' }), 404, 'not_found');
    const o = await plainOrder();
    expectError(await (await srv.user('warehouse')).patch(`/api/sale-orders/${o.id}`, { version: o.version, note: 'x' }), 403, 'forbidden');
    expectError(await (await srv.user('accounting')).patch(`/api/sale-orders/${o.id}`, { version: o.version, note: 'x' }), 403, 'forbidden');
    expect(await read(o.id)).toEqual(o);
  });

  describe('a confirmed order', () => {
    async function confirmed() {
      const f = await fixtures();
      const o = await create(srv.admin, { partnerId: f.customer.id, lines: [{ productId: f.lamp.id, quantity: 2, discount: 10 }] });
      return { f, o: await acted(o.id, 'confirm') };
    }

    it('allows a quantity going up (amounts recomputed), a new line, the shipping address and the note', async () => {
      const { f, o } = await confirmed();
      const l = o.lines[0]!;
      // 2 × 19.99 − 10% = 35.982 → 35.98; 20% = 7.196 → 7.20; 5.5% = 1.9789 → 1.98
      expect([l.subtotal, l.amountTax, l.total]).toEqual([3598, 918, 4516]);
      const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, {
        version: o.version,
        note: 'Customer called',
        shippingAddress: { street: '2 Quai', city: 'Bordeaux', countryCode: 'FR' },
        // 5 × 19.99 − 10% = 89.955 → 89.96 (half away from zero); 20% = 17.992 → 17.99; 5.5% = 4.9478 → 4.95
        lines: [
          { ...lineBody(l), quantity: 5 },
          { productId: f.plain.id, quantity: 1 },
        ],
      });
      expectStatus(res, 200);
      const u: SaleOrder = res.body;
      expect(u).toMatchObject({
        state: 'sale',
        invoiceStatus: 'to_invoice',
        note: 'Customer called',
        shippingAddress: { city: 'Bordeaux' },
        version: o.version + 1,
      });
      expect(u.lines.map((x) => [x.quantity, x.subtotal, x.amountTax, x.total, x.qtyToInvoice])).toEqual([
        [5, 8996, 1799 + 495, 11290, 5],
        [1, 1000, 0, 1000, 1],
      ]);
      expect([u.amountUntaxed, u.amountTax, u.amountTotal]).toEqual([9996, 2294, 12290]);
    });

    it.each([
      ['another price', (l: ReturnType<typeof lineBody>) => [{ ...l, unitPrice: 1500 }], 'lines.0.unitPrice'],
      ['another discount', (l: ReturnType<typeof lineBody>) => [{ ...l, discount: 20 }], 'lines.0.discount'],
      ['other taxes', (l: ReturnType<typeof lineBody>) => [{ ...l, taxIds: [] }], 'lines.0.taxIds'],
      ['a removed line', () => [], 'lines'],
      ['a line re-sent without its id (a removal)', (l: ReturnType<typeof lineBody>) => [{ ...l, id: undefined }], 'lines'],
    ])('422 invalid_state for %s; nothing changes', async (_what, lines, field) => {
      const { o } = await confirmed();
      const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, note: 'must not stick', lines: lines(lineBody(o.lines[0]!)) });
      expectError(res, 422, 'invalid_state', field);
      expect(await read(o.id)).toEqual(o);
    });

    it('a lower quantity is accepted while nothing is delivered (below what was delivered is refused: inventory tests)', async () => {
      const { o } = await confirmed();
      const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, {
        version: o.version,
        lines: [{ ...lineBody(o.lines[0]!), quantity: 1 }, ...o.lines.slice(1).map(lineBody)],
      });
      expect(res.status).toBe(200);
      expect(res.body.lines[0].quantity).toBe(1);
    });

    it('422 for a partner, warehouse or date change', async () => {
      const { o } = await confirmed();
      const other = await makePartner(srv.admin);
      expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, partnerId: other.id }), 422, 'invalid_state', 'partnerId');
      expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, warehouseId: 2 }), 422, 'invalid_state', 'warehouseId');
      expectError(
        await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, dateOrder: '2026-01-01T00:00:00Z' }),
        422,
        'invalid_state',
        'dateOrder',
      );
      expect(await read(o.id)).toEqual(o);
    });

    it('accepts header fields sent back with their current values', async () => {
      const { o } = await confirmed();
      const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, {
        version: o.version,
        partnerId: o.partnerId,
        warehouseId: o.warehouseId,
        dateOrder: o.dateOrder,
        note: 'Only the note changed',
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ partnerId: o.partnerId, note: 'Only the note changed', state: 'sale' });
    });
  });

  it.each(['done', 'cancel'] as const)('a %s order: only the note and needsAttention may change', async (state) => {
    const o = await orderIn(state);
    const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, note: 'Archived note', needsAttention: true });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ state, note: 'Archived note', needsAttention: true, version: o.version + 1 });
    const v = res.body.version;
    expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: v, shippingAddress: { city: 'Nice' } }), 422, 'invalid_state', 'shippingAddress');
    expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: v, lines: o.lines.map(lineBody) }), 422, 'invalid_state', 'lines');
    const other = await makePartner(srv.admin);
    expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: v, partnerId: other.id }), 422, 'invalid_state', 'partnerId');
    expect(await read(o.id)).toEqual(res.body);
  });
});

describe('discounts on sale orders', () => {
  it('a fixed amount off a line and an order discount spread over the lines (shipping aside), each line taxed on what is left', async () => {
    const f = await fixtures();
    const o = await create(srv.admin, {
      partnerId: f.customer.id,
      discountCode: ' SAVE10 ',
      orderDiscount: 1000,
      lines: [
        // 3 × 19.99 = 59.97, less 10% = 53.97 (53.973), less 3.97 = 50.00
        { productId: f.chair.id, quantity: 3, discount: 10, discountAmount: 397 },
        // 2 × 10.00 = 20.00, untaxed
        { productId: f.plain.id, quantity: 2 },
        // shipping: outside the order discount
        { productId: f.plain.id, quantity: 1, unitPrice: 490, description: 'Shipping', isShipping: true, taxIds: [f.vat20.id] },
      ],
    });
    // 10.00 over 50.00 and 20.00: 7.14 and 2.86 (the cent left over to the largest remainder).
    expect(o.lines.map((l) => [l.discountAmount, l.orderDiscount, l.subtotal, l.amountTax])).toEqual([
      [397, 714, 4286, 857],
      [0, 286, 1714, 0],
      [0, 0, 490, 98],
    ]);
    expect(o).toMatchObject({ discountCode: 'SAVE10', orderDiscount: 1000, amountUntaxed: 6490, amountTax: 955, amountTotal: 7445 });
    // 59.97 + 20.00 + 4.90 before any discount: 84.87 − 64.90 = 19.97 taken off.
    expect(o.amountDiscount).toBe(1997);

    // A new order discount is spread over the lines as they are; the code can change too.
    const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, orderDiscount: 700, discountCode: null });
    expectStatus(res, 200);
    expect(res.body.lines.map((l: { orderDiscount: number }) => l.orderDiscount)).toEqual([500, 200, 0]);
    expect(res.body).toMatchObject({ discountCode: null, orderDiscount: 700, amountUntaxed: 6790 });
    const notes = (await srv.admin.get(`/api/messages?model=saleOrder&resId=${o.id}`)).body.items as { tracking: { field: string }[] | null }[];
    expect(notes.flatMap((m) => m.tracking ?? []).map((t) => t.field)).toEqual(expect.arrayContaining(['orderDiscount', 'discountCode']));
    // A line sent back without its fixed discount keeps it (as it keeps its price and taxes).
    const kept = await srv.admin.patch(`/api/sale-orders/${o.id}`, {
      version: res.body.version,
      lines: res.body.lines.map((l: { id: number; productId: number; quantity: number; discount: number }) => ({
        id: l.id,
        productId: l.productId,
        quantity: l.quantity,
        discount: l.discount,
      })),
    });
    expectStatus(kept, 200);
    expect(kept.body.lines.map((l: { discountAmount: number }) => l.discountAmount)).toEqual([397, 0, 0]);
  });

  it('400 naming the field for a discount beyond the line or the order, or a new line without a product; nothing changes', async () => {
    const f = await fixtures();
    const base = { partnerId: f.customer.id, lines: [{ productId: f.plain.id, quantity: 2 }] };
    expectError(
      await srv.admin.post('/api/sale-orders', { ...base, lines: [{ productId: f.plain.id, quantity: 2, discountAmount: 2001 }] }),
      400,
      'validation',
      'lines.0.discountAmount',
    );
    expectError(await srv.admin.post('/api/sale-orders', { ...base, orderDiscount: 2001 }), 400, 'validation', 'orderDiscount');
    expectError(await srv.admin.post('/api/sale-orders', { ...base, orderDiscount: -1 }), 400, 'validation', 'orderDiscount');
    expectError(
      await srv.admin.post('/api/sale-orders', { ...base, lines: [{ productId: null, quantity: 1, description: 'Mystery' }] }),
      400,
      'validation',
      'lines.0.productId',
    );
    const o = await create(srv.admin, base);
    expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, orderDiscount: 5000 }), 400, 'validation', 'orderDiscount');
    expect(await read(o.id)).toEqual(o);
  });

  it('a confirmed order keeps its discounts: no other order discount, its lines keep their shares, a new line takes none', async () => {
    const f = await fixtures();
    const o = await acted(
      (await create(srv.admin, { partnerId: f.customer.id, orderDiscount: 500, lines: [{ productId: f.plain.id, quantity: 2 }] })).id,
      'confirm',
    );
    expectError(await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, orderDiscount: 100 }), 422, 'invalid_state', 'orderDiscount');
    const res = await srv.admin.patch(`/api/sale-orders/${o.id}`, {
      version: o.version,
      lines: [
        { id: o.lines[0]!.id, productId: f.plain.id, quantity: 3 },
        { productId: f.plain.id, quantity: 1 },
      ],
    });
    expectStatus(res, 200);
    // The line's share stays 5.00; its subtotal follows its new quantity.
    expect(res.body.lines.map((l: { orderDiscount: number; subtotal: number }) => [l.orderDiscount, l.subtotal])).toEqual([
      [500, 2500],
      [0, 1000],
    ]);
  });
});

describe('sale order actions', () => {
  const STATES: State[] = ['draft', 'sent', 'sale', 'done', 'cancel'];
  // The state machine, written out here independently of contracts/states.ts.
  const ALLOWED: Record<string, State[]> = {
    send: ['draft', 'sent'],
    confirm: ['draft', 'sent'],
    cancel: ['draft', 'sent', 'sale'],
    lock: ['sale'],
    unlock: ['done'],
    draft: ['cancel'],
  };
  const TARGET: Record<string, State> = { send: 'sent', confirm: 'sale', cancel: 'cancel', lock: 'done', unlock: 'sale', draft: 'draft' };
  const INVOICE_STATUS: Record<State, string> = { draft: 'no', sent: 'no', sale: 'to_invoice', done: 'to_invoice', cancel: 'no' };

  it.each(STATES)('from %s: allowed actions move the order, every other one is 422 invalid_state', async (from) => {
    for (const action of Object.keys(ALLOWED)) {
      const o = await orderIn(from);
      expect(o.state).toBe(from);
      const res = await act(o.id, action);
      if (ALLOWED[action]!.includes(from)) {
        expectStatus(res, 200);
        const to = TARGET[action]!;
        expect(res.body).toMatchObject({ id: o.id, state: to, invoiceStatus: INVOICE_STATUS[to], version: o.version + 1 });
        expect(await read(o.id)).toEqual(res.body);
      } else {
        expectError(res, 422, 'invalid_state');
        expect(res.body.error.message).toContain(o.name);
        expect(await read(o.id)).toEqual(o);
      }
    }
  });

  it('POST /:id/confirm: the lines become invoiceable (qtyToInvoice), amounts unchanged', async () => {
    const f = await fixtures();
    const o = await create(srv.admin, {
      partnerId: f.customer.id,
      lines: [
        { productId: f.lamp.id, quantity: 3, discount: 15 },
        { productId: f.chair.id, quantity: 1.5 },
      ],
    });
    const c = await acted(o.id, 'confirm');
    expect(c).toMatchObject({ state: 'sale', invoiceStatus: 'to_invoice', deliveryStatus: 'pending', amountUntaxed: 8096, amountTax: 1899, amountTotal: 9995 });
    expect(c.lines.map((l) => l.qtyToInvoice)).toEqual([3, 1.5]);
    const cancelled = await acted(o.id, 'cancel');
    expect(cancelled).toMatchObject({ state: 'cancel', invoiceStatus: 'no' });
    expect(cancelled.lines.map((l) => l.qtyToInvoice)).toEqual([0, 0]);
    const back = await acted(o.id, 'draft');
    expect(back).toMatchObject({ state: 'draft', invoiceStatus: 'no', amountTotal: 9995 });
  });

  it('two confirmations at once: one confirms, the other gets 422', async () => {
    const o = await plainOrder();
    const results = await Promise.all([act(o.id, 'confirm'), act(o.id, 'confirm')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const after = await read(o.id);
    expect(after).toMatchObject({ state: 'sale', version: o.version + 1 });
  });

  it('POST /:id/confirm: 422 for an order without lines', async () => {
    const f = await fixtures();
    const o = await create(srv.admin, { partnerId: f.customer.id });
    const res = await act(o.id, 'confirm');
    expectError(res, 422, 'invalid_state');
    expect(res.body.error.message).toContain('no lines');
    expect(await read(o.id)).toEqual(o);
  });

  it('an optional version in the body: 409 with error.current when stale, 200 when current', async () => {
    const o = await plainOrder();
    const edited = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, note: 'moved on' });
    for (const action of ['send', 'confirm', 'cancel']) {
      const stale = await act(o.id, action, { version: o.version });
      expectError(stale, 409, 'conflict');
      expect(stale.body.error.current).toEqual(edited.body);
    }
    expect(await read(o.id)).toEqual(edited.body);
    const ok = await act(o.id, 'confirm', { version: edited.body.version });
    expectStatus(ok, 200);
    expect(ok.body.state).toBe('sale');
    expectError(await act(o.id, 'lock', { version: 'latest' }), 400, 'validation', 'version');
  });

  it('404 for a missing order; 403 for warehouse and accounting users', async () => {
    for (const action of Object.keys(ALLOWED)) expectError(await act(999999, action), 404, 'not_found');
    const o = await plainOrder();
    const wh = await srv.user('warehouse');
    const acc = await srv.user('accounting');
    for (const action of ['send', 'confirm', 'cancel']) {
      expectError(await act(o.id, action, undefined, wh), 403, 'forbidden');
      expectError(await act(o.id, action, undefined, acc), 403, 'forbidden');
    }
    expect(await read(o.id)).toEqual(o);
  });
});
