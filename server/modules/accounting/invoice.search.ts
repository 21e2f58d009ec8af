import { Op, type WhereOptions } from 'sequelize';
import type { SearchHit } from '../../../contracts/schemas/search';
import { INVOICE_STATE_LABELS, MOVE_TYPE_LABELS } from '../../../contracts/states';
import { numbersEndingIn } from '../../db/sequences';
import { searchTiers, startsWith } from '../../http/list';
import { can, type Auth } from '../auth/access';
import { withPartnerBranch } from '../partners/partner.search';
import { partnerNames } from '../partners/partner.service';
import { invoiceScope } from './invoice.access';
import { displayName } from './invoice.mapper';
import { InvoiceModel } from './invoice.model';

// The one search of invoices, credit notes and bills (the list's `q`, its figures and the global search),
// every branch of it an index read so it stays fast at a million invoices: the number starting with the
// text (digits alone are the number they end in, of every type and year: "42" is INV/2026/00042,
// BILL/2026/00042…), the payment reference starting with the text, and the partner: every word of the
// text starts a word of their name or email (the partners' full-text index). Drafts have no number yet.
// What it does not find: a fragment from the middle of a number, a reference or a name.

/** The text is a number: no partner is looked for. */
const NUMBER_LIKE = /^[A-Za-z]{0,5}\d+$|\//;

/** The numbers a text names exactly: itself in capitals, or every invoice number ending in its digits. */
async function exactNumbers(text: string): Promise<string[]> {
  return /^\d+$/.test(text) ? numbersEndingIn('invoice:', text) : [text.toUpperCase()];
}

/** The partner branch's indexes, which a broad search keeps MariaDB off (ignoreIndexes). */
export const PARTNER_INDEXES = ['invoices_partner_created', 'invoices_partner_state'];

/**
 * A search of invoices by `q`: `where`, an OR of indexed conditions; `broad`, its words match a large
 * share of the partners (a common surname: partnersMatching).
 */
export async function invoiceSearch(q: string): Promise<{ where: WhereOptions<InvoiceModel>; broad: boolean }> {
  const text = q.trim();
  if (!text) return { where: {}, broad: false };
  const upper = text.toUpperCase();
  const or: WhereOptions[] = [startsWith('name', upper), startsWith('paymentReference', text)];
  if (upper !== text) or.push(startsWith('paymentReference', upper));
  if (/^\d+$/.test(text)) or.push({ name: await exactNumbers(text) });
  return withPartnerBranch(or, text, NUMBER_LIKE.test(text));
}

/** The WHERE of a search of invoices by `q` (an OR of indexed conditions). */
export async function invoiceSearchWhere(q: string): Promise<WhereOptions<InvoiceModel>> {
  return (await invoiceSearch(q)).where;
}

/**
 * Invoices, credit notes and vendor bills for the global search, under the invoices' record rule: the
 * document whose number it is first, then the rest of the search, the newest first. null: the role may
 * not read invoices.
 */
export async function searchInvoices(auth: Auth, q: string, limit: number): Promise<SearchHit[] | null> {
  if (!can(auth, 'invoice.read')) return null;
  const text = q.trim();
  const rows = await searchTiers([{ name: await exactNumbers(text) }, await invoiceSearchWhere(text)], limit, (where, n) =>
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
