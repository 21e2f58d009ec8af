import { Op, type literal, type WhereOptions } from 'sequelize';
import type { RecordModel } from '../../contracts/states';
import { ForbiddenError, NotFoundError } from '../http/errors';
import { can, limitedToOwnOrders, type Auth, type Permission } from '../modules/auth/access';
import type { Tx } from '../db/transaction';

/** What the chatter and the mail module need to know of one record. */
export type RecordInfo = {
  /** Its display name, e.g. `S00012`. */
  name: string;
  /** The customer or vendor it concerns: follows its `comment` messages. */
  partnerId: number | null;
  /** Where the console shows it. */
  path: string;
};

// The record models that rooms, the chatter and inbound mail can address. Each domain registers its own
// models, so shared mechanisms never reach into a domain's tables.
export type RecordSpec = {
  read: Permission;
  write: Permission;
  exists: (id: number) => Promise<boolean>;
  describe: (t: Tx | null, id: number) => Promise<RecordInfo | null>;
  /** The display names of many records in one read (a list showing the records it links to); absent: describe each. */
  names?: (t: Tx | null, ids: number[]) => Promise<Map<number, string>>;
  /**
   * The record rule for users limited to their own orders, for a model that belongs to an order (the
   * order itself, its pickings, its invoices); absent: the role's permission decides (partners, products).
   * Used alike by REST, documents, the chatter and its files, rooms, boards, the outbox and reports.
   */
  own?: {
    /** The user whose own orders this record belongs to, or null (nobody's: hidden from own-orders users). */
    ownerOf: (t: Tx | null, id: number) => Promise<number | null>;
    /** The ids of the records that belong to this user's orders, as a subquery. */
    idsOf: (userId: number) => ReturnType<typeof literal>;
  };
  /** The local part of the reply address that names a record: `<alias>+<id>@domain`. */
  mailAlias: string;
};

const registry = new Map<RecordModel, RecordSpec>();

/** `exists` for a model's table: whether a row with this id is there. */
export const rowExists =
  (model: { findByPk(id: number, o: object): Promise<unknown> }) =>
  async (id: number): Promise<boolean> =>
    !!(await model.findByPk(id, { attributes: ['id'] }));

export function registerRecordModel(model: RecordModel, spec: RecordSpec): void {
  registry.set(model, spec);
}

export function recordSpec(model: string): RecordSpec | undefined {
  return registry.get(model as RecordModel);
}

/**
 * The display names of records of a model by id (unknown ids absent), for a domain that shows links to
 * another domain's records without importing it (accounting's bills name their purchase orders).
 */
export async function recordNames(t: Tx | null, model: RecordModel, ids: (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  const spec = recordSpec(model);
  if (!unique.length || !spec) return new Map();
  if (spec.names) return spec.names(t, unique);
  const out = new Map<number, string>();
  for (const id of unique) {
    const info = await spec.describe(t, id);
    if (info) out.set(id, info.name);
  }
  return out;
}

/** The record a reply address `<alias>+<id>@…` names, if any. */
export function recordForAlias(alias: string): RecordModel | undefined {
  for (const [model, spec] of registry) if (spec.mailAlias === alias) return model;
  return undefined;
}

/** Whether the model's record rule lets this user see the record (the role aside). */
async function passesRule(spec: RecordSpec, auth: Pick<Auth, 'user'>, resId: number): Promise<boolean> {
  if (!spec.own || !limitedToOwnOrders(auth)) return true;
  return (await spec.own.ownerOf(null, resId)) === auth.user.id;
}

/** Whether this user may read (or write) the record: the role's permission, then the model's record rule. */
export async function mayUseRecord(auth: Pick<Auth, 'user'>, model: string, resId: number, need: 'read' | 'write' = 'read'): Promise<boolean> {
  const spec = recordSpec(model);
  if (!spec || !can(auth as Auth, need === 'read' ? spec.read : spec.write)) return false;
  return passesRule(spec, auth, resId);
}

/** The user whose own orders the record belongs to (the owner's board gets its events), or null. */
export async function recordOwner(t: Tx | null, model: string | null, resId: number | null): Promise<number | null> {
  const spec = model ? recordSpec(model) : undefined;
  return spec?.own && resId ? spec.own.ownerOf(t, resId) : null;
}

/**
 * For a table of rows that name a record (`model`, `resId`: emails, received mail, files): the WHERE that
 * keeps the rows a user limited to their own orders may see, or null for everyone else. Rows that name no
 * record, or a record of nobody's order, are not theirs.
 */
export function recordRowsScope(auth: Pick<Auth, 'user'>): WhereOptions | null {
  if (!limitedToOwnOrders(auth)) return null;
  const branches: WhereOptions[] = [];
  for (const [model, spec] of registry) {
    branches.push(spec.own ? { model, resId: { [Op.in]: spec.own.idsOf(auth.user.id) } } : { model });
  }
  return { [Op.or]: branches };
}

/**
 * 404 when the record does not exist, 403 when the caller may not read (or write) it: the check behind
 * its chatter, its files and its room, the same as its REST read.
 */
export async function assertRecordAccess(auth: Auth, model: string, resId: number, need: 'read' | 'write' = 'read'): Promise<void> {
  const spec = recordSpec(model);
  if (!spec || !(await spec.exists(resId))) throw new NotFoundError(model, resId);
  if (!can(auth, need === 'read' ? spec.read : spec.write)) throw new ForbiddenError(`Your role may not ${need} ${model} records`);
  if (!(await passesRule(spec, auth, resId))) throw new ForbiddenError(`You may not ${need} this ${model}: it belongs to another salesperson's order`);
}
