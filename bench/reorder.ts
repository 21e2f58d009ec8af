import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import sqlite3 from 'sqlite3';
import { BullQueues } from '../jobs/bull-queues';
import { ApiClient } from '../test/support/client';
import { freshDatabase, type TestDb } from '../test/support/env';
import { portOf, startProcess, type Proc } from '../test/support/processes';
import { round } from './common';

// The reorder scheduler over a large catalog: N storable products, each with a vendor, stock in WH/Stock,
// a reorder rule, and for some of them open deliveries (written with raw SQL). Timed: a full scan of
// every rule as the scheduler runs it (services mode: the `reorder` job in a worker process of its own;
// embedded mode: POST /api/replenishment/run in the web process, which runs the jobs there), twice: the
// first orders what is below its minimum, the second finds it ordered (RFQ lines count as incoming) and
// orders nothing. Baseline, same run and database: one raw SQL query computing the same forecasts of
// every rule (on hand + incoming moves + draft/sent RFQ lines − outgoing moves) and which are below min.
// Memory: the resident memory of the process running the scan, before, at its peak and after each scan.

type Kind = 'sqlite' | 'mysql';
type Raw = { exec(sql: string, params: unknown[]): Promise<void>; all<T>(sql: string, params: unknown[]): Promise<T[]>; close(): Promise<void> };

const VENDORS = 50;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sqlNow = (kind: Kind) => (kind === 'mysql' ? new Date() : new Date().toISOString().replace('T', ' ').replace('Z', ' +00:00'));

async function rawConnection(db: TestDb, kind: Kind): Promise<Raw> {
  if (kind === 'mysql') {
    const conn = await mysql.createConnection({ uri: db.env.DATABASE_URL });
    return {
      exec: async (sql, params) => void (await conn.query(sql, params)),
      all: async <T>(sql: string, params: unknown[]) => (await conn.query(sql, params))[0] as T[],
      close: () => conn.end(),
    };
  }
  const conn = new sqlite3.Database(db.env.DATABASE_URL!.slice('sqlite:'.length));
  conn.configure('busyTimeout', 10_000);
  return {
    exec: (sql, params) => new Promise((resolve, reject) => conn.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve()))),
    all: <T>(sql: string, params: unknown[]) =>
      new Promise<T[]>((resolve, reject) => conn.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)))),
    close: () => new Promise((resolve) => conn.close(() => resolve())),
  };
}

/** Rows inserted 1,000 per statement. */
async function insert(raw: Raw, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000);
    const one = `(${columns.map(() => '?').join(', ')})`;
    await raw.exec(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${batch.map(() => one).join(', ')}`, batch.flat());
  }
}

/**
 * The catalog: every product 50 on hand with a rule min 5, max 60, multiple 10, bought from one of 50
 * vendors (50 consecutive products each); every 7th has deliveries of 30 open (forecast 20, fine); every
 * 50th deliveries of 48 (forecast 2: below its minimum, so 2% of the rules order, 4 lines per vendor).
 */
async function seed(api: ApiClient, raw: Raw, kind: Kind, products: number): Promise<void> {
  const now = sqlNow(kind);
  const vendorIds: number[] = [];
  for (let v = 0; v < VENDORS; v++) {
    const res = await api.post('/api/partners', { name: `Bench vendor ${v}`, email: `vendor${v}@example.com`, roles: ['vendor'] });
    vendorIds.push(res.body.id);
  }
  const locations = (await api.get('/api/locations?limit=500')).body.items as { id: number; kind: string; warehouseId: number | null; isReturns: boolean }[];
  const stock = locations.find((l) => l.kind === 'internal' && l.warehouseId === 1 && !l.isReturns)!.id;
  const customers = locations.find((l) => l.kind === 'customer')!.id;
  const first = 2_000_000;
  const ids = Array.from({ length: products }, (_, i) => first + i);
  await insert(
    raw,
    'products',
    ['id', 'sku', 'name', 'type', 'listPrice', 'cost', 'taxIds', 'invoicePolicy', 'routes', 'active', 'version', 'createdAt', 'updatedAt'],
    ids.map((id) => [id, `RR-${id}`, `Reordered product ${id}`, 'storable', 1500, 700, '[]', 'order', '[]', 1, 0, now, now]),
  );
  await insert(
    raw,
    'product_vendors',
    ['productId', 'partnerId', 'sequence', 'price', 'minQty', 'leadDays'],
    ids.map((id, i) => [id, vendorIds[Math.floor(i / 50) % VENDORS], 0, 600, 1, 3]),
  );
  await insert(
    raw,
    'stock_quants',
    ['productId', 'locationId', 'quantity', 'reservedQuantity', 'createdAt', 'updatedAt'],
    ids.map((id) => [id, stock, 50, 0, now, now]),
  );
  const demand = ids.flatMap((id, i) => (i % 50 === 0 ? [[id, 48]] : i % 7 === 0 ? [[id, 30]] : []));
  await insert(
    raw,
    'stock_moves',
    ['productId', 'description', 'quantity', 'fromLocationId', 'toLocationId', 'state', 'createdAt', 'updatedAt'],
    demand.map(([id, qty]) => [id, 'Bench delivery', qty, stock, customers, 'confirmed', now, now]),
  );
  await insert(
    raw,
    'reorder_rules',
    ['productId', 'warehouseId', 'min', 'max', 'multiple', 'active', 'version', 'createdAt', 'updatedAt'],
    ids.map((id) => [id, 1, 5, 60, 10, 1, 0, now, now]),
  );
}

/** The raw baseline: every rule's forecast in one query, and how many are below their minimum (the median of 5 runs). */
async function rawForecasts(raw: Raw, stock: number): Promise<{ seconds: number; below: number }> {
  const runs: { seconds: number; below: number }[] = [];
  for (let i = 0; i < 5; i++) runs.push(await rawForecastsOnce(raw, stock));
  return runs.sort((a, b) => a.seconds - b.seconds)[2]!;
}

async function rawForecastsOnce(raw: Raw, stock: number): Promise<{ seconds: number; below: number }> {
  const started = performance.now();
  const rows = await raw.all<{ below: number | string }>(
    `SELECT SUM(CASE WHEN f.forecast < r.min THEN 1 ELSE 0 END) AS below FROM reorder_rules r JOIN (
       SELECT r2.id, COALESCE(q.qty, 0) + COALESCE(i.qty, 0) + COALESCE(p.qty, 0) - COALESCE(o.qty, 0) AS forecast FROM reorder_rules r2
       LEFT JOIN (SELECT productId, SUM(quantity) AS qty FROM stock_quants WHERE locationId = ? GROUP BY productId) q ON q.productId = r2.productId
       LEFT JOIN (SELECT productId, SUM(quantity) AS qty FROM stock_moves WHERE state IN ('confirmed', 'partially_available', 'assigned', 'waiting')
                    AND toLocationId = ? AND fromLocationId <> ? GROUP BY productId) i ON i.productId = r2.productId
       LEFT JOIN (SELECT productId, SUM(quantity) AS qty FROM stock_moves WHERE state IN ('confirmed', 'partially_available', 'assigned', 'waiting')
                    AND fromLocationId = ? AND toLocationId <> ? GROUP BY productId) o ON o.productId = r2.productId
       LEFT JOIN (SELECT l.productId, SUM(l.quantity) AS qty FROM purchase_order_lines l JOIN purchase_orders po ON po.id = l.orderId
                    WHERE po.state IN ('draft', 'sent') AND po.warehouseId = 1 AND po.dropshipAddress IS NULL GROUP BY l.productId) p ON p.productId = r2.productId
       WHERE r2.active = 1 AND r2.warehouseId = 1
     ) f ON f.id = r.id`,
    [stock, stock, stock, stock, stock],
  );
  return { seconds: (performance.now() - started) / 1000, below: Number(rows[0]?.below ?? 0) };
}

type Scan = { seconds: number; ordered: number; rssBeforeMb: number; rssPeakMb: number; rssAfterMb: number };

/** Runs one full scan and samples the resident memory of the process running it. */
async function timedScan(pid: number, run: () => Promise<number>): Promise<Scan> {
  const rssBeforeMb = rssMb(pid);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rssMb(pid))), 50);
  const started = performance.now();
  const ordered = await run().finally(() => clearInterval(sampler));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, ordered, rssBeforeMb: round(rssBeforeMb, 1), rssPeakMb: round(Math.max(rssPeakMb, rssMb(pid)), 1), rssAfterMb: round(rssMb(pid), 1) };
}

export async function benchReorder(kind: Kind, products: number) {
  const db = await freshDatabase(kind);
  let web: Proc | undefined;
  let worker: Proc | undefined;
  let queues: BullQueues | undefined;
  let raw: Raw | undefined;
  try {
    // The scans are timed alone: no scan on a timer, no check after a stock change is waiting.
    const env = { ...db.env, PORT: '0', LOGIN_RATE_LIMIT: '1000', REORDER_INTERVAL_MINUTES: '0' };
    web = await startProcess('server/main.ts', env, /Console: http/);
    // The database exists once the web process has migrated it (MariaDB: created on start).
    raw = await rawConnection(db, kind);
    const api = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
    await seed(api, raw, kind, products);
    const stock = (await raw.all<{ id: number }>("SELECT id FROM locations WHERE warehouseId = 1 AND kind = 'internal' AND isReturns = 0 ORDER BY id", []))[0]!
      .id;
    let scan: () => Promise<number>;
    let pid: number;
    if (kind === 'mysql') {
      worker = await startProcess('jobs/worker.ts', env, /worker is processing jobs/);
      pid = worker.child.pid!;
      queues = new BullQueues(db.env.REDIS_URL!, db.env.REDIS_PREFIX!);
      let n = 0;
      scan = async () => {
        const id = await queues!.enqueue('reorder', {}, { jobId: `bench-scan-${++n}`, attempts: 1 });
        for (;;) {
          const job = await queues!.get(id);
          if (job?.state === 'completed') return (job.result as { purchaseOrderIds: number[] }).purchaseOrderIds.length;
          if (job?.state === 'failed') throw new Error(`reorder scan failed: ${job.failedReason}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
    } else {
      pid = web.child.pid!;
      scan = async () => {
        const res = await api.post('/api/replenishment/run');
        if (res.status !== 200) throw new Error(`run failed: ${JSON.stringify(res.body)}`);
        return (res.body.purchaseOrderIds as number[]).length;
      };
    }
    await new Promise((r) => setTimeout(r, 500));
    const baselineBefore = await rawForecasts(raw, stock);
    const first = await timedScan(pid, scan);
    const baselineAfter = await rawForecasts(raw, stock);
    const second = await timedScan(pid, scan);
    if (baselineAfter.below !== 0) throw new Error(`${baselineAfter.below} rules still below their minimum after the first scan`);
    if (second.ordered !== 0) throw new Error(`the second scan filled ${second.ordered} RFQs: it should find everything ordered`);
    const rawSeconds = (baselineBefore.seconds + baselineAfter.seconds) / 2;
    return {
      db: kind,
      rules: products,
      belowMin: baselineBefore.below,
      rfqsFilled: first.ordered,
      firstScanSeconds: round(first.seconds),
      rulesPerSecond: Math.round(products / first.seconds),
      secondScanRulesPerSecond: Math.round(products / second.seconds),
      rawSqlRulesPerSecond: Math.round(products / rawSeconds),
      ratio: round(rawSeconds / first.seconds, 3),
      secondScanRatio: round(rawSeconds / second.seconds, 3),
      rssBeforeMb: first.rssBeforeMb,
      rssPeakMb: Math.max(first.rssPeakMb, second.rssPeakMb),
      rssAfterFirstMb: first.rssAfterMb,
      rssAfterSecondMb: second.rssAfterMb,
    };
  } finally {
    await raw?.close();
    await queues?.close();
    await worker?.stop();
    await web?.stop();
    await db.drop();
  }
}
