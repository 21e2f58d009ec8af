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

/** The code of each account by id (for a tax's account); t is null for a read outside a transaction. */
export async function accountCodes(t: Tx | null, ids: (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!unique.length) return new Map();
  const rows = await AccountModel.findAll({ where: { id: unique }, attributes: ['id', 'code'], transaction: t });
  return new Map(rows.map((a) => [a.id, a.code]));
}
