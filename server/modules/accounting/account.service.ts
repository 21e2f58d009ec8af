import { Op } from 'sequelize';
import type { z } from 'zod';
import type { Account, Journal, accountCreate, accountPatch, journalPatch } from '../../../contracts/schemas/catalog';
import { JOURNAL_ACCOUNT_TYPES } from '../../../contracts/states';
import type { List, ListQuery } from '../../../contracts/schemas/common';
import { invalidateAfterCommit } from '../../db/cache';
import { withTransaction } from '../../db/transaction';
import { InvalidStateError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { taxUsingAccount } from '../catalog/tax.service';
import { AccountModel, JournalModel } from './account.model';
import { CHART } from './chart.cache';

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
  return toAccount(
    await withTransaction((t) => {
      invalidateAfterCommit(t, CHART);
      return AccountModel.create(input, { transaction: t });
    }),
  );
}

/** A code or name can always change; a type only while no tax or journal relies on the account's type. */
export async function updateAccount(auth: Auth, id: number, patch: z.infer<typeof accountPatch>): Promise<Account> {
  requireAccess(auth, 'account.write');
  const a = await withTransaction(async (t) => {
    const a = await AccountModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!a) throw new NotFoundError('Account', id);
    if (patch.type && patch.type !== a.type) {
      const [tax, journal] = await Promise.all([
        taxUsingAccount(t, id),
        JournalModel.findOne({ where: { defaultAccountId: id }, attributes: ['name'], transaction: t }),
      ]);
      const user = tax !== null ? `tax ${tax}` : journal ? `journal ${journal.name}` : null;
      if (user) throw new InvalidStateError(`Account ${a.code} is used by ${user}: its type stays ${a.type}`, [{ field: 'type', message: `used by ${user}` }]);
    }
    invalidateAfterCommit(t, CHART);
    return a.update(patch, { transaction: t });
  });
  return toAccount(a);
}

/** The account type each journal's default account must have. */

async function toJournals(rows: JournalModel[]): Promise<Journal[]> {
  const ids = rows.map((j) => j.defaultAccountId).filter((i): i is number => i !== null);
  const accounts = ids.length ? await AccountModel.findAll({ where: { id: ids }, attributes: ['id', 'code'] }) : [];
  return rows.map((j) => ({
    id: j.id,
    code: j.code,
    name: j.name,
    type: j.type,
    defaultAccountId: j.defaultAccountId,
    defaultAccount: accounts.find((a) => a.id === j.defaultAccountId)?.code ?? null,
  }));
}

export async function listJournals(auth: Auth): Promise<List<Journal>> {
  requireAccess(auth, 'account.read');
  const rows = await JournalModel.findAll({ order: [['id', 'ASC']] });
  return { items: await toJournals(rows), total: rows.length };
}

export async function updateJournal(auth: Auth, id: number, patch: z.infer<typeof journalPatch>): Promise<Journal> {
  requireAccess(auth, 'account.write');
  const j = await withTransaction(async (t) => {
    const j = await JournalModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!j) throw new NotFoundError('Journal', id);
    if (patch.defaultAccountId !== undefined) {
      const a = await AccountModel.findByPk(patch.defaultAccountId, { transaction: t });
      if (!a) throw ValidationError.field('defaultAccountId', `account ${patch.defaultAccountId} does not exist`);
      const want = JOURNAL_ACCOUNT_TYPES[j.type];
      if (a.type !== want) throw ValidationError.field('defaultAccountId', `the ${j.name} journal posts to an ${want} account; ${a.code} is ${a.type}`);
    }
    invalidateAfterCommit(t, CHART);
    return j.update(patch, { transaction: t });
  });
  return (await toJournals([j]))[0]!;
}
