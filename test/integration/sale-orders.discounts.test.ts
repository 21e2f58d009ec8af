import { describe, expect, it } from 'vitest';
import { saleOrderKit } from '../factories/sale-orders';
import { expectError, expectStatus } from '../support/expect';
import { useTestServer } from '../support/server';

// Discounts on sale orders, on create (POST) and edit (PATCH): line amounts and an order discount.

const srv = useTestServer();
const { fixtures, create, acted, read } = saleOrderKit(srv);

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
