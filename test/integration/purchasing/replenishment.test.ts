import { describe, expect, it } from 'vitest';
import type { PurchaseOrder, ReplenishmentItem } from '../../../contracts/schemas/purchasing';
import { makeOrder, makePartner, makeProduct } from '../../factories/data';
import { setStock } from '../../factories/stock';
import { expectError, expectStatus } from '../../support/expect';
import { jobsSettled } from '../../support/jobs';
import { useTestServer } from '../../support/server';

type Move = { productId: number; quantity: number; quantityReserved: number; state: string };
type Picking = { id: number; name: string; state: string; moves: Move[] };

describe('replenishment: "Order N more" on a waiting delivery, the replenishment report and ordering from it', () => {
  const srv = useTestServer();

  async function boughtProduct(leadDays = 3, fields: Record<string, unknown> = {}) {
    const vendor = await makePartner(srv.admin, { name: `Vera ${Date.now()}`, roles: ['vendor'] });
    const product = await makeProduct(srv.admin, { cost: 4000, vendors: [{ partnerId: vendor.id, price: 5000, minQty: 1, leadDays }], ...fields });
    return { vendor, product };
  }

  /** An order for these lines, confirmed, with its delivery. */
  async function confirmedOrder(lines: { productId: number; quantity: number }[]) {
    const order = await makeOrder(srv.admin, { lines });
    expectStatus(await srv.admin.post(`/api/sale-orders/${order.id}/confirm`), 200);
    const [first] = (await srv.admin.get(`/api/pickings?saleOrderId=${order.id}`)).body.items;
    return { order, delivery: (await srv.admin.get(`/api/pickings/${first.id}`)).body as Picking };
  }

  const purchase = async (id: number) => (await srv.admin.get(`/api/purchase-orders/${id}`)).body as PurchaseOrder;

  describe('Order N more', () => {
    it('acceptance 2: 2 on hand, an order for 5 → 2 reserved; order 3 more raised to 10 → an RFQ line of 10 for the order', async () => {
      const { vendor, product } = await boughtProduct();
      await setStock(srv.admin, product.id, 2);
      const { order, delivery } = await confirmedOrder([{ productId: product.id, quantity: 5 }]);
      expect(delivery.state).toBe('assigned');
      expect(delivery.moves[0]).toMatchObject({ quantity: 5, quantityReserved: 2, state: 'partially_available' });

      // The shortage is 3, none of it on order: less is a 400 and orders nothing.
      const shortage = (id: number) => srv.admin.get(`/api/pickings/${id}/shortage`).then((r) => r.body);
      expect(await shortage(delivery.id)).toEqual({
        products: [{ productId: product.id, short: 3, onOrder: 0, toOrder: 3 }],
        short: 3,
        onOrder: 0,
        toOrder: 3,
        orders: [],
      });
      expectError(await srv.admin.post(`/api/pickings/${delivery.id}/order-more`, { quantity: 2 }), 400, 'validation', 'quantity');
      expect((await srv.admin.get(`/api/purchase-orders?partnerId=${vendor.id}`)).body.total).toBe(0);

      const res = await srv.admin.post(`/api/pickings/${delivery.id}/order-more`, { quantity: 10 });
      expectStatus(res, 201);
      expect(res.body).toMatchObject({ quantity: 10, purchaseOrderIds: [res.body.purchaseOrderId] });
      const rfq = await purchase(res.body.purchaseOrderId);
      expect(rfq).toMatchObject({ state: 'draft', partnerId: vendor.id, origin: `${delivery.name} (${order.name})`, saleOrderIds: [order.id] });
      expect(rfq.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 10, unitPrice: 5000 })]);

      // The same shortage again, with or without a quantity: covered by the RFQ, nothing doubles.
      expect(await shortage(delivery.id)).toMatchObject({ short: 3, onOrder: 3, toOrder: 0, orders: [rfq.name] });
      const again = await srv.admin.post(`/api/pickings/${delivery.id}/order-more`);
      expectError(again, 422, 'invalid_state');
      expect(again.body.error.message).toContain(rfq.name);
      expectError(await srv.admin.post(`/api/pickings/${delivery.id}/order-more`, { quantity: 10 }), 422, 'invalid_state');
      expect((await purchase(rfq.id)).lines).toEqual([expect.objectContaining({ quantity: 10 })]);
    });

    it('orders only what open purchases do not cover yet; several short products each get their shortage', async () => {
      const { vendor, product } = await boughtProduct();
      const second = await boughtProduct();
      await setStock(srv.admin, product.id, 1);
      const { delivery } = await confirmedOrder([
        { productId: product.id, quantity: 4 },
        { productId: second.product.id, quantity: 2 },
      ]);
      // Two products short: one quantity cannot say which.
      expectError(await srv.admin.post(`/api/pickings/${delivery.id}/order-more`, { quantity: 5 }), 400, 'validation', 'quantity');
      const res = await srv.admin.post(`/api/pickings/${delivery.id}/order-more`);
      expectStatus(res, 201);
      expect(res.body.quantity).toBe(5);
      expect(res.body.purchaseOrderIds).toHaveLength(2);
      const first = (await srv.admin.get(`/api/purchase-orders?partnerId=${vendor.id}`)).body.items[0];
      expect((await purchase(first.id)).lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 3 })]);

      // Someone lowers the RFQ line to 1: 2 of the shortage are no longer on order, and only those are ordered.
      const rfq = await purchase(first.id);
      const lowered = await srv.admin.patch(`/api/purchase-orders/${rfq.id}`, {
        version: rfq.version,
        lines: [{ id: rfq.lines[0]!.id, productId: product.id, quantity: 1 }],
      });
      expectStatus(lowered, 200);
      const left = (await srv.admin.get(`/api/pickings/${delivery.id}/shortage`)).body;
      expect(left).toMatchObject({ short: 5, onOrder: 3, toOrder: 2 });
      expect(left.products).toEqual(
        expect.arrayContaining([
          { productId: product.id, short: 3, onOrder: 1, toOrder: 2 },
          { productId: second.product.id, short: 2, onOrder: 2, toOrder: 0 },
        ]),
      );
      const more = await srv.admin.post(`/api/pickings/${delivery.id}/order-more`);
      expectStatus(more, 201);
      expect(more.body).toMatchObject({ purchaseOrderId: rfq.id, quantity: 2 });
      expect((await purchase(rfq.id)).lines).toEqual([expect.objectContaining({ quantity: 3 })]);
    });

    it('is a 422 for a delivery not waiting for stock, a 404 for none, a 403 for warehouse staff', async () => {
      const { product } = await boughtProduct();
      await setStock(srv.admin, product.id, 5);
      const { delivery } = await confirmedOrder([{ productId: product.id, quantity: 5 }]);
      expect(delivery.state).toBe('assigned');
      const ready = await srv.admin.post(`/api/pickings/${delivery.id}/order-more`);
      expectError(ready, 422, 'invalid_state');
      expect(ready.body.error.message).toMatch(/not waiting for stock/);
      // Its shortage reads as none; a picking that is no delivery has none either.
      expect((await srv.admin.get(`/api/pickings/${delivery.id}/shortage`)).body).toEqual({ products: [], short: 0, onOrder: 0, toOrder: 0, orders: [] });
      expectError(await srv.admin.get('/api/pickings/999999/shortage'), 404, 'not_found');
      expectError(await srv.admin.post('/api/pickings/999999/order-more'), 404, 'not_found');

      const { delivery: waiting } = await confirmedOrder([{ productId: product.id, quantity: 1 }]);
      expect(waiting.state).toBe('confirmed');
      const wh = await srv.user('warehouse', 'Wanda Warehouse');
      expectError(await wh.post(`/api/pickings/${waiting.id}/order-more`), 403, 'forbidden');
      // Everyone may read what it lacks (the button is the buyers').
      expect((await wh.get(`/api/pickings/${waiting.id}/shortage`)).body).toMatchObject({ toOrder: 1 });
      const buyer = await srv.user('purchase', 'Bea Buyer');
      expect((await buyer.post(`/api/pickings/${waiting.id}/order-more`)).body).toMatchObject({ quantity: 1 });

      // A product without a vendor: nothing to order it from.
      const lonely = await makeProduct(srv.admin);
      const { delivery: stuck } = await confirmedOrder([{ productId: lonely.id, quantity: 1 }]);
      const none = await srv.admin.post(`/api/pickings/${stuck.id}/order-more`);
      expectError(none, 422, 'invalid_state');
      expect(none.body.error.message).toContain(lonely.sku);
    });

    it('acceptance 2, received: the RFQ of 10 confirmed and received → the delivery is Ready, 7 stay in stock', async () => {
      const { product } = await boughtProduct();
      await setStock(srv.admin, product.id, 2);
      const { delivery } = await confirmedOrder([{ productId: product.id, quantity: 5 }]);
      const ordered = await srv.admin.post(`/api/pickings/${delivery.id}/order-more`, { quantity: 10 });
      expectStatus(ordered, 201);
      const rfq = await purchase(ordered.body.purchaseOrderId);
      expectStatus(await srv.admin.post(`/api/purchase-orders/${rfq.id}/confirm`, { version: rfq.version }), 200);
      const [receiptId] = (await purchase(rfq.id)).pickingIds;
      const wh = await srv.user('warehouse', 'Wanda Warehouse');
      expectStatus(await wh.post(`/api/pickings/${receiptId}/validate`, {}), 200);
      const after = (await srv.admin.get(`/api/pickings/${delivery.id}`)).body as Picking;
      expect(after.state).toBe('assigned');
      expect(after.moves[0]).toMatchObject({ quantity: 5, quantityReserved: 5, state: 'assigned' });
      const [stock] = (await srv.admin.get(`/api/stock/report?productId=${product.id}`)).body.items;
      expect(stock).toMatchObject({ onHand: 12, reserved: 5 });
      expect(stock.onHand - stock.reserved).toBe(7);
      expect((await purchase(rfq.id)).lines[0]).toMatchObject({ quantity: 10, qtyReceived: 10 });
      // Received and reserved: the delivery waits for nothing more.
      expect((await srv.admin.get(`/api/pickings/${delivery.id}/shortage`)).body).toMatchObject({ products: [], toOrder: 0 });
      expectError(await srv.admin.post(`/api/pickings/${delivery.id}/order-more`), 422, 'invalid_state');
    });
  });

  describe('the replenishment report', () => {
    it('lists products below their minimum or with waiting demand, with what to order and from whom; "Order" fills the RFQs by vendor', async () => {
      const { vendor, product: ruled } = await boughtProduct(5);
      const waiting = await boughtProduct(2);
      const lonely = await makeProduct(srv.admin);
      // 1 on hand, then a rule (a rule's creation orders nothing: the next stock change or run does).
      await setStock(srv.admin, ruled.id, 1);
      await jobsSettled('reorder');
      const rule = (await srv.admin.post('/api/reorder-rules', { productId: ruled.id, min: 4, max: 10, multiple: 4 })).body;
      // Waiting demand without a rule: 1 on hand, 4 ordered → forecast −3.
      await setStock(srv.admin, waiting.product.id, 1);
      await confirmedOrder([{ productId: waiting.product.id, quantity: 4 }]);
      await confirmedOrder([{ productId: lonely.id, quantity: 2 }]);
      const report = await srv.admin.get('/api/replenishment?warehouseId=1');
      expectStatus(report, 200);
      const item = (id: number) => (report.body.items as ReplenishmentItem[]).find((i) => i.productId === id);
      const today = new Date().toISOString().slice(0, 10);
      expect(item(waiting.product.id)).toMatchObject({
        warehouseId: 1,
        sku: waiting.product.sku,
        onHand: 1,
        incoming: 0,
        outgoing: 4,
        forecast: -3,
        ruleId: null,
        suggested: 3,
        vendorId: waiting.vendor.id,
        vendorName: waiting.vendor.name,
        leadDays: 2,
      });
      expect(item(waiting.product.id)!.plannedArrival!.slice(0, 10)).toBe(new Date(Date.parse(today) + 2 * 86_400_000).toISOString().slice(0, 10));
      expect(item(lonely.id)).toMatchObject({ forecast: -2, suggested: 2, vendorId: null, vendorName: null, leadDays: null, plannedArrival: null });
      expect(report.body.withoutVendor).toContainEqual({ productId: lonely.id, sku: lonely.sku, productName: lonely.name });
      // Below its minimum of 4: up to 10 from 1 is 9, in multiples of 4 → 12.
      expect(item(ruled.id)).toMatchObject({ forecast: 1, ruleId: rule.id, min: 4, max: 10, multiple: 4, suggested: 12, vendorId: vendor.id, leadDays: 5 });

      // Ordering: a product without a vendor is a 422 naming it, and nothing is ordered.
      const refused = await srv.admin.post('/api/replenishment/order', {
        items: [
          { productId: waiting.product.id, quantity: 3 },
          { productId: lonely.id, quantity: 2 },
        ],
      });
      expectError(refused, 422, 'invalid_state');
      expect(refused.body.error.message).toContain(lonely.sku);
      expect((await srv.admin.get(`/api/purchase-orders?partnerId=${waiting.vendor.id}`)).body.total).toBe(0);
      expectError(await srv.admin.post('/api/replenishment/order', { items: [{ productId: 999999, quantity: 1 }] }), 400, 'validation');
      expectError(
        await srv.admin.post('/api/replenishment/order', { items: [{ productId: waiting.product.id, warehouseId: 999, quantity: 1 }] }),
        400,
        'validation',
        'items.0.warehouseId',
      );

      const ordered = await srv.admin.post('/api/replenishment/order', {
        items: [
          { productId: waiting.product.id, quantity: 3 },
          { productId: ruled.id, warehouseId: 1, quantity: 8 },
        ],
      });
      expectStatus(ordered, 200);
      expect(ordered.body.purchaseOrderIds).toHaveLength(2);
      const byVendor = await Promise.all(ordered.body.purchaseOrderIds.map(purchase));
      const toWaiting = byVendor.find((o) => o.partnerId === waiting.vendor.id)!;
      expect(toWaiting).toMatchObject({ state: 'draft', origin: 'Replenishment' });
      expect(toWaiting.lines).toEqual([expect.objectContaining({ productId: waiting.product.id, quantity: 3 })]);
      expect(byVendor.find((o) => o.partnerId === vendor.id)!.lines).toEqual([expect.objectContaining({ productId: ruled.id })]);

      // Ordered: no longer short.
      const after = (await srv.admin.get('/api/replenishment?warehouseId=1')).body.items as ReplenishmentItem[];
      expect(after.find((i) => i.productId === waiting.product.id)).toBeUndefined();
      expect(after.find((i) => i.productId === ruled.id)).toBeUndefined();
      expectError(await srv.admin.get('/api/replenishment?warehouseId=999'), 400, 'validation', 'warehouseId');
    });

    it('roles: everyone reads the report; warehouse staff may not order from it', async () => {
      const { product } = await boughtProduct();
      const wh = await srv.user('warehouse', 'Wanda Warehouse');
      expectStatus(await wh.get('/api/replenishment'), 200);
      expectError(await wh.post('/api/replenishment/order', { items: [{ productId: product.id, quantity: 1 }] }), 403, 'forbidden');
    });
  });
});
