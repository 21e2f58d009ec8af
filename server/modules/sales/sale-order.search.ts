import { Op, type Includeable, type WhereOptions } from 'sequelize';
import type { SearchHit } from '../../../contracts/schemas/search';
import { SALE_ORDER_STATE_LABELS } from '../../../contracts/states';
import { numberFormat } from '../../db/sequences';
import { searchTiers, startsWith } from '../../http/list';
import { can, type Auth } from '../auth/access';
import { withPartnerBranch } from '../partners/partner.search';
import { orderScope } from './sale-order.access';
import { SaleOrderModel } from './sale-order.model';

// The one search of sale orders (the board's `q`, its counts, the CSV export and the global search), and
// every branch of it reads an index, so it stays fast at a million orders: the number (exact, or starting
// with the text; digits alone are the number they end in: "42" is S00042), the shop's reference ("#1002",
// or "1002") and order id (exact or starting with the text), and the customer: every word of the text
// starts a word of the customer's name or email (the partners' full-text index; accents and case folded).
// What it no longer finds: a fragment from the middle of a number or a name ("0042" in S10042 or "ller" in
// Müller), which only a full scan of the table could.

// The order's own associations (partners are reached by association name, not by their model).
export const partnerInclude: Includeable = { association: 'partner', attributes: ['id', 'name', 'email'] };

/** The text is a number or a shop reference: no customer is looked for. */
const NUMBER_LIKE = /^#?[A-Za-z]{0,3}\d+$/;

/**
 * A search of orders by `q`: `where`, an OR of indexed conditions; `broad`, its words match so large a
 * share of the customers (a common surname: partnersMatching) that walking the sort's index finds a
 * page sooner than merging the branches' index ranges.
 */
export type OrderSearch = { where: WhereOptions<SaleOrderModel>; broad: boolean };

/** The index of the search's customer branch, which a broad search keeps MariaDB off (ignoreIndexes). */
export const CUSTOMER_INDEXES = ['sale_orders_partner_created'];

/** The search of orders by `q` (OrderSearch). */
export async function orderSearch(q: string): Promise<OrderSearch> {
  const text = q.trim();
  if (!text) return { where: {}, broad: false };
  const upper = text.toUpperCase();
  const or: WhereOptions[] = [startsWith('name', upper), { reference: text }, startsWith('reference', text), startsWith('externalId', text)];
  if (/^\d+$/.test(text)) {
    const { prefix, padding } = await numberFormat('sale.order');
    or.push({ name: `${prefix}${text.padStart(padding, '0')}` }, startsWith('reference', `#${text}`));
  }
  return withPartnerBranch(or, text, NUMBER_LIKE.test(text));
}

/** The WHERE of a search of orders by `q` (an OR of indexed conditions). */
export async function orderSearchWhere(q: string): Promise<WhereOptions<SaleOrderModel>> {
  return (await orderSearch(q)).where;
}

/** Orders for the global search, as the board would list them to this user: the order whose number it is first, then the newest. null: the role may not read orders. */
export async function searchSaleOrders(auth: Auth, q: string, limit: number): Promise<SearchHit[] | null> {
  if (!can(auth, 'saleOrder.read')) return null;
  const text = q.trim();
  const { prefix, padding } = await numberFormat('sale.order');
  const number = /^\d+$/.test(text) ? `${prefix}${text.padStart(padding, '0')}` : text.toUpperCase();
  const rows = await searchTiers([{ name: number }, await orderSearchWhere(text)], limit, (where, n) =>
    SaleOrderModel.findAll({
      where: { [Op.and]: [where, orderScope(auth)] },
      include: [partnerInclude],
      attributes: ['id', 'name', 'externalId', 'state'],
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: n,
    }),
  );
  return rows.map((o) => ({
    kind: 'saleOrder',
    id: o.id,
    label: o.name,
    detail: [o.partner?.name, o.externalId && `ref. ${o.externalId}`, SALE_ORDER_STATE_LABELS[o.state]].filter(Boolean).join(' · '),
  }));
}
