import { Op, col, fn, where, type WhereOptions } from 'sequelize';
import type { List } from '../../../contracts/schemas/common';
import type { Partner, PartnerCreate, PartnerPatch } from '../../../contracts/schemas/partners';
import { partnerListQuery, type orderEndpointInput } from '../../../contracts/schemas/partners';
import type { z } from 'zod';
import { iso } from '../../db/columns';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { open, seal } from '../../lib/secrets';
import { requireAccess, type Auth } from '../auth/access';
import { PartnerModel } from './partner.model';

export function toPartner(p: PartnerModel): Partner {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    phone: p.phone,
    isCompany: p.isCompany,
    street: p.street,
    city: p.city,
    zip: p.zip,
    countryCode: p.countryCode,
    roles: p.roles,
    orderEndpoint: p.orderEndpointUrl ? { url: p.orderEndpointUrl, active: p.orderEndpointActive, hasSecret: !!p.orderEndpointSecret } : null,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    version: p.version,
  };
}

export async function listPartners(auth: Auth, query: z.infer<typeof partnerListQuery>): Promise<List<Partner>> {
  requireAccess(auth, 'partner.read');
  const and: WhereOptions<PartnerModel>[] = [{ active: true }];
  if (query.q) {
    const t = likeTerm(query.q);
    and.push({ [Op.or]: [{ name: { [Op.like]: t } }, { email: { [Op.like]: t } }, { city: { [Op.like]: t } }] });
  }
  if (query.role) and.push({ roles: { [Op.like]: `%"${query.role}"%` } } as WhereOptions);
  if (query.isCompany !== undefined) and.push({ isCompany: query.isCompany });
  const { rows, count } = await PartnerModel.findAndCountAll({
    where: { [Op.and]: and },
    limit: query.limit,
    offset: query.offset,
    order: orderFrom(query.sort, ['name', 'email', 'city', 'createdAt', 'updatedAt'], 'name'),
  });
  return { items: rows.map(toPartner), total: count };
}

export async function getPartner(auth: Auth, id: number): Promise<Partner> {
  requireAccess(auth, 'partner.read');
  return toPartner(await findPartner(null, id));
}

/** For other domains: the partner row, or a 404; t is null for a read outside a transaction. */
export async function findPartner(t: Tx | null, id: number): Promise<PartnerModel> {
  const p = await PartnerModel.findByPk(id, { transaction: t });
  if (!p) throw new NotFoundError('Partner', id);
  return p;
}

export async function createPartner(auth: Auth, input: PartnerCreate): Promise<Partner> {
  requireAccess(auth, 'partner.write');
  return withTransaction(async (t) => {
    const p = await PartnerModel.create(
      {
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        isCompany: input.isCompany ?? false,
        street: input.street ?? null,
        city: input.city ?? null,
        zip: input.zip ?? null,
        countryCode: input.countryCode ?? null,
        roles: input.roles ?? ['customer'],
        ...endpointFields(null, input.orderEndpoint),
      },
      { transaction: t },
    );
    return toPartner(p);
  });
}

/**
 * The order endpoint's columns from the input: null removes it, absent keeps it. A new endpoint needs
 * its secret; a changed URL keeps the stored secret unless a new one is given.
 */
function endpointFields(
  p: PartnerModel | null,
  input: z.input<typeof orderEndpointInput> | null | undefined,
): Partial<Pick<PartnerModel, 'orderEndpointUrl' | 'orderEndpointSecret' | 'orderEndpointActive'>> {
  if (input === undefined) return {};
  if (input === null) return { orderEndpointUrl: null, orderEndpointSecret: null, orderEndpointActive: false };
  if (!input.secret && !p?.orderEndpointSecret) {
    throw ValidationError.field('orderEndpoint.secret', 'is required for a new order endpoint (at least 16 characters)');
  }
  return { orderEndpointUrl: input.url, orderEndpointActive: input.active ?? true, ...(input.secret && { orderEndpointSecret: seal(input.secret) }) };
}

/** For purchasing: where a vendor's order notifications go and the secret they are signed with; null when it has none (or it is off). */
export async function vendorEndpointOf(t: Tx | null, partnerId: number): Promise<{ url: string; secret: string } | null> {
  const p = await PartnerModel.findByPk(partnerId, { attributes: ['id', 'orderEndpointUrl', 'orderEndpointSecret', 'orderEndpointActive'], transaction: t });
  if (!p?.orderEndpointUrl || !p.orderEndpointSecret || !p.orderEndpointActive) return null;
  return { url: p.orderEndpointUrl, secret: open(p.orderEndpointSecret) };
}

export async function updatePartner(auth: Auth, id: number, patch: PartnerPatch): Promise<Partner> {
  requireAccess(auth, 'partner.write');
  return withTransaction(async (t) => {
    const p = await PartnerModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!p) throw new NotFoundError('Partner', id);
    if (patch.version !== p.version) throw new ConflictError('This partner was changed by someone else', toPartner(p));
    const { version: _v, orderEndpoint, ...fields } = patch;
    p.set({ ...fields, ...endpointFields(p, orderEndpoint) });
    await p.save({ transaction: t });
    return toPartner(p);
  });
}

/** The partner with this email address (case does not matter), the oldest when several share it. */
export async function findPartnerByEmail(t: Tx | null, email: string): Promise<PartnerModel | null> {
  const address = email.trim().toLowerCase();
  if (!address) return null;
  return PartnerModel.findOne({ where: where(fn('lower', col('email')), address), order: [['id', 'ASC']], transaction: t });
}

/** Every partner with this email address (case does not matter), the oldest first. */
export async function findPartnersByEmail(t: Tx | null, email: string): Promise<PartnerModel[]> {
  const address = email.trim().toLowerCase();
  if (!address) return [];
  return PartnerModel.findAll({ where: where(fn('lower', col('email')), address), order: [['id', 'ASC']], limit: 50, transaction: t });
}

/** The partner of each address by the same rule (case does not matter, the oldest first), in one query: address (lower case) → partner id. */
export async function partnerIdsByEmail(t: Tx | null, emails: string[]): Promise<Map<string, number>> {
  const addresses = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  const found = new Map<string, number>();
  if (!addresses.length) return found;
  const rows = await PartnerModel.findAll({
    where: where(fn('lower', col('email')), { [Op.in]: addresses }),
    attributes: ['id', 'email'],
    order: [['id', 'ASC']],
    transaction: t,
  });
  for (const p of rows) {
    const key = p.email!.trim().toLowerCase();
    if (!found.has(key)) found.set(key, p.id);
  }
  return found;
}

/** Display names by id, for lists of other records. */
export async function partnerNames(t: Tx | null, ids: (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!unique.length) return new Map();
  const rows = await PartnerModel.findAll({ where: { id: unique }, attributes: ['id', 'name'], transaction: t });
  return new Map(rows.map((p) => [p.id, p.name]));
}

// Read by sales

/** The partners with these ids, by id (the ids that are not there are missing from the map). */
export async function partnersByIds(t: Tx, ids: number[]): Promise<Map<number, PartnerModel>> {
  const rows = ids.length ? await PartnerModel.findAll({ where: { id: ids }, transaction: t }) : [];
  return new Map(rows.map((p) => [p.id, p]));
}

// Read by chatter

export async function partnerExists(t: Tx, id: number): Promise<boolean> {
  return !!(await PartnerModel.findByPk(id, { attributes: ['id'], transaction: t }));
}

/** Names and email addresses (null when none) of the partners among ids. */
export async function partnerContacts(t: Tx | null, ids: number[]): Promise<{ id: number; name: string; email: string | null }[]> {
  if (!ids.length) return [];
  const rows = await PartnerModel.findAll({ where: { id: ids }, attributes: ['id', 'name', 'email'], transaction: t });
  return rows.map((p) => ({ id: p.id, name: p.name, email: p.email }));
}

// Read by accounting

/** The partners among these ids that have an email address. */
export async function partnersWithEmail(t: Tx, ids: number[]): Promise<PartnerModel[]> {
  if (!ids.length) return [];
  return PartnerModel.findAll({ where: { id: ids, email: { [Op.ne]: null } }, transaction: t });
}

/** A partner as other domains hold one (loaded through this module's functions or an association). */
export type PartnerRecord = PartnerModel;

// Read by purchasing

/**
 * Locks a vendor's row for t (MySQL; SQLite runs one transaction at a time): the purchases that fill
 * the vendor's open draft RFQ take their turn, so two of them never open two drafts.
 */
export async function lockPartner(t: Tx, id: number): Promise<PartnerModel> {
  const p = await PartnerModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
  if (!p) throw ValidationError.field('partnerId', `partner ${id} does not exist`);
  return p;
}
