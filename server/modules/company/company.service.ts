import type { Company, CompanyPatch } from '../../../contracts/schemas/company';
import { cached, invalidateAfterCommit } from '../../db/cache';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError } from '../../http/errors';
import { runtime } from '../../runtime';
import { requireAccess, type Auth } from '../auth/access';
import { CompanyModel } from './company.model';

function toCompany(c: CompanyModel): Company {
  return {
    name: c.name,
    street: c.street,
    city: c.city,
    zip: c.zip,
    countryCode: c.countryCode,
    vatId: c.vatId,
    email: c.email,
    phone: c.phone,
    currency: c.currency,
    logo: c.logo,
    paymentTermDays: c.paymentTermDays,
    autoInvoiceDeliveries: c.autoInvoiceDeliveries,
    version: c.version,
  };
}

/** The one company record, created at first start with CURRENCY. */
async function loadCompany(): Promise<CompanyModel> {
  const existing = await CompanyModel.findOne({ order: [['id', 'ASC']] });
  if (existing) return existing;
  return withTransaction((tx) =>
    CompanyModel.create(
      {
        name: 'My Company',
        street: null,
        city: null,
        zip: null,
        countryCode: null,
        vatId: null,
        email: null,
        phone: null,
        currency: runtime().config.currency,
        logo: null,
      },
      { transaction: tx },
    ),
  );
}

// Read on every order, email and document: kept in memory, dropped in every process when it changes.
const company = cached('company', loadCompany);

/**
 * The company as it was last committed (read-only: changes go through updateCompany). `t` is the
 * caller's transaction, for the day a read must see its own change; the copy is the committed one.
 */
export async function ensureCompany(_t: Tx | null): Promise<CompanyModel> {
  return company.get();
}

export async function companyCurrency(t: Tx): Promise<string> {
  return (await ensureCompany(t)).currency;
}

export async function getCompany(auth: Auth): Promise<Company> {
  requireAccess(auth, 'company.read');
  return toCompany(await ensureCompany(null));
}

export async function updateCompany(auth: Auth, patch: CompanyPatch): Promise<Company> {
  requireAccess(auth, 'company.write');
  return withTransaction(async (t) => {
    const c = await CompanyModel.findOne({ order: [['id', 'ASC']], transaction: t, lock: t.LOCK.UPDATE });
    if (!c) throw new Error('The company record is missing: restart the server to create it');
    if (patch.version !== c.version) throw new ConflictError('The company was changed by someone else', toCompany(c));
    const { version: _v, ...fields } = patch;
    c.set(fields);
    await c.save({ transaction: t });
    invalidateAfterCommit(t, 'company');
    return toCompany(c);
  });
}

/** The company as other domains hold it (from ensureCompany). */
export type CompanyRecord = CompanyModel;
