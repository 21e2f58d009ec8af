import { account, accountCreate } from '../../../contracts/schemas/catalog';
import { listOf, listQuery } from '../../../contracts/schemas/common';
import { ApiRouter } from '../../http/api-router';
import * as accounts from './account.service';

export function accountRoutes() {
  const api = new ApiRouter('/api/accounts', 'accounts');
  api.get('/', { summary: 'The chart of accounts', query: listQuery, response: listOf(account) }, (a, { query }) => accounts.listAccounts(a, query));
  api.post('/', { summary: 'Add an account', body: accountCreate, response: account, status: 201 }, (a, { body }) => accounts.createAccount(a, body));
  return api.router;
}
