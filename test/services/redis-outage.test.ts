import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/client';
import { exportOrder, shopifyExport } from '../factories/csv';
import { makePartner, makeProduct } from '../factories/data';
import { freshDatabase, type TestDb } from '../support/env';
import { eventually } from '../support/eventually';
import { useMailgunStandIn } from '../support/mailgun';
import { portOf, startProcess, type Proc } from '../support/processes';

// Services mode with a Redis of its own, stopped and started under a web and a worker process:
// while Redis is down every request answers at once (503 or done, never hangs) and /api/health says
// `degraded` within a second; once Redis is back, with its data or wiped, every import, export and
// email that was accepted completes exactly once, without restarting the app.

const SKUS = ['OUT-A', 'OUT-B', 'OUT-C'];
const ORDERS_PER_IMPORT = 3;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A redis-server of this test: stopped saving its data (kept) or not (wiped), started again on its port. */
class OwnRedis {
  private proc: ChildProcess | undefined;
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'cc-redis-outage-'));
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`)));
    });
  }
  /** Stops Redis; `keep`: its data is saved first and loaded by the next start. */
  async stop(keep: boolean): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    spawnSync('redis-cli', ['-p', String(this.port), 'shutdown', keep ? 'save' : 'nosave']);
    await exited;
    if (!keep) rmSync(path.join(this.dir, 'dump.rdb'), { force: true });
  }
  async kill(): Promise<void> {
    const proc = this.proc;
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

type Answer = { status: number; body: any } | { status: 'hung' };

/** One request that must answer within `ms` (a hung request is an answer of its own: 'hung'). */
async function within(c: ApiClient, method: string, route: string, body?: unknown, ms = 3000): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (c.cookie) headers.cookie = c.cookie;
  if (c.bearer) headers.authorization = `Bearer ${c.bearer}`;
  if (c.csrfToken && method !== 'GET') headers['x-csrf-token'] = c.csrfToken;
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${c.baseUrl}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(ms),
    });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  } catch (err) {
    if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') return { status: 'hung' };
    throw err;
  }
}

describe('a Redis outage: requests fail fast, queued work completes exactly once', () => {
  const mailgun = useMailgunStandIn();
  let redis: OwnRedis;
  let db: TestDb;
  let web: Proc;
  let worker: Proc;
  let url: string;
  let admin: ApiClient;
  let api: ApiClient;
  let customerEmail: string;
  let orderId: number;
  let nextImport = 0;
  let nextMail = 0;
  const imports: { jobId: string; refs: string[] }[] = [];
  const exportJobs: string[] = [];
  const mails: string[] = [];

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    db = await freshDatabase('mysql');
    const env = {
      ...db.env,
      ...mailgun.env(),
      REDIS_URL: redis.url,
      JOB_RECONCILE_MS: '2000',
      JOB_LOCK_MS: '3000',
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      MAIL_RETRY_DELAY_MS: '200',
    };
    web = await startProcess('server/main.ts', { ...env, PORT: '0' }, /Console: http/);
    worker = await startProcess('jobs/worker.ts', env, /processing jobs/);
    url = `http://127.0.0.1:${portOf(web.output())}`;
    admin = await new ApiClient(url).login('admin@example.com', 'admin-password-1');
    const token = await admin.post('/api/auth/tokens', { name: 'outage test' });
    api = admin.withToken(token.body.token as string);
    for (const sku of SKUS) await makeProduct(api, { sku, name: sku, taxIds: [], type: 'consumable' });
    const customer = await makePartner(api, { name: 'Outage Customer', email: 'outage.customer@example.com' });
    customerEmail = customer.email!;
    const product = await makeProduct(api, { type: 'service', listPrice: 1000 });
    orderId = (await api.post('/api/sale-orders', { partnerId: customer.id, lines: [{ productId: product.id, quantity: 1 }] })).body.id;
  }, 180_000);

  afterAll(async () => {
    await Promise.all([web?.stop(), worker?.stop()]);
    await redis?.kill();
    await db?.drop();
  });

  /** One of each kind of work (an import, an export, an email) and a sign-in; each must answer. */
  async function activity(expectRedisDown: boolean): Promise<void> {
    const n = nextImport++;
    const orders = Array.from({ length: ORDERS_PER_IMPORT }, (_, i) => exportOrder(n * 100 + i, SKUS, 2));
    const form = new FormData();
    form.append('profile', 'shopify');
    form.append('file', new Blob([shopifyExport(orders)], { type: 'text/csv' }), `outage-${n}.csv`);
    const started = await within(api, 'POST', '/api/imports', form);
    expect(started.status, JSON.stringify(started)).not.toBe('hung');
    if (!expectRedisDown) expect(started.status, JSON.stringify(started)).toBe(202);
    if (started.status === 202) imports.push({ jobId: (started as { body: { jobId: string } }).body.jobId, refs: orders.map((o) => `#${1000 + o.n}`) });
    else expect(started.status, JSON.stringify(started)).toBe(503);

    const exported = await within(api, 'POST', '/api/sale-orders/export', {});
    expect(exported.status, JSON.stringify(exported)).not.toBe('hung');
    if (!expectRedisDown) expect(exported.status, JSON.stringify(exported)).toBe(202);
    if (exported.status === 202 || exported.status === 200) exportJobs.push((exported as { body: { jobId: string } }).body.jobId);
    else expect(exported.status, JSON.stringify(exported)).toBe(503);

    const marker = `outage note ${nextMail++} ends here`;
    const posted = await within(api, 'POST', '/api/messages', { model: 'saleOrder', resId: orderId, type: 'comment', body: `<p>${marker}</p>` });
    expect(posted.status, JSON.stringify(posted)).not.toBe('hung');
    if (!expectRedisDown) expect(posted.status, JSON.stringify(posted)).toBe(201);
    if (posted.status === 201) mails.push(marker);
    else expect(posted.status, JSON.stringify(posted)).toBe(503);

    // Sessions live in Redis: signing in and a cookie's request answer 503 while it is down.
    const login = await within(new ApiClient(url), 'POST', '/api/auth/login', { email: 'admin@example.com', password: 'admin-password-1' });
    expect(login.status).toBe(expectRedisDown ? 503 : 200);
    if (expectRedisDown) expect((login as { body: { error: { code: string } } }).body.error.code).toBe('unavailable');
    const me = await within(admin, 'GET', '/api/auth/me');
    expect(me.status).toBe(expectRedisDown ? 503 : 200);
    // What needs only the database keeps working.
    const list = await within(api, 'GET', '/api/sale-orders?limit=5');
    expect(list.status).toBe(200);
    for (const job of exportJobs.slice(-2)) expect((await within(api, 'GET', `/api/jobs/${job}`)).status).toBe(200);
    for (const imp of imports.slice(-2)) expect((await within(api, 'GET', `/api/imports/${imp.jobId}`)).status).toBe(200);
  }

  async function outage(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const health = await within(new ApiClient(url), 'GET', '/api/health', undefined, 1000);
      expect(health).toEqual({ status: 503, body: { status: 'degraded', db: 'ok', redis: 'error' } });
      await activity(true);
    }
  }

  /** Everything accepted so far is done, once: each import's orders once, each export done, each email sent once. */
  async function allDoneOnce(): Promise<void> {
    await eventually(async () => (await within(new ApiClient(url), 'GET', '/api/health', undefined, 1000)).status === 200, 30_000);
    for (const imp of imports) {
      const s = await eventually(async () => {
        const r = await api.get(`/api/imports/${imp.jobId}`);
        if (r.body.state === 'failed') throw new Error(`import failed: ${r.body.failedReason}`);
        return r.body.state === 'completed' && r.body;
      }, 60_000);
      expect(s).toMatchObject({ orders: ORDERS_PER_IMPORT, created: ORDERS_PER_IMPORT, rejected: 0 });
    }
    for (const id of exportJobs) {
      const s = await eventually(async () => {
        const r = await api.get(`/api/jobs/${id}`);
        if (r.body.state === 'failed') throw new Error(`export failed: ${r.body.failedReason}`);
        return r.body.state === 'completed' && r.body;
      }, 60_000);
      expect(s.result.rows).toBeGreaterThan(0);
    }
    const mailsOf = (marker: string) =>
      mailgun.sent.filter((m) => String(m.fields.to).includes(customerEmail) && String(m.fields.html).includes(`<p>${marker}</p>`));
    await eventually(async () => mails.every((m) => mailsOf(m).length >= 1), 60_000);
    // A second delivery would come within a few reconciler passes: wait for them, then count.
    await new Promise((r) => setTimeout(r, 5000));
    for (const m of mails) expect(mailsOf(m), m).toHaveLength(1);
    const total = (await api.get('/api/sale-orders?limit=1')).body.total as number;
    for (const imp of imports) {
      const s = (await api.get(`/api/imports/${imp.jobId}`)).body;
      expect(s.created, imp.jobId).toBe(ORDERS_PER_IMPORT);
    }
    // Each imported order exists once (the one order of the comments aside).
    expect(total).toBe(imports.length * ORDERS_PER_IMPORT + 1);
  }

  // The worker is paused (once idle, holding no database lock) so that work sits in Redis when it stops.
  async function pauseWorker(): Promise<void> {
    await allDoneOnce();
    worker.child.kill('SIGSTOP');
  }

  it('Redis stopped for 10 s, then back with its data: nothing hangs, everything completes once', { timeout: 240_000 }, async () => {
    await activity(false);
    await pauseWorker();
    await activity(false);
    await redis.stop(true);
    worker.child.kill('SIGCONT');
    await outage(10_000);
    await redis.start();
    await allDoneOnce();
  });

  it('Redis restarted with its data wiped: what it lost is queued again from the database and completes once', { timeout: 240_000 }, async () => {
    await pauseWorker();
    await activity(false);
    await activity(false);
    // Queued in Redis, never run: gone with its data.
    await redis.stop(false);
    worker.child.kill('SIGCONT');
    await outage(4000);
    await redis.start();
    // The job states are read from the database: nothing answers 404 for work the database holds.
    for (const id of exportJobs) expect((await within(api, 'GET', `/api/jobs/${id}`)).status).toBe(200);
    await allDoneOnce();
    // The sessions went with Redis's data: signing in again works at once.
    admin = await new ApiClient(url).login('admin@example.com', 'admin-password-1');
    await activity(false);
    await allDoneOnce();
  });
});
