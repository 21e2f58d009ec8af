import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../contracts/schemas/channels';
import { ApiClient } from '../support/client';
import { makeProduct } from '../factories/data';
import { freshDatabase, type TestDb } from '../support/env';
import { eventually } from '../support/eventually';
import { portOf, startProcess, type Proc } from '../support/processes';
import { standInOrder } from '../factories/shop-orders';
import { useShopifyStandIn } from '../support/shops';

const ORDERS = 700; // three pages of 250
const SKUS = ['KILL-A', 'KILL-B'];
const at = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();

// Services mode as deployed: a shop sync runs in a Bull worker, which is killed (SIGKILL) between two
// pages; a new worker takes the job over and goes on from the cursor saved after the last page taken.
describe('a shop sync survives a killed worker', () => {
  const shop = useShopifyStandIn();
  let db: TestDb;
  let web: Proc;
  const workers: Proc[] = [];
  let admin: ApiClient;
  // A dead worker's job is taken over once its lock expires (JOB_LOCK_MS).
  const env = () => ({ ...db.env, JOB_LOCK_MS: '2000' });

  beforeAll(async () => {
    db = await freshDatabase('mysql');
    web = await startProcess('server/main.ts', { ...env(), PORT: '0' }, /Console: http/);
    workers.push(await startProcess('jobs/worker.ts', env(), /worker is processing jobs/));
    admin = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([web?.stop(), ...workers.map((w) => w.stop())]);
    await db?.drop();
  });

  it(`${ORDERS} shop orders: taken once each across a worker crash, the sync resuming from the cursor`, { timeout: 240_000 }, async () => {
    for (const sku of SKUS) await makeProduct(admin, { sku, name: sku, taxIds: [] });
    shop.orders = Array.from({ length: ORDERS }, (_, n) => standInOrder(n, SKUS, at(n)));
    const channel = (
      await admin.post('/api/channels', { kind: 'shopify', name: 'Shop (stand-in)', settings: { shopUrl: shop.url }, credentials: { accessToken: shop.token } })
    ).body as Channel;
    const status = async () => (await admin.get(`/api/channels/${channel.id}`)).body as Channel;

    // The shop answers the second page slowly: the worker dies while it waits, the first page taken.
    shop.nextPageDelayMs = 5000;
    const sync = await admin.post(`/api/channels/${channel.id}/sync`);
    expect(sync.status).toBe(202);
    await eventually(async () => shop.requests.some((q) => q.page_info), 60_000);
    workers[0]!.child.kill('SIGKILL');
    await new Promise((r) => workers[0]!.child.once('exit', r));
    const atCrash = await status();
    expect(atCrash).toMatchObject({ cursor: at(249), orderCount: 250 });

    shop.nextPageDelayMs = 0;
    const asked = shop.requests.length;
    workers.push(await startProcess('jobs/worker.ts', env(), /worker is processing jobs/));
    const job = await eventually(async () => {
      const j = (await admin.get(`/api/jobs/${sync.body.jobId}`)).body;
      if (j.state === 'failed') throw new Error(`job failed: ${j.failedReason}`);
      return j.state === 'completed' && j;
    }, 120_000);
    // The same job, taken over: it asked the shop from the saved cursor, not from the start.
    expect(shop.requests[asked]).toMatchObject({ updated_at_min: at(249) });
    expect(shop.requests[asked]!.page_info).toBeUndefined();
    // The order at the cursor comes again (updated_at_min is inclusive) and is found unchanged.
    expect(job.result).toMatchObject({ fetched: ORDERS - 249, created: ORDERS - 250, unchanged: 1, failed: 0, cursor: at(ORDERS - 1) });
    expect(await status()).toMatchObject({ cursor: at(ORDERS - 1), orderCount: ORDERS, lastError: null });
    const all = [];
    for (let offset = 0; offset < ORDERS; offset += 500) {
      all.push(...(await admin.get(`/api/sale-orders?channelId=${channel.id}&limit=500&offset=${offset}`)).body.items);
    }
    expect(new Set(all.map((o: { externalId: string }) => o.externalId)).size).toBe(ORDERS);
  });
});
