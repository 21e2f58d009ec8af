import { account, accountCreate, accountPatch, journal, journalPatch } from '../../../contracts/schemas/catalog';
import { listOf, listQuery } from '../../../contracts/schemas/common';
import { ApiRouter } from '../../http/api-router';
import * as accounts from './account.service';

export function accountRoutes() {
  const api = new ApiRouter('/api/accounts', 'accounts');
  api.get('/', { summary: 'The chart of accounts', query: listQuery, response: listOf(account) }, (a, { query }) => accounts.listAccounts(a, query));
  api.post('/', { summary: 'Add an account', body: accountCreate, response: account, status: 201 }, (a, { body }) => accounts.createAccount(a, body));
  api.patch(
    '/:id',
    { summary: 'Rename or renumber an account (its type while nothing relies on it)', body: accountPatch, response: account },
    (a, { id, body }) => accounts.updateAccount(a, id, body),
  );
  return api.router;
}

export function journalRoutes() {
  const api = new ApiRouter('/api/journals', 'accounts');
  api.get('/', { summary: 'Journals: Sales, Purchases, Bank, Cash', response: listOf(journal) }, (a) => accounts.listJournals(a));
  api.patch('/:id', { summary: "A journal's name or default account", body: journalPatch, response: journal }, (a, { id, body }) =>
    accounts.updateJournal(a, id, body),
  );
  return api.router;
}
