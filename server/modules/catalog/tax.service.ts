import { Op } from 'sequelize';
import type { z } from 'zod';
import type { Tax } from '../../../contracts/schemas/catalog';
import { taxCreate, taxPatch } from '../../../contracts/schemas/catalog';
import type { List, ListQuery } from '../../../contracts/schemas/common';
import { cached, invalidateAfterCommit } from '../../db/cache';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { accountCodes, checkTaxAccount } from '../accounting/account.queries';
import { TaxModel } from './catalog.model';

/** A tax as the API shows it, with the code of its account (from accounting: accountCodes). */
export function toTax(tax: TaxModel, accounts: Map<number, string>): Tax {
  const account = tax.accountId ? (accounts.get(tax.accountId) ?? null) : null;
  return { id: tax.id, name: tax.name, rate: tax.rate, accountId: tax.accountId, account, active: tax.active, version: tax.version };
}

/** Taxes as the API shows them; t is null for a read outside a transaction. */
async function toTaxes(t: Tx | null, rows: TaxModel[]): Promise<Tax[]> {
  const accounts = await accountCodes(
    t,
    rows.map((r) => r.accountId),
  );
  return rows.map((r) => toTax(r, accounts));
}

export async function listTaxes(auth: Auth, query: ListQuery): Promise<List<Tax>> {
  requireAccess(auth, 'tax.read');
  const where = query.q ? { name: { [Op.like]: likeTerm(query.q) } } : {};
  const { rows, count } = await TaxModel.findAndCountAll({
    where,
    limit: query.limit,
    offset: query.offset,
    order: orderFrom(query.sort, ['name', 'rate'], 'name'),
  });
  return { items: await toTaxes(null, rows), total: count };
}

export async function getTax(auth: Auth, id: number): Promise<Tax> {
  requireAccess(auth, 'tax.read');
  const tax = await TaxModel.findByPk(id);
  if (!tax) throw new NotFoundError('Tax', id);
  const [shown] = await toTaxes(null, [tax]);
  return shown!;
}

export async function createTax(auth: Auth, input: z.infer<typeof taxCreate>): Promise<Tax> {
  requireAccess(auth, 'tax.write');
  const id = await withTransaction(async (t) => {
    await checkTaxAccount(t, input.accountId);
    const tax = await TaxModel.create({ name: input.name, rate: input.rate, accountId: input.accountId ?? null, active: input.active }, { transaction: t });
    invalidateAfterCommit(t, 'taxes');
    return tax.id;
  });
  return getTax(auth, id);
}

export async function updateTax(auth: Auth, id: number, patch: z.infer<typeof taxPatch>): Promise<Tax> {
  requireAccess(auth, 'tax.write');
  await withTransaction(async (t) => {
    const tax = await TaxModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!tax) throw new NotFoundError('Tax', id);
    if (patch.version !== tax.version) throw new ConflictError('This tax was changed by someone else', (await toTaxes(t, [tax]))[0]);
    await checkTaxAccount(t, patch.accountId);
    const { version: _v, ...fields } = patch;
    tax.set(fields);
    await tax.save({ transaction: t });
    invalidateAfterCommit(t, 'taxes');
  });
  return getTax(auth, id);
}

// Every tax, read on each order line and invoice: kept in memory, dropped in every process when one changes.
const allTaxes = cached('taxes', async () => new Map((await TaxModel.findAll()).map((x) => [x.id, x])));

/**
 * The taxes of these ids from the copy in memory when it has them all (and, with `active`, all
 * active); otherwise from the database in t (a tax made in this transaction, or just now elsewhere).
 */
async function findTaxes(t: Tx | null, ids: number[], active = false): Promise<TaxModel[]> {
  const known = await allTaxes.get();
  const hits = ids.map((id) => known.get(id));
  if (hits.every((x) => x && (!active || x.active))) return hits as TaxModel[];
  return TaxModel.findAll({ where: { id: ids }, transaction: t });
}

/** Rates of the given taxes; a missing or inactive tax is a 400 on `field`. */
export async function taxRates(t: Tx | null, ids: number[], field: string): Promise<Map<number, number>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await findTaxes(t, unique, true);
  const rates = new Map(rows.filter((r) => r.active).map((r) => [r.id, r.rate]));
  const missing = unique.filter((i) => !rates.has(i));
  if (missing.length) throw ValidationError.field(field, `unknown or inactive tax ${missing.join(', ')}`);
  return rates;
}

// Read by accounting

/** Taxes by id, active or not (unknown ids are absent). */
export async function taxesById(t: Tx | null, ids: number[]): Promise<Map<number, TaxModel>> {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await findTaxes(t, unique) : [];
  return new Map(rows.map((x) => [x.id, x]));
}

/** The name of a tax that posts to this account, or null. */
export async function taxUsingAccount(t: Tx, accountId: number): Promise<string | null> {
  const tax = await TaxModel.findOne({ where: { accountId }, attributes: ['name'], transaction: t });
  return tax?.name ?? null;
}
