import type { z } from 'zod';
import {
  FLOW_ROUTES,
  FLOW_ROUTE_LABELS,
  type FlowEdge,
  type FlowGraph,
  type FlowMove,
  type FlowNode,
  type FlowNodeKind,
  type FlowRoute,
  type flowGraphQuery,
  type flowMovesQuery,
} from '../../contracts/schemas/flow';
import type { PickingType, ProcureMethod, ProductRoute, ProductType } from '../../contracts/states';
import { NotFoundError } from '../http/errors';
import { requireAccess, type Auth } from '../modules/auth/access';
import { findProduct, productRoutesInUse, productsByIds, vendorsOf } from '../modules/catalog/product.service';
import { flowLocations, openFlowMoves, openMoveGroups, type FlowLocation } from '../modules/inventory/flow.queries';
import { warehouseCodes } from '../modules/inventory/warehouse.service';
import { partnerNames } from '../modules/partners/partner.service';
import { mtoPurchaseLineIds } from '../modules/purchasing/purchase-line.queries';
import { isDropship, procureMethodOf } from './procurement.workflow';

// The materials-flow graph (issue 16): the locations goods pass through, for one product or a whole
// warehouse, and the routes between them that apply, each with the moves still open on it. A route
// applies when the product's routes say so (a warehouse: any product's), or when moves are open on it.

type Scope = { productId: number | null; warehouseIds: number[] };

/** Which flows a product's type and routes make possible. */
type Flows = { ship: boolean; storable: boolean; buy: boolean; mto: boolean; dropship: boolean };

function flowsOf(p: { type: ProductType; routes: ProductRoute[] }): Flows {
  const goods = p.type !== 'service';
  return {
    ship: goods,
    storable: p.type === 'storable',
    buy: goods && p.routes.includes('buy'),
    mto: procureMethodOf(p) === 'mto',
    dropship: isDropship(p),
  };
}

function union(all: Flows[]): Flows {
  return {
    ship: all.some((f) => f.ship),
    storable: all.some((f) => f.storable),
    buy: all.some((f) => f.buy),
    mto: all.some((f) => f.mto),
    dropship: all.some((f) => f.dropship),
  };
}

type MoveKind = {
  pickingType: PickingType | null;
  procureMethod: ProcureMethod;
  purchaseLineId: number | null;
  fromLocationId: number;
  toLocationId: number;
};

/**
 * The route an open move is on: its picking's type (a receipt's move is make-to-order when its purchase
 * line was bought for sale order lines, a delivery's when it waits for units bought for its sale line);
 * a move of no picking is a count or a transfer out of Returns.
 */
function routeOf(m: MoveKind, locations: Map<number, FlowLocation>, mtoLines: Set<number>): FlowRoute {
  if (m.pickingType === 'incoming') return m.purchaseLineId !== null && mtoLines.has(m.purchaseLineId) ? 'mto' : 'buy';
  if (m.pickingType === 'outgoing') return m.procureMethod === 'mto' ? 'mto' : 'ship';
  if (m.pickingType === 'dropship') return 'dropship';
  if (m.pickingType === 'return') return 'return';
  const from = locations.get(m.fromLocationId);
  const to = locations.get(m.toLocationId);
  if (from?.kind === 'adjustment' || to?.kind === 'adjustment') return 'adjustment';
  return from?.isReturns ? 'return' : 'adjustment';
}

function nodeKind(l: FlowLocation): FlowNodeKind {
  switch (l.kind) {
    case 'vendor':
      return 'vendor';
    case 'customer':
      return 'customer';
    case 'adjustment':
      return 'adjustment';
    case 'internal':
      return l.isReturns ? 'returns' : 'stock';
  }
}

function edgeLabel(route: FlowRoute, from: FlowLocation | undefined, to: FlowLocation | undefined, partners: string[]): string {
  if (route === 'return') {
    if (to?.kind === 'vendor') return 'Return to vendor';
    if (from?.isReturns) return 'Back to stock';
    return 'Returns';
  }
  if (route === 'adjustment') return from?.kind === 'adjustment' ? 'Count up' : 'Count down, scrap';
  if (route === 'dropship' && partners.length) return `Drop-ship (${partners.join(', ')})`;
  if (route === 'mto') return to?.kind === 'customer' ? 'Make to order: deliver' : 'Make to order: buy';
  return FLOW_ROUTE_LABELS[route];
}

/** The purchase lines receipts' open moves bring in. */
function purchaseLinesOf(moves: MoveKind[]): number[] {
  return moves.flatMap((m) => (m.pickingType === 'incoming' && m.purchaseLineId !== null ? [m.purchaseLineId] : []));
}

async function scopeOf(query: { productId?: number; warehouseId?: number }): Promise<Scope> {
  const warehouses = [...(await warehouseCodes(null)).keys()];
  if (query.warehouseId && !warehouses.includes(query.warehouseId)) throw new NotFoundError('Warehouse', query.warehouseId);
  return { productId: query.productId ?? null, warehouseIds: query.warehouseId ? [query.warehouseId] : warehouses };
}

export async function materialsFlowGraph(auth: Auth, query: z.output<typeof flowGraphQuery>): Promise<FlowGraph> {
  requireAccess(auth, 'inventory.read');
  const product = query.productId ? await findProduct(null, query.productId) : null;
  const scope = await scopeOf(query);
  const flows = product ? flowsOf(product) : union((await productRoutesInUse(null)).map(flowsOf));
  const dropshippers = product && flows.dropship ? vendorsOf(product).map((v) => v.partnerId) : [];
  const names = await partnerNames(null, dropshippers);
  const partners = dropshippers.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! }));

  const locations = await flowLocations(null);
  const byId = new Map(locations.map((l) => [l.id, l]));
  const virtual = (kind: 'vendor' | 'customer' | 'adjustment') => locations.find((l) => l.kind === kind)!.id;
  const [vendors, customers, adjustment] = [virtual('vendor'), virtual('customer'), virtual('adjustment')];

  const nodeIds = new Set<number>([vendors]);
  const edges = new Map<string, FlowEdge>();
  const edge = (route: FlowRoute, from: number, to: number): FlowEdge => {
    const id = `${route}:${from}:${to}`;
    let e = edges.get(id);
    if (!e) {
      const onRoute = route === 'dropship' ? partners : [];
      const label = edgeLabel(
        route,
        byId.get(from),
        byId.get(to),
        onRoute.map((p) => p.name),
      );
      e = { id, from, to, route, label, openMoves: 0, quantity: 0, pickingTypes: [], partners: onRoute };
      edges.set(id, e);
      nodeIds.add(from).add(to);
    }
    return e;
  };

  for (const warehouseId of scope.warehouseIds) {
    const stock = locations.find((l) => l.warehouseId === warehouseId && l.kind === 'internal' && !l.isReturns);
    const returns = locations.find((l) => l.warehouseId === warehouseId && l.isReturns);
    if (!stock) continue;
    nodeIds.add(stock.id);
    if (flows.buy) edge('buy', vendors, stock.id);
    if (flows.ship) edge('ship', stock.id, customers);
    // Make to order: bought for that customer's order into Stock, then delivered from it.
    if (flows.mto) {
      edge('mto', vendors, stock.id);
      edge('mto', stock.id, customers);
    }
    if (flows.storable && returns) {
      edge('return', customers, returns.id);
      edge('return', returns.id, stock.id);
    }
    if (flows.storable) {
      edge('adjustment', adjustment, stock.id);
      edge('adjustment', stock.id, adjustment);
    }
  }
  if (flows.dropship) edge('dropship', vendors, customers);
  nodeIds.add(customers);

  const groups = await openMoveGroups(null, { productId: scope.productId ?? undefined, warehouseId: query.warehouseId });
  const mtoLines = await mtoPurchaseLineIds(null, purchaseLinesOf(groups));
  for (const g of groups) {
    const e = edge(routeOf(g, byId, mtoLines), g.fromLocationId, g.toLocationId);
    e.openMoves += g.moves;
    e.quantity = Math.round((e.quantity + g.quantity) * 1000) / 1000;
    if (g.pickingType && !e.pickingTypes.includes(g.pickingType)) e.pickingTypes.push(g.pickingType);
  }

  const nodes: FlowNode[] = locations
    .filter((l) => nodeIds.has(l.id))
    .map((l) => ({ id: l.id, kind: nodeKind(l), name: l.name, warehouseId: l.kind === 'internal' ? l.warehouseId : null }));
  const order = (r: FlowRoute) => FLOW_ROUTES.indexOf(r);
  return {
    productId: product?.id ?? null,
    warehouseId: query.warehouseId ?? null,
    nodes,
    edges: [...edges.values()].sort((a, b) => order(a.route) - order(b.route) || a.from - b.from || a.to - b.to),
  };
}

/**
 * The open moves on one edge (from, to, route; each optional), with their pickings, oldest first. A user
 * limited to their own orders sees the counts of every move (as the stock report shows them) but lists
 * only the moves of their orders' pickings; `hidden` says how many others there are.
 */
export async function materialsFlowMoves(auth: Auth, query: z.output<typeof flowMovesQuery>): Promise<{ items: FlowMove[]; total: number; hidden: number }> {
  requireAccess(auth, 'inventory.read');
  if (query.productId) await findProduct(null, query.productId);
  await scopeOf(query);
  const byId = new Map((await flowLocations(null)).map((l) => [l.id, l]));
  const open = await openFlowMoves(null, auth, {
    productId: query.productId,
    warehouseId: query.warehouseId,
    fromLocationId: query.from,
    toLocationId: query.to,
  });
  const mtoLines = await mtoPurchaseLineIds(null, purchaseLinesOf(open));
  const moves = open.map((m) => ({ ...m, route: routeOf(m, byId, mtoLines) })).filter((m) => !query.route || m.route === query.route);
  const shown = moves.filter((m) => m.visible).slice(0, query.limit);
  const products = await productsByIds(
    null,
    shown.map((m) => m.productId),
    'productId',
  );
  return {
    items: shown.map((m) => ({
      id: m.id,
      productId: m.productId,
      productName: products.get(m.productId)?.name ?? '',
      sku: products.get(m.productId)?.sku ?? '',
      description: m.description,
      route: m.route,
      fromLocationId: m.fromLocationId,
      toLocationId: m.toLocationId,
      state: m.state,
      quantity: m.quantity,
      quantityReserved: m.quantityReserved,
      pickingId: m.pickingId,
      pickingName: m.pickingName,
      pickingType: m.pickingType,
      origin: m.origin,
      scheduledDate: m.scheduledDate,
    })),
    total: moves.length,
    hidden: moves.filter((m) => !m.visible).length,
  };
}
