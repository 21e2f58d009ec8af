import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeShopifyExport } from '../test/factories/csv';
import { ApiClient } from '../test/support/client';
import { freshDatabase } from '../test/support/env';
import { portOf, startProcess } from '../test/support/processes';
import { round } from './common';
import { frameOf, sqlShape, type CpuProfile } from './profile-common';

// npm run profile:import [-- --orders 10000]
// Where a CSV import spends its time on MariaDB through Bull: a worker process of its own runs the
// import-orders job under node --cpu-prof with SQL_LOG; prints the top functions and packages by self
// time within the job (from its first statement to its last), and the statements per chunk.

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const ORDERS = Number(arg('orders', '10000'));
const SKUS = ['BENCH-CSV-1', 'BENCH-CSV-2', 'BENCH-CSV-3', 'BENCH-CSV-4', 'BENCH-CSV-5'];

type Entry = { at: number; ms: number; sql: string };
function selfTimes(profile: CpuProfile, from: number, to: number) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const fns = new Map<string, number>();
  const packages = new Map<string, number>();
  let t = profile.startTime;
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from || t > to) continue;
    const f = nodes.get(profile.samples[i]!)!.callFrame;
    if (f.functionName === '(idle)') continue;
    busy += dt;
    const { name, pkg } = frameOf(f);
    fns.set(name, (fns.get(name) ?? 0) + dt);
    packages.set(pkg, (packages.get(pkg) ?? 0) + dt);
  }
  const top = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([what, us]) => ({ what, ms: round(us / 1000, 0), share: `${round((100 * us) / Math.max(busy, 1), 1)} %` }));
  return { busyMs: round(busy / 1000, 0), functions: top(fns), packages: top(packages) };
}

async function main() {
  const db = await freshDatabase('mysql');
  const dir = path.join(os.tmpdir(), `commercecore-profile-import-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const sqlLog = path.join(dir, 'sql.log');
  const file = path.join(dir, 'orders.csv');
  const web = await startProcess('server/main.ts', { ...db.env, PORT: '0', LOGIN_RATE_LIMIT: '1000' }, /Console: http/);
  let seconds = 0;
  try {
    const api = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
    for (const sku of SKUS) await api.post('/api/products', { sku, name: sku, type: 'consumable', listPrice: 999 });
    await writeShopifyExport(file, { first: 0, count: ORDERS, skus: SKUS });
    const worker = await startProcess('jobs/worker.ts', { ...db.env, SQL_LOG: sqlLog }, /worker is processing jobs/, 60_000, [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
    ]);
    try {
      const form = new FormData();
      form.append('profile', 'shopify');
      form.append('file', await openAsBlob(file, { type: 'text/csv' }), 'orders.csv');
      const started = performance.now();
      const upload = await api.request<{ jobId: string }>('POST', '/api/imports', form);
      let status;
      for (;;) {
        status = (await api.get(`/api/imports/${upload.body.jobId}`)).body;
        if (status.state === 'completed' || status.state === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      seconds = (performance.now() - started) / 1000;
      if (status.created !== ORDERS) throw new Error(JSON.stringify(status).slice(0, 400));
    } finally {
      await worker.stop();
    }
  } finally {
    await web.stop();
    await db.drop();
  }
  const entries = readFileSync(sqlLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry);
  // The job: from the channel's lock of its first chunk to the last statement.
  const job = entries.filter((e) => e.at >= (entries.find((x) => /FOR UPDATE/.test(x.sql))?.at ?? 0));
  const chunks = job.filter((e) => /^Executed \([^)]*\): START TRANSACTION/.test(e.sql) || /START TRANSACTION/.test(e.sql)).length;
  const by = new Map<string, { count: number; ms: number }>();
  for (const e of job) {
    const k = sqlShape(e.sql, 140);
    const v = by.get(k) ?? { count: 0, ms: 0 };
    v.count++;
    v.ms += e.ms ?? 0;
    by.set(k, v);
  }
  const statements = [...by.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([statement, v]) => ({ perChunk: round(v.count / Math.max(chunks, 1), 2), ms: round(v.ms, 0), statement }));
  const profileFile = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0]!;
  const profile = JSON.parse(readFileSync(path.join(dir, profileFile), 'utf8')) as CpuProfile;
  // Profile samples are stamped with the monotonic clock; the job's window is taken from the SQL log's wall clock.
  const end = profile.startTime + profile.timeDeltas.reduce((s, d) => s + d, 0);
  const wallEnd = statSync(path.join(dir, profileFile)).mtimeMs;
  const toMono = (wall: number) => end - (wallEnd - wall) * 1000;
  const cpu = selfTimes(profile, toMono(job[0]!.at), toMono(job.at(-1)!.at));
  const whole = selfTimes(profile, profile.startTime, end);
  console.log(
    `${ORDERS} orders through Bull in ${round(seconds, 1)} s; ${chunks} chunks, ${job.length} statements (${round(job.length / Math.max(chunks, 1), 1)} per chunk), SQL ${round(job.reduce((s, e) => s + (e.ms ?? 0), 0) / 1000, 1)} s`,
  );
  console.table(statements.slice(0, 25));
  console.log(`Worker CPU within the job: busy ${cpu.busyMs} ms (whole life ${whole.busyMs} ms)`);
  console.table(cpu.functions);
  console.table(cpu.packages);
  console.log(`Profile: ${path.join(dir, profileFile)}`);
  rmSync(file, { force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
