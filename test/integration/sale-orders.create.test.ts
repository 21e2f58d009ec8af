import { describe, expect, it } from 'vitest';
import { makeTax } from '../factories/data';
import { numberOf, saleOrderKit } from '../factories/sale-orders';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

// POST /api/sale-orders: a quotation's lines, amounts, fields and numbers, bad input, access and
// the (channel, external id) uniqueness.

const srv = useTestServer();
const { fixtures, create, plainOrder, read } = saleOrderKit(srv);

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
      reference: null,
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
