import { externalOrder, withoutNul } from '../../contracts/schemas/channels';
import { logger } from '../lib/logger';
import { findChannel } from '../modules/channels/channel.service';
import { recordSyncDone, recordSyncError, saveSyncCursor, shopPages } from '../modules/channels/channel-sync';
import { ShopError } from '../modules/channels/connectors/shop-http';
import { receiveExternalOrder } from './order-intake.workflow';

// Fetching a shop's orders (the sync-channel job): page by page from the channel's cursor, each order
// taken once (intake is idempotent), the cursor saved after each page, so a stopped sync (a worker
// restart, a shop failing) goes on from where it was and never skips an order.

/** stale: orders older than the version we hold (ignored). */
export type SyncResult = {
  fetched: number;
  created: number;
  updated: number;
  noted: number;
  unchanged: number;
  stale: number;
  failed: number;
  cursor: string | null;
};

export async function syncChannel(channelId: number, progress: (fetched: number) => Promise<void> = async () => undefined): Promise<SyncResult> {
  const channel = await findChannel(null, channelId);
  const result: SyncResult = { fetched: 0, created: 0, updated: 0, noted: 0, unchanged: 0, stale: 0, failed: 0, cursor: channel.cursor };
  try {
    for await (const page of shopPages(channel)) {
      for (const { ext, updatedAt } of page.orders) {
        result.fetched++;
        const parsed = externalOrder.safeParse(withoutNul(ext));
        if (!parsed.success) {
          result.failed++;
          logger.warn({ channelId, externalId: ext.externalId, issues: parsed.error.issues.slice(0, 3) }, 'shop order not taken');
        } else {
          const r = await receiveExternalOrder(channel, parsed.data);
          if (r.status !== 'duplicate') result[r.status]++;
        }
        if (!result.cursor || updatedAt > result.cursor) result.cursor = updatedAt;
      }
      // The cursor moves only past pages fully taken.
      await saveSyncCursor(null, channel, result.cursor);
      await progress(result.fetched);
    }
    await recordSyncDone(null, channel, result.failed);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await recordSyncError(null, channel, message);
    // A shop that is down is tried again by the job's backoff; refused credentials wait for a person.
    if (err instanceof ShopError && !err.retryable) return result;
    throw err;
  }
}
