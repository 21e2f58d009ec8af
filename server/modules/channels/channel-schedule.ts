import type { ChannelKind } from '../../../contracts/states';
import { runtime } from '../../runtime';
import { ChannelModel } from './channel.model';

// When shops are synced: each active shop channel has a repeatable sync-channel job every
// `syncIntervalMinutes` (Bull's repeatable jobs in services mode, shared by every process; a timer of
// the same queue interface in embedded mode), kept as the channel says whenever it changes, and put
// right for all channels when the process that runs the jobs starts. SYNC_SCHEDULE=0 turns it off.

/** The kinds fetched from a shop (on their interval and by "Sync now"). */
export const SYNCABLE: readonly ChannelKind[] = ['shopify', 'woocommerce'];

const keyOf = (channelId: number) => `channel-${channelId}`;
/** A sync that fails is tried again twice, 30 s then 60 s later. */
export const SYNC_RETRIES = { attempts: 3, backoffMs: 30_000 };

/** A channel's schedule as the channel says: every syncIntervalMinutes while active, none otherwise. */
export async function scheduleChannelSync(channel: Pick<ChannelModel, 'id' | 'kind' | 'active' | 'syncIntervalMinutes'>): Promise<void> {
  const { queues, config } = runtime();
  if (!config.syncSchedule) return;
  if (channel.active && SYNCABLE.includes(channel.kind)) {
    await queues.schedule('sync-channel', keyOf(channel.id), { channelId: channel.id, userId: null }, channel.syncIntervalMinutes * 60_000, SYNC_RETRIES);
  } else {
    await queues.unschedule('sync-channel', keyOf(channel.id));
  }
}

/** Every channel's schedule put right, and none left for a channel that is gone. Returns how many are scheduled. */
export async function scheduleChannelSyncs(): Promise<number> {
  const { queues, config } = runtime();
  if (!config.syncSchedule) return 0;
  const channels = await ChannelModel.findAll();
  for (const c of channels) await scheduleChannelSync(c);
  const known = new Set(channels.map((c) => keyOf(c.id)));
  for (const s of await queues.schedules('sync-channel')) if (!known.has(s.key)) await queues.unschedule('sync-channel', s.key);
  return channels.filter((c) => c.active && SYNCABLE.includes(c.kind)).length;
}

/** A shop channel just added (or switched on) takes its orders at once rather than at its first interval. */
export async function syncSoon(channel: Pick<ChannelModel, 'id' | 'kind' | 'active'>, userId: number | null, reason: string): Promise<void> {
  if (!runtime().config.syncSchedule || !channel.active || !SYNCABLE.includes(channel.kind)) return;
  await runtime().queues.enqueue('sync-channel', { channelId: channel.id, userId }, { jobId: `${keyOf(channel.id)}-${reason}-${Date.now()}`, ...SYNC_RETRIES });
}
