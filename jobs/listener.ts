import { rooms } from '../contracts/events';
import { emitNow } from '../server/realtime/publisher';
import type { JobListener } from './queues';

/**
 * Every job's progress goes to its owner's room as job.progress (system jobs have no owner); an
 * import's also goes to the order board as import.progress, so everyone watching sees orders arrive.
 */
export const publishJobProgress: JobListener = (event, data) => {
  if (data.userId !== undefined && data.userId !== null) emitNow(rooms.user(data.userId), 'job.progress', event);
  // A dry run writes nothing: only its owner follows it.
  if (event.name === 'import-orders' && !(data as { dryRun?: boolean }).dryRun) emitNow(rooms.ordersBoard, 'import.progress', event);
};
