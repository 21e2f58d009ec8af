import { BullQueues, type BullOptions } from './bull-queues';
import { InProcessQueues } from './in-process-queues';
import type { Queues } from './queues';

/** Bull on Redis when there is a Redis to use (services mode); otherwise the jobs run in this process (embedded mode). */
export function createQueues(redisUrl: string | undefined, prefix: string, opts: BullOptions = {}): Queues {
  return redisUrl ? new BullQueues(redisUrl, prefix, opts) : new InProcessQueues();
}
