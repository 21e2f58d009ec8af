import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { globalSearch } from '../../workflows/global-search';

/** The console's global search across orders, partners, products, transfers and invoices. */
export function searchRoutes() {
  const api = new ApiRouter('/api/search');
  api.handle(routes.search.search, (a, { query }) => globalSearch(a, query));
  return api.router;
}
