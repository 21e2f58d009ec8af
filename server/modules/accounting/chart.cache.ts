import { cached } from '../../db/cache';
import { AccountModel, JournalModel } from './account.model';

// The chart of accounts and the journals, read by every invoice drafted and posted: kept in memory
// (read-only), dropped in every process when an account or a journal changes (account.service.ts).

export const CHART = 'chart-of-accounts';

export const chart = cached(CHART, async () => ({
  accounts: await AccountModel.findAll({ order: [['code', 'ASC']] }),
  journals: await JournalModel.findAll({ order: [['id', 'ASC']] }),
}));
