import { QueryTypes } from 'sequelize';
import type { LocationKind, MoveState, PickingType, ProcureMethod } from '../../../contracts/states';
import { db } from '../../db/sequelize';
import type { Tx } from '../../db/transaction';
import { limitedToOwnOrders, type Auth } from '../auth/access';
import { ownPickingIds } from './picking.access';
import { r3 } from './quants';
import { MoveModel, PickingModel } from './stock.model';
import { LocationModel } from './warehouse.model';

// Read by the materials-flow graph (workflows/materials-flow.report.ts): the locations and the open
// moves between them, grouped by where they go and what kind of picking carries them.

const OPEN_MOVES: MoveState[] = ['draft', 'waiting', 'confirmed', 'partially_available', 'assigned'];

export type FlowLocation = { id: number; name: string; kind: LocationKind; warehouseId: number | null; isReturns: boolean };

/** Every location (a handful: each warehouse's Stock and Returns, and the three virtual ones), in id order. */
export async function flowLocations(t: Tx | null): Promise<FlowLocation[]> {
  const rows = await LocationModel.findAll({ order: [['id', 'ASC']], transaction: t });
  return rows.map((l) => ({ id: l.id, name: l.name, kind: l.kind, warehouseId: l.warehouseId, isReturns: !!l.isReturns }));
}

export type FlowFilter = { productId?: number; warehouseId?: number; fromLocationId?: number; toLocationId?: number };

/** A move's warehouse: its picking's, else (counts, transfers) that of the internal location it leaves or enters. */
const WAREHOUSE = 'COALESCE(p.warehouseId, lf.warehouseId, lt.warehouseId)';

/** A receipt's move: the purchase line it brings in (what that line was bought for decides its route); null for any other move. */
const INCOMING_LINE = "CASE WHEN p.type = 'incoming' THEN m.purchaseLineId END";

function where(filter: FlowFilter): { sql: string; replacements: Record<string, unknown> } {
  const and = ['m.state IN (:open)'];
  const replacements: Record<string, unknown> = { open: OPEN_MOVES };
  if (filter.productId) {
    and.push('m.productId = :productId');
    replacements.productId = filter.productId;
  }
  if (filter.warehouseId) {
    and.push(`${WAREHOUSE} = :warehouseId`);
    replacements.warehouseId = filter.warehouseId;
  }
  if (filter.fromLocationId) {
    and.push('m.fromLocationId = :fromLocationId');
    replacements.fromLocationId = filter.fromLocationId;
  }
  if (filter.toLocationId) {
    and.push('m.toLocationId = :toLocationId');
    replacements.toLocationId = filter.toLocationId;
  }
  return { sql: and.join(' AND '), replacements };
}

// The tables' names are known once the models are bound.
const from = () => `${MoveModel.tableName} m
  LEFT JOIN ${PickingModel.tableName} p ON p.id = m.pickingId
  LEFT JOIN ${LocationModel.tableName} lf ON lf.id = m.fromLocationId
  LEFT JOIN ${LocationModel.tableName} lt ON lt.id = m.toLocationId`;

/** Open moves of one kind between two locations: how many, and the quantity they still move. */
export type OpenMoveGroup = {
  fromLocationId: number;
  toLocationId: number;
  pickingType: PickingType | null;
  procureMethod: ProcureMethod;
  /** A receipt's moves are grouped by their purchase line as well; null for every other kind. */
  purchaseLineId: number | null;
  warehouseId: number | null;
  moves: number;
  quantity: number;
};

type GroupRow = Omit<OpenMoveGroup, 'moves' | 'quantity'> & { moves: number | string; quantity: number | string };

/**
 * The open moves (neither done nor cancelled) grouped by from, to, picking type and procure method, and
 * a receipt's by purchase line too: one query. Every kind but receipts gives a handful of groups however
 * many moves there are; receipts one per purchase line still to receive.
 */
export async function openMoveGroups(t: Tx | null, filter: FlowFilter): Promise<OpenMoveGroup[]> {
  const w = where(filter);
  const rows = await db().query<GroupRow>(
    `SELECT m.fromLocationId AS fromLocationId, m.toLocationId AS toLocationId, p.type AS pickingType, m.procureMethod AS procureMethod,
       ${INCOMING_LINE} AS purchaseLineId, ${WAREHOUSE} AS warehouseId, COUNT(*) AS moves, SUM(m.quantity - m.quantityDone) AS quantity
     FROM ${from()}
     WHERE ${w.sql}
     GROUP BY m.fromLocationId, m.toLocationId, p.type, m.procureMethod, ${INCOMING_LINE}, ${WAREHOUSE}`,
    { replacements: w.replacements, type: QueryTypes.SELECT, transaction: t },
  );
  return rows.map((r) => ({
    fromLocationId: Number(r.fromLocationId),
    toLocationId: Number(r.toLocationId),
    pickingType: r.pickingType ?? null,
    procureMethod: r.procureMethod,
    purchaseLineId: r.purchaseLineId === null ? null : Number(r.purchaseLineId),
    warehouseId: r.warehouseId === null ? null : Number(r.warehouseId),
    moves: Number(r.moves),
    quantity: r3(Number(r.quantity)),
  }));
}

export type OpenFlowMove = {
  id: number;
  productId: number;
  description: string;
  fromLocationId: number;
  toLocationId: number;
  state: MoveState;
  quantity: number;
  quantityReserved: number;
  procureMethod: ProcureMethod;
  /** The purchase line a receipt's move brings in. */
  purchaseLineId: number | null;
  pickingId: number | null;
  pickingName: string | null;
  pickingType: PickingType | null;
  origin: string | null;
  scheduledDate: string | null;
  /** Whether the caller may see its picking (a user limited to their own orders sees their orders' only). */
  visible: boolean;
};

type MoveRow = Omit<OpenFlowMove, 'quantity' | 'quantityReserved' | 'scheduledDate' | 'visible'> & {
  quantity: number | string;
  quantityReserved: number | string;
  scheduledDate: string | Date | null;
  visible: number | string | boolean;
};

/** The open moves that match, oldest first, with their pickings; `visible` tells which the caller may list. */
export async function openFlowMoves(t: Tx | null, auth: Auth, filter: FlowFilter): Promise<OpenFlowMove[]> {
  const w = where(filter);
  const visible = limitedToOwnOrders(auth) ? `CASE WHEN m.pickingId IN ${ownPickingIds(auth.user.id).val as string} THEN 1 ELSE 0 END` : '1';
  const rows = await db().query<MoveRow>(
    `SELECT m.id AS id, m.productId AS productId, m.description AS description, m.fromLocationId AS fromLocationId,
       m.toLocationId AS toLocationId, m.state AS state, m.quantity - m.quantityDone AS quantity, m.quantityReserved AS quantityReserved,
       m.procureMethod AS procureMethod, m.purchaseLineId AS purchaseLineId, m.pickingId AS pickingId, p.name AS pickingName, p.type AS pickingType, p.origin AS origin,
       p.scheduledDate AS scheduledDate, ${visible} AS visible
     FROM ${from()}
     WHERE ${w.sql}
     ORDER BY m.id ASC`,
    { replacements: w.replacements, type: QueryTypes.SELECT, transaction: t },
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    productId: Number(r.productId),
    fromLocationId: Number(r.fromLocationId),
    toLocationId: Number(r.toLocationId),
    quantity: r3(Number(r.quantity)),
    quantityReserved: r3(Number(r.quantityReserved)),
    purchaseLineId: r.purchaseLineId === null ? null : Number(r.purchaseLineId),
    pickingId: r.pickingId === null ? null : Number(r.pickingId),
    scheduledDate: r.scheduledDate === null ? null : new Date(r.scheduledDate).toISOString(),
    visible: Number(r.visible) === 1 || r.visible === true,
  }));
}
