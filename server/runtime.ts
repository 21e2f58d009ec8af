import type { Config } from './config';
import type { SessionStore } from './modules/auth/session-store';
import type { RedisClient } from './lib/redis';
import type { Queues } from '../jobs/queues';

// What a process wires up at start and services reach at run time.
export type Runtime = {
  config: Config;
  sessions: SessionStore;
  queues: Queues;
  redis: RedisClient | undefined;
};

let current: Runtime | undefined;

export function setRuntime(r: Runtime): void {
  current = r;
}

export function runtime(): Runtime {
  if (!current) throw new Error('runtime is not set up');
  return current;
}
