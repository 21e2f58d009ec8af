import { Op, type WhereOptions } from 'sequelize';
import type { SearchHit } from '../../../contracts/schemas/search';
import { PICKING_STATE_LABELS, PICKING_TYPE_LABELS } from '../../../contracts/states';
import { numbersEndingIn } from '../../db/sequences';
import { searchTiers, startsWith } from '../../http/list';
import { can, type Auth } from '../auth/access';
import { withPartnerBranch } from '../partners/partner.search';
import { pickingScope } from './picking.access';
import { PickingModel } from './stock.model';

// The one search of transfers (the lists' `q` and the global search), every branch of it an index read
// so it stays fast at a million transfers: the number starting with the text (digits alone are the number
// they end in, in every warehouse and kind: "42" is WH/OUT/00042, WH/IN/00042…), the origin starting with
// the text (the order or purchase order served: S00012, P00003), and the partner: every word of the text
// starts a word of their name or email (the partners' full-text index). What it does not find: a fragment
// from the middle of a number, an origin or a name.

/** The text is a number or an order's number: no partner is looked for. */
const NUMBER_LIKE = /^[A-Za-z]{0,3}\d+$|\//;

/** The numbers a text names exactly: itself in capitals, or every transfer number ending in its digits. */
async function exactNumbers(text: string): Promise<string[]> {
  return /^\d+$/.test(text) ? numbersEndingIn('picking:', text) : [text.toUpperCase()];
}

/** The partner branch's index, which a broad search keeps MariaDB off (ignoreIndexes). */
export const PARTNER_INDEXES = ['stock_pickings_partner_scheduled'];

/**
 * A search of transfers by `q`: `where`, an OR of indexed conditions; `broad`, its words match a large
 * share of the partners (a common surname: partnersMatching).
 */
export async function pickingSearch(q: string): Promise<{ where: WhereOptions<PickingModel>; broad: boolean }> {
  const text = q.trim();
  if (!text) return { where: {}, broad: false };
  const upper = text.toUpperCase();
  const or: WhereOptions[] = [startsWith('name', upper), startsWith('origin', text)];
  if (upper !== text) or.push(startsWith('origin', upper));
  if (/^\d+$/.test(text)) or.push({ name: await exactNumbers(text) });
  return withPartnerBranch(or, text, NUMBER_LIKE.test(text));
}

/** The WHERE of a search of transfers by `q` (an OR of indexed conditions). */
export async function pickingSearchWhere(q: string): Promise<WhereOptions<PickingModel>> {
  return (await pickingSearch(q)).where;
}

/**
 * Transfers for the global search, under the transfers' record rule: the transfer whose number it is
 * first, then the rest of the search (number prefix, origin, partner), the newest first.
 */
export async function searchPickings(auth: Auth, q: string, limit: number): Promise<SearchHit[] | null> {
  if (!can(auth, 'inventory.read')) return null;
  const text = q.trim();
  const rows = await searchTiers([{ name: await exactNumbers(text) }, await pickingSearchWhere(text)], limit, (where, n) =>
    PickingModel.findAll({
      where: { [Op.and]: [where, pickingScope(auth)] },
      attributes: ['id', 'name', 'type', 'state', 'origin'],
      order: [['id', 'DESC']],
      limit: n,
    }),
  );
  return rows.map((p) => ({
    kind: 'picking',
    id: p.id,
    label: p.name,
    detail: [PICKING_TYPE_LABELS[p.type], p.origin, PICKING_STATE_LABELS[p.state]].filter(Boolean).join(' · '),
  }));
}
