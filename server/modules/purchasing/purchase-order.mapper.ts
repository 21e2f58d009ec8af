import type { PurchaseOrder, PurchaseOrderLine, PurchaseOrderSummary, VendorNotification } from '../../../contracts/schemas/purchasing';
import { isLatePicking } from '../../../contracts/states';
import { iso } from '../../db/columns';
import { qtyToBill } from './purchase-order.lines';
import type { PurchaseOrderLineModel, PurchaseOrderModel } from './purchase-order.model';

// The API's shape of a purchase order.

export const isReceived = (o: PurchaseOrderModel) => (o.lines ?? []).length > 0 && (o.lines ?? []).every((l) => l.qtyReceived >= l.quantity);

export function toPurchaseLine(l: PurchaseOrderLineModel): PurchaseOrderLine {
  return {
    id: l.id,
    productId: l.productId,
    sku: l.product?.sku ?? '',
    productName: l.product?.name ?? '',
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    taxIds: l.taxIds,
    subtotal: l.subtotal,
    amountTax: l.amountTax,
    total: l.total,
    datePlanned: iso(l.datePlanned),
    qtyReceived: l.qtyReceived,
    qtyBilled: l.qtyBilled,
    qtyToBill: Math.max(0, qtyToBill(l, l.product?.billPolicy ?? 'received')),
    saleLineIds: [...new Set((l.demands ?? []).flatMap((d) => (d.saleLineId ? [d.saleLineId] : [])))],
    leadDays: l.leadDays ?? null,
    tenderLineId: l.tenderLineId ?? null,
  };
}

export function toPurchaseSummary(o: PurchaseOrderModel, now = Date.now()): PurchaseOrderSummary {
  const received = isReceived(o);
  return {
    id: o.id,
    name: o.name,
    partnerId: o.partnerId,
    partnerName: o.partner?.name ?? '',
    warehouseId: o.warehouseId,
    state: o.state,
    origin: o.origin,
    dateOrder: iso(o.dateOrder),
    datePlanned: o.datePlanned ? iso(o.datePlanned) : null,
    // Late: confirmed, not all received, and due before today (the rule pickings use).
    late: o.state === 'purchase' && !received && !!o.datePlanned && isLatePicking('assigned', o.datePlanned, now),
    received,
    amountUntaxed: o.amountUntaxed,
    amountTax: o.amountTax,
    amountTotal: o.amountTotal,
    currency: o.currency,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    version: o.version,
  };
}

export type PurchaseOrderLinks = {
  saleOrders: { id: number; name: string }[];
  pickingIds: number[];
  invoiceIds: number[];
  vendorNotifications: VendorNotification[];
};

export function toPurchaseOrder(o: PurchaseOrderModel, links: PurchaseOrderLinks): PurchaseOrder {
  return {
    ...toPurchaseSummary(o),
    note: o.note ?? null,
    vendorAcceptedAt: o.vendorAcceptedAt ? iso(o.vendorAcceptedAt) : null,
    vendorNotifications: links.vendorNotifications,
    dropshipAddress: o.dropshipAddress ?? null,
    tenderId: o.tenderId ?? null,
    quotedAt: o.quotedAt ? iso(o.quotedAt) : null,
    validUntil: o.validUntil ? iso(o.validUntil) : null,
    quotedBy: o.quotedByKind ? { kind: o.quotedByKind, name: o.quotedByName ?? '' } : null,
    sentAt: o.sentAt ? iso(o.sentAt) : null,
    dateApproved: o.dateApproved ? iso(o.dateApproved) : null,
    createdById: o.createdById,
    saleOrderIds: links.saleOrders.map((s) => s.id),
    saleOrders: links.saleOrders,
    pickingIds: links.pickingIds,
    invoiceIds: links.invoiceIds,
    lines: [...(o.lines ?? [])].sort((a, b) => a.sequence - b.sequence || a.id - b.id).map(toPurchaseLine),
  };
}
