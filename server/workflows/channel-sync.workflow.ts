import type { Auth } from '../modules/auth/access';
import { requireAccess } from '../modules/auth/access';
import { InvalidStateError, ValidationError } from '../http/errors';
import { logger } from '../lib/logger';
import { runtime } from '../runtime';
import { externalOrder, withoutNul, type ChannelTest, type ChannelTestResult } from '../../contracts/schemas/channels';
import { receiveExternalOrder } from './order-intake.workflow';
import { ChannelModel } from '../modules/channels/channel.model';
import { SYNCABLE } from '../modules/channels/channel-schedule';
import { channelSecrets, credentialsFor, findChannel, settingsFor } from '../modules/channels/channel.service';
import { ShopError } from '../modules/channels/connectors/shop-http';
import { shopifyOrderCount, shopifyPages, type SyncPage } from '../modules/channels/connectors/shopify-sync';
import { wooCommerceOrderCount, wooCommercePages } from '../modules/channels/connectors/woocommerce-sync';

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

function pagesOf(channel: ChannelModel): AsyncGenerator<SyncPage> {
  if (channel.kind === 'shopify') return shopifyPages(channel);
  if (channel.kind === 'woocommerce') return wooCommercePages(channel);
  throw new InvalidStateError(`${channel.name} is a ${channel.kind} channel: it is not synced from a shop`);
}

export async function syncChannel(channelId: number, progress: (fetched: number) => Promise<void> = async () => undefined): Promise<SyncResult> {
  const channel = await findChannel(channelId);
  const result: SyncResult = { fetched: 0, created: 0, updated: 0, noted: 0, unchanged: 0, stale: 0, failed: 0, cursor: channel.cursor };
  try {
    for await (const page of pagesOf(channel)) {
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
      await ChannelModel.update({ cursor: result.cursor }, { where: { id: channel.id } });
      channel.cursor = result.cursor;
      await progress(result.fetched);
    }
    await ChannelModel.update(
      {
        lastSyncAt: new Date(),
        lastError: result.failed ? `${result.failed} order(s) could not be read: see the log` : null,
        lastErrorAt: result.failed ? new Date() : null,
      },
      { where: { id: channel.id } },
    );
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await ChannelModel.update({ lastError: message.slice(0, 2000), lastErrorAt: new Date() }, { where: { id: channel.id } });
    // A shop that is down is tried again by the job's backoff; refused credentials wait for a person.
    if (err instanceof ShopError && !err.retryable) return result;
    throw err;
  }
}

/**
 * Test connection: one request to the shop with the channel's settings and credentials, or the ones
 * given (the form's, before saving; a saved channel keeps its own for what is not given). Nothing is
 * written. The shop's refusal is the answer (ok: false, its message), not an error of this call.
 */
export async function testConnection(auth: Auth, channelId: number | null, input: ChannelTest): Promise<ChannelTestResult> {
  requireAccess(auth, 'channel.write');
  const saved = channelId === null ? null : await findChannel(channelId);
  const kind = saved?.kind ?? input.kind;
  if (!kind) throw ValidationError.field('kind', 'say which kind of channel to test');
  if (saved && input.kind && input.kind !== saved.kind) throw ValidationError.field('kind', `${saved.name} is a ${saved.kind} channel`);
  if (!SYNCABLE.includes(kind)) {
    throw new InvalidStateError(
      `A ${kind} channel does not connect to a shop: its orders are ${kind === 'csv' ? 'imported from files' : 'pushed to its webhook'}`,
    );
  }
  const access = {
    name: input.settings === undefined && saved ? saved.name : 'The shop',
    settings: input.settings !== undefined ? settingsFor(kind, input.settings) : (saved?.settings ?? settingsFor(kind, {})),
    secrets: input.credentials !== undefined ? credentialsFor(kind, input.credentials) : saved ? channelSecrets(saved) : null,
  };
  try {
    const shopOrders = kind === 'shopify' ? await shopifyOrderCount(access) : await wooCommerceOrderCount(access);
    return { ok: true, message: `Connected: the shop holds ${shopOrders} order${shopOrders === 1 ? '' : 's'}`, shopOrders };
  } catch (err) {
    if (err instanceof ShopError) return { ok: false, message: err.message, shopOrders: null };
    throw err;
  }
}

/** Sync now (the channel page's button): a job, its id to follow. */
export async function requestSync(auth: Auth, channelId: number): Promise<{ jobId: string }> {
  requireAccess(auth, 'channel.write');
  const channel = await findChannel(channelId);
  if (!SYNCABLE.includes(channel.kind)) {
    throw new InvalidStateError(`${channel.name} is a ${channel.kind} channel: it is not synced from a shop`);
  }
  // A person is waiting: a failure is tried again sooner than a scheduled sync's.
  const jobId = await runtime().queues.enqueue(
    'sync-channel',
    { channelId, userId: auth.user.id },
    { jobId: `channel-${channelId}-${Date.now()}`, attempts: 3, backoffMs: 5000 },
  );
  return { jobId };
}
