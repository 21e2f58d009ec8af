import { describe, expect, it } from 'vitest';
import type { Channel } from '../../contracts/schemas/channels';
import { scheduleChannelSyncs } from '../../server/modules/channels/channel-schedule';
import { runtime } from '../../server/runtime';
import { makeProduct } from '../factories/data';
import { eventually } from '../support/eventually';
import { useTestServer } from '../support/server';
import { standInOrder } from '../factories/shop-orders';
import { useShopifyStandIn } from '../support/shops';

const at = (n: number) => new Date(Date.UTC(2026, 10, 3) + n * 60_000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Shops synced on their interval: a repeatable sync-channel job per active shop channel (Bull's
// repeatable jobs on Redis in the mysql project, the in-process timer in the sqlite one), kept as the
// channel says; a new shop's orders come at once.
describe('scheduled shop syncs', () => {
  const shop = useShopifyStandIn();
  const srv = useTestServer({ env: () => ({ SYNC_SCHEDULE: '1', CHANNEL_RETRY_MS: '20' }) });
  const schedules = async () => (await runtime().queues.schedules('sync-channel')).sort((a, b) => a.key.localeCompare(b.key));

  it('a new shop is synced at once and then every interval; the schedule follows the channel', { timeout: 60_000 }, async () => {
    await makeProduct(srv.admin, { sku: 'SCHED-A', name: 'Scheduled A', taxIds: [] });
    shop.orders = Array.from({ length: 12 }, (_, n) => standInOrder(n, ['SCHED-A'], at(n)));
    const created = await srv.admin.post('/api/channels', {
      kind: 'shopify',
      name: 'Scheduled shop',
      settings: { shopUrl: shop.url },
      credentials: { accessToken: shop.token },
    });
    expect(created.status).toBe(201);
    const channel = created.body as Channel;
    // Its orders come without a click.
    await eventually(async () => (await srv.admin.get(`/api/channels/${channel.id}`)).body.orderCount === 12, 20_000);
    expect(await schedules()).toEqual([{ key: `channel-${channel.id}`, everyMs: 15 * 60_000 }]);
    // A webhook channel or a CSV channel has no schedule.
    await srv.admin.post('/api/channels', { kind: 'webhook', name: 'Hook', credentials: { secret: 'a-long-enough-signing-secret' } });
    expect(await schedules()).toHaveLength(1);

    const version = async () => (await srv.admin.get(`/api/channels/${channel.id}`)).body.version as number;
    await srv.admin.patch(`/api/channels/${channel.id}`, { version: await version(), syncIntervalMinutes: 5 });
    expect(await schedules()).toEqual([{ key: `channel-${channel.id}`, everyMs: 5 * 60_000 }]);
    await srv.admin.patch(`/api/channels/${channel.id}`, { version: await version(), active: false });
    expect(await schedules()).toEqual([]);
    // Switched on again: scheduled, and synced at once (a new order in the shop comes in).
    shop.orders.push(standInOrder(12, ['SCHED-A'], at(12)));
    await srv.admin.patch(`/api/channels/${channel.id}`, { version: await version(), active: true });
    expect(await schedules()).toEqual([{ key: `channel-${channel.id}`, everyMs: 5 * 60_000 }]);
    await eventually(async () => (await srv.admin.get(`/api/channels/${channel.id}`)).body.orderCount === 13, 20_000);

    // At start, the schedules are put right: a stray one goes, a missing one comes back.
    await runtime().queues.unschedule('sync-channel', `channel-${channel.id}`);
    await runtime().queues.schedule('sync-channel', 'channel-999999', { channelId: 999_999, userId: null }, 60_000);
    expect(await scheduleChannelSyncs()).toBe(1);
    expect(await schedules()).toEqual([{ key: `channel-${channel.id}`, everyMs: 5 * 60_000 }]);
  });

  it('a scheduled job runs on its interval and no more once unscheduled', { timeout: 60_000 }, async () => {
    const channel = ((await srv.admin.get('/api/channels')).body.items as Channel[]).find((c) => c.kind === 'shopify')!;
    const asked = () => shop.requests.filter((q) => !q.path).length;
    const before = asked();
    await runtime().queues.schedule('sync-channel', 'every-second', { channelId: channel.id, userId: null }, 1000);
    await eventually(async () => asked() >= before + 2, 15_000);
    await runtime().queues.unschedule('sync-channel', 'every-second');
    await sleep(1500);
    const after = asked();
    await sleep(2500);
    expect(asked()).toBe(after);
  });
});
