import { Op, type Includeable, type WhereOptions } from 'sequelize';
import { rooms, type PresenceUser } from '../../../contracts/events';
import type { List } from '../../../contracts/schemas/common';
import type {
  AttentionReason,
  SaleOrder,
  SaleOrderFilters,
  SaleOrderListQuery,
  SaleOrderPatch,
  SaleOrderSummary,
  saleOrderCreate,
  saleOrderPatch,
} from '../../../contracts/schemas/sales';
import { SALE_ORDER_STATES, type SaleOrderState } from '../../../contracts/states';
import type { z } from 'zod';
import { nextNumbers } from '../../db/sequences';
import { isSqlite } from '../../db/sequelize';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { publish } from '../../realtime/publisher';
import { requireAccess, type Auth } from '../auth/access';
import { assertOrderAccess, orderScope } from './sale-order.access';
import { ProductModel } from '../catalog/catalog.model';
import { companyCurrency } from '../company/company.service';
import { resolveWarehouseId } from '../inventory/warehouse.service';
import { PartnerModel } from '../partners/partner.model';
import { findPartner } from '../partners/partner.service';
import { deriveDeliveryStatus, deriveInvoiceStatus, toSaleOrder, toSummary } from './sale-order.mapper';
import { SaleOrderLineModel, SaleOrderModel } from './sale-order.model';
import { applyLines, insertNewLines, planLines, planNewOrders, totals, type ParsedLine } from './sale-order.lines';
import { snapshotSaleOrder, trackSaleOrder } from './sale-order.tracking';
import { follow, followNew, unfollow } from '../chatter/followers.service';

const partnerInclude: Includeable = { model: PartnerModel, as: 'partner', attributes: ['id', 'name', 'email'] };
const fullInclude: Includeable[] = [partnerInclude, { model: SaleOrderLineModel, as: 'lines', include: [{ model: ProductModel, as: 'product' }] }];

const SORTABLE = ['name', 'dateOrder', 'amountTotal', 'createdAt', 'updatedAt', 'state'] as const;

/** The WHERE of the board's filters, shared by the list, the state counts and the CSV export. */
export function filterWhere(f: Partial<SaleOrderFilters>): WhereOptions<SaleOrderModel> {
  const and: WhereOptions[] = [];
  if (f.q) {
    const t = likeTerm(f.q);
    and.push({ [Op.or]: [{ name: { [Op.like]: t } }, { externalId: { [Op.like]: t } }, { '$partner.name$': { [Op.like]: t } }] });
  }
  if (f.state?.length) and.push({ state: f.state });
  if (f.partnerId) and.push({ partnerId: f.partnerId });
  if (f.invoiceStatus) and.push({ invoiceStatus: f.invoiceStatus });
  if (f.deliveryStatus) and.push({ deliveryStatus: f.deliveryStatus });
  if (f.needsAttention !== undefined) and.push({ needsAttention: f.needsAttention });
  if (f.channelId) and.push({ channelId: f.channelId });
  if (f.dateFrom) and.push({ dateOrder: { [Op.gte]: new Date(`${f.dateFrom}T00:00:00Z`) } });
  if (f.dateTo) and.push({ dateOrder: { [Op.lt]: new Date(new Date(`${f.dateTo}T00:00:00Z`).getTime() + 86_400_000) } });
  return { [Op.and]: and };
}

export { partnerInclude };

export async function listSaleOrders(auth: Auth, query: SaleOrderListQuery): Promise<List<SaleOrderSummary>> {
  requireAccess(auth, 'saleOrder.read');
  const where = { [Op.and]: [filterWhere(query), orderScope(auth)] };
  const [rows, total] = await Promise.all([
    SaleOrderModel.findAll({
      where,
      include: [partnerInclude],
      limit: query.limit,
      offset: query.offset,
      order: orderFrom(query.sort, SORTABLE, '-createdAt'),
    }),
    SaleOrderModel.count({ where, include: [partnerInclude] }),
  ]);
  return { items: rows.map((o) => toSummary(o, o.partner?.name ?? '')), total };
}

/** Orders per state for the board's columns, under the same filters (state aside). */
export async function countByState(auth: Auth, filters: Partial<SaleOrderFilters>): Promise<Record<SaleOrderState, number>> {
  requireAccess(auth, 'saleOrder.read');
  const rows = (await SaleOrderModel.count({
    where: { [Op.and]: [filterWhere({ ...filters, state: undefined }), orderScope(auth)] },
    include: [partnerInclude],
    group: ['state'],
  })) as unknown as { state: SaleOrderState; count: number }[];
  const counts = Object.fromEntries(SALE_ORDER_STATES.map((s) => [s, 0])) as Record<SaleOrderState, number>;
  for (const r of rows) counts[r.state] = Number(r.count);
  return counts;
}

export async function loadOrder(id: number, t?: Tx, lock = false): Promise<SaleOrderModel> {
  if (lock && t && !isSqlite()) {
    // Lock the order row first (MySQL), then read it with its lines. SQLite transactions already run one at a time.
    const row = await SaleOrderModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!row) throw new NotFoundError('Sale order', id);
  }
  const o = await SaleOrderModel.findByPk(id, { include: fullInclude, transaction: t });
  if (!o) throw new NotFoundError('Sale order', id);
  return o;
}

export async function getSaleOrder(auth: Auth, id: number): Promise<SaleOrder> {
  requireAccess(auth, 'saleOrder.read');
  const o = await loadOrder(id);
  assertOrderAccess(auth, o);
  return toSaleOrder(o);
}

/** Publishes order.created/updated to the board and the record room once t commits. */
export function publishOrder(t: Tx, o: SaleOrderModel, auth: Auth | null, before?: { state: SaleOrderState; version: number }): void {
  const payload = {
    id: o.id,
    version: o.version,
    order: toSummary(o, o.partner?.name ?? ''),
    ...(auth && { by: { id: auth.user.id, name: auth.user.name } satisfies PresenceUser }),
  };
  // Users limited to their own orders watch the board through their own board room.
  const targets = [rooms.ordersBoard, rooms.record('saleOrder', o.id), ...(o.createdById ? [rooms.ownBoard(rooms.ordersBoard, o.createdById)] : [])];
  if (before) publish(t, targets, 'order.updated', { ...payload, before });
  else publish(t, targets, 'order.created', payload);
}

/** Re-derives totals and statuses from the lines and saves the order (bumping its version). */
export async function saveWithLines(o: SaleOrderModel, lines: SaleOrderLineModel[], t: Tx): Promise<void> {
  o.set({ ...totals(lines), invoiceStatus: deriveInvoiceStatus(o.state, lines), deliveryStatus: deriveDeliveryStatus(lines) });
  o.lines = lines;
  o.changed('updatedAt', true);
  await o.save({ transaction: t });
}

export async function createSaleOrder(auth: Auth, input: z.output<typeof saleOrderCreate>, outer?: Tx): Promise<SaleOrder> {
  requireAccess(auth, 'saleOrder.write');
  return toSaleOrder(await withTransaction((t) => createSaleOrderIn(t, auth, input), outer));
}

/** Creates a quotation in t; `actor` null: the system, no creator. */
export async function createSaleOrderIn(t: Tx, actor: Auth | null, input: z.output<typeof saleOrderCreate>): Promise<SaleOrderModel> {
  const [o] = await createSaleOrdersIn(t, actor, [input]);
  return o!;
}

/**
 * A new order: the API's, or an intake's, which may carry the shop's fingerprint, the reasons it
 * needs attention, and lines whose product is not known here (unmatched, with the shop's SKU).
 */
export type NewOrder = Omit<z.output<typeof saleOrderCreate>, 'lines'> & {
  lines: ParsedLine[];
  externalHash?: string | null;
  externalUpdatedAt?: Date | null;
  attentionReasons?: AttentionReason[];
};

/** The reasons an order needs attention once its lines are known: an unmatched line is one until it is matched. */
function reasonsWith(reasons: AttentionReason[], lines: { productId: number | null; description: string; externalSku?: string | null }[]): AttentionReason[] {
  return [
    ...reasons.filter((r) => r.code !== 'unmatched_product'),
    ...lines
      .filter((l) => l.productId === null)
      .map((l) => ({
        code: 'unmatched_product' as const,
        message: `"${l.description}"${l.externalSku ? ` (the shop's SKU ${l.externalSku})` : ''} is not matched to a product here: match it to a product before confirming`,
      })),
  ];
}

/**
 * Creates quotations in t, many at once (a chunk of an import): partners, products and taxes are
 * read once for them all, their numbers taken as one block, orders, lines and followers written in
 * one statement each. `externalHash` is the shop's fingerprint of an order taken from a channel;
 * `fromShop`: the shop's lines whose product is not known here are kept, unmatched.
 */
export async function createSaleOrdersIn(
  t: Tx,
  actor: Auth | null,
  inputs: NewOrder[],
  opts: { fromShop: boolean } = { fromShop: false },
): Promise<SaleOrderModel[]> {
  if (!inputs.length) return [];
  const partnerIds = [...new Set(inputs.map((i) => i.partnerId))];
  const partners = new Map((await PartnerModel.findAll({ where: { id: partnerIds }, transaction: t })).map((p) => [p.id, p]));
  const unknown = partnerIds.find((id) => !partners.has(id));
  if (unknown !== undefined) throw ValidationError.field('partnerId', `partner ${unknown} does not exist`);
  await refuseKnownExternalIds(t, inputs);
  const plans = await planNewOrders(
    inputs.map((i) => ({ lines: i.lines, orderDiscount: i.orderDiscount })),
    t,
    { unmatched: opts.fromShop },
  );
  const warehouses = new Map<number | undefined, number>();
  for (const id of new Set(inputs.map((i) => i.warehouseId))) warehouses.set(id, await resolveWarehouseId(id, t));
  const currency = await companyCurrency(t);
  const names = await nextNumbers('sale.order', inputs.length, t);
  const orders = await SaleOrderModel.bulkCreate(
    inputs.map((input, i) => ({
      name: names[i]!,
      partnerId: input.partnerId,
      shippingAddress: input.shippingAddress ?? null,
      warehouseId: warehouses.get(input.warehouseId)!,
      channelId: input.channelId ?? null,
      externalId: input.externalId ?? null,
      externalHash: input.externalHash ?? null,
      externalUpdatedAt: input.externalUpdatedAt ?? null,
      ...attention(
        input.needsAttention,
        reasonsWith(
          input.attentionReasons ?? [],
          plans[i]!.lines.map((l) => l.fields),
        ),
      ),
      note: input.note ?? null,
      discountCode: input.discountCode ?? null,
      orderDiscount: input.orderDiscount,
      dateOrder: input.dateOrder ? new Date(input.dateOrder) : new Date(),
      state: 'draft' as const,
      invoiceStatus: 'no' as const,
      deliveryStatus: 'pending' as const,
      ...totals(plans[i]!.lines.map((l) => l.fields)),
      currency,
      createdById: actor?.user.id ?? null,
    })),
    { transaction: t },
  );
  const lines = await insertNewLines(
    orders.map((o, i) => ({ orderId: o.id, plan: plans[i]! })),
    t,
  );
  // The creator follows the order; so does the customer (for messages sent to them).
  await followNew(
    t,
    'saleOrder',
    orders.flatMap((o) => [...(actor ? [{ resId: o.id, userId: actor.user.id }] : []), { resId: o.id, partnerId: o.partnerId }]),
  );
  orders.forEach((o, i) => {
    o.partner = partners.get(o.partnerId);
    o.lines = lines[i];
    publishOrder(t, o, actor);
  });
  return orders;
}

/** An order of a channel exists once: a second one with the same external id is a conflict. */
async function refuseKnownExternalIds(t: Tx, inputs: NewOrder[]): Promise<void> {
  const byChannel = new Map<number, Set<string>>();
  for (const { channelId, externalId } of inputs) {
    if (!externalId || !channelId) continue;
    const ids = byChannel.get(channelId) ?? new Set<string>();
    if (ids.has(externalId)) throw new ConflictError(`Order ${externalId} of channel ${channelId} is given twice`);
    byChannel.set(channelId, ids.add(externalId));
  }
  for (const [channelId, ids] of byChannel) {
    const dup = await SaleOrderModel.findOne({ where: { channelId, externalId: [...ids] }, attributes: ['name', 'externalId'], transaction: t });
    if (dup) throw new ConflictError(`Order ${dup.externalId} of channel ${channelId} already exists as ${dup.name}`);
  }
}

/** The flag and its reasons: flagged when asked to be, or when there is a reason. */
function attention(flag: boolean, reasons: AttentionReason[]): { needsAttention: boolean; attentionReasons: AttentionReason[] } {
  return { needsAttention: flag || reasons.length > 0, attentionReasons: reasons };
}

// What may change in each state besides the lines (which writeLines guards).
const EDITABLE: Record<SaleOrderState, readonly (keyof SaleOrderPatch)[]> = {
  draft: ['partnerId', 'shippingAddress', 'warehouseId', 'needsAttention', 'note', 'dateOrder', 'discountCode', 'orderDiscount', 'lines'],
  sent: ['partnerId', 'shippingAddress', 'warehouseId', 'needsAttention', 'note', 'dateOrder', 'discountCode', 'orderDiscount', 'lines'],
  sale: ['shippingAddress', 'needsAttention', 'note', 'lines'],
  done: ['needsAttention', 'note'],
  cancel: ['needsAttention', 'note'],
};

/** What an intake adds to a correction: the reasons the shop's version needs attention, and its fingerprint. */
export type ExternalChange = { reasons: AttentionReason[]; externalHash: string; externalUpdatedAt: Date | null };

/** Corrects an order in t (the caller's transaction, where other domains follow the change). */
export async function updateSaleOrderIn(
  t: Tx,
  auth: Auth | null,
  id: number,
  patch: Omit<z.output<typeof saleOrderPatch>, 'lines'> & { lines?: ParsedLine[] },
  external?: ExternalChange,
): Promise<SaleOrderModel> {
  if (auth) requireAccess(auth, 'saleOrder.write');
  {
    const o = await loadOrder(id, t, true);
    if (auth) assertOrderAccess(auth, o);
    if (patch.version !== o.version) throw new ConflictError(`${o.name} was changed by someone else`, toSaleOrder(o));
    const before = { state: o.state, version: o.version };
    const tracked = snapshotSaleOrder(o);
    // A field sent with its current value is no change (a console may send the whole header).
    const unchanged: Partial<Record<keyof SaleOrderPatch, boolean>> = {
      partnerId: patch.partnerId === o.partnerId,
      warehouseId: patch.warehouseId === o.warehouseId,
      dateOrder: patch.dateOrder !== undefined && new Date(patch.dateOrder).getTime() === o.dateOrder.getTime(),
      needsAttention: patch.needsAttention === o.needsAttention,
      note: patch.note === o.note,
      discountCode: patch.discountCode === o.discountCode,
      orderDiscount: patch.orderDiscount === o.orderDiscount,
    };
    const refused = (Object.keys(patch) as (keyof SaleOrderPatch)[]).filter(
      (k) => k !== 'version' && patch[k] !== undefined && !unchanged[k] && !EDITABLE[o.state].includes(k),
    );
    if (refused.length) {
      throw new InvalidStateError(
        `${refused.join(', ')} cannot change while the order is ${o.state}`,
        refused.map((field) => ({ field, message: `not editable in state ${o.state}` })),
      );
    }
    if (patch.partnerId !== undefined && patch.partnerId !== o.partnerId) {
      o.partner = await findPartner(patch.partnerId, t).catch(() => {
        throw ValidationError.field('partnerId', `partner ${patch.partnerId} does not exist`);
      });
      // The new customer follows the order's messages; the former one no longer hears of it.
      await unfollow(t, 'saleOrder', o.id, { partnerId: o.partnerId });
      await follow(t, 'saleOrder', o.id, { partnerId: patch.partnerId });
      o.partnerId = patch.partnerId;
    }
    if (patch.warehouseId !== undefined) o.warehouseId = await resolveWarehouseId(patch.warehouseId, t);
    if (patch.shippingAddress !== undefined) o.shippingAddress = patch.shippingAddress;
    if (patch.note !== undefined) o.note = patch.note;
    if (patch.dateOrder !== undefined) o.dateOrder = new Date(patch.dateOrder);
    if (patch.discountCode !== undefined) o.discountCode = patch.discountCode;
    const discountChanged = patch.orderDiscount !== undefined && patch.orderDiscount !== o.orderDiscount;
    if (patch.orderDiscount !== undefined) o.orderDiscount = patch.orderDiscount;
    // A new order discount is spread over the lines as they are, when no new lines come with it.
    const inputs = patch.lines ?? (discountChanged ? (o.lines ?? []).map(asInput) : null);
    const lines = inputs
      ? await applyLines(o.id, await planLines(o.state, o.lines ?? [], inputs, { amount: o.orderDiscount, keep: o.state === 'sale' }, t), t)
      : (o.lines ?? []);
    // Clearing the flag clears its reasons; once its last reason is gone (a line matched), so does the flag.
    // A shop's new version brings its own reasons.
    const reasons = reasonsWith(external ? external.reasons : patch.needsAttention === false ? [] : (o.attentionReasons ?? []), lines);
    const resolved = (o.attentionReasons ?? []).length > 0 && reasons.length === 0;
    o.set(attention(patch.needsAttention ?? (resolved ? false : o.needsAttention), reasons));
    if (external) o.set({ externalHash: external.externalHash, externalUpdatedAt: external.externalUpdatedAt ?? o.externalUpdatedAt });
    await saveWithLines(o, lines, t);
    await trackSaleOrder(t, tracked, o, auth?.user.id ?? null);
    publishOrder(t, o, auth, before);
    return o;
  }
}

/**
 * A shop changed an order after it was confirmed here: its fingerprint is kept and the order flagged
 * with the reason, for staff to act on (what was agreed is not overwritten).
 */
export async function flagExternalChange(
  t: Tx,
  id: number,
  change: { externalHash: string; externalUpdatedAt: Date | null; reason: AttentionReason },
): Promise<SaleOrderModel> {
  const o = await loadOrder(id, t, true);
  const before = { state: o.state, version: o.version };
  o.set({
    externalHash: change.externalHash,
    externalUpdatedAt: change.externalUpdatedAt ?? o.externalUpdatedAt,
    ...attention(true, [...(o.attentionReasons ?? []).filter((r) => r.code !== change.reason.code), change.reason]),
  });
  o.changed('updatedAt', true);
  await o.save({ transaction: t });
  publishOrder(t, o, null, before);
  return o;
}

/** The shop sent the version we hold again, later: its time moves on (an older one is refused from then). */
export async function noteExternalTime(t: Tx, id: number, at: Date): Promise<void> {
  await SaleOrderModel.update({ externalUpdatedAt: at }, { where: { id }, transaction: t, silent: true });
}

/** A line as it is, given back as an input (to spread a new order discount over unchanged lines). */
function asInput(l: SaleOrderLineModel): ParsedLine {
  return {
    id: l.id,
    productId: l.productId,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
    discountAmount: l.discountAmount,
    taxIds: l.taxIds,
    isShipping: l.isShipping,
  };
}

/**
 * What deliveries and returns changed per line (quantities delivered, or taken back with a minus):
 * the lines' qtyDelivered and the order's statuses follow, and order.updated goes out after commit.
 */
export async function applyDelivered(t: Tx, saleOrderId: number, deltas: { saleLineId: number; quantity: number }[], auth: Auth | null): Promise<void> {
  if (!deltas.length) return;
  const o = await loadOrder(saleOrderId, t, true);
  const before = { state: o.state, version: o.version };
  for (const d of deltas) {
    const line = o.lines?.find((l) => l.id === d.saleLineId);
    if (!line) continue;
    line.qtyDelivered = Math.round((line.qtyDelivered + d.quantity) * 1000) / 1000;
    await line.save({ transaction: t });
  }
  await saveWithLines(o, o.lines ?? [], t);
  publishOrder(t, o, auth, before);
}

/**
 * The lines' invoiced quantities as the invoices now add them up (invoices minus credit notes, drafts
 * included, cancelled ones not): qtyInvoiced and the order's invoiceStatus follow, order.updated goes out.
 */
export async function applyInvoiced(
  t: Tx,
  saleOrderId: number,
  invoiced: (lineIds: number[]) => Promise<Map<number, number>>,
  auth: Auth | null,
): Promise<SaleOrderModel> {
  const o = await loadOrder(saleOrderId, t, true);
  const before = { state: o.state, version: o.version };
  const lines = o.lines ?? [];
  const quantities = await invoiced(lines.map((l) => l.id));
  let changed = false;
  for (const line of lines) {
    const qty = Math.round((quantities.get(line.id) ?? 0) * 1000) / 1000;
    if (qty === line.qtyInvoiced) continue;
    line.qtyInvoiced = qty;
    await line.save({ transaction: t });
    changed = true;
  }
  if (changed || o.invoiceStatus !== deriveInvoiceStatus(o.state, lines)) {
    await saveWithLines(o, lines, t);
    publishOrder(t, o, auth, before);
  }
  return o;
}
