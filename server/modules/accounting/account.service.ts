import { Op } from 'sequelize';
import type { z } from 'zod';
import type { Account } from '../../../contracts/schemas/catalog';
import type { accountCreate } from '../../../contracts/schemas/catalog';
import type { List, ListQuery } from '../../../contracts/schemas/common';
import { withTransaction, type Tx } from '../../db/transaction';
import { ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { AccountModel } from './account.model';

export function toAccount(a: AccountModel): Account {
  return { id: a.id, code: a.code, name: a.name, type: a.type };
}

export async function listAccounts(auth: Auth, query: ListQuery): Promise<List<Account>> {
  requireAccess(auth, 'account.read');
  const where = query.q ? { [Op.or]: [{ code: { [Op.like]: likeTerm(query.q) } }, { name: { [Op.like]: likeTerm(query.q) } }] } : {};
  const { rows, count } = await AccountModel.findAndCountAll({
    where,
    limit: query.limit,
    offset: query.offset,
    order: orderFrom(query.sort, ['code', 'name', 'type'], 'code'),
  });
  return { items: rows.map(toAccount), total: count };
}

export async function createAccount(auth: Auth, input: z.infer<typeof accountCreate>): Promise<Account> {
  requireAccess(auth, 'account.write');
  return toAccount(await withTransaction((t) => AccountModel.create(input, { transaction: t })));
}

/** For the tax module: the account a tax posts to must exist and be a tax account (400 on accountId otherwise). */
export async function checkTaxAccount(accountId: number | null | undefined, t: Tx): Promise<void> {
  if (accountId == null) return;
  const a = await AccountModel.findByPk(accountId, { transaction: t });
  if (!a) throw ValidationError.field('accountId', `account ${accountId} does not exist`);
  if (a.type !== 'tax') throw ValidationError.field('accountId', `account ${a.code} is not a tax account`);
}
