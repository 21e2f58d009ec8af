import type { AttentionReason, SaleOrder, saleOrderCreate } from '../../../contracts/schemas/sales';
import type { z } from 'zod';
import { nextNumbers } from '../../db/sequences';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { followNew } from '../chatter/followers.service';
import { companyCurrency } from '../company/company.service';
import { resolveWarehouseId } from '../inventory/warehouse.service';
import { partnersByIds } from '../partners/partner.service';
import { attention, reasonsWith } from './sale-order.attention';
import { insertNewLines, planNewOrders, totals, type ParsedLine } from './sale-order.lines';
import { toSaleOrder } from './sale-order.mapper';
import { SaleOrderModel } from './sale-order.model';
import { publishOrder } from './sale-order.service';

// Creating quotations: one from the console or the API, many at once from an import chunk or a shop.

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
  const partners = await partnersByIds(t, partnerIds);
  const unknown = partnerIds.find((id) => !partners.has(id));
  if (unknown !== undefined) throw ValidationError.field('partnerId', `partner ${unknown} does not exist`);
  await refuseKnownExternalIds(t, inputs);
  const plans = await planNewOrders(
    inputs.map((i) => ({ lines: i.lines, orderDiscount: i.orderDiscount })),
    t,
    { unmatched: opts.fromShop },
  );
  const warehouses = new Map<number | undefined, number>();
  for (const id of new Set(inputs.map((i) => i.warehouseId))) warehouses.set(id, await resolveWarehouseId(t, id));
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
      reference: input.reference ?? null,
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
export async function refuseKnownExternalIds(t: Tx, inputs: NewOrder[]): Promise<void> {
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
