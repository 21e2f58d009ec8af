import type { RecordModel } from '../../contracts/states';
import type { Permission } from '../modules/auth/access';
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
