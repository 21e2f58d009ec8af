import type { RecordModel } from '../../contracts/states';
import { ForbiddenError, NotFoundError } from '../http/errors';
import { can, type Auth, type Permission } from '../modules/auth/access';
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
  describe: (id: number, t?: Tx) => Promise<RecordInfo | null>;
  /** A record rule beyond the role's permission (e.g. own orders only); absent: the permission decides. */
  canAccess?: (auth: Pick<Auth, 'user'>, id: number) => Promise<boolean>;
  /** The local part of the reply address that names a record: `<alias>+<id>@domain`. */
  mailAlias: string;
};

const registry = new Map<RecordModel, RecordSpec>();

export function registerRecordModel(model: RecordModel, spec: RecordSpec): void {
  registry.set(model, spec);
}

export function recordSpec(model: string): RecordSpec | undefined {
  return registry.get(model as RecordModel);
}

/** The record a reply address `<alias>+<id>@…` names, if any. */
export function recordForAlias(alias: string): RecordModel | undefined {
  for (const [model, spec] of registry) if (spec.mailAlias === alias) return model;
  return undefined;
}

/** Whether this user may read (or write) the record: the role's permission, then the model's record rule. */
export async function mayUseRecord(auth: Pick<Auth, 'user'>, model: string, resId: number, need: 'read' | 'write' = 'read'): Promise<boolean> {
  const spec = recordSpec(model);
  if (!spec || !can(auth as Auth, need === 'read' ? spec.read : spec.write)) return false;
  return spec.canAccess ? spec.canAccess(auth, resId) : true;
}

/**
 * 404 when the record does not exist, 403 when the caller may not read (or write) it: the check behind
 * its chatter, its files and its room, the same as its REST read.
 */
export async function assertRecordAccess(auth: Auth, model: string, resId: number, need: 'read' | 'write' = 'read'): Promise<void> {
  const spec = recordSpec(model);
  if (!spec || !(await spec.exists(resId))) throw new NotFoundError(model, resId);
  if (!can(auth, need === 'read' ? spec.read : spec.write)) throw new ForbiddenError(`Your role may not ${need} ${model} records`);
  if (spec.canAccess && !(await spec.canAccess(auth, resId))) throw new ForbiddenError(`You may not ${need} this ${model}`);
}
