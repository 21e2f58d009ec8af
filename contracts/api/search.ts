import { searchQuery, searchResult } from '../schemas/search';
import { routeGroup } from './route';

const route = routeGroup('search');

export const search = {
  // Any signed-in user: each kind is searched only when the role may read it, under its record rule.
  search: route({
    method: 'get',
    path: '/api/search',
    summary: 'Find orders, partners, products, transfers and invoices by number or name (grouped by kind)',
    query: searchQuery,
    response: searchResult,
    permission: null,
  }),
};
