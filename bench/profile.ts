import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../test/support/client';
import { freshDatabase } from '../test/support/env';
import { portOf, startProcess } from '../test/support/processes';
import { createAndConfirm, invoiceAndPost, round, saveResults, seed } from './common';
import { frameOf, sqlShape, type CpuProfile } from './profile-common';

// npm run profile [-- --db sqlite|mysql --orders 200 --concurrency 8]
// Where create + confirm (and invoice + post) spend their time, in a real web process: its CPU profile
// (node --cpu-prof) and every SQL statement with its duration (SQL_LOG), both cut to the measured
// window (after a warm-up). Prints the top ten of each and writes bench/results/profile-<db>.json.

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const KIND = arg('db', 'sqlite') as 'sqlite' | 'mysql';
const ORDERS = Number(arg('orders', '200'));
const CONCURRENCY = Number(arg('concurrency', '8'));

type Window = { from: number; to: number };
type Phase = { name: string; ms: number; wall: Window; mono: { from: bigint; to: bigint } };

// The monotonic clock V8 stamps profile samples with is the system's CLOCK_MONOTONIC, as hrtime is.
const mono = () => process.hrtime.bigint() / 1000n;

async function timed(name: string, fn: () => Promise<unknown>): Promise<Phase> {
  const wallFrom = Date.now();
  const monoFrom = mono();
  await fn();
  return { name, ms: Date.now() - wallFrom, wall: { from: wallFrom, to: Date.now() }, mono: { from: monoFrom, to: mono() } };
}

function sqlCosts(file: string, phase: Phase, units: number) {
  const by = new Map<string, { count: number; ms: number }>();
  let statements = 0;
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as { at: number; ms: number; sql: string };
    if (e.at < phase.wall.from || e.at > phase.wall.to) continue;
    const k = sqlShape(e.sql);
    const v = by.get(k) ?? { count: 0, ms: 0 };
    v.count++;
    v.ms += e.ms ?? 0;
    by.set(k, v);
    statements++;
    total += e.ms ?? 0;
  }
  const top = [...by.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 10)
    .map(([statement, v]) => ({ perUnit: round(v.count / units, 2), msPerUnit: round(v.ms / units, 2), statement }));
  return { statementsPerUnit: round(statements / units, 1), sqlMsPerUnit: round(total / units, 2), top };
}

/** Self time per function and per package, and our own functions' inclusive time, within the window. */
function cpuCosts(profile: CpuProfile, phase: Phase) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (BigInt(Math.round(t)) < phase.mono.from || BigInt(Math.round(t)) > phase.mono.to) continue;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + dt);
    total += dt;
  }
  const fileOf = (id: number) => frameOf(nodes.get(id)!.callFrame).file;
  const nameOf = (id: number) => frameOf(nodes.get(id)!.callFrame).name;
  const fns = new Map<string, number>();
  const packages = new Map<string, number>();
  const ours = new Map<string, number>();
  for (const [id, us] of self) {
    const { pkg } = frameOf(nodes.get(id)!.callFrame);
    fns.set(nameOf(id), (fns.get(nameOf(id)) ?? 0) + us);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    // Inclusive time of our own code (server/, contracts/): each function once per sample's stack.
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const file = fileOf(n);
      if (!/^(server|contracts|jobs)\//.test(file)) continue;
      const name = nameOf(n);
      if (seen.has(name)) continue;
      seen.add(name);
      ours.set(name, (ours.get(name) ?? 0) + us);
    }
  }
  const busy = total - (packages.get('(idle)') ?? 0);
  const top = (m: Map<string, number>, n = 10) =>
    [...m.entries()]
      .filter(([k]) => !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([what, us]) => ({ what, ms: round(us / 1000, 0), shareOfBusy: `${round((100 * us) / Math.max(busy, 1), 1)} %` }));
  return { busyMs: round(busy / 1000, 0), idleMs: round((total - busy) / 1000, 0), functions: top(fns), packages: top(packages), ourInclusive: top(ours, 25) };
}

async function main() {
  const db = await freshDatabase(KIND);
  const dir = path.join(os.tmpdir(), `commercecore-profile-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const sqlLog = path.join(dir, 'sql.log');
  const web = await startProcess('server/main.ts', { ...db.env, PORT: '0', LOGIN_RATE_LIMIT: '1000', SQL_LOG: sqlLog }, /Console: http/, 60_000, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  let phases: Phase[];
  try {
    const api = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
    const bearer = api.withToken((await api.post('/api/auth/tokens', { name: 'profile' })).body.token);
    const s = await seed(api);
    const warm = await createAndConfirm(bearer, s, 50, CONCURRENCY);
    await invoiceAndPost(bearer, warm, CONCURRENCY);
    let ids: number[] = [];
    const orders = await timed('create + confirm', async () => (ids = await createAndConfirm(bearer, s, ORDERS, CONCURRENCY)));
    const invoices = await timed('invoice + post', () => invoiceAndPost(bearer, ids, CONCURRENCY));
    // One more order alone, to list its statements in the order they run.
    const single = await timed('one order', async () => invoiceAndPost(bearer, await createAndConfirm(bearer, s, 1, 1), 1));
    phases = [orders, invoices, single];
  } finally {
    await web.stop();
    await db.drop();
  }
  // The main thread's profile is the largest (tsx's worker thread writes one too).
  const profileFile = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0];
  if (!profileFile) throw new Error(`no CPU profile was written in ${dir}`);
  const profile = JSON.parse(readFileSync(path.join(dir, profileFile), 'utf8')) as CpuProfile;
  const [one] = phases.splice(2, 1);
  const trace = readFileSync(sqlLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { at: number; ms: number; sql: string })
    .filter((e) => e.at >= one!.wall.from && e.at <= one!.wall.to)
    .map((e) => `${String(e.ms).padStart(4)} ms  ${sqlShape(e.sql)}`);
  const report = {
    db: KIND,
    orders: ORDERS,
    concurrency: CONCURRENCY,
    oneOrderStatements: trace,
    phases: phases.map((p) => ({
      phase: p.name,
      perSecond: round(ORDERS / (p.ms / 1000), 1),
      sql: sqlCosts(sqlLog, p, ORDERS),
      cpu: cpuCosts(profile, p),
    })),
  };
  rmSync(sqlLog, { force: true });
  const kept = saveResults(`profile-${KIND}`, report);
  for (const p of report.phases) {
    console.log(
      `\n${p.phase} on ${KIND}: ${p.perSecond} orders/s; ${p.sql.statementsPerUnit} SQL statements and ${p.sql.sqlMsPerUnit} ms of SQL per order; CPU busy ${p.cpu.busyMs} ms, idle ${p.cpu.idleMs} ms`,
    );
    console.log('Top ten statements by time (per order)');
    console.table(p.sql.top);
    console.log('Top ten functions by self time');
    console.table(p.cpu.functions);
    console.log('By package');
    console.table(p.cpu.packages);
    console.log('Our functions, inclusive time (what they and what they call cost)');
    console.table(p.cpu.ourInclusive);
  }
  console.log(`One order created, confirmed, invoiced and posted, statement by statement (${trace.length}):\n${trace.join('\n')}`);
  console.log(
    `Written to bench/results/latest-profile-${KIND}.json and ${kept}; the CPU profile is ${path.join(dir, profileFile)} (open it in Chrome's DevTools)`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
