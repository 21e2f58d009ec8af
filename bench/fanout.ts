import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiClient } from '../test/support/client';
import { freshDatabase, REDIS_URL } from '../test/support/env';
import { portOf, startProcess, type Proc } from '../test/support/processes';
import { io as ioClient } from 'socket.io-client';
import type { ClientTarget, FromClients, ToClients } from './fanout-clients';

// Live fan-out to many sockets over several web processes (services mode: MariaDB + Redis, the Redis
// adapter carrying each event to the other processes), against bare Socket.IO servers in the same
// topology, with the same load generator, in the same run.
//
// - The watching sockets live in client processes of their own (bench/fanout-clients.ts), so the
//   parent that sends the changes and the servers that fan them out are not slowed by the clients'
//   parsing. Socket i goes to web process i % nodes and is signed in as user i % users (a user per 100
//   sockets by default, SOCKETS_PER_USER raised to fit), subscribed to board:orders.
// - A change is a REST PATCH of one order's note, sent by an admin to the first web process; the
//   baseline's change is an HTTP POST of the same event body to the first bare process, which
//   broadcasts it (bench/bare-socketio.ts): both start with an HTTP request to the first process.
// - Latency of a socket = when its client process saw order.updated − when the parent sent the change.
//   Both are read as performance.timeOrigin + performance.now(): wall-clock milliseconds with
//   sub-millisecond resolution. process.hrtime has a per-process origin and Date.now() has a 1 ms
//   resolution (the latencies are a few ms), while timeOrigin is the same system clock read at each
//   process's start. The agreement of the clocks is measured (a ping over IPC: the child's reading
//   against the midpoint of the parent's send and receive) and reported as clockSkewMs.
// - A socket that has not seen a change within lostAfterMs is counted lost for it.

export type FanoutOptions = {
  sockets: number;
  nodes: number;
  changes: number;
  /** Client processes sharing the sockets. */
  clients: number;
  /** Users the sockets are signed in as (each holds sockets / users of them). */
  users: number;
  /** Changes sent first, not counted (JIT, pools, caches). */
  warmup: number;
  lostAfterMs: number;
  /** When set, the web processes write CPU profiles (--cpu-prof) into this folder. */
  profileDir?: string;
};

/** requestP50ms: the change's own HTTP request (PATCH or POST /emit), sent to answered. */
export type Latencies = {
  p50ms: number;
  p95ms: number;
  p99ms: number;
  maxMs: number;
  samples: number;
  lost: number;
  requestP50ms: number;
  connectSeconds: number;
};

const now = () => performance.timeOrigin + performance.now();
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

type Client = { child: ChildProcess; next<T extends FromClients['type']>(type: T): Promise<Extract<FromClients, { type: T }>>; send(m: ToClients): void };

function startClient(): Client {
  const child = fork(path.join(import.meta.dirname, 'fanout-clients.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: FromClients[] = [];
  const waiters: { type: string; resolve: (m: FromClients) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (m: FromClients) => {
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
    else inbox.push(m);
  });
  let exited: Error | undefined;
  child.once('exit', (code) => {
    exited = new Error(`a fan-out client process exited (${code})`);
    for (const w of waiters.splice(0)) w.reject(exited);
  });
  return {
    child,
    send: (m) => child.send(m),
    next: (type) =>
      new Promise((resolve, reject) => {
        const i = inbox.findIndex((m) => m.type === type);
        if (i >= 0) return resolve(inbox.splice(i, 1)[0] as never);
        if (exited) return reject(exited);
        waiters.push({ type, resolve: resolve as (m: FromClients) => void, reject });
      }),
  };
}

/** How far the clients' clocks are from the parent's: the worst |offset| + half the round trip. */
async function clockSkew(clients: Client[]): Promise<number> {
  let worst = 0;
  for (const c of clients) {
    let best = Infinity;
    for (let i = 0; i < 10; i++) {
      const sent = now();
      c.send({ type: 'clock', sent });
      const { at } = await c.next('clock');
      const back = now();
      const bound = Math.abs(at - (sent + back) / 2) + (back - sent) / 2;
      best = Math.min(best, bound);
    }
    worst = Math.max(worst, best);
  }
  return round(worst, 3);
}

/** Connects and subscribes every socket; returns how long it took (s). */
async function connectAll(clients: Client[], targets: ClientTarget[]): Promise<number> {
  const started = now();
  const share = Math.ceil(targets.length / clients.length);
  clients.forEach((c, k) => c.send({ type: 'connect', sockets: targets.slice(k * share, (k + 1) * share), room: 'board:orders' }));
  const done = await Promise.all(clients.map((c) => c.next('connected')));
  const connected = done.reduce((n, d) => n + d.sockets, 0);
  if (connected !== targets.length) throw new Error(`${connected} of ${targets.length} sockets connected: ${done.flatMap((d) => d.failed).join('; ')}`);
  return round((now() - started) / 1000, 1);
}

async function closeAll(clients: Client[]): Promise<void> {
  clients.forEach((c) => c.send({ type: 'close' }));
  await Promise.all(clients.map((c) => c.next('closed')));
}

/**
 * Sends changes one at a time (a pause between them, as on a board where changes come and go) and
 * collects when each socket saw each. change(c) sends the c-th change and says which one it was.
 */
async function measure(
  clients: Client[],
  o: FanoutOptions,
  expect: (c: number) => { id: number; version: number },
  change: (c: number) => Promise<void>,
): Promise<Omit<Latencies, 'connectSeconds'>> {
  const latencies: number[] = [];
  const requests: number[] = [];
  let lost = 0;
  for (let c = 0; c < o.warmup + o.changes; c++) {
    const { id, version } = expect(c);
    clients.forEach((cl) => cl.send({ type: 'watch', id, version }));
    await Promise.all(clients.map((cl) => cl.next('watching')));
    const received = Promise.all(clients.map((cl) => cl.next('received')));
    const t0 = now();
    await change(c);
    const answered = now() - t0;
    const deadline = setTimeout(() => clients.forEach((cl) => cl.send({ type: 'flush', id, version })), o.lostAfterMs);
    const reports = await received;
    clearTimeout(deadline);
    if (c < o.warmup) continue;
    requests.push(answered);
    for (const r of reports) {
      for (const t of r.times) {
        if (t === null) lost++;
        else latencies.push(t - t0);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  latencies.sort((a, b) => a - b);
  return {
    p50ms: round(pct(latencies, 50)),
    p95ms: round(pct(latencies, 95)),
    p99ms: round(pct(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? NaN),
    samples: latencies.length,
    lost,
    requestP50ms: round(
      pct(
        requests.sort((a, b) => a - b),
        50,
      ),
    ),
  };
}

const spread = (n: number, urls: string[], cookies: (string | undefined)[]): ClientTarget[] =>
  Array.from({ length: n }, (_, i) => ({ url: urls[i % urls.length]!, cookie: cookies[i % cookies.length] }));

/** Bare Socket.IO on `nodes` processes (the Redis adapter between them when more than one). */
async function bare(clients: Client[], o: FanoutOptions, nodes: number, body: (id: number, version: number) => unknown): Promise<Latencies> {
  const key = `bench-bare-${process.pid}-${nodes}-${Date.now()}`;
  const env: Record<string, string> = nodes > 1 ? { BARE_REDIS_URL: REDIS_URL, BARE_REDIS_KEY: key } : {};
  const procs: Proc[] = [];
  try {
    for (let n = 0; n < nodes; n++) procs.push(await startProcess('bench/bare-socketio.ts', env, /listening on localhost:\d+/));
    const urls = procs.map((p) => `http://127.0.0.1:${portOf(p.output())}`);
    const connectSeconds = await connectAll(clients, spread(o.sockets, urls, [undefined]));
    const id = 1;
    const result = await measure(
      clients,
      o,
      (c) => ({ id, version: c + 1 }),
      async (c) => {
        const res = await fetch(`${urls[0]}/emit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(id, c + 1)) });
        if (res.status !== 204) throw new Error(`bare emit: ${res.status}`);
      },
    );
    await closeAll(clients);
    return { ...result, connectSeconds };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

/** The application on `nodes` web processes sharing MariaDB and Redis. */
async function app(clients: Client[], o: FanoutOptions): Promise<{ latencies: Latencies; event: unknown }> {
  const db = await freshDatabase('mysql');
  const webs: Proc[] = [];
  try {
    const env = {
      ...db.env,
      PORT: '0',
      LOGIN_RATE_LIMIT: '100000',
      SOCKETS_PER_USER: String(Math.ceil(o.sockets / o.users) + 10),
      ...(o.profileDir && { NODE_OPTIONS: `--import ${path.join(import.meta.dirname, 'cpu-profile.mjs')}`, CPU_PROFILE_DIR: o.profileDir }),
    };
    // The first migrates; the others find the schema ready.
    for (let n = 0; n < o.nodes; n++) webs.push(await startProcess('server/main.ts', env, /Console: http/));
    const urls = webs.map((w) => `http://127.0.0.1:${portOf(w.output())}`);
    const admin = await new ApiClient(urls[0]!).login('admin@example.com', 'admin-password-1');
    const cookies: string[] = [];
    for (let u = 0; u < o.users; u += 4) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(4, o.users - u) }, async (_, k) => {
          const email = `watcher${u + k}@example.com`;
          const made = await admin.post('/api/users', { email, name: `Watcher ${u + k}`, role: 'sales', password: 'watcher-password-1' });
          if (made.status !== 201) throw new Error(`user: ${JSON.stringify(made.body)}`);
          return (await new ApiClient(urls[(u + k) % urls.length]!).login(email, 'watcher-password-1')).cookie!;
        }),
      );
      cookies.push(...batch);
    }
    const partner = await admin.post('/api/partners', { name: 'Fan-out customer', email: 'fanout@example.com', countryCode: 'FR' });
    const product = await admin.post('/api/products', { sku: 'FANOUT-1', name: 'Fan-out product', listPrice: 1999 });
    const order = await admin.post('/api/sale-orders', { partnerId: partner.body.id, lines: [{ productId: product.body.id, quantity: 1 }] });
    if (order.status !== 201) throw new Error(`order: ${JSON.stringify(order.body)}`);
    let version = order.body.version as number;
    const connectSeconds = await connectAll(clients, spread(o.sockets, urls, cookies));
    // The event as a console receives it (on the last process), for the baseline to send the same bytes.
    let event: unknown;
    const own = ioClient(urls.at(-1)!, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: admin.cookie! } });
    await new Promise((resolve) => own.emit('subscribe', { room: `record:saleOrder:${order.body.id}` }, resolve));
    own.on('order.updated', (e: unknown) => (event = e));
    // Profiling: the web processes' CPU during the changes alone (bench/cpu-profile.mjs).
    const toggleProfiles = () => o.profileDir && webs.forEach((w) => w.child.kill('SIGUSR2'));
    toggleProfiles();
    const measured = await measure(
      clients,
      o,
      () => ({ id: order.body.id, version: version + 1 }),
      async (c) => {
        const res = await admin.patch(`/api/sale-orders/${order.body.id}`, { version, note: `change ${c}` });
        if (res.status !== 200) throw new Error(`patch: ${JSON.stringify(res.body)}`);
        version = res.body.version;
      },
    );
    toggleProfiles();
    own.disconnect();
    await closeAll(clients);
    if (!event) throw new Error('the watching admin socket saw no order.updated');
    return { latencies: { ...measured, connectSeconds }, event };
  } finally {
    await Promise.all(webs.map((w) => w.stop()));
    await db.drop();
  }
}

export async function benchFanout(o: FanoutOptions) {
  const clients = Array.from({ length: o.clients }, startClient);
  try {
    const clockSkewMs = await clockSkew(clients);
    const ours = await app(clients, o);
    const event = ours.event as { order: unknown; before: unknown; by: unknown };
    const body = (id: number, version: number) => ({ ...event, id, version });
    const bareNodes = await bare(clients, o, o.nodes, body);
    const bareOne = await bare(clients, o, 1, body);
    const ratio = (k: 'p50ms' | 'p95ms' | 'p99ms') => round(ours.latencies[k] / bareNodes[k]);
    return {
      sockets: o.sockets,
      nodes: o.nodes,
      clients: o.clients,
      users: o.users,
      changes: o.changes,
      clockSkewMs,
      app: ours.latencies,
      bare: bareNodes,
      bareOneNode: bareOne,
      ratio: { p50: ratio('p50ms'), p95: ratio('p95ms'), p99: ratio('p99ms') },
    };
  } finally {
    for (const c of clients) c.child.kill();
  }
}

/** The application alone, its web processes writing CPU profiles (--fanout-profile): no baseline. */
export async function profileFanout(o: FanoutOptions & { profileDir: string }) {
  mkdirSync(o.profileDir, { recursive: true });
  const clients = Array.from({ length: o.clients }, startClient);
  try {
    return { sockets: o.sockets, nodes: o.nodes, app: (await app(clients, o)).latencies, profiles: o.profileDir };
  } finally {
    for (const c of clients) c.child.kill();
  }
}
