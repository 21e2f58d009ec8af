import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import * as accounts from './account.service';

export function accountRoutes() {
  const api = new ApiRouter('/api/accounts');
  api.handle(routes.accounts.list, (a, { query }) => accounts.listAccounts(a, query));
  api.handle(routes.accounts.create, (a, { body }) => accounts.createAccount(a, body));
  api.handle(routes.accounts.update, (a, { id, body }) => accounts.updateAccount(a, id, body));
  return api.router;
}

export function journalRoutes() {
  const api = new ApiRouter('/api/journals');
  api.handle(routes.journals.list, (a) => accounts.listJournals(a));
  api.handle(routes.journals.update, (a, { id, body }) => accounts.updateJournal(a, id, body));
  return api.router;
}
