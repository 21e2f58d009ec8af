import type { WhereOptions } from 'sequelize';
import { numberFormat } from '../../db/sequences';
import { startsWith } from '../../http/list';
import { withPartnerBranch } from '../partners/partner.search';
import type { PurchaseOrderModel } from './purchase-order.model';

// The search of the purchase board (`q`, its counts), every branch of it an index read so it stays fast
// at a million purchase orders: the number (starting with the text; digits alone are the number they end
// in: "42" is P00042), the origin starting with the text (S00012, the sale order it serves first), and the
// vendor: every word of the text starts a word of their name or email (the partners' full-text index).
// What it does not find: a fragment from the middle of a number, an origin or a name.

/** The text is a number or an order's number: no vendor is looked for. */
const NUMBER_LIKE = /^#?[A-Za-z]{0,3}\d+$/;

/** The vendor branch's indexes, which a broad search keeps MariaDB off (ignoreIndexes). */
export const VENDOR_INDEXES = ['purchase_orders_partner_created', 'purchase_orders_partner_state'];

/**
 * A search of purchase orders by `q`: `where`, an OR of indexed conditions; `broad`, its words match a
 * large share of the partners (a common surname: partnersMatching).
 */
export async function purchaseSearch(q: string): Promise<{ where: WhereOptions<PurchaseOrderModel>; broad: boolean }> {
  const text = q.trim();
  if (!text) return { where: {}, broad: false };
  const upper = text.toUpperCase();
  const or: WhereOptions[] = [startsWith('name', upper), startsWith('origin', text)];
  if (upper !== text) or.push(startsWith('origin', upper));
  if (/^\d+$/.test(text)) {
    const { prefix, padding } = await numberFormat('purchase.order');
    or.push({ name: `${prefix}${text.padStart(padding, '0')}` });
  }
  return withPartnerBranch(or, text, NUMBER_LIKE.test(text));
}

/** The WHERE of a search of purchase orders by `q` (an OR of indexed conditions). */
export async function purchaseSearchWhere(q: string): Promise<WhereOptions<PurchaseOrderModel>> {
  return (await purchaseSearch(q)).where;
}
