import { z } from 'zod';
import { MOVE_STATES, PICKING_TYPES } from '../states';

// The materials-flow graph (GET /api/routes/graph): the locations goods pass through and the routes
// between them, each edge with the moves still open on it.

/** The routes an edge of the graph stands for. */
export const FLOW_ROUTES = ['buy', 'ship', 'mto', 'dropship', 'return', 'adjustment'] as const;
export type FlowRoute = (typeof FLOW_ROUTES)[number];

export const FLOW_ROUTE_LABELS: Record<FlowRoute, string> = {
  buy: 'Buy',
  ship: 'Ship from stock',
  mto: 'Make to order',
  dropship: 'Drop-ship',
  return: 'Returns',
  adjustment: 'Inventory adjustment',
};

/** What a node is: a warehouse's Stock or Returns, or one of the virtual locations. */
export const FLOW_NODE_KINDS = ['vendor', 'stock', 'returns', 'customer', 'adjustment'] as const;
export type FlowNodeKind = (typeof FLOW_NODE_KINDS)[number];

const positiveId = z.coerce.number().int().positive();

export const flowGraphQuery = z.object({
  productId: positiveId.optional().describe('one product (absent: every product)'),
  warehouseId: positiveId.optional().describe('one warehouse (absent: every warehouse)'),
});

export const flowNode = z.object({
  /** The location's id. */
  id: z.number().int(),
  kind: z.enum(FLOW_NODE_KINDS),
  name: z.string(),
  /** The warehouse of a Stock or Returns location; null for Vendors, Customers and Inventory adjustment. */
  warehouseId: z.number().int().nullable(),
});
export type FlowNode = z.infer<typeof flowNode>;

export const flowEdge = z.object({
  /** `<route>:<from>:<to>`, unique in a graph. */
  id: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  route: z.enum(FLOW_ROUTES),
  label: z.string(),
  /** Moves on it that are neither done nor cancelled. */
  openMoves: z.number().int(),
  /** Their quantity still to move. */
  quantity: z.number(),
  /** The picking types its moves belong to (none: moves without a picking, as counts and transfers are). */
  pickingTypes: z.array(z.enum(PICKING_TYPES)),
  /** Drop-ship: the vendors who ship to the customer (the product's, the preferred first). */
  partners: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
export type FlowEdge = z.infer<typeof flowEdge>;

export const flowGraph = z.object({
  productId: z.number().int().nullable(),
  warehouseId: z.number().int().nullable(),
  nodes: z.array(flowNode),
  edges: z.array(flowEdge),
});
export type FlowGraph = z.infer<typeof flowGraph>;

export const flowMovesQuery = flowGraphQuery.extend({
  from: positiveId.optional().describe('the edge’s source location'),
  to: positiveId.optional().describe('the edge’s destination location'),
  route: z.enum(FLOW_ROUTES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const flowMove = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  productName: z.string(),
  sku: z.string(),
  description: z.string(),
  route: z.enum(FLOW_ROUTES),
  fromLocationId: z.number().int(),
  toLocationId: z.number().int(),
  state: z.enum(MOVE_STATES),
  /** Still to move. */
  quantity: z.number(),
  quantityReserved: z.number(),
  pickingId: z.number().int().nullable(),
  pickingName: z.string().nullable(),
  pickingType: z.enum(PICKING_TYPES).nullable(),
  origin: z.string().nullable(),
  scheduledDate: z.string().nullable(),
});
export type FlowMove = z.infer<typeof flowMove>;

export const flowMoves = z.object({
  items: z.array(flowMove),
  /** Every open move on the edge (items stops at the limit). */
  total: z.number().int(),
  /** Moves of other salespeople's orders, not listed to a user limited to their own orders. */
  hidden: z.number().int(),
});
