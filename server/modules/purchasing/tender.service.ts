import { Op, literal, type WhereOptions } from 'sequelize';
import { rooms, type PresenceUser } from '../../../contracts/events';
import type { List } from '../../../contracts/schemas/common';
import type { Tender, TenderListQuery, TenderSummary } from '../../../contracts/schemas/tenders';
import type { TenderState } from '../../../contracts/states';
import { iso } from '../../db/columns';
import { isSqlite } from '../../db/sequelize';
import type { Tx } from '../../db/transaction';
import { ForbiddenError, NotFoundError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { publish } from '../../realtime/publisher';
import { requireAccess, type Auth } from '../auth/access';
import { logTracking } from '../chatter/chatter.service';
import { ownOrdersOnly } from '../sales/sale-order.access';
import { PurchaseOrderLineModel, PurchaseOrderModel } from './purchase-order.model';
import { TenderLineModel, TenderModel } from './tender.model';

// Reading calls for tenders: the list, one tender with its lines and RFQs, its record rule, tracking
// and publishing a change. Creating, sending and cancelling are tender.actions.ts, the comparison
// tender.comparison.ts, choosing server/workflows/tender.workflow.ts (it confirms purchase orders).

// The record rule, as for purchase orders: a tender belongs to no salesperson's order, so a user limited
// to their own orders sees none; everyone else with purchase.read sees them all.
export function tenderScope(auth: Pick<Auth, 'user'>): WhereOptions<TenderModel> {
  return ownOrdersOnly(auth) ? { id: -1 } : {};
}

export function assertTenderAccess(auth: Pick<Auth, 'user'>, o: Pick<TenderModel, 'name'>): void {
  if (ownOrdersOnly(auth)) throw new ForbiddenError(`${o.name} is a call for tenders: you may see your own sale orders only`);
}

/** Nobody's own: own-orders users never see a tender. */
export const tenderOwner = (): Promise<number | null> => Promise.resolve(null);
export const ownTenderIds = (): ReturnType<typeof literal> => literal('(SELECT id FROM tenders WHERE 1 = 0)');

const linesInclude = { model: TenderLineModel, as: 'lines', include: [{ association: 'product' }] };

/** A tender with its lines and their products; locked for t when asked. */
export async function loadTender(t: Tx | null, id: number, lock = false): Promise<TenderModel> {
  if (lock && t && !isSqlite()) {
    const row = await TenderModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
    if (!row) throw new NotFoundError('Call for tenders', id);
  }
  const o = await TenderModel.findByPk(id, { include: [linesInclude], transaction: t });
  if (!o) throw new NotFoundError('Call for tenders', id);
  o.lines = [...(o.lines ?? [])].sort((a, b) => a.sequence - b.sequence || a.id - b.id);
  return o;
}

/** The RFQs of tenders, with their vendor and lines, in id order. */
export async function tenderRfqs(t: Tx | null, tenderIds: number[]): Promise<PurchaseOrderModel[]> {
  if (!tenderIds.length) return [];
  const rows = await PurchaseOrderModel.findAll({
    where: { tenderId: tenderIds },
    include: [
      { association: 'partner', attributes: ['id', 'name', 'email'] },
      { model: PurchaseOrderLineModel, as: 'lines' },
    ],
    order: [['id', 'ASC']],
    transaction: t,
  });
  return rows;
}

/** The RFQs still waiting for the choice: draft or sent. */
export const isOpenRfq = (o: Pick<PurchaseOrderModel, 'state'>) => o.state === 'draft' || o.state === 'sent';

export function isDeadlinePassed(o: Pick<TenderModel, 'state' | 'deadline'>, now = Date.now()): boolean {
  return (o.state === 'draft' || o.state === 'open') && new Date(o.deadline).getTime() < now;
}

export function toTenderSummary(o: TenderModel, rfqs: PurchaseOrderModel[]): TenderSummary {
  const mine = rfqs.filter((r) => r.tenderId === o.id);
  return {
    id: o.id,
    name: o.name,
    state: o.state,
    warehouseId: o.warehouseId,
    deadline: iso(o.deadline),
    deadlinePassed: isDeadlinePassed(o),
    origin: o.origin,
    vendorIds: [...new Set(mine.map((r) => r.partnerId))],
    purchaseOrderIds: mine.map((r) => r.id),
    answered: mine.filter((r) => r.quotedAt).length,
    asked: mine.length,
    currency: o.currency,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    version: o.version,
  };
}

export function toTender(o: TenderModel, rfqs: PurchaseOrderModel[]): Tender {
  return {
    ...toTenderSummary(o, rfqs),
    note: o.note,
    createdById: o.createdById,
    chosenAt: o.chosenAt ? iso(o.chosenAt) : null,
    lines: (o.lines ?? []).map((l) => ({
      id: l.id,
      productId: l.productId,
      sku: l.product?.sku ?? '',
      productName: l.product?.name ?? '',
      quantity: l.quantity,
    })),
    purchaseOrders: rfqs
      .filter((r) => r.tenderId === o.id)
      .map((r) => ({
        id: r.id,
        name: r.name,
        partnerId: r.partnerId,
        partnerName: r.partner?.name ?? '',
        state: r.state,
        quotedAt: r.quotedAt ? iso(r.quotedAt) : null,
        amountUntaxed: r.amountUntaxed,
      })),
  };
}

export async function tenderDto(t: Tx | null, o: TenderModel): Promise<Tender> {
  return toTender(o, await tenderRfqs(t, [o.id]));
}

const SORTABLE = ['name', 'deadline', 'createdAt'] as const;

export async function listTenders(auth: Auth, query: TenderListQuery): Promise<List<TenderSummary>> {
  requireAccess(auth, 'purchase.read');
  const and: WhereOptions[] = [tenderScope(auth)];
  if (query.q) {
    const term = likeTerm(query.q);
    and.push({ [Op.or]: [{ name: { [Op.like]: term } }, { origin: { [Op.like]: term } }] });
  }
  if (query.state?.length) and.push({ state: query.state });
  const where = { [Op.and]: and };
  const [rows, total] = await Promise.all([
    TenderModel.findAll({ where, limit: query.limit, offset: query.offset, order: orderFrom(query.sort, SORTABLE, '-createdAt') }),
    TenderModel.count({ where }),
  ]);
  const rfqs = await PurchaseOrderModel.findAll({
    where: { tenderId: rows.map((r) => r.id) },
    attributes: ['id', 'tenderId', 'partnerId', 'state', 'quotedAt'],
    order: [['id', 'ASC']],
  });
  return { items: rows.map((r) => toTenderSummary(r, rfqs)), total };
}

export async function getTender(auth: Auth, id: number): Promise<Tender> {
  requireAccess(auth, 'purchase.read');
  const o = await loadTender(null, id);
  assertTenderAccess(auth, o);
  return tenderDto(null, o);
}

/** Tender names by id (unknown ids absent): the records registry's names of tenders. */
export async function tenderNames(t: Tx | null, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await TenderModel.findAll({ where: { id: ids }, attributes: ['id', 'name'], transaction: t });
  return new Map(rows.map((o) => [o.id, o.name]));
}

// Tracked fields of a tender: its state and deadline, logged as old → new in its chatter.
export type TenderSnapshot = { state: TenderState; deadline: string };
export const snapshotTender = (o: TenderModel): TenderSnapshot => ({ state: o.state, deadline: iso(o.deadline) });

export async function trackTender(t: Tx, before: TenderSnapshot, o: TenderModel, authorId: number | null, extra: { field: string; newValue: string }[] = []) {
  const after = snapshotTender(o);
  const changes = [
    ...(before.state !== after.state ? [{ field: 'state', oldValue: before.state, newValue: after.state }] : []),
    ...(before.deadline !== after.deadline ? [{ field: 'deadline', oldValue: before.deadline, newValue: after.deadline }] : []),
    ...extra.map((e) => ({ field: e.field, oldValue: null, newValue: e.newValue })),
  ];
  await logTracking(t, { model: 'tender', resId: o.id, authorId }, changes);
}

/** Saves the tender (bumping its version) and publishes tender.updated to the purchase board and its room once t commits. */
export async function saveAndPublishTender(t: Tx, o: TenderModel, auth: Auth | null, before?: { state: TenderState; version: number }): Promise<void> {
  o.changed('updatedAt', true);
  await o.save({ transaction: t });
  const rfqs = await PurchaseOrderModel.findAll({
    where: { tenderId: o.id },
    attributes: ['id', 'tenderId', 'partnerId', 'state', 'quotedAt'],
    order: [['id', 'ASC']],
    transaction: t,
  });
  publish(t, [rooms.purchasesBoard, rooms.record('tender', o.id)], 'tender.updated', {
    id: o.id,
    version: o.version,
    model: 'tender',
    tender: toTenderSummary(o, rfqs),
    ...(before && { before }),
    ...(auth && { by: { id: auth.user.id, name: auth.user.name } satisfies PresenceUser }),
  });
}
