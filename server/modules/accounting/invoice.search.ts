import { Op } from 'sequelize';
import type { SearchHit } from '../../../contracts/schemas/search';
import { INVOICE_STATE_LABELS, MOVE_TYPE_LABELS } from '../../../contracts/states';
import { likeTerm, numberTiers, searchTiers } from '../../http/list';
import { can, type Auth } from '../auth/access';
import { partnerNames } from '../partners/partner.service';
import { invoiceScope } from './invoice.access';
import { displayName } from './invoice.mapper';
import { InvoiceModel } from './invoice.model';

/**
 * Invoices, credit notes and vendor bills for the global search, under the invoices' record rule: by
 * number (INV/2026/00042, or 42) first, then any number containing the text, the newest first. Drafts
 * have no number yet. null: the role may not read invoices.
 */
export async function searchInvoices(auth: Auth, q: string, limit: number): Promise<SearchHit[] | null> {
  if (!can(auth, 'invoice.read')) return null;
  const rows = await searchTiers([...numberTiers('name', q), { name: { [Op.like]: likeTerm(q) } }], limit, (where, n) =>
    InvoiceModel.findAll({
      where: { [Op.and]: [where, invoiceScope(auth)] },
      attributes: ['id', 'name', 'moveType', 'state', 'partnerId'],
      order: [['id', 'DESC']],
      limit: n,
    }),
  );
  const partners = await partnerNames(
    null,
    rows.map((r) => r.partnerId),
  );
  return rows.map((inv) => ({
    kind: 'invoice',
    id: inv.id,
    label: displayName(inv),
    detail: [MOVE_TYPE_LABELS[inv.moveType], partners.get(inv.partnerId), INVOICE_STATE_LABELS[inv.state]].filter(Boolean).join(' · '),
  }));
}
