import { describe, expect, it } from 'vitest';
import { rooms } from '../../../contracts/events';
import { makePartner, makeProduct } from '../../factories/data';
import { boughtProduct, confirmPurchase, confirmedOrder, deliveryOf, picking, purchase, purchasesOf } from '../../factories/purchasing';
import { setStock } from '../../factories/stock';
import { expectError, expectStatus } from '../../support/expect';
import { nextEvent, subscribe, useTestServer } from '../../support/server';

const DAY = 86_400_000;

describe('make-to-order: buy + mto sales fill the vendor’s draft RFQ, and the units received go to those orders only', () => {
  const srv = useTestServer();

  const messagesOf = async (model: string, resId: number) =>
    (await srv.admin.get(`/api/messages?model=${model}&resId=${resId}&limit=100`)).body.items as { type: string; body: string }[];
  const notes = async (model: string, resId: number) => (await messagesOf(model, resId)).filter((m) => m.type === 'note').map((m) => m.body);

  it('acceptance 1: S1 for 3 and S2 for 2 make one RFQ line of 5; the receipt serves S1 then S2, never a stock order', async () => {
    const { vera, product } = await boughtProduct(srv.admin);
    const s1 = await confirmedOrder(srv.admin, product.id, 3);
    const [rfq] = await purchasesOf(srv.admin, vera.id);
    expect(rfq).toMatchObject({ state: 'draft', origin: s1.name, saleOrderIds: [s1.id], amountUntaxed: 15000 });
    expect(rfq!.lines).toHaveLength(1);
    expect(rfq!.lines[0]).toMatchObject({ productId: product.id, quantity: 3, unitPrice: 5000, saleLineIds: [s1.lines[0]!.id] });
    expect(new Date(rfq!.lines[0]!.datePlanned).getTime() - new Date(rfq!.dateOrder).getTime()).toBe(3 * DAY);
    const d1 = await deliveryOf(srv.admin, s1.id);
    expect(d1.state).toBe('waiting');
    expect(d1.moves[0]).toMatchObject({ quantity: 3, quantityReserved: 0, state: 'waiting' });

    const s2 = await confirmedOrder(srv.admin, product.id, 2);
    const rfqs = await purchasesOf(srv.admin, vera.id);
    expect(rfqs).toHaveLength(1);
    expect(rfqs[0]).toMatchObject({ id: rfq!.id, origin: `${s1.name}, ${s2.name}`, amountUntaxed: 25000 });
    expect(rfqs[0]!.lines).toHaveLength(1);
    expect(rfqs[0]!.lines[0]).toMatchObject({ quantity: 5 });
    expect(rfqs[0]!.saleOrderIds.sort()).toEqual([s1.id, s2.id].sort());

    const { po, receipt } = await confirmPurchase(srv.admin, rfq!.id);
    expect(po.state).toBe('purchase');
    expect(receipt.name).toMatch(/^WH\/IN\/\d{5}$/);
    expect(receipt.moves).toHaveLength(1);
    expect(receipt.moves[0]).toMatchObject({ productId: product.id, quantity: 5 });

    // A customer buying from stock meanwhile: the product taken off make-to-order for the confirmation.
    expectStatus(await srv.admin.patch(`/api/products/${product.id}`, { version: product.version, routes: ['buy'] }), 200);
    const stockOrder = await confirmedOrder(srv.admin, product.id, 4);
    const current = (await srv.admin.get(`/api/products/${product.id}`)).body;
    expectStatus(await srv.admin.patch(`/api/products/${product.id}`, { version: current.version, routes: ['buy', 'mto'] }), 200);
    expect((await deliveryOf(srv.admin, stockOrder.id)).state).toBe('confirmed');

    const warehouse = await srv.user('warehouse', 'Wanda Warehouse');
    const first = await warehouse.post(`/api/pickings/${receipt.id}/validate`, { moves: [{ id: receipt.moves[0]!.id, quantityDone: 3 }] });
    expectStatus(first, 200);
    expect(first.body.backorder).toMatchObject({ state: 'assigned', moves: [expect.objectContaining({ quantity: 2 })] });
    const ready = await deliveryOf(srv.admin, s1.id);
    expect(ready.state).toBe('assigned');
    expect(ready.moves[0]).toMatchObject({ quantityReserved: 3, state: 'assigned' });
    expect((await deliveryOf(srv.admin, s2.id)).state).toBe('waiting');
    const stockDelivery = await deliveryOf(srv.admin, stockOrder.id);
    expect(stockDelivery.state).toBe('confirmed');
    expect(stockDelivery.moves[0]!.quantityReserved).toBe(0);
    expect((await purchase(srv.admin, po.id)).lines[0]!.qtyReceived).toBe(3);

    expectStatus(await warehouse.post(`/api/pickings/${first.body.backorder.id}/validate`, {}), 200);
    const s2Ready = await deliveryOf(srv.admin, s2.id);
    expect(s2Ready.state).toBe('assigned');
    expect(s2Ready.moves[0]!.quantityReserved).toBe(2);
    expect((await deliveryOf(srv.admin, stockOrder.id)).moves[0]!.quantityReserved).toBe(0);
    const received = await purchase(srv.admin, po.id);
    expect(received.lines[0]!.qtyReceived).toBe(5);
    expect(received.received).toBe(true);
    const stock = (await srv.admin.get(`/api/stock/report?productId=${product.id}`)).body.items[0];
    expect(stock).toMatchObject({ onHand: 5, reserved: 5 });
  });

  it('units beyond what the orders still need go to stock, for the oldest delivery waiting for it', async () => {
    const { vera, product } = await boughtProduct(srv.admin);
    const s1 = await confirmedOrder(srv.admin, product.id, 3);
    const [rfq] = await purchasesOf(srv.admin, vera.id);
    // The buyer orders more than S1 needs: the 4 extra are nobody's.
    expectStatus(
      await srv.admin.patch(`/api/purchase-orders/${rfq!.id}`, {
        version: rfq!.version,
        lines: [{ id: rfq!.lines[0]!.id, productId: product.id, quantity: 7 }],
      }),
      200,
    );
    expectStatus(await srv.admin.patch(`/api/products/${product.id}`, { version: product.version, routes: ['buy'] }), 200);
    const stockOrder = await confirmedOrder(srv.admin, product.id, 2);
    const { receipt } = await confirmPurchase(srv.admin, rfq!.id);
    expectStatus(await srv.admin.post(`/api/pickings/${receipt.id}/validate`, {}), 200);
    expect((await deliveryOf(srv.admin, s1.id)).moves[0]!.quantityReserved).toBe(3);
    expect(await deliveryOf(srv.admin, stockOrder.id)).toMatchObject({ state: 'assigned', moves: [expect.objectContaining({ quantityReserved: 2 })] });
    expect((await srv.admin.get(`/api/stock/report?productId=${product.id}`)).body.items[0]).toMatchObject({ onHand: 7, reserved: 5 });
  });

  it('raising the quantity raises the draft line, then opens a new RFQ once the PO is confirmed; lowering lowers drafts first, notes the rest', async () => {
    const { vera, product } = await boughtProduct(srv.admin);
    const s1 = await confirmedOrder(srv.admin, product.id, 3);
    const patchQty = async (quantity: number) => {
      const o = (await srv.admin.get(`/api/sale-orders/${s1.id}`)).body;
      const res = await srv.admin.patch(`/api/sale-orders/${s1.id}`, { version: o.version, lines: [{ id: o.lines[0].id, productId: product.id, quantity }] });
      expectStatus(res, 200);
    };
    await patchQty(5);
    let [rfq] = await purchasesOf(srv.admin, vera.id);
    expect(rfq!.lines[0]).toMatchObject({ quantity: 5 });
    expect((await deliveryOf(srv.admin, s1.id)).moves[0]).toMatchObject({ quantity: 5, state: 'waiting' });

    await patchQty(4);
    [rfq] = await purchasesOf(srv.admin, vera.id);
    expect(rfq!.lines[0]).toMatchObject({ quantity: 4 });
    expect((await notes('purchaseOrder', rfq!.id)).join(' ')).toContain(`${s1.name} needs 1 fewer`);

    const { po } = await confirmPurchase(srv.admin, rfq!.id);
    await patchQty(6);
    const all = await purchasesOf(srv.admin, vera.id);
    expect(all).toHaveLength(2);
    const fresh = all.find((p) => p.id !== po.id)!;
    expect(fresh).toMatchObject({ state: 'draft', origin: s1.name, saleOrderIds: [s1.id] });
    expect(fresh.lines[0]).toMatchObject({ quantity: 2 });
    expect((await purchase(srv.admin, po.id)).lines[0]!.quantity).toBe(4);
    expect((await deliveryOf(srv.admin, s1.id)).moves.filter((m) => m.state !== 'cancel')).toEqual([expect.objectContaining({ quantity: 6 })]);

    // 6 → 3: the new draft's 2 come off (its line goes), the last 1 is the confirmed PO's: a note for the buyer.
    await patchQty(3);
    expect((await purchase(srv.admin, fresh.id)).lines).toEqual([]);
    expect((await notes('purchaseOrder', fresh.id)).join(' ')).toContain(`${s1.name} needs 2 fewer`);
    expect((await purchase(srv.admin, po.id)).lines[0]!.quantity).toBe(4);
    expect((await notes('purchaseOrder', po.id)).join(' ')).toContain(`${s1.name} needs 1 fewer`);
    expect((await deliveryOf(srv.admin, s1.id)).moves.filter((m) => m.state !== 'cancel')).toEqual([expect.objectContaining({ quantity: 3 })]);
  });

  it('cancelling the order lowers the draft RFQ, and leaves a confirmed PO its lines with a note: the units then go to stock', async () => {
    const { vera, product } = await boughtProduct(srv.admin);
    const s1 = await confirmedOrder(srv.admin, product.id, 3);
    const s2 = await confirmedOrder(srv.admin, product.id, 2);
    const [rfq] = await purchasesOf(srv.admin, vera.id);
    expectStatus(await srv.admin.post(`/api/sale-orders/${s2.id}/cancel`, {}), 200);
    const lowered = await purchase(srv.admin, rfq!.id);
    expect(lowered.lines[0]).toMatchObject({ quantity: 3 });
    expect(lowered.saleOrderIds).toEqual([s1.id]);
    expect((await notes('purchaseOrder', rfq!.id)).join(' ')).toContain(`${s2.name} was cancelled`);

    const { po, receipt } = await confirmPurchase(srv.admin, rfq!.id);
    expectStatus(await srv.admin.post(`/api/sale-orders/${s1.id}/cancel`, {}), 200);
    expect((await purchase(srv.admin, po.id)).lines[0]).toMatchObject({ quantity: 3 });
    expect((await notes('purchaseOrder', po.id)).join(' ')).toContain(`${s1.name} was cancelled`);
    // The PO no longer has anyone waiting: it may be cancelled without force (here it is received instead).
    expectStatus(await srv.admin.post(`/api/pickings/${receipt.id}/validate`, {}), 200);
    expect((await srv.admin.get(`/api/stock/report?productId=${product.id}`)).body.items[0]).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('a make-to-order product without a vendor: the confirmation is refused naming it, and nothing changes (no RFQ for the other line)', async () => {
    const { vera, product } = await boughtProduct(srv.admin);
    const orphan = await makeProduct(srv.admin, { routes: ['buy', 'mto'], name: 'Orphan espresso machine' });
    const customer = await makePartner(srv.admin);
    const created = await srv.admin.post('/api/sale-orders', {
      partnerId: customer.id,
      lines: [
        { productId: product.id, quantity: 1 },
        { productId: orphan.id, quantity: 1 },
      ],
    });
    const res = await srv.admin.post(`/api/sale-orders/${created.body.id}/confirm`, {});
    expectError(res, 422, 'invalid_state');
    expect(res.body.error.message).toContain('Orphan espresso machine');
    expect((await srv.admin.get(`/api/sale-orders/${created.body.id}`)).body.state).toBe('draft');
    expect((await srv.admin.get(`/api/pickings?saleOrderId=${created.body.id}`)).body.total).toBe(0);
    expect(await purchasesOf(srv.admin, vera.id)).toEqual([]);
  });

  it('purchaseOrder.updated reaches board:purchases and the rooms of the orders it serves', async () => {
    const { vera, product } = await boughtProduct(srv.admin);
    const s1 = await confirmedOrder(srv.admin, product.id, 1);
    const [rfq] = await purchasesOf(srv.admin, vera.id);
    const board = await srv.socket(srv.admin);
    expect(await subscribe(board, rooms.purchasesBoard)).toEqual({ ok: true });
    const order = await srv.socket(srv.admin);
    expect(await subscribe(order, rooms.record('saleOrder', s1.id))).toEqual({ ok: true });
    // Another order filling the same RFQ: the orders it already served hear of it too.
    const filled = nextEvent(order, 'purchaseOrder.updated', (e) => e.id === rfq!.id && e.purchaseOrder.amountUntaxed === 10000);
    await confirmedOrder(srv.admin, product.id, 1);
    expect((await filled).purchaseOrder.origin).toContain(s1.name);
    const onBoard = nextEvent(board, 'purchaseOrder.updated', (e) => e.id === rfq!.id && e.purchaseOrder.state === 'purchase');
    const onOrder = nextEvent(order, 'purchaseOrder.updated', (e) => e.id === rfq!.id && e.purchaseOrder.state === 'purchase');
    const { receipt } = await confirmPurchase(srv.admin, rfq!.id);
    expect((await onBoard).purchaseOrder).toMatchObject({ name: rfq!.name, state: 'purchase' });
    expect((await onOrder).before).toEqual({ state: 'draft', version: rfq!.version + 1 });
    const receivedOnOrder = nextEvent(order, 'purchaseOrder.updated', (e) => e.id === rfq!.id && e.purchaseOrder.received);
    expectStatus(await srv.admin.post(`/api/pickings/${receipt.id}/validate`, {}), 200);
    expect((await receivedOnOrder).purchaseOrder.received).toBe(true);
    expect((await picking(srv.admin, (await deliveryOf(srv.admin, s1.id)).id)).state).toBe('assigned');
  });

  // Found by the property test (purchasing-properties.test.ts), each a sequence that stranded an order.
  describe('units bought for an order stay its own, and an order never waits for units that will not come', () => {
    const patchQty = async (orderId: number, quantity: number) => {
      const o = (await srv.admin.get(`/api/sale-orders/${orderId}`)).body;
      expectStatus(
        await srv.admin.patch(`/api/sale-orders/${orderId}`, { version: o.version, lines: [{ id: o.lines[0].id, productId: o.lines[0].productId, quantity }] }),
        200,
      );
    };
    const stockOf = async (productId: number) => (await srv.admin.get(`/api/stock/report?productId=${productId}`)).body.items[0];

    it('a delivery shipped in part with a backorder: the units received for the order stay reserved for the backorder', async () => {
      const { vera, product } = await boughtProduct(srv.admin);
      const s1 = await confirmedOrder(srv.admin, product.id, 3);
      const { receipt } = await confirmPurchase(srv.admin, (await purchasesOf(srv.admin, vera.id))[0]!.id);
      expectStatus(await srv.admin.post(`/api/pickings/${receipt.id}/validate`, {}), 200);
      // A stock order for the same product waits meanwhile: it must not get the 2 left of S1's units.
      expectStatus(await srv.admin.patch(`/api/products/${product.id}`, { version: product.version, routes: ['buy'] }), 200);
      const stockOrder = await confirmedOrder(srv.admin, product.id, 2);
      const d1 = await deliveryOf(srv.admin, s1.id);
      const res = await srv.admin.post(`/api/pickings/${d1.id}/validate`, { moves: [{ id: d1.moves[0]!.id, quantityDone: 1 }] });
      expectStatus(res, 200);
      expect(res.body.backorder).toMatchObject({ state: 'assigned', moves: [expect.objectContaining({ quantity: 2, quantityReserved: 2 })] });
      expect((await deliveryOf(srv.admin, stockOrder.id)).moves[0]!.quantityReserved).toBe(0);
      expect(await stockOf(product.id)).toMatchObject({ onHand: 2, reserved: 2 });
    });

    it('stock counted below what was received for an order: its delivery takes stock for the units lost, and gets them when stock comes', async () => {
      const { vera, product } = await boughtProduct(srv.admin);
      const s1 = await confirmedOrder(srv.admin, product.id, 3);
      const { receipt } = await confirmPurchase(srv.admin, (await purchasesOf(srv.admin, vera.id))[0]!.id);
      expectStatus(await srv.admin.post(`/api/pickings/${receipt.id}/validate`, {}), 200);
      await setStock(srv.admin, product.id, 1);
      const d1 = await deliveryOf(srv.admin, s1.id);
      expect(d1.moves.filter((m) => m.state !== 'cancel').reduce((s, m) => s + m.quantityReserved, 0)).toBe(1);
      expect(d1.moves.find((m) => m.quantityReserved === 0)).toMatchObject({ quantity: 2, state: 'confirmed' });
      await setStock(srv.admin, product.id, 3);
      expect(await deliveryOf(srv.admin, s1.id)).toMatchObject({ state: 'assigned' });
    });

    it('a receipt validated in part without a backorder: the orders waiting for the rest take stock instead', async () => {
      const { vera, product } = await boughtProduct(srv.admin);
      const s1 = await confirmedOrder(srv.admin, product.id, 1);
      const s2 = await confirmedOrder(srv.admin, product.id, 1);
      const { receipt } = await confirmPurchase(srv.admin, (await purchasesOf(srv.admin, vera.id))[0]!.id);
      expectStatus(
        await srv.admin.post(`/api/pickings/${receipt.id}/validate`, { moves: [{ id: receipt.moves[0]!.id, quantityDone: 1 }], backorder: false }),
        200,
      );
      expect((await deliveryOf(srv.admin, s1.id)).state).toBe('assigned');
      const d2 = await deliveryOf(srv.admin, s2.id);
      expect(d2.state).toBe('confirmed');
      await setStock(srv.admin, product.id, 2);
      expect((await deliveryOf(srv.admin, s2.id)).state).toBe('assigned');
    });

    it('an order lowered below what a confirmed PO bought for it, then raised: only what the PO does not bring is bought again', async () => {
      const { vera, product } = await boughtProduct(srv.admin);
      const s1 = await confirmedOrder(srv.admin, product.id, 3);
      const { po } = await confirmPurchase(srv.admin, (await purchasesOf(srv.admin, vera.id))[0]!.id);
      await patchQty(s1.id, 1);
      await patchQty(s1.id, 4);
      const rfqs = (await purchasesOf(srv.admin, vera.id)).filter((o) => o.id !== po.id);
      expect(rfqs).toHaveLength(1);
      expect(rfqs[0]!.lines).toEqual([expect.objectContaining({ quantity: 1 })]);
    });

    it('a lower quantity that is all reserved makes the delivery Ready', async () => {
      const product = await makeProduct(srv.admin);
      await setStock(srv.admin, product.id, 2);
      const order = await confirmedOrder(srv.admin, product.id, 3);
      expect((await deliveryOf(srv.admin, order.id)).moves[0]).toMatchObject({ quantityReserved: 2, state: 'partially_available' });
      await patchQty(order.id, 2);
      expect(await deliveryOf(srv.admin, order.id)).toMatchObject({ state: 'assigned', moves: [expect.objectContaining({ quantity: 2, state: 'assigned' })] });
    });
  });
});
