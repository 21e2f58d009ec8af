import type { RecordModel } from '../../contracts/states';
import type { Permission } from '../modules/auth/access';

// The record models that rooms and the chatter can address. Each domain registers its own models, so
// shared mechanisms never reach into a domain's tables.
export type RecordSpec = {
  read: Permission;
  write: Permission;
  exists: (id: number) => Promise<boolean>;
};

const registry = new Map<RecordModel, RecordSpec>();

export function registerRecordModel(model: RecordModel, spec: RecordSpec): void {
  registry.set(model, spec);
}

export function recordSpec(model: string): RecordSpec | undefined {
  return registry.get(model as RecordModel);
}
