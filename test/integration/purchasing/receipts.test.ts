import { describe, expect, it } from 'vitest';
import type { PickingSummary } from '../../../contracts/schemas/inventory';
import { makeProduct } from '../../factories/data';
import { boughtProduct, confirmPurchase, confirmedOrder, deliveryOf, picking, purchase, purchasesOf } from '../../factories/purchasing';
import { setStock } from '../../factories/stock';
import { expectError, expectStatus } from '../../support/expect';
import { useTestServer } from '../../support/server';

const DAY = 86_400_000;

describe('purchase orders: confirm (the receipt), cancel, back to draft; receipts move qtyReceived', () => {
  const srv = useTestServer();

  async function location(kind: 'internal' | 'vendor') {
    const items = (await srv.admin.get(`/api/locations?kind=${kind}&limit=200`)).body.items as { id: number; isReturns: boolean }[];
    return items.find((l) => !l.isReturns)!.id;
  }

  /** An RFQ to Vera of `quantity` of a storable product bought from her (routes: buy). */
  async function rfqOf(quantity: number, dateOrder?: string) {
    const { vera, product } = await boughtProduct(srv.admin, ['buy']);
    const res = await srv.admin.post('/api/purchase-orders', { partnerId: vera.id, dateOrder, lines: [{ productId: product.id, quantity }] });
    expectStatus(res, 201);
    return { vera, product, rfq: res.body };
  }

  const notes = async (model: string, resId: number) =>
    ((await srv.admin.get(`/api/messages?model=${model}&resId=${resId}&limit=100`)).body.items as { type: string; body: string }[])
      .filter((m) => m.type === 'note')
      .map((m) => m.body)
      .join(' ');

  it('confirming creates the receipt WH/IN/… from Vendors to Stock (goods only), due on the planned date, on the inbound wall', async () => {
    const { vera, product } = await boughtProduct(srv.admin, ['buy']);
    const consumable = await makeProduct(srv.admin, { type: 'consumable' });
    const service = await makeProduct(srv.admin, { type: 'service' });
    const dateOrder = new Date(Date.now() - 30 * DAY).toISOString();
    const created = await srv.admin.post('/api/purchase-orders', {
      partnerId: vera.id,
      dateOrder,
      lines: [
        { productId: product.id, quantity: 4 },
        { productId: consumable.id, quantity: 2 },
        { productId: service.id, quantity: 1 },
      ],
    });
    expectStatus(created, 201);
    const { po, receipt } = await confirmPurchase(srv.admin, created.body.id);
    expect(po).toMatchObject({ state: 'purchase', late: true });
    expect(po.dateApproved).not.toBeNull();
    expect(po.pickingIds).toEqual([receipt.id]);
    expect(receipt).toMatchObject({
      type: 'incoming',
      state: 'assigned',
      origin: po.name,
      partnerId: vera.id,
      purchaseOrderId: po.id,
      scheduledDate: po.datePlanned,
      fromLocationId: await location('vendor'),
      toLocationId: await location('internal'),
      late: true,
    });
    expect(receipt.name).toMatch(/^WH\/IN\/\d{5}$/);
    expect(receipt.moves.map((m) => [m.productId, m.quantity, m.state])).toEqual([
      [product.id, 4, 'assigned'],
      [consumable.id, 2, 'assigned'],
    ]);
    const wall = (await srv.admin.get('/api/shipments/pending')).body as { inbound: PickingSummary[]; outbound: PickingSummary[] };
    expect(wall.inbound.find((p) => p.id === receipt.id)).toMatchObject({ scheduledDate: po.datePlanned, late: true });
    expect(wall.outbound.some((p) => p.id === receipt.id)).toBe(false);

    expectError(await srv.admin.post(`/api/purchase-orders/${po.id}/confirm`, {}), 422, 'invalid_state');
    const empty = await srv.admin.post('/api/purchase-orders', { partnerId: vera.id, lines: [] });
    const refused = await srv.admin.post(`/api/purchase-orders/${empty.body.id}/confirm`, {});
    expectError(refused, 422, 'invalid_state');
    expect(refused.body.error.message).toContain('no lines');
    expect((await purchase(srv.admin, empty.body.id)).state).toBe('draft');
  });

  it('roles: a buyer confirms, a sales or warehouse user may not; a warehouse user validates the receipt, a buyer may not', async () => {
    const { rfq } = await rfqOf(2);
    const sales = await srv.user('sales', 'Sam Sales');
    const warehouse = await srv.user('warehouse', 'Wanda Warehouse');
    const buyer = await srv.user('purchase', 'Bea Buyer');
    expectError(await sales.post(`/api/purchase-orders/${rfq.id}/confirm`, {}), 403, 'forbidden');
    expectError(await warehouse.post(`/api/purchase-orders/${rfq.id}/confirm`, {}), 403, 'forbidden');
    expect((await purchase(srv.admin, rfq.id)).state).toBe('draft');
    const { receipt } = await confirmPurchase(buyer, rfq.id);
    expectError(await buyer.post(`/api/pickings/${receipt.id}/validate`, {}), 403, 'forbidden');
    const validated = await warehouse.post(`/api/pickings/${receipt.id}/validate`, {});
    expectStatus(validated, 200);
    expect(validated.body.picking.state).toBe('done');
    expect((await purchase(srv.admin, rfq.id)).lines[0]).toMatchObject({ qtyReceived: 2 });
  });

  it('a stale version is a 409 with the current order', async () => {
    const { rfq } = await rfqOf(1);
    const res = await srv.admin.post(`/api/purchase-orders/${rfq.id}/confirm`, { version: rfq.version + 5 });
    expect(res.status).toBe(409);
    expect(res.body.error.current).toMatchObject({ id: rfq.id, state: 'draft' });
  });

  it('cancel: refused while sale orders wait on it, naming them; forced, it cancels the receipt, notes each order, and their deliveries take stock', async () => {
    const { vera, product } = await boughtProduct(srv.admin);
    const s1 = await confirmedOrder(srv.admin, product.id, 3);
    const s2 = await confirmedOrder(srv.admin, product.id, 2);
    const [rfq] = await purchasesOf(srv.admin, vera.id);
    const { po, receipt } = await confirmPurchase(srv.admin, rfq!.id);
    await setStock(srv.admin, product.id, 3);
    // Stock on hand is not for them while they wait on the PO.
    expect((await deliveryOf(srv.admin, s1.id)).state).toBe('waiting');

    const buyer = await srv.user('purchase', 'Bea Buyer');
    const refused = await buyer.post(`/api/purchase-orders/${po.id}/cancel`, {});
    expectError(refused, 422, 'invalid_state', 'force');
    expect(refused.body.error.message).toBe(`${po.name} serves ${s1.name}, ${s2.name}: cancel with force to cancel anyway`);
    expect((await picking(srv.admin, receipt.id)).state).toBe('assigned');

    const forced = await buyer.post(`/api/purchase-orders/${po.id}/cancel`, { force: true });
    expectStatus(forced, 200);
    expect(forced.body).toMatchObject({ state: 'cancel', saleOrderIds: [] });
    expect((await picking(srv.admin, receipt.id)).state).toBe('cancel');
    for (const s of [s1, s2]) expect(await notes('saleOrder', s.id)).toContain(po.name);
    // Oldest first: S1 takes the 3 in stock, S2 waits for stock (no longer for the PO).
    expect(await deliveryOf(srv.admin, s1.id)).toMatchObject({ state: 'assigned', moves: [expect.objectContaining({ quantityReserved: 3 })] });
    expect((await deliveryOf(srv.admin, s2.id)).state).toBe('confirmed');

    const drafted = await buyer.post(`/api/purchase-orders/${po.id}/draft`, {});
    expectStatus(drafted, 200);
    expect(drafted.body.state).toBe('draft');
    // Nobody waits on it any more: a plain cancel goes through.
    expectStatus(await buyer.post(`/api/purchase-orders/${po.id}/cancel`, {}), 200);
    expectError(await buyer.post(`/api/purchase-orders/${po.id}/cancel`, {}), 422, 'invalid_state');
  });

  it('cancel is refused once goods were received; an order whose sale orders were cancelled cancels without force', async () => {
    const { rfq } = await rfqOf(5);
    const { receipt } = await confirmPurchase(srv.admin, rfq.id);
    expectStatus(await srv.admin.post(`/api/pickings/${receipt.id}/validate`, { moves: [{ id: receipt.moves[0]!.id, quantityDone: 1 }] }), 200);
    const refused = await srv.admin.post(`/api/purchase-orders/${rfq.id}/cancel`, { force: true });
    expectError(refused, 422, 'invalid_state');
    expect(refused.body.error.message).toContain('received');
    expect((await purchase(srv.admin, rfq.id)).state).toBe('purchase');

    const { vera, product } = await boughtProduct(srv.admin);
    const s1 = await confirmedOrder(srv.admin, product.id, 1);
    const [mto] = await purchasesOf(srv.admin, vera.id);
    await confirmPurchase(srv.admin, mto!.id);
    expectStatus(await srv.admin.post(`/api/sale-orders/${s1.id}/cancel`, {}), 200);
    expectStatus(await srv.admin.post(`/api/purchase-orders/${mto!.id}/cancel`, {}), 200);
  });

  it('partial receipt without a backorder: the line keeps what is still to receive, no receipt stays open', async () => {
    const { rfq, product } = await rfqOf(5);
    const { receipt } = await confirmPurchase(srv.admin, rfq.id);
    const res = await srv.admin.post(`/api/pickings/${receipt.id}/validate`, { moves: [{ id: receipt.moves[0]!.id, quantityDone: 3 }], backorder: false });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ picking: { state: 'done' }, backorder: null });
    const po = await purchase(srv.admin, rfq.id);
    expect(po).toMatchObject({ state: 'purchase', received: false, pickingIds: [receipt.id] });
    expect(po.lines[0]).toMatchObject({ quantity: 5, qtyReceived: 3 });
    const wall = (await srv.admin.get('/api/shipments/pending')).body as { inbound: PickingSummary[] };
    expect(wall.inbound.some((p) => p.purchaseOrderId === rfq.id)).toBe(false);
    expect((await srv.admin.get(`/api/stock/report?productId=${product.id}`)).body.items[0]).toMatchObject({ onHand: 3 });
  });

  it('a backorder keeps the purchase order: the rest received later completes the line', async () => {
    const { rfq } = await rfqOf(5);
    const { receipt } = await confirmPurchase(srv.admin, rfq.id);
    const first = await srv.admin.post(`/api/pickings/${receipt.id}/validate`, { moves: [{ id: receipt.moves[0]!.id, quantityDone: 2 }] });
    expect(first.body.backorder).toMatchObject({ purchaseOrderId: rfq.id, origin: rfq.name, state: 'assigned' });
    expect((await purchase(srv.admin, rfq.id)).lines[0]!.qtyReceived).toBe(2);
    // The PO's pickings, and no other PO's: the receipt done, its backorder open.
    const listed = (await srv.admin.get(`/api/pickings?purchaseOrderId=${rfq.id}`)).body as { items: PickingSummary[]; total: number };
    expect(listed.items.map((p) => [p.id, p.state]).sort()).toEqual(
      [
        [receipt.id, 'done'],
        [first.body.backorder.id, 'assigned'],
      ].sort(),
    );
    expect(listed.total).toBe(2);
    expect((await srv.admin.get(`/api/pickings?purchaseOrderId=${rfq.id}&state=assigned`)).body.items.map((p: PickingSummary) => p.id)).toEqual([
      first.body.backorder.id,
    ]);
    expectStatus(await srv.admin.post(`/api/pickings/${first.body.backorder.id}/validate`, {}), 200);
    const po = await purchase(srv.admin, rfq.id);
    expect(po).toMatchObject({ received: true, pickingIds: [receipt.id, first.body.backorder.id] });
    expect(po.lines[0]!.qtyReceived).toBe(5);
  });

  it('returning a receipt to the vendor lowers the received quantity once the return is done', async () => {
    const { rfq, product, vera } = await rfqOf(5);
    const { receipt } = await confirmPurchase(srv.admin, rfq.id);
    expectStatus(await srv.admin.post(`/api/pickings/${receipt.id}/validate`, {}), 200);
    const ret = await srv.admin.post(`/api/pickings/${receipt.id}/return`, { lines: [{ productId: product.id, quantity: 2 }], reason: 'damaged' });
    expectStatus(ret, 201);
    expect(ret.body).toMatchObject({
      type: 'return',
      purchaseOrderId: rfq.id,
      partnerId: vera.id,
      fromLocationId: await location('internal'),
      toLocationId: await location('vendor'),
      state: 'assigned',
    });
    const wall = (await srv.admin.get('/api/shipments/pending')).body as { inbound: PickingSummary[]; outbound: PickingSummary[] };
    expect(wall.outbound.some((p) => p.id === ret.body.id)).toBe(true);
    expect((await purchase(srv.admin, rfq.id)).lines[0]!.qtyReceived).toBe(5);
    expectStatus(await srv.admin.post(`/api/pickings/${ret.body.id}/validate`, {}), 200);
    expect((await purchase(srv.admin, rfq.id)).lines[0]!.qtyReceived).toBe(3);
    expect((await srv.admin.get(`/api/stock/report?productId=${product.id}`)).body.items[0]).toMatchObject({ onHand: 3 });
    const tooMany = await srv.admin.post(`/api/pickings/${receipt.id}/return`, { lines: [{ productId: product.id, quantity: 4 }] });
    expectError(tooMany, 400, 'validation', 'lines.0.quantity');
  });
});
