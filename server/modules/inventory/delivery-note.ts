import type { Response } from 'express';
import { nullIfNotFound } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { ensureCompany } from '../company/company.service';
import { deliveryNoteDocument, renderDocx, renderPdf, type DeliveryNoteInput } from '../documents';
import { findPartner } from '../partners/partner.service';
import { assertPickingAccess } from './picking.access';
import { toPicking } from './picking.mapper';
import { loadPicking } from './picking.service';
import { WarehouseModel } from './warehouse.model';

// The delivery note of a picking, as DOCX or PDF, from one document model.

const lines = (...parts: (string | null | undefined)[]) => parts.map((p) => (p ?? '').trim()).filter(Boolean);

async function deliveryNoteInput(auth: Auth, id: number): Promise<DeliveryNoteInput> {
  const p = await loadPicking(null, id);
  await assertPickingAccess(auth, p);
  const picking = await toPicking(null, p);
  const [company, warehouse, partner] = await Promise.all([
    ensureCompany(null),
    WarehouseModel.findByPk(p.warehouseId),
    p.partnerId ? findPartner(null, p.partnerId).catch(nullIfNotFound) : null,
  ]);
  const companyAddress = lines(company.street, lines(company.zip, company.city).join(' '), company.countryCode);
  const ship = (p.shippingAddress ?? {}) as Record<string, string | null | undefined>;
  const shipLines = lines(ship.street, ship.street2, lines(ship.zip, ship.city).join(' '), ship.state, ship.countryCode, ship.phone);
  const partnerLines = partner ? lines(partner.street, lines(partner.zip, partner.city).join(' '), partner.countryCode) : [];
  return {
    pickingName: p.name,
    origin: p.origin,
    scheduledDate: p.scheduledDate.toISOString(),
    dateDone: p.dateDone ? p.dateDone.toISOString() : null,
    carrier: p.carrier,
    trackingRef: p.trackingRef,
    warehouse: { name: warehouse?.name ?? 'Warehouse', addressLines: companyAddress },
    company: { name: company.name, addressLines: companyAddress, vatId: company.vatId, email: company.email, phone: company.phone },
    customer: { name: ship.name || partner?.name || '', addressLines: shipLines.length ? shipLines : partnerLines },
    lines: picking.moves
      .filter((m) => m.state !== 'cancel')
      .map((m) => ({ sku: m.sku, product: m.productName, quantity: m.quantity, quantityDone: m.state === 'done' ? m.quantityDone : null })),
  };
}

/** Sends the delivery note of a picking as a download. */
export async function sendDeliveryNote(auth: Auth, id: number, format: 'pdf' | 'docx', res: Response): Promise<void> {
  requireAccess(auth, 'inventory.read');
  const input = await deliveryNoteInput(auth, id);
  const doc = deliveryNoteDocument(input);
  const file = format === 'pdf' ? await renderPdf(doc) : await renderDocx(doc);
  const name = `${input.pickingName.replace(/[^A-Za-z0-9._-]+/g, '-')}.${format}`;
  res.setHeader('Content-Type', format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.setHeader('Content-Length', String(file.length));
  res.end(file);
}
