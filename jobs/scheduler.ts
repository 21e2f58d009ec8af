import { logger } from '../server/lib/logger';
import { enqueueDueSyncs } from '../server/modules/channels/sync.service';

/**
 * Where jobs are processed (the worker, or the web process in embedded mode), looks every `everyMs`
 * for shop channels due a sync and queues them; job ids per channel and interval slot keep several
 * workers from queueing one sync twice. Returns the stop function.
 */
export function startScheduler(everyMs: number): () => void {
  if (everyMs <= 0) return () => undefined;
  const tick = () => void enqueueDueSyncs().catch((err: unknown) => logger.error({ err }, 'could not queue the channel syncs'));
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
