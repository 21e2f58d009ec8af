import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { rooms } from '../../contracts/events';
import type { ApiClient } from '../support/client';
import { makeOrder, makePartner, makeProduct } from '../factories/data';
import { nextEvent, subscribe, useTestServer } from '../support/server';
import { setStock } from '../factories/stock';

type Move = { id: number; productId: number; quantity: number; quantityReserved: number; quantityDone: number; state: string };
type Picking = { id: number; name: string; state: string; origin: string; moves: Move[]; backorderOfId: number | null; version: number };

describe('inventory: deliveries on confirmation, validation, backorders, returns, stock', () => {
  const srv = useTestServer();
  let wh: ApiClient;
  // test/setup/stock-invariants.ts checks the stock invariants after each test.

  async function warehouse(): Promise<ApiClient> {
    wh ??= await srv.user('warehouse', 'Wanda Warehouse');
    return wh;
  }

  /** An order for these products and quantities, confirmed; returns it with its delivery. */
  async function confirmedOrder(lines: { productId: number; quantity: number }[]) {
    const order = await makeOrder(srv.admin, { lines });
    const res = await srv.admin.post(`/api/sale-orders/${order.id}/confirm`);
    expect(res.status).toBe(200);
    const pickings = (await srv.admin.get(`/api/pickings?saleOrderId=${order.id}`)).body.items;
    const delivery: Picking | undefined = pickings[0] && (await srv.admin.get(`/api/pickings/${pickings[0].id}`)).body;
    return { order: res.body, delivery, pickings };
  }
  const orderOf = async (id: number) => (await srv.admin.get(`/api/sale-orders/${id}`)).body;
  const stockOf = async (productId: number, locationId?: number) =>
    (await srv.admin.get(`/api/stock/report?productId=${productId}${locationId ? `&locationId=${locationId}` : ''}`)).body.items;

  describe('confirmation reserves what is available', () => {
    it('full stock: the delivery is ready with everything reserved', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 10);
      const { order, delivery } = await confirmedOrder([{ productId: p.id, quantity: 4 }]);
      expect(delivery).toMatchObject({ state: 'assigned', origin: order.name, type: 'outgoing', saleOrderId: order.id });
      expect(delivery!.name).toMatch(/^WH\/OUT\/\d{5}$/);
      expect(delivery!.moves).toEqual([expect.objectContaining({ productId: p.id, quantity: 4, quantityReserved: 4, state: 'assigned' })]);
      expect((await stockOf(p.id))[0]).toMatchObject({ onHand: 10, reserved: 4, outgoing: 4, forecast: 6 });
    });

    it('partial stock: ready, with the rest waiting; no stock: waiting for stock', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 3);
      const partial = await confirmedOrder([{ productId: p.id, quantity: 5 }]);
      expect(partial.delivery).toMatchObject({ state: 'assigned' });
      expect(partial.delivery!.moves[0]).toMatchObject({ quantity: 5, quantityReserved: 3, state: 'partially_available' });
      const none = await confirmedOrder([{ productId: p.id, quantity: 2 }]);
      expect(none.delivery).toMatchObject({ state: 'confirmed' });
      expect(none.delivery!.moves[0]).toMatchObject({ quantityReserved: 0, state: 'confirmed' });
    });

    it('services get no delivery; consumables are always available', async () => {
      const service = await makeProduct(srv.admin, { type: 'service' });
      const onlyService = await confirmedOrder([{ productId: service.id, quantity: 1 }]);
      expect(onlyService.pickings).toEqual([]);
      const consumable = await makeProduct(srv.admin, { type: 'consumable' });
      const { delivery } = await confirmedOrder([
        { productId: consumable.id, quantity: 7 },
        { productId: service.id, quantity: 1 },
      ]);
      expect(delivery!.moves).toEqual([expect.objectContaining({ productId: consumable.id, quantityReserved: 7, state: 'assigned' })]);
      expect(delivery!.state).toBe('assigned');
    });

    it('stock that arrives goes to the waiting deliveries, oldest first', async () => {
      const p = await makeProduct(srv.admin);
      const first = await confirmedOrder([{ productId: p.id, quantity: 2 }]);
      const second = await confirmedOrder([{ productId: p.id, quantity: 2 }]);
      await setStock(srv.admin, p.id, 3);
      const a = (await srv.admin.get(`/api/pickings/${first.delivery!.id}`)).body;
      const b = (await srv.admin.get(`/api/pickings/${second.delivery!.id}`)).body;
      expect(a.moves[0]).toMatchObject({ quantityReserved: 2, state: 'assigned' });
      expect(b.moves[0]).toMatchObject({ quantityReserved: 1, state: 'partially_available' });
      // Counting less than is reserved takes the reservation back from the newest first.
      await setStock(srv.admin, p.id, 2);
      expect((await srv.admin.get(`/api/pickings/${second.delivery!.id}`)).body.moves[0].quantityReserved).toBe(0);
      expect((await srv.admin.get(`/api/pickings/${first.delivery!.id}`)).body.moves[0].quantityReserved).toBe(2);
    });
  });

  describe('validation', () => {
    it('partial validation with a backorder: the rest keeps the origin and waits; delivered quantities follow', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 5);
      const { order, delivery } = await confirmedOrder([{ productId: p.id, quantity: 5 }]);
      const w = await warehouse();
      const res = await w.post(`/api/pickings/${delivery!.id}/validate`, { moves: [{ id: delivery!.moves[0]!.id, quantityDone: 2 }], trackingRef: '1Z999' });
      expect(res.status).toBe(200);
      expect(res.body.picking).toMatchObject({ state: 'done', trackingRef: '1Z999' });
      expect(res.body.picking.moves[0]).toMatchObject({ quantityDone: 2, state: 'done' });
      expect(res.body.backorder).toMatchObject({ state: 'assigned', origin: order.name, backorderOfId: delivery!.id, trackingRef: null });
      expect(res.body.backorder.moves[0]).toMatchObject({ quantity: 3, quantityReserved: 3 });
      const after = await orderOf(order.id);
      expect(after.lines[0].qtyDelivered).toBe(2);
      expect(after.deliveryStatus).toBe('partial');
      expect((await stockOf(p.id))[0]).toMatchObject({ onHand: 3, reserved: 3 });

      const rest = await w.post(`/api/pickings/${res.body.backorder.id}/validate`, {});
      expect(rest.body.backorder).toBeNull();
      const full = await orderOf(order.id);
      expect(full.lines[0].qtyDelivered).toBe(5);
      expect(full.deliveryStatus).toBe('full');
    });

    it('partial validation with "no backorder": the rest is cancelled and its reservation freed', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 5);
      const { order, delivery } = await confirmedOrder([{ productId: p.id, quantity: 5 }]);
      const res = await (
        await warehouse()
      ).post(`/api/pickings/${delivery!.id}/validate`, {
        moves: [{ id: delivery!.moves[0]!.id, quantityDone: 2 }],
        backorder: false,
      });
      expect(res.body.backorder).toBeNull();
      expect(res.body.picking.state).toBe('done');
      expect((await srv.admin.get(`/api/pickings?saleOrderId=${order.id}`)).body.total).toBe(1);
      expect((await orderOf(order.id)).lines[0].qtyDelivered).toBe(2);
      expect((await stockOf(p.id))[0]).toMatchObject({ onHand: 3, reserved: 0 });
    });

    it('a consumable plus an out-of-stock storable, validated: two pickings, the first done, the backorder waiting', async () => {
      const consumable = await makeProduct(srv.admin, { type: 'consumable' });
      const storable = await makeProduct(srv.admin);
      const { order, delivery } = await confirmedOrder([
        { productId: consumable.id, quantity: 2 },
        { productId: storable.id, quantity: 1 },
      ]);
      expect(delivery!.state).toBe('assigned');
      const res = await (await warehouse()).post(`/api/pickings/${delivery!.id}/validate`, {});
      expect(res.status).toBe(200);
      expect(res.body.picking.state).toBe('done');
      expect(res.body.picking.moves.map((m: Move) => [m.productId, m.state])).toEqual([
        [consumable.id, 'done'],
        [storable.id, 'cancel'],
      ]);
      expect(res.body.backorder).toMatchObject({ state: 'confirmed', origin: order.name });
      expect(res.body.backorder.moves).toEqual([expect.objectContaining({ productId: storable.id, quantity: 1, quantityReserved: 0 })]);
      const o = await orderOf(order.id);
      expect(o.lines.map((l: { qtyDelivered: number }) => l.qtyDelivered)).toEqual([2, 0]);
      expect(o.deliveryStatus).toBe('partial');
    });

    it('refuses what cannot be: more than reserved, more than demanded, nothing at all, the wrong role, a done picking', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 1);
      const { delivery } = await confirmedOrder([{ productId: p.id, quantity: 3 }]);
      const w = await warehouse();
      const move = delivery!.moves[0]!;
      const over = await w.post(`/api/pickings/${delivery!.id}/validate`, { moves: [{ id: move.id, quantityDone: 2 }] });
      expect(over.status).toBe(422);
      expect(over.body.error.message).toMatch(/only 1 reserved/);
      expect((await w.post(`/api/pickings/${delivery!.id}/validate`, { moves: [{ id: move.id, quantityDone: 4 }] })).status).toBe(400);
      expect((await w.post(`/api/pickings/${delivery!.id}/validate`, { moves: [{ id: move.id, quantityDone: 0 }] })).status).toBe(422);
      const sales = await srv.user('sales');
      expect((await sales.post(`/api/pickings/${delivery!.id}/validate`, {})).status).toBe(403);
      expect((await w.get(`/api/pickings/${delivery!.id}`)).body).toMatchObject({ state: 'assigned', version: delivery!.version });
      await w.post(`/api/pickings/${delivery!.id}/validate`, { backorder: false });
      expect((await w.post(`/api/pickings/${delivery!.id}/validate`, {})).status).toBe(422);
    });
  });

  describe('returns', () => {
    it('are limited to what was delivered minus what was already returned; validated, they land in Returns', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 3);
      const { order, delivery } = await confirmedOrder([{ productId: p.id, quantity: 3 }]);
      const w = await warehouse();
      expect((await w.post(`/api/pickings/${delivery!.id}/return`, { lines: [{ productId: p.id, quantity: 1 }] })).status).toBe(422);
      await w.post(`/api/pickings/${delivery!.id}/validate`, {});
      const ret = await w.post(`/api/pickings/${delivery!.id}/return`, { lines: [{ productId: p.id, quantity: 2 }], reason: 'Damaged box' });
      expect(ret.status).toBe(201);
      expect(ret.body).toMatchObject({ type: 'return', state: 'assigned', returnOfId: delivery!.id, returnReason: 'Damaged box' });
      expect(ret.body.name).toMatch(/^WH\/RET\/\d{5}$/);
      const tooMany = await w.post(`/api/pickings/${delivery!.id}/return`, { lines: [{ productId: p.id, quantity: 2 }] });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toMatch(/at most 1/);
      const other = await makeProduct(srv.admin);
      expect((await w.post(`/api/pickings/${delivery!.id}/return`, { lines: [{ productId: other.id, quantity: 1 }] })).status).toBe(400);

      expect((await w.post(`/api/pickings/${ret.body.id}/validate`, {})).status).toBe(200);
      const o = await orderOf(order.id);
      expect(o.lines[0].qtyDelivered).toBe(1);
      expect(o.deliveryStatus).toBe('partial');
      const locations = (await srv.admin.get('/api/locations')).body.items;
      const returnsId = locations.find((l: { isReturns: boolean }) => l.isReturns).id;
      expect((await stockOf(p.id, returnsId))[0]).toMatchObject({ onHand: 2, locationName: 'WH/Returns' });
      expect((await stockOf(p.id))[0]).toMatchObject({ onHand: 0 });
    });
  });

  describe('orders that change', () => {
    it('cancelling the order cancels its delivery and frees the stock for the next one', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 2);
      const first = await confirmedOrder([{ productId: p.id, quantity: 2 }]);
      const second = await confirmedOrder([{ productId: p.id, quantity: 2 }]);
      expect(second.delivery!.state).toBe('confirmed');
      expect((await srv.admin.post(`/api/sale-orders/${first.order.id}/cancel`)).status).toBe(200);
      expect((await srv.admin.get(`/api/pickings/${first.delivery!.id}`)).body.state).toBe('cancel');
      expect((await srv.admin.get(`/api/pickings/${second.delivery!.id}`)).body).toMatchObject({ state: 'assigned' });
      // A delivered order cannot be cancelled.
      await (await warehouse()).post(`/api/pickings/${second.delivery!.id}/validate`, {});
      expect((await srv.admin.post(`/api/sale-orders/${second.order.id}/cancel`)).status).toBe(422);
    });

    it('a quantity raised on a confirmed order is added to its open delivery; lowering below delivered is refused', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 10);
      const { order, delivery } = await confirmedOrder([{ productId: p.id, quantity: 2 }]);
      const line = order.lines[0];
      const up = await srv.admin.patch(`/api/sale-orders/${order.id}`, { version: order.version, lines: [{ id: line.id, productId: p.id, quantity: 5 }] });
      expect(up.status).toBe(200);
      expect((await srv.admin.get(`/api/pickings/${delivery!.id}`)).body.moves[0]).toMatchObject({ quantity: 5, quantityReserved: 5 });

      const w = await warehouse();
      const d = (await w.post(`/api/pickings/${delivery!.id}/validate`, { moves: [{ id: delivery!.moves[0]!.id, quantityDone: 3 }] })).body;
      const current = await orderOf(order.id);
      const below = await srv.admin.patch(`/api/sale-orders/${order.id}`, { version: current.version, lines: [{ id: line.id, productId: p.id, quantity: 2 }] });
      expect(below.status).toBe(422);
      expect(below.body.error.message).toMatch(/cannot go below the 3 already delivered/);
      const down = await srv.admin.patch(`/api/sale-orders/${order.id}`, { version: current.version, lines: [{ id: line.id, productId: p.id, quantity: 4 }] });
      expect(down.status).toBe(200);
      expect((await srv.admin.get(`/api/pickings/${d.backorder.id}`)).body.moves[0]).toMatchObject({ quantity: 1, quantityReserved: 1 });
    });

    it('stock given back by a lowered quantity goes to the delivery waiting for it', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 3);
      const first = await confirmedOrder([{ productId: p.id, quantity: 3 }]);
      const second = await confirmedOrder([{ productId: p.id, quantity: 2 }]);
      expect(second.delivery!.state).toBe('confirmed');
      const line = first.order.lines[0];
      const res = await srv.admin.patch(`/api/sale-orders/${first.order.id}`, {
        version: first.order.version,
        lines: [{ id: line.id, productId: p.id, quantity: 1 }],
      });
      expect(res.status).toBe(200);
      expect((await srv.admin.get(`/api/pickings/${first.delivery!.id}`)).body.moves[0]).toMatchObject({ quantity: 1, quantityReserved: 1 });
      expect((await srv.admin.get(`/api/pickings/${second.delivery!.id}`)).body).toMatchObject({ state: 'assigned' });
    });
  });

  describe('stock', () => {
    it('adjustments: bad input is refused with the field; the report shows on hand, reserved, incoming, outgoing, forecast', async () => {
      const p = await makeProduct(srv.admin);
      const service = await makeProduct(srv.admin, { type: 'service' });
      const w = await warehouse();
      expect((await w.post('/api/stock/adjustments', { productId: p.id, quantity: -1 })).status).toBe(400);
      const svc = await w.post('/api/stock/adjustments', { productId: service.id, quantity: 1 });
      expect(svc.status).toBe(400);
      expect(svc.body.error.details[0].field).toBe('productId');
      const customers = (await srv.admin.get('/api/locations')).body.items.find((l: { kind: string }) => l.kind === 'customer');
      expect((await w.post('/api/stock/adjustments', { productId: p.id, quantity: 1, locationId: customers.id })).status).toBe(400);
      expect((await (await srv.user('sales')).post('/api/stock/adjustments', { productId: p.id, quantity: 1 })).status).toBe(403);
      const ok = await w.post('/api/stock/adjustments', { productId: p.id, quantity: 7.5 });
      expect(ok.body).toMatchObject({ productId: p.id, onHand: 7.5, reserved: 0, forecast: 7.5 });
      const csv = await srv.admin.get(`/api/stock/report.csv?productId=${p.id}`);
      expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
      expect(String(csv.body).split('\n')[0]).toBe('sku,product,location,on_hand,reserved,incoming,outgoing,forecast');
      expect(String(csv.body)).toContain(`${p.sku},`);
    });

    it('a CSV of counts applies the good rows and reports each bad one with its line', async () => {
      const a = await makeProduct(srv.admin);
      const b = await makeProduct(srv.admin);
      const file = `sku;quantity\n${a.sku};12\nNOPE;3\n${b.sku};abc\n${b.sku};4\n`;
      const res = await (await warehouse()).upload('/api/stock/adjustments/import', {}, [{ name: 'counts.csv', data: file, type: 'text/csv' }]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        applied: 2,
        errors: [
          { row: 3, message: 'no product with SKU NOPE' },
          { row: 4, message: 'quantity "abc" is not a number of 0 or more' },
        ],
      });
      expect((await stockOf(a.id))[0].onHand).toBe(12);
      expect((await stockOf(b.id))[0].onHand).toBe(4);
    });

    it('pending shipments list open pickings; picking.updated reaches the shipments board live', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 1);
      const s = await srv.socket(await warehouse());
      await subscribe(s, rooms.shipmentsBoard);
      const created = nextEvent(s, 'picking.updated', (e) => e.picking.origin !== null && e.picking.state === 'assigned');
      const { delivery } = await confirmedOrder([{ productId: p.id, quantity: 1 }]);
      expect((await created).picking).toMatchObject({ id: delivery!.id, name: delivery!.name });
      const pending = (await srv.admin.get('/api/shipments/pending')).body;
      expect(pending.outbound.map((x: { id: number }) => x.id)).toContain(delivery!.id);
      const done = nextEvent(s, 'picking.updated', (e) => e.id === delivery!.id && e.picking.state === 'done');
      await (await warehouse()).post(`/api/pickings/${delivery!.id}/validate`, {});
      await done;
      expect((await srv.admin.get('/api/shipments/pending')).body.outbound.map((x: { id: number }) => x.id)).not.toContain(delivery!.id);
      // The picking has a chatter with its state changes and tracking reference.
      const log = (await srv.admin.get(`/api/messages?model=picking&resId=${delivery!.id}`)).body.items;
      expect(log.some((m: { tracking: { field: string; newValue: string }[] }) => m.tracking.some((v) => v.field === 'state' && v.newValue === 'done'))).toBe(
        true,
      );
    });
  });

  describe('locations', () => {
    it('returned stock moves back to Stock or is scrapped; reserved stock stays put', async () => {
      const p = await makeProduct(srv.admin);
      const locations = (await srv.admin.get('/api/locations')).body.items;
      const stock = locations.find(
        (l: { kind: string; isReturns: boolean; warehouseId: number }) => l.kind === 'internal' && !l.isReturns && l.warehouseId === 1,
      ).id;
      const returns = locations.find((l: { isReturns: boolean; warehouseId: number }) => l.isReturns && l.warehouseId === 1).id;
      await setStock(srv.admin, p.id, 5, returns);
      const waiting = await confirmedOrder([{ productId: p.id, quantity: 2 }]);
      expect(waiting.delivery!.state).toBe('confirmed');
      const w = await warehouse();
      const back = await w.post('/api/stock/transfers', { productId: p.id, fromLocationId: returns, toLocationId: stock, quantity: 3 });
      expect(back.status).toBe(200);
      expect(back.body.map((r: { locationId: number; onHand: number }) => [r.locationId, r.onHand])).toEqual([
        [returns, 2],
        [stock, 3],
      ]);
      // What came back to Stock went to the waiting delivery.
      expect((await srv.admin.get(`/api/pickings/${waiting.delivery!.id}`)).body.state).toBe('assigned');
      const scrap = await w.post('/api/stock/transfers', { productId: p.id, fromLocationId: returns, scrap: true, quantity: 2, reason: 'broken' });
      expect(scrap.body[0]).toMatchObject({ locationId: returns, onHand: 0 });
      const tooMuch = await w.post('/api/stock/transfers', { productId: p.id, fromLocationId: stock, toLocationId: returns, quantity: 2 });
      expect(tooMuch.status).toBe(422);
      expect(tooMuch.body.error.message).toMatch(/Only 1 .* \(2 reserved\)/);
      expect((await w.post('/api/stock/transfers', { productId: p.id, fromLocationId: stock, quantity: 1 })).status).toBe(400);
      expect((await w.post('/api/stock/transfers', { productId: p.id, fromLocationId: stock, toLocationId: stock, quantity: 1 })).status).toBe(400);
    });

    it('a new warehouse gets Stock and Returns and numbers its own deliveries', async () => {
      const code = `W${Date.now().toString(36).slice(-5).toUpperCase()}`;
      const res = await srv.admin.post('/api/warehouses', { name: 'Lyon depot', code });
      expect(res.status).toBe(201);
      expect((await srv.admin.post('/api/warehouses', { name: 'Again', code })).status).toBe(409);
      expect((await (await warehouse()).post('/api/warehouses', { name: 'No', code: 'NO1' })).status).toBe(403);
      const locations = (await srv.admin.get(`/api/locations?warehouseId=${res.body.id}`)).body.items;
      expect(locations.map((l: { name: string }) => l.name).sort()).toEqual([`${code}/Returns`, `${code}/Stock`]);
      const p = await makeProduct(srv.admin);
      const stock = locations.find((l: { isReturns: boolean }) => !l.isReturns).id;
      await setStock(srv.admin, p.id, 4, stock);
      const order = await makeOrder(srv.admin, { warehouseId: res.body.id, lines: [{ productId: p.id, quantity: 4 }] });
      await srv.admin.post(`/api/sale-orders/${order.id}/confirm`);
      const [delivery] = (await srv.admin.get(`/api/pickings?saleOrderId=${order.id}`)).body.items;
      expect(delivery).toMatchObject({ name: `${code}/OUT/00001`, state: 'assigned', warehouseId: res.body.id, fromLocationId: stock });
    });
  });

  describe('delivery note', () => {
    it('opens as a valid DOCX and as a PDF whose text holds the picking name and every product', async () => {
      const a = await makeProduct(srv.admin, { name: 'Crème brûlée torch' });
      const b = await makeProduct(srv.admin, { name: 'Espresso cups (set of 6)' });
      await setStock(srv.admin, a.id, 5);
      await setStock(srv.admin, b.id, 5);
      const { delivery } = await confirmedOrder([
        { productId: a.id, quantity: 1 },
        { productId: b.id, quantity: 2 },
      ]);
      await (await warehouse()).post(`/api/pickings/${delivery!.id}/validate`, { trackingRef: 'TRK-42' });

      const docx = await srv.admin.download(`/api/pickings/${delivery!.id}/docx`);
      expect(docx.status).toBe(200);
      expect(docx.headers.get('content-disposition')).toContain('.docx');
      const zip = await JSZip.loadAsync(docx.body);
      const xml = await zip.file('word/document.xml')!.async('string');
      for (const text of [delivery!.name, a.name, b.name, a.sku, 'TRK-42']) expect(xml).toContain(text.replace('&', '&amp;'));

      const pdf = await srv.admin.download(`/api/pickings/${delivery!.id}/pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const doc = await getDocument({ data: new Uint8Array(pdf.body), verbosity: 0 }).promise;
      let text = '';
      for (let i = 1; i <= doc.numPages; i++) {
        const content = await (await doc.getPage(i)).getTextContent();
        text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
      }
      for (const t of [delivery!.name, a.name, b.name]) expect(text.replace(/\s+/g, ' ')).toContain(t);
      expect((await srv.anonymous().download(`/api/pickings/${delivery!.id}/pdf`)).status).toBe(401);
    });
  });

  describe('concurrency', () => {
    it('20 parallel confirmations for a product with 5 on hand reserve exactly 5, the rest waiting', async () => {
      const p = await makeProduct(srv.admin);
      await setStock(srv.admin, p.id, 5);
      const customer = await makePartner(srv.admin);
      const orders = await Promise.all(
        Array.from({ length: 20 }, () => makeOrder(srv.admin, { partnerId: customer.id, lines: [{ productId: p.id, quantity: 1 }] })),
      );
      const results = await Promise.all(orders.map((o) => srv.admin.post(`/api/sale-orders/${o.id}/confirm`)));
      expect(results.map((r) => r.status)).toEqual(orders.map(() => 200));
      const report = (await stockOf(p.id))[0];
      expect(report).toMatchObject({ onHand: 5, reserved: 5, outgoing: 20 });
      const deliveries = (await srv.admin.get(`/api/pickings?q=&limit=200&type=outgoing`)).body.items.filter((x: { saleOrderId: number }) =>
        orders.some((o) => o.id === x.saleOrderId),
      );
      expect(deliveries.filter((d: { state: string }) => d.state === 'assigned')).toHaveLength(5);
      expect(deliveries.filter((d: { state: string }) => d.state === 'confirmed')).toHaveLength(15);
    });
  });
});
