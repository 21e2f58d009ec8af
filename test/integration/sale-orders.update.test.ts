import { describe, expect, it } from 'vitest';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { makePartner, makeProduct } from '../factories/data';
import { lineBody, saleOrderKit } from '../factories/sale-orders';
import { expectError, expectStatus } from '../support/expect';
import { useTestServer } from '../support/server';

// PATCH /api/sale-orders/:id: editing a quotation, a confirmed order and a done or cancelled one.

const srv = useTestServer();
const { fixtures, create, plainOrder, acted, orderIn, read } = saleOrderKit(srv);

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
