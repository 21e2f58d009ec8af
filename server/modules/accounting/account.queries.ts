import type { Tx } from '../../db/transaction';
import { ValidationError } from '../../http/errors';
import { AccountModel } from './account.model';

// Reads of accounts for other domains (catalog: the account a tax posts to). This file imports no other
// domain, so a domain that accounting reads can read it back without an import cycle.

/** For the tax module: the account a tax posts to must exist and be a tax account (400 on accountId otherwise). */
export async function checkTaxAccount(t: Tx, accountId: number | null | undefined): Promise<void> {
  if (accountId == null) return;
  const a = await AccountModel.findByPk(accountId, { transaction: t });
  if (!a) throw ValidationError.field('accountId', `account ${accountId} does not exist`);
  if (a.type !== 'tax') throw ValidationError.field('accountId', `account ${a.code} is not a tax account`);
}
