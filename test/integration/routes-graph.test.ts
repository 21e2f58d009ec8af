import { beforeAll, describe, expect, it } from 'vitest';
import type { FlowEdge, FlowGraph } from '../../contracts/schemas/flow';
import type { Product } from '../../contracts/schemas/catalog';
import type { Partner } from '../../contracts/schemas/partners';
import type { Picking } from '../../contracts/schemas/inventory';
import type { ApiClient } from '../support/client';
import { makePartner, makeProduct } from '../factories/data';
import { confirmPurchase, confirmedOrder, deliveryOf, purchasesOf } from '../factories/purchasing';
import { setStock } from '../factories/stock';
import { expectError, expectStatus } from '../support/expect';
import { useTestServer } from '../support/server';

// The materials-flow graph (issue 16): for a product that was sold from stock, made to order and
// drop-shipped, the locations and the routes between them with the moves still open on each; the
// counts fall as pickings are validated; a warehouse's graph; the open moves of one edge. Make to
// order is drawn both ways: the receipt of units bought for an order (Vendors → Stock), then its
// delivery (Stock → Customers); a receipt of units bought for no order stays on the buy route.

/** The edges of a graph as `route from→to: moves/quantity`, by node kind. */
function summary(g: FlowGraph): string[] {
  const kind = (id: number) => {
    const n = g.nodes.find((x) => x.id === id);
    return n ? n.kind : `?${id}`;
  };
  return g.edges.map((e) => `${e.route} ${kind(e.from)}→${kind(e.to)}: ${e.openMoves}/${e.quantity}`).sort();
}

function edgeOf(g: FlowGraph, route: FlowEdge['route'], fromKind: string, toKind: string): FlowEdge {
  const kinds = new Map(g.nodes.map((n) => [n.id, n.kind]));
  const e = g.edges.find((x) => x.route === route && kinds.get(x.from) === fromKind && kinds.get(x.to) === toKind);
  if (!e) throw new Error(`no ${route} edge ${fromKind}→${toKind} in ${JSON.stringify(summary(g))}`);
  return e;
}

describe('GET /api/routes/graph', () => {
  const srv = useTestServer();
  let vera: Partner;
  let product: Product;
  let shipped: Picking;
  let madeToOrder: Picking;
  let receipt: Picking;
  let restock: Picking;
  let dropship: Picking;

  const graph = async (c: ApiClient, query: string): Promise<FlowGraph> => {
    const res = await c.get(`/api/routes/graph?${query}`);
    expectStatus(res, 200);
    return res.body;
  };
  const setRoutes = async (routes: string[]) => {
    const current = (await srv.admin.get(`/api/products/${product.id}`)).body as Product & { version: number };
    expectStatus(await srv.admin.patch(`/api/products/${product.id}`, { version: current.version, routes }), 200);
  };

  // Sold from stock (2), then made to order (3: an RFQ to Vera, confirmed: a receipt of 3), bought for
  // stock (4: a PO of no order, confirmed: a receipt of 4), then drop-shipped (2: the PO's WH/DS
  // picking). The product ends with the routes buy, mto and dropship.
  beforeAll(async () => {
    vera = await makePartner(srv.admin, { name: 'Vera Flow Vendor', roles: ['vendor'] });
    product = await makeProduct(srv.admin, { name: 'Flow Kettle', vendors: [{ partnerId: vera.id, price: 5000, minQty: 1, leadDays: 3 }] });
    await setStock(srv.admin, product.id, 5);
    shipped = await deliveryOf(srv.admin, (await confirmedOrder(srv.admin, product.id, 2)).id);
    expect(shipped.state).toBe('assigned');

    await setRoutes(['buy', 'mto']);
    madeToOrder = await deliveryOf(srv.admin, (await confirmedOrder(srv.admin, product.id, 3)).id);
    const [rfq] = await purchasesOf(srv.admin, vera.id);
    receipt = (await confirmPurchase(srv.admin, rfq!.id)).receipt;
    const po = await srv.admin.post('/api/purchase-orders', { partnerId: vera.id, lines: [{ productId: product.id, quantity: 4 }] });
    expectStatus(po, 201);
    restock = (await confirmPurchase(srv.admin, po.body.id)).receipt;

    await setRoutes(['buy', 'mto', 'dropship']);
    const sale = await confirmedOrder(srv.admin, product.id, 2);
    const dsRfq = (await purchasesOf(srv.admin, vera.id)).find((p) => p.saleOrderIds.includes(sale.id))!;
    const confirmed = await srv.admin.post(`/api/purchase-orders/${dsRfq.id}/confirm`, {});
    expectStatus(confirmed, 200);
    dropship = (await srv.admin.get(`/api/pickings/${confirmed.body.pickingIds[0]}`)).body;
    expect(dropship.type).toBe('dropship');
  }, 60_000);

  it('a product with stock, make-to-order and drop-ship routes: its locations and routes, with the open moves on each', async () => {
    const g = await graph(srv.admin, `productId=${product.id}`);
    expect(g.productId).toBe(product.id);
    expect(g.nodes.map((n) => `${n.kind} ${n.name}`).sort()).toEqual(
      ['adjustment Virtual/Inventory adjustment', 'customer Partners/Customers', 'returns WH/Returns', 'stock WH/Stock', 'vendor Partners/Vendors'].sort(),
    );
    expect(summary(g)).toEqual(
      [
        'buy vendor→stock: 1/4',
        'mto vendor→stock: 1/3',
        'ship stock→customer: 1/2',
        'mto stock→customer: 1/3',
        'dropship vendor→customer: 1/2',
        'return customer→returns: 0/0',
        'return returns→stock: 0/0',
        'adjustment adjustment→stock: 0/0',
        'adjustment stock→adjustment: 0/0',
      ].sort(),
    );
    const ds = edgeOf(g, 'dropship', 'vendor', 'customer');
    expect(ds.partners).toEqual([{ id: vera.id, name: 'Vera Flow Vendor' }]);
    expect(ds.label).toContain('Vera Flow Vendor');
    expect(ds.pickingTypes).toEqual(['dropship']);
    expect(edgeOf(g, 'mto', 'stock', 'customer')).toMatchObject({ pickingTypes: ['outgoing'], label: 'Make to order: deliver' });
    expect(edgeOf(g, 'mto', 'vendor', 'stock')).toMatchObject({ pickingTypes: ['incoming'], label: 'Make to order: buy' });
    expect(edgeOf(g, 'buy', 'vendor', 'stock').pickingTypes).toEqual(['incoming']);
    // Edge ids are unique and name real nodes.
    expect(new Set(g.edges.map((e) => e.id)).size).toBe(g.edges.length);
    for (const e of g.edges) expect(g.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([e.from, e.to]));
  });

  it('the open moves of an edge, with their pickings', async () => {
    const g = await graph(srv.admin, `productId=${product.id}`);
    const mto = edgeOf(g, 'mto', 'stock', 'customer');
    const res = await srv.admin.get(`/api/routes/graph/moves?productId=${product.id}&from=${mto.from}&to=${mto.to}&route=mto`);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ total: 1, hidden: 0 });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        productId: product.id,
        productName: 'Flow Kettle',
        route: 'mto',
        quantity: 3,
        pickingId: madeToOrder.id,
        pickingName: madeToOrder.name,
        pickingType: 'outgoing',
      }),
    ]);
    // The same two locations, the other route: the delivery from stock.
    const ship = await srv.admin.get(`/api/routes/graph/moves?productId=${product.id}&from=${mto.from}&to=${mto.to}&route=ship`);
    expect(ship.body.items.map((m: { pickingId: number }) => m.pickingId)).toEqual([shipped.id]);

    // Vendors → Stock: the receipt bought for the order is make to order, the other one is buy.
    const bought = edgeOf(g, 'mto', 'vendor', 'stock');
    const inbound = async (route: string) => {
      const res = await srv.admin.get(`/api/routes/graph/moves?productId=${product.id}&from=${bought.from}&to=${bought.to}&route=${route}`);
      expectStatus(res, 200);
      return res.body.items.map((m: { pickingId: number; quantity: number; route: string }) => `${m.route} ${m.pickingId} ${m.quantity}`);
    };
    expect(await inbound('mto')).toEqual([`mto ${receipt.id} 3`]);
    expect(await inbound('buy')).toEqual([`buy ${restock.id} 4`]);
  });

  it('validating a picking lowers its edge’s count; the make-to-order delivery stays open until shipped', async () => {
    expectStatus(await srv.admin.post(`/api/pickings/${shipped.id}/validate`, {}), 200);
    expectStatus(await srv.admin.post(`/api/pickings/${restock.id}/validate`, {}), 200);
    // The make-to-order receipt in part: 1 received, its backorder of 2 stays on the route.
    const [bought] = receipt.moves;
    const partial = await srv.admin.post(`/api/pickings/${receipt.id}/validate`, { moves: [{ id: bought!.id, quantityDone: 1 }] });
    expectStatus(partial, 200);
    let g = await graph(srv.admin, `productId=${product.id}`);
    expect(edgeOf(g, 'mto', 'vendor', 'stock')).toMatchObject({ openMoves: 1, quantity: 2 });
    expect(edgeOf(g, 'buy', 'vendor', 'stock')).toMatchObject({ openMoves: 0, quantity: 0 });

    expectStatus(await srv.admin.post(`/api/pickings/${partial.body.backorder.id}/validate`, {}), 200);
    g = await graph(srv.admin, `productId=${product.id}`);
    expect(edgeOf(g, 'ship', 'stock', 'customer')).toMatchObject({ openMoves: 0, quantity: 0 });
    expect(edgeOf(g, 'buy', 'vendor', 'stock')).toMatchObject({ openMoves: 0, quantity: 0 });
    expect(edgeOf(g, 'mto', 'vendor', 'stock')).toMatchObject({ openMoves: 0, quantity: 0 });
    expect(edgeOf(g, 'mto', 'stock', 'customer')).toMatchObject({ openMoves: 1, quantity: 3 });
    expect(edgeOf(g, 'dropship', 'vendor', 'customer')).toMatchObject({ openMoves: 1, quantity: 2 });

    // A partial drop-ship: 1 shipped, the backorder of 1 stays open.
    const [move] = dropship.moves;
    expectStatus(await srv.admin.post(`/api/pickings/${dropship.id}/validate`, { moves: [{ id: move!.id, quantityDone: 1 }] }), 200);
    expect(edgeOf(await graph(srv.admin, `productId=${product.id}`), 'dropship', 'vendor', 'customer')).toMatchObject({ openMoves: 1, quantity: 1 });
  });

  it('a warehouse as a whole: every route its products use, with every product’s open moves', async () => {
    const other = await makeProduct(srv.admin, { name: 'Flow Consumable', type: 'consumable' });
    await confirmedOrder(srv.admin, other.id, 4);
    const g = await graph(srv.admin, 'warehouseId=1');
    expect(g).toMatchObject({ productId: null, warehouseId: 1 });
    expect(edgeOf(g, 'ship', 'stock', 'customer')).toMatchObject({ openMoves: 1, quantity: 4 });
    expect(edgeOf(g, 'mto', 'stock', 'customer')).toMatchObject({ openMoves: 1, quantity: 3 });
    expect(edgeOf(g, 'dropship', 'vendor', 'customer')).toMatchObject({ openMoves: 1, quantity: 1 });
    edgeOf(g, 'buy', 'vendor', 'stock');
    edgeOf(g, 'return', 'customer', 'returns');

    // A new warehouse: its own Stock and Returns, nothing open there.
    const created = await srv.admin.post('/api/warehouses', { name: 'Flow Depot', code: 'FD' });
    expectStatus(created, 201);
    const depot = await graph(srv.admin, `warehouseId=${created.body.id}&productId=${product.id}`);
    expect(depot.nodes.filter((n) => n.warehouseId !== null).map((n) => n.name)).toEqual(['FD/Stock', 'FD/Returns']);
    expect(depot.edges.filter((e) => e.route !== 'dropship').every((e) => e.openMoves === 0)).toBe(true);
    expect(summary(depot)).toEqual(expect.arrayContaining(['mto vendor→stock: 0/0', 'mto stock→customer: 0/0']));
  });

  it('reading it takes the stock report’s permission: every role', async () => {
    for (const role of ['sales', 'warehouse', 'accounting', 'purchase'] as const) {
      const c = await srv.user(role);
      expectStatus(await c.get(`/api/routes/graph?productId=${product.id}`), 200);
      expectStatus(await c.get(`/api/routes/graph/moves?productId=${product.id}`), 200);
    }
    expectStatus(await srv.anonymous().get('/api/routes/graph'), 401);
  });

  it('bad query parameters are a 400 naming the field; an unknown product or warehouse a 404', async () => {
    expectError(await srv.admin.get('/api/routes/graph?productId=abc'), 400, 'validation', 'productId');
    expectError(await srv.admin.get('/api/routes/graph?warehouseId=-1'), 400, 'validation', 'warehouseId');
    expectError(await srv.admin.get('/api/routes/graph/moves?route=teleport'), 400, 'validation', 'route');
    expectError(await srv.admin.get('/api/routes/graph/moves?from=x'), 400, 'validation', 'from');
    expectError(await srv.admin.get('/api/routes/graph?productId=999999'), 404, 'not_found');
    expectError(await srv.admin.get('/api/routes/graph?warehouseId=999999'), 404, 'not_found');
    expectError(await srv.admin.get('/api/routes/graph/moves?productId=999999'), 404, 'not_found');
  });
});
