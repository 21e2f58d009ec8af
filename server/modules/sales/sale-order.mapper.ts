import type { SaleOrder, SaleOrderLine, SaleOrderSummary } from '../../../contracts/schemas/sales';
import type { DeliveryStatus, InvoicePolicy, InvoiceStatus, SaleOrderState } from '../../../contracts/states';
import { iso } from '../../db/columns';
import { discountTotal } from './sale-order.lines';
import type { SaleOrderLineModel, SaleOrderModel } from './sale-order.model';

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function qtyToInvoice(line: SaleOrderLineModel, state: SaleOrderState): number {
  if (state !== 'sale' && state !== 'done') return 0;
  const policy: InvoicePolicy = line.product?.invoicePolicy ?? 'order';
  const basis = policy === 'delivery' ? line.qtyDelivered : line.quantity;
  return round3(basis - line.qtyInvoiced);
}

export function toLine(l: SaleOrderLineModel, state: SaleOrderState): SaleOrderLine {
  return {
    id: l.id,
    productId: l.productId,
    sku: l.product?.sku ?? l.externalSku ?? null,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
    discountAmount: l.discountAmount,
    orderDiscount: l.orderDiscount,
    isShipping: l.isShipping,
    taxIds: l.taxIds,
    subtotal: l.subtotal,
    amountTax: l.amountTax,
    total: l.total,
    qtyDelivered: l.qtyDelivered,
    qtyInvoiced: l.qtyInvoiced,
    qtyToInvoice: qtyToInvoice(l, state),
  };
}

export function toSummary(o: SaleOrderModel, partnerName: string): SaleOrderSummary {
  return {
    id: o.id,
    name: o.name,
    partnerId: o.partnerId,
    partnerName,
    state: o.state,
    invoiceStatus: o.invoiceStatus,
    deliveryStatus: o.deliveryStatus,
    needsAttention: o.needsAttention,
    attentionReasons: o.attentionReasons ?? [],
    discountCode: o.discountCode,
    channelId: o.channelId,
    externalId: o.externalId,
    reference: o.reference,
    dateOrder: iso(o.dateOrder),
    amountUntaxed: o.amountUntaxed,
    amountTax: o.amountTax,
    amountTotal: o.amountTotal,
    currency: o.currency,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    version: o.version,
  };
}

/** The full order; `o` must be loaded with its partner and its lines (with their products). */
export function toSaleOrder(o: SaleOrderModel): SaleOrder {
  const lines = [...(o.lines ?? [])].sort((a, b) => a.sequence - b.sequence || a.id - b.id);
  return {
    ...toSummary(o, o.partner?.name ?? ''),
    orderDiscount: o.orderDiscount,
    amountDiscount: discountTotal(lines),
    shippingAddress: o.shippingAddress,
    warehouseId: o.warehouseId,
    note: o.note,
    createdById: o.createdById,
    lines: lines.map((l) => toLine(l, o.state)),
  };
}

// Derived statuses: never set by hand (ARCHITECTURE "States").
export function deriveInvoiceStatus(state: SaleOrderState, lines: SaleOrderLineModel[]): InvoiceStatus {
  if (state !== 'sale' && state !== 'done') return 'no';
  // Below zero: more was invoiced than is now due (a return): a credit note is to be made.
  if (lines.some((l) => qtyToInvoice(l, state) !== 0)) return 'to_invoice';
  if (lines.length && lines.every((l) => l.qtyInvoiced >= l.quantity)) return 'invoiced';
  return 'no';
}

export function deriveDeliveryStatus(lines: SaleOrderLineModel[]): DeliveryStatus {
  const deliverable = lines.filter((l) => l.product?.type !== 'service');
  if (!deliverable.length || deliverable.every((l) => l.qtyDelivered <= 0)) return 'pending';
  return deliverable.every((l) => l.qtyDelivered >= l.quantity) ? 'full' : 'partial';
}
