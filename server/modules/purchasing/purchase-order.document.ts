import type { Response } from 'express';
import type { Tx } from '../../db/transaction';
import { requireAccess, type Auth } from '../auth/access';
import { taxesById } from '../catalog/tax.service';
import { ensureCompany, type CompanyRecord } from '../company/company.service';
import { purchaseOrderDocument, renderDocx, renderPdf, type PurchaseOrderDocumentInput } from '../documents';
import { warehouseName } from '../inventory/warehouse.service';
import { findPartner, type PartnerRecord } from '../partners/partner.service';
import { assertPurchaseAccess } from './purchase-order.access';
import type { PurchaseOrderModel } from './purchase-order.model';
import { loadPurchase } from './purchase-order.service';

// The RFQ or purchase order as a document (PDF, DOCX): downloaded, and attached to the email that sends it.
// What it shows besides the order (`Related`) is read once and shared with the email's template.

export type Related = { vendor: PartnerRecord; company: CompanyRecord; warehouse: string; taxNames: Map<number, string> };

export async function relatedOf(t: Tx | null, o: PurchaseOrderModel): Promise<Related> {
  const [vendor, company, warehouse, taxes] = await Promise.all([
    findPartner(t, o.partnerId),
    ensureCompany(t),
    warehouseName(t, o.warehouseId),
    taxesById(
      t,
      (o.lines ?? []).flatMap((l) => l.taxIds),
    ),
  ]);
  return { vendor, company, warehouse: warehouse ?? 'Warehouse', taxNames: new Map([...taxes].map(([id, tax]) => [id, tax.name])) };
}

const parts = (...values: (string | null | undefined)[]) => values.map((p) => (p ?? '').trim()).filter(Boolean);
const addressOf = (p: { street: string | null; zip: string | null; city: string | null; countryCode: string | null }) =>
  parts(p.street, parts(p.zip, p.city).join(' '), p.countryCode);
export const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

/** Where the goods go: the warehouse, or (drop-ship) straight to the customer's address. */
export function deliverToOf(o: PurchaseOrderModel, related: Related): { name: string; addressLines: string[] } {
  const a = o.dropshipAddress;
  if (!a) return { name: related.warehouse, addressLines: addressOf(related.company) };
  return {
    name: `${a.name ?? 'Customer'} (drop-ship)`,
    addressLines: parts(a.street, a.street2, parts(a.zip, a.city).join(' '), a.state, a.countryCode, a.phone),
  };
}

/** The order's lines in their order. */
export const sortedLines = (o: PurchaseOrderModel) => [...(o.lines ?? [])].sort((a, b) => a.sequence - b.sequence || a.id - b.id);

/** A line's tax names, joined. */
export const taxLabel = (taxIds: number[], related: Related) => taxIds.map((id) => related.taxNames.get(id) ?? `#${id}`).join(', ');

function documentInput(o: PurchaseOrderModel, related: Related): PurchaseOrderDocumentInput {
  const { company, vendor } = related;
  return {
    // Confirmed once: a cancelled purchase order stays a purchase order.
    kind: o.state === 'purchase' || o.state === 'done' || o.dateApproved ? 'purchase_order' : 'rfq',
    cancelled: o.state === 'cancel',
    number: o.name,
    dateOrder: day(o.dateOrder),
    datePlanned: o.datePlanned ? day(o.datePlanned) : null,
    origin: o.origin,
    deliverTo: deliverToOf(o, related),
    currency: o.currency,
    company: { name: company.name, addressLines: addressOf(company), vatId: company.vatId, email: company.email, phone: company.phone },
    vendor: { name: vendor.name, addressLines: addressOf(vendor), email: vendor.email },
    lines: sortedLines(o).map((l) => ({
      sku: l.product?.sku ?? null,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      taxes: taxLabel(l.taxIds, related),
      datePlanned: day(l.datePlanned),
      subtotal: l.subtotal,
    })),
    amountUntaxed: o.amountUntaxed,
    amountTax: o.amountTax,
    amountTotal: o.amountTotal,
    note: o.note,
  };
}

export type PurchaseFile = { name: string; data: Buffer; contentType: string };

/** The order as a file, from the order (with its lines and products) and what was read with it. */
export async function purchaseOrderFile(o: PurchaseOrderModel, related: Related, format: 'pdf' | 'docx'): Promise<PurchaseFile> {
  const doc = purchaseOrderDocument(documentInput(o, related));
  return {
    name: `${o.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.${format}`,
    data: format === 'pdf' ? await renderPdf(doc) : await renderDocx(doc),
    contentType: format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
}

/** The order as a download (`inline` for the console's PDF preview). */
export async function sendPurchaseOrderFile(auth: Auth, id: number, format: 'pdf' | 'docx', res: Response, inline = false): Promise<void> {
  requireAccess(auth, 'purchase.read');
  const o = await loadPurchase(null, id);
  assertPurchaseAccess(auth, o);
  const file = await purchaseOrderFile(o, await relatedOf(null, o), format);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `${inline && format === 'pdf' ? 'inline' : 'attachment'}; filename="${file.name}"`);
  res.setHeader('Content-Length', String(file.data.length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(file.data);
}
