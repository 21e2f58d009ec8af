import type { ChannelTest, ChannelTestResult } from '../../../contracts/schemas/channels';
import type { Tx } from '../../db/transaction';
import { InvalidStateError, ValidationError } from '../../http/errors';
import { runtime } from '../../runtime';
import { requireAccess, type Auth } from '../auth/access';
import { SYNCABLE } from './channel-schedule';
import { ChannelModel } from './channel.model';
import { channelSecrets, credentialsFor, findChannel, settingsFor } from './channel.service';
import { ShopError } from './connectors/shop-http';
import { shopifyOrderCount, shopifyPages, type SyncPage } from './connectors/shopify-sync';
import { wooCommerceOrderCount, wooCommercePages } from './connectors/woocommerce-sync';

// A channel's side of a sync with its shop: the shop's pages of orders, and the cursor and state kept
// on the channel as the sync goes (the sync itself, which takes the orders, is the channel-sync
// workflow); "Test connection" and "Sync now".

/** The shop's orders changed since the channel's cursor, page by page. */
export function shopPages(channel: ChannelModel): AsyncGenerator<SyncPage> {
  if (channel.kind === 'shopify') return shopifyPages(channel);
  if (channel.kind === 'woocommerce') return wooCommercePages(channel);
  throw new InvalidStateError(`${channel.name} is a ${channel.kind} channel: it is not synced from a shop`);
}

/** The cursor moved past a page fully taken. */
export async function saveSyncCursor(t: Tx | null, channel: ChannelModel, cursor: string | null): Promise<void> {
  await ChannelModel.update({ cursor }, { where: { id: channel.id }, transaction: t });
  channel.cursor = cursor;
}

/** A sync that went to its end: when, and how many orders could not be read. */
export async function recordSyncDone(t: Tx | null, channel: ChannelModel, failed: number): Promise<void> {
  await ChannelModel.update(
    {
      lastSyncAt: new Date(),
      lastError: failed ? `${failed} order(s) could not be read: see the log` : null,
      lastErrorAt: failed ? new Date() : null,
    },
    { where: { id: channel.id }, transaction: t },
  );
}

/** A sync that stopped: why, for the channel page. */
export async function recordSyncError(t: Tx | null, channel: ChannelModel, message: string): Promise<void> {
  await ChannelModel.update({ lastError: message.slice(0, 2000), lastErrorAt: new Date() }, { where: { id: channel.id }, transaction: t });
}

/**
 * Test connection: one request to the shop with the channel's settings and credentials, or the ones
 * given (the form's, before saving; a saved channel keeps its own for what is not given). Nothing is
 * written. The shop's refusal is the answer (ok: false, its message), not an error of this call.
 */
export async function testConnection(auth: Auth, channelId: number | null, input: ChannelTest): Promise<ChannelTestResult> {
  requireAccess(auth, 'channel.write');
  const saved = channelId === null ? null : await findChannel(null, channelId);
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
  const channel = await findChannel(null, channelId);
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
