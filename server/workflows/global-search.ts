import { SEARCH_KINDS, type SearchHit, type SearchKind, type SearchQuery, type SearchResult } from '../../contracts/schemas/search';
import type { Auth } from '../modules/auth/access';
import { searchInvoices } from '../modules/accounting/invoice.search';
import { searchProducts } from '../modules/catalog/product.search';
import { searchPickings } from '../modules/inventory/picking.search';
import { searchPartners } from '../modules/partners/partner.search';
import { searchSaleOrders } from '../modules/sales/sale-order.search';

// The console's global search (the command palette): each domain finds its own records under its own
// permission and record rule, exactly as its list would show them (null when the role may not read
// them); this puts the groups together.

const SEARCHES: Record<SearchKind, (auth: Auth, q: string, limit: number) => Promise<SearchHit[] | null>> = {
  saleOrder: searchSaleOrders,
  partner: searchPartners,
  product: searchProducts,
  picking: searchPickings,
  invoice: searchInvoices,
};

/** The best hits of each kind asked for (all by default) that the user's role may read, in SEARCH_KINDS order. */
export async function globalSearch(auth: Auth, query: SearchQuery): Promise<SearchResult> {
  const kinds = SEARCH_KINDS.filter((k) => !query.kinds || query.kinds.includes(k));
  const found = await Promise.all(kinds.map(async (kind) => ({ kind, hits: await SEARCHES[kind](auth, query.q, query.limit) })));
  return { groups: found.flatMap(({ kind, hits }) => (hits ? [{ kind, hits }] : [])) };
}
