import { rooms } from '../../../contracts/events';
import type { AttentionReason, SaleOrderSummary } from '../../../contracts/schemas/sales';
import { insertRows, type SqlValue } from '../../db/bulk';
import { iso } from '../../db/columns';
import { nextNumbers } from '../../db/sequences';
import { afterCommit, type Tx } from '../../db/transaction';
import { ValidationError } from '../../http/errors';
import { emitNow } from '../../realtime/publisher';
import { followNewRecords } from '../chatter/chatter.bulk';
import { companyCurrency } from '../company/company.service';
import { resolveWarehouseId } from '../inventory/warehouse.service';
import { partnerNames } from '../partners/partner.service';
import { attention, reasonsWith } from './sale-order.attention';
import { planNewOrders, totals } from './sale-order.lines';
import { refuseKnownExternalIds, type NewOrder } from './sale-order.create';

// Quotations from a shop or a file, a chunk at a time (an import's chunk of orders): the same rows
// createSaleOrdersIn writes for them (actor: the system), without a model instance per row: orders,
// lines and the customers as followers in multi-row INSERTs, their numbers one block under the
// sequence's row lock, order.created for each once t commits.

/** An order created here: what the intake reports of it. */
export type CreatedOrder = { id: number; name: string; attentionReasons: AttentionReason[] };

const ORDER_COLUMNS = [
  'name',
  'partnerId',
  'shippingAddress',
  'warehouseId',
  'channelId',
  'externalId',
  'reference',
  'externalHash',
  'externalUpdatedAt',
  'needsAttention',
  'attentionReasons',
  'note',
  'discountCode',
  'orderDiscount',
  'dateOrder',
  'state',
  'invoiceStatus',
  'deliveryStatus',
  'amountUntaxed',
  'amountTax',
  'amountTotal',
  'currency',
  'createdById',
  'version',
  'createdAt',
  'updatedAt',
] as const;

const LINE_COLUMNS = [
  'orderId',
  'sequence',
  'productId',
  'externalSku',
  'description',
  'quantity',
  'unitPrice',
  'discount',
  'discountAmount',
  'orderDiscount',
  'isShipping',
  'taxIds',
  'subtotal',
  'amountTax',
  'total',
  'qtyDelivered',
  'qtyInvoiced',
] as const;

/**
 * Creates quotations from a shop in t, many at once: partners, products and taxes read once for them
 * all, lines whose product is not known here kept unmatched (the order flagged), numbers one block.
 * The orders are announced (order.created on the board and their record rooms) once t commits.
 */
export async function createShopOrders(t: Tx, inputs: NewOrder[]): Promise<CreatedOrder[]> {
  if (!inputs.length) return [];
  const partnerIds = [...new Set(inputs.map((i) => i.partnerId))];
  const partners = await partnerNames(t, partnerIds);
  const unknown = partnerIds.find((id) => !partners.has(id));
  if (unknown !== undefined) throw ValidationError.field('partnerId', `partner ${unknown} does not exist`);
  await refuseKnownExternalIds(t, inputs);
  const plans = await planNewOrders(
    inputs.map((i) => ({ lines: i.lines, orderDiscount: i.orderDiscount })),
    t,
    { unmatched: true },
  );
  const warehouses = new Map<number | undefined, number>();
  for (const id of new Set(inputs.map((i) => i.warehouseId))) warehouses.set(id, await resolveWarehouseId(t, id));
  const currency = await companyCurrency(t);
  const names = await nextNumbers('sale.order', inputs.length, t);
  const now = new Date();
  const summaries: Omit<SaleOrderSummary, 'id'>[] = [];
  const rows: SqlValue[][] = inputs.map((input, i) => {
    const fields = plans[i]!.lines.map((l) => l.fields);
    const flag = attention(input.needsAttention, reasonsWith(input.attentionReasons ?? [], fields));
    const sums = totals(fields);
    const dateOrder = input.dateOrder ? new Date(input.dateOrder) : now;
    const discountCode = input.discountCode ?? null;
    summaries.push({
      name: names[i]!,
      partnerId: input.partnerId,
      partnerName: partners.get(input.partnerId)!,
      state: 'draft',
      invoiceStatus: 'no',
      deliveryStatus: 'pending',
      needsAttention: flag.needsAttention,
      attentionReasons: flag.attentionReasons,
      discountCode,
      channelId: input.channelId ?? null,
      externalId: input.externalId ?? null,
      reference: input.reference ?? null,
      dateOrder: iso(dateOrder),
      ...sums,
      currency,
      createdAt: iso(now),
      updatedAt: iso(now),
      version: 0,
    });
    return [
      names[i]!,
      input.partnerId,
      input.shippingAddress ? JSON.stringify(input.shippingAddress) : null,
      warehouses.get(input.warehouseId)!,
      input.channelId ?? null,
      input.externalId ?? null,
      input.reference ?? null,
      input.externalHash ?? null,
      input.externalUpdatedAt ?? null,
      flag.needsAttention,
      JSON.stringify(flag.attentionReasons),
      input.note ?? null,
      discountCode,
      input.orderDiscount,
      dateOrder,
      'draft',
      'no',
      'pending',
      sums.amountUntaxed,
      sums.amountTax,
      sums.amountTotal,
      currency,
      null,
      0,
      now,
      now,
    ];
  });
  const ids = await insertRows(t, 'sale_orders', ORDER_COLUMNS, rows, { ids: true });
  await insertRows(
    t,
    'sale_order_lines',
    LINE_COLUMNS,
    plans.flatMap((plan, i) =>
      plan.lines.map(({ fields: l }) => [
        ids[i]!,
        l.sequence,
        l.productId,
        l.externalSku ?? null,
        l.description,
        l.quantity,
        l.unitPrice,
        l.discount,
        l.discountAmount ?? 0,
        l.orderDiscount ?? 0,
        l.isShipping ?? false,
        JSON.stringify(l.taxIds ?? []),
        l.subtotal,
        l.amountTax,
        l.total,
        0,
        0,
      ]),
    ),
  );
  // The customer follows the order (for messages sent to them); no user created it.
  await followNewRecords(
    t,
    'saleOrder',
    inputs.map((input, i) => ({ resId: ids[i]!, partnerId: input.partnerId })),
  );
  // Every order is announced, the chunk's together once it is committed.
  afterCommit(t, () => {
    summaries.forEach((s, i) => {
      const id = ids[i]!;
      emitNow([rooms.ordersBoard, rooms.record('saleOrder', id)], 'order.created', { id, version: 0, order: { id, ...s } });
    });
  });
  return summaries.map((s, i) => ({ id: ids[i]!, name: s.name, attentionReasons: s.attentionReasons }));
}
