import { Op } from 'sequelize';
import type { z } from 'zod';
import type { Tax } from '../../../contracts/schemas/catalog';
import { taxCreate, taxPatch } from '../../../contracts/schemas/catalog';
import type { List, ListQuery } from '../../../contracts/schemas/common';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { AccountModel } from '../accounting/account.model';
import { checkTaxAccount } from '../accounting/account.queries';
import { TaxModel } from './catalog.model';

type TaxWithAccount = TaxModel & { account?: AccountModel | null };

export function toTax(t: TaxWithAccount): Tax {
  return { id: t.id, name: t.name, rate: t.rate, accountId: t.accountId, account: t.account?.code ?? null, active: t.active, version: t.version };
}

export async function listTaxes(auth: Auth, query: ListQuery): Promise<List<Tax>> {
  requireAccess(auth, 'tax.read');
  const where = query.q ? { name: { [Op.like]: likeTerm(query.q) } } : {};
  const { rows, count } = await TaxModel.findAndCountAll({
    where,
    include: [{ model: AccountModel, as: 'account' }],
    limit: query.limit,
    offset: query.offset,
    order: orderFrom(query.sort, ['name', 'rate'], 'name'),
  });
  return { items: rows.map(toTax), total: count };
}

export async function getTax(auth: Auth, id: number): Promise<Tax> {
  requireAccess(auth, 'tax.read');
  const tax = await TaxModel.findByPk(id, { include: [{ model: AccountModel, as: 'account' }] });
  if (!tax) throw new NotFoundError('Tax', id);
  return toTax(tax);
}

export async function createTax(auth: Auth, input: z.infer<typeof taxCreate>): Promise<Tax> {
  requireAccess(auth, 'tax.write');
  const id = await withTransaction(async (t) => {
    await checkTaxAccount(t, input.accountId);
    const tax = await TaxModel.create({ name: input.name, rate: input.rate, accountId: input.accountId ?? null, active: input.active }, { transaction: t });
    return tax.id;
  });
  return getTax(auth, id);
}

export async function updateTax(auth: Auth, id: number, patch: z.infer<typeof taxPatch>): Promise<Tax> {
  requireAccess(auth, 'tax.write');
  await withTransaction(async (t) => {
    const tax = await TaxModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE, include: [{ model: AccountModel, as: 'account' }] });
    if (!tax) throw new NotFoundError('Tax', id);
    if (patch.version !== tax.version) throw new ConflictError('This tax was changed by someone else', toTax(tax));
    await checkTaxAccount(t, patch.accountId);
    const { version: _v, ...fields } = patch;
    tax.set(fields);
    await tax.save({ transaction: t });
  });
  return getTax(auth, id);
}

/** Rates of the given taxes; a missing or inactive tax is a 400 on `field`. */
export async function taxRates(ids: number[], field: string, t?: Tx): Promise<Map<number, number>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await TaxModel.findAll({ where: { id: unique }, transaction: t });
  const rates = new Map(rows.filter((r) => r.active).map((r) => [r.id, r.rate]));
  const missing = unique.filter((i) => !rates.has(i));
  if (missing.length) throw ValidationError.field(field, `unknown or inactive tax ${missing.join(', ')}`);
  return rates;
}

// Read by accounting

/** Taxes by id, active or not (unknown ids are absent). */
export async function taxesById(t: Tx | null, ids: number[]): Promise<Map<number, TaxModel>> {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await TaxModel.findAll({ where: { id: unique }, transaction: t }) : [];
  return new Map(rows.map((x) => [x.id, x]));
}

/** The name of a tax that posts to this account, or null. */
export async function taxUsingAccount(t: Tx, accountId: number): Promise<string | null> {
  const tax = await TaxModel.findOne({ where: { accountId }, attributes: ['name'], transaction: t });
  return tax?.name ?? null;
}
