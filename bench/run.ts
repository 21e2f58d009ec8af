import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import sqlite3 from 'sqlite3';
import { io as ioClient, type Socket } from 'socket.io-client';
import { openAsBlob } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { ApiClient } from '../test/support/client';
import { writeShopifyExport } from '../test/factories/csv';
import { loadConfig } from '../server/config';
import { freshDatabase, type TestDb } from '../test/support/env';
import { portOf, startProcess, type Proc } from '../test/support/processes';
import { createAndConfirm, invoiceAndPost, pct, pool, round, saveResults, seed, type Seed } from './common';
import { benchFanout, profileFanout } from './fanout';
import { mtoOrders } from './mto-orders';
import { benchReorder } from './reorder';
import { benchBoard } from './board-scale';

// npm run bench [-- --db sqlite|mysql|both] [--orders N] [--sockets N] [--changes N] [--import-orders 10000,100000] [--import-chunk N] [--reorder-products N] [--board-orders N] [--list-rows N] [--board-results NAME] [--only orders|imports|mto|reorder|board|fanout]
//   [--fanout-sockets 5000] [--fanout-nodes 2] [--fanout-clients 4] [--fanout-users N] [--fanout-profile DIR: the app alone, CPU profiles of its web processes]
// Every figure comes with a baseline measured in the same run on the same machine, since absolute
// numbers on shared machines mean little: a raw-SQL insert of the same rows, and a bare Socket.IO server.

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const ORDERS = Number(arg('orders', '300'));
const SOCKETS = Number(arg('sockets', '200'));
const CHANGES = Number(arg('changes', '40'));
const CONCURRENCY = Number(arg('concurrency', '8'));
const EXPORT_ROWS = arg('export-rows', '10000,100000').split(',').map(Number);
const ONLY = arg('only', 'all') as 'all' | 'orders' | 'imports' | 'mto' | 'reorder' | 'board' | 'fanout';
const BOARD_ORDERS = Number(arg('board-orders', '1000000'));
// Purchase orders, transfers and invoices (each) the board bench adds to its database; 0: the board alone.
const LIST_ROWS = Number(arg('list-rows', String(BOARD_ORDERS)));
// Where --only board writes (latest-<name>.json): a run at another size need not replace the board's figures of record.
const BOARD_RESULTS = arg('board-results', 'board');
const FANOUT_SOCKETS = Number(arg('fanout-sockets', '5000'));
const FANOUT_OPTIONS = {
  sockets: FANOUT_SOCKETS,
  nodes: Number(arg('fanout-nodes', '2')),
  changes: CHANGES,
  clients: Number(arg('fanout-clients', '4')),
  // 100 sockets per user (the per-user socket limit is raised to fit): each user costs the run two
  // password hashes (created, signed in), which take seconds on a loaded machine.
  users: Number(arg('fanout-users', String(Math.ceil(FANOUT_SOCKETS / 100)))),
  warmup: 5,
  lostAfterMs: 10_000,
  profileDir: process.argv.includes('--fanout-profile') ? path.resolve(arg('fanout-profile', 'bench/results/profiles')) : undefined,
};
const REORDER_PRODUCTS = Number(arg('reorder-products', '10000'));
const IMPORT_ORDERS = arg('import-orders', '10000,100000').split(',').map(Number);
// The import's chunk (IMPORT_CHUNK_ORDERS of the worker, and of the raw baseline): its default unless given.
const IMPORT_CHUNK = arg('import-chunk', '');
const DBS = arg('db', 'both') === 'both' ? (['sqlite', 'mysql'] as const) : ([arg('db', 'sqlite')] as ('sqlite' | 'mysql')[]);

/** Orders per second created and confirmed through the API (3 lines each, two taxes per line). */
async function apiOrders(api: ApiClient, s: Seed): Promise<number> {
  const started = performance.now();
  await createAndConfirm(api, s, ORDERS, CONCURRENCY);
  return ORDERS / ((performance.now() - started) / 1000);
}

/**
 * Invoices per second: one click on a confirmed order (the draft, the order's invoiced quantities)
 * then posting it (gapless number under the sequence's row lock, the balanced entry, tracking).
 */
async function apiInvoices(api: ApiClient): Promise<number> {
  const orders = (await api.get(`/api/sale-orders?state=sale&invoiceStatus=to_invoice&limit=${ORDERS}`)).body.items as { id: number }[];
  if (orders.length < ORDERS) throw new Error(`only ${orders.length} orders to invoice`);
  const started = performance.now();
  await invoiceAndPost(
    api,
    orders.map((o) => o.id),
    CONCURRENCY,
  );
  return ORDERS / ((performance.now() - started) / 1000);
}

type Exec = (sql: string, params: unknown[]) => Promise<number>;

// A timestamp as each database stores it for Sequelize (SQLite keeps text).
const sqlNow = (kind: 'sqlite' | 'mysql') => (kind === 'mysql' ? new Date() : new Date().toISOString().replace('T', ' ').replace('Z', ' +00:00'));

/** The baseline: the same rows (order + 3 lines, then the state update) written with raw SQL, one transaction per order. */
async function rawOrders(db: TestDb, kind: 'sqlite' | 'mysql', s: Seed): Promise<number> {
  const now = sqlNow(kind);
  const orderSql =
    'INSERT INTO sale_orders (name, partnerId, warehouseId, needsAttention, dateOrder, state, invoiceStatus, deliveryStatus, amountUntaxed, amountTax, amountTotal, currency, version, createdAt, updatedAt) VALUES (?, ?, 1, 0, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)';
  const lineSql =
    'INSERT INTO sale_order_lines (orderId, sequence, productId, description, quantity, unitPrice, discount, taxIds, subtotal, amountTax, total, qtyDelivered, qtyInvoiced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)';
  const confirmSql = "UPDATE sale_orders SET state = 'sale', invoiceStatus = 'to_invoice', version = version + 1, updatedAt = ? WHERE id = ?";
  const followerSql = 'INSERT INTO followers (model, resId, userId, partnerId, muted, followerKey, createdAt) VALUES (?, ?, ?, ?, 0, ?, ?)';
  const messageSql = 'INSERT INTO messages (model, resId, type, body, authorId, authorPartnerId, tracking, createdAt) VALUES (?, ?, ?, ?, 1, NULL, ?, ?)';
  const outboxSql =
    'INSERT INTO mail_outbox (`key`, toAddress, fromAddress, replyTo, subject, html, text, messageIdHeader, model, resId, chatterMessageId, attachmentIds, status, attempts, sends, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?)';
  const html = '<p>Hello,</p><p>Thank you for your order: it is confirmed.</p>'.repeat(8);
  // The rows the API writes: the order and its lines, the creator and the customer as followers; on
  // confirmation the state, the tracking note, the confirmation email as a chatter message and its outbox row.
  const one = async (exec: Exec, begin: () => Promise<void>, commit: () => Promise<void>, i: number) => {
    await begin();
    const name = `R${String(i).padStart(6, '0')}`;
    const id = await exec(orderSql, [name, s.partnerId, now, 'draft', 'no', 'pending', 10000, 2050, 12050, 'EUR', now, now]);
    for (let k = 0; k < 3; k++) await exec(lineSql, [id, k, s.productIds[k]!, 'raw line', 1 + k, 1999, 0, JSON.stringify(s.taxIds), 1999, 410, 2409]);
    await exec(followerSql, ['saleOrder', id, 1, null, 'u:1', now]);
    await exec(followerSql, ['saleOrder', id, null, s.partnerId, `p:${s.partnerId}`, now]);
    await commit();
    await begin();
    await exec(confirmSql, [now, id]);
    await exec(messageSql, ['saleOrder', id, 'tracking', '', JSON.stringify([{ field: 'state', oldValue: 'draft', newValue: 'sale' }]), now]);
    const messageId = await exec(messageSql, ['saleOrder', id, 'comment', html, null, now]);
    await exec(outboxSql, [
      `saleOrder:${id}:sale:message:${messageId}`,
      'Bench customer <bench@example.com>',
      'orders@localhost',
      `order+${id}@localhost`,
      `order confirmation ${name}`,
      html,
      html.replace(/<[^>]+>/g, ''),
      `<${id}.${messageId}@localhost>`,
      'saleOrder',
      id,
      messageId,
      '[]',
      'queued',
      now,
      now,
    ]);
    await commit();
  };
  const started = performance.now();
  if (kind === 'mysql') {
    const pool_ = mysql.createPool({ uri: db.env.DATABASE_URL, connectionLimit: CONCURRENCY });
    await pool(ORDERS, CONCURRENCY, async (i) => {
      const conn = await pool_.getConnection();
      try {
        const exec: Exec = async (sql, params) => ((await conn.execute(sql, params as never[]))[0] as { insertId: number }).insertId;
        await one(
          exec,
          () => conn.beginTransaction(),
          () => conn.commit(),
          i,
        );
      } finally {
        conn.release();
      }
    });
    await pool_.end();
  } else {
    const file = db.env.DATABASE_URL!.slice('sqlite:'.length);
    const conn = new sqlite3.Database(file);
    conn.configure('busyTimeout', 10_000);
    const run = (sql: string, params: unknown[] = []) =>
      new Promise<number>((resolve, reject) =>
        conn.run(sql, params, function (this: { lastID: number }, err: Error | null) {
          if (err) reject(err);
          else resolve(this.lastID);
        }),
      );
    // SQLite has one writer: the raw baseline runs its transactions one after another.
    for (let i = 0; i < ORDERS; i++) {
      await one(
        run,
        async () => void (await run('BEGIN IMMEDIATE')),
        async () => void (await run('COMMIT')),
        i,
      );
    }
    await new Promise((r) => conn.close(r));
  }
  return ORDERS / ((performance.now() - started) / 1000);
}

async function connectMany(url: string, cookie: string | undefined, n: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, async () => {
        const s = ioClient(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...(cookie && { extraHeaders: { cookie } }) });
        await new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', reject);
        });
        return s;
      }),
    );
    sockets.push(...batch);
  }
  return sockets;
}

/** Milliseconds from sending the REST change to each of the sockets receiving order.updated. */
async function appFanout(api: ApiClient, s: Seed): Promise<number[]> {
  const sockets = await connectMany(api.baseUrl, api.cookie, SOCKETS);
  await Promise.all(sockets.map((sk) => new Promise((r) => sk.emit('subscribe', { room: 'board:orders' }, r))));
  const created = await api.post('/api/sale-orders', { partnerId: s.partnerId, lines: [{ productId: s.productIds[0]!, quantity: 1 }] });
  let version = created.body.version as number;
  const samples: number[] = [];
  for (let c = 0; c < CHANGES; c++) {
    const target = version + 1;
    const t0 = performance.now();
    const all = Promise.all(
      sockets.map(
        (sk) =>
          new Promise<void>((resolve) => {
            const h = (e: { id: number; version: number }) => {
              if (e.id !== created.body.id || e.version !== target) return;
              samples.push(performance.now() - t0);
              sk.off('order.updated', h);
              resolve();
            };
            sk.on('order.updated', h);
          }),
      ),
    );
    const res = await api.patch(`/api/sale-orders/${created.body.id}`, { version, note: `change ${c}` });
    if (res.status !== 200) throw new Error(`patch failed: ${JSON.stringify(res.body)}`);
    version = res.body.version;
    await all;
  }
  sockets.forEach((sk) => sk.disconnect());
  return samples;
}

/** The same fan-out on a bare Socket.IO server: from the trigger to each socket receiving the broadcast. */
async function bareFanout(): Promise<number[]> {
  const bare = await startProcess('bench/bare-socketio.ts', {}, /listening on localhost:\d+/);
  try {
    const url = `http://127.0.0.1:${portOf(bare.output())}`;
    const sockets = await connectMany(url, undefined, SOCKETS);
    await new Promise((r) => setTimeout(r, 200));
    const samples: number[] = [];
    for (let c = 0; c < CHANGES; c++) {
      const t0 = performance.now();
      const all = Promise.all(
        sockets.map(
          (sk) =>
            new Promise<void>((resolve) => {
              const h = (e: { seq: number }) => {
                if (e.seq !== c) return;
                samples.push(performance.now() - t0);
                sk.off('tick', h);
                resolve();
              };
              sk.on('tick', h);
            }),
        ),
      );
      sockets[0]!.emit('trigger', { seq: c });
      await all;
    }
    sockets.forEach((sk) => sk.disconnect());
    return samples;
  } finally {
    await bare.stop();
  }
}

/** A plain connection of the bench's own, for writing rows without the application. */
async function rawConnection(db: TestDb, kind: 'sqlite' | 'mysql') {
  if (kind === 'mysql') {
    const conn = await mysql.createConnection({ uri: db.env.DATABASE_URL });
    return { exec: async (sql: string, params: unknown[]) => void (await conn.query(sql, params)), close: () => conn.end() };
  }
  const conn = new sqlite3.Database(db.env.DATABASE_URL!.slice('sqlite:'.length));
  conn.configure('busyTimeout', 10_000);
  return {
    exec: (sql: string, params: unknown[]) =>
      new Promise<void>((resolve, reject) => conn.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve()))),
    close: () => new Promise<void>((resolve) => conn.close(() => resolve())),
  };
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/**
 * The CSV export's memory: orders are added (1,000 per INSERT) up to each total, then the export job
 * runs while the web process's resident memory is sampled. Flat memory from 10k to 100k rows is the
 * point: the job streams keyset-paged batches to the file.
 */
async function exportMemory(api: ApiClient, db: TestDb, kind: 'sqlite' | 'mysql', s: Seed, pid: number) {
  const raw = await rawConnection(db, kind);
  const results = [];
  let have = 0;
  const now = sqlNow(kind);
  for (const total of EXPORT_ROWS) {
    for (; have < total; have += 1000) {
      const n = Math.min(1000, total - have);
      const rows = Array.from({ length: n }, (_, i) => [
        `E${String(have + i).padStart(7, '0')}`,
        s.partnerId,
        1,
        0,
        now,
        'sale',
        'to_invoice',
        'pending',
        10000,
        2050,
        12050,
        'EUR',
        1,
        now,
        now,
      ]);
      await raw.exec(
        `INSERT INTO sale_orders (name, partnerId, warehouseId, needsAttention, dateOrder, state, invoiceStatus, deliveryStatus, amountUntaxed, amountTax, amountTotal, currency, version, createdAt, updatedAt) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flat(),
      );
    }
    await new Promise((r) => setTimeout(r, 500));
    const before = rssMb(pid);
    let peak = before;
    const started = performance.now();
    const job = await api.post('/api/sale-orders/export', {});
    let status;
    for (;;) {
      peak = Math.max(peak, rssMb(pid));
      status = await api.get(`/api/jobs/${job.body.jobId}`);
      if (status.body.state === 'completed' || status.body.state === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (status.body.state !== 'completed') throw new Error(`export failed: ${status.body.failedReason}`);
    results.push({
      rows: status.body.result.rows,
      seconds: round((performance.now() - started) / 1000),
      rssBeforeMb: round(before, 1),
      rssPeakMb: round(peak, 1),
      rssGrowthMb: round(peak - before, 1),
    });
  }
  await raw.close();
  return results;
}

const CATALOG_PRODUCTS = Number(arg('catalog-products', '10000'));
const CATALOG_LOCATIONS = 10;

/**
 * Confirmations with reservation on a large catalog: CATALOG_PRODUCTS storable products, each with a
 * quant in CATALOG_LOCATIONS internal locations (100k quants by default; written with raw SQL, 1,000
 * rows per INSERT), then orders of 3 lines of random products created and confirmed through the API:
 * each confirmation creates its delivery and reserves under the quants' row locks.
 */
async function reservationOrders(
  api: ApiClient,
  db: TestDb,
  kind: 'sqlite' | 'mysql',
  s: Seed,
): Promise<{ products: number; quants: number; perSecond: number }> {
  const raw = await rawConnection(db, kind);
  const now = sqlNow(kind);
  const firstId = 1_000_000;
  for (let i = 0; i < CATALOG_PRODUCTS; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, CATALOG_PRODUCTS - i) }, (_, k) => {
      const id = firstId + i + k;
      return [id, `CAT-${id}`, `Catalog product ${id}`, 'storable', 1500, 700, JSON.stringify(s.taxIds), 'order', '[]', 1, 0, now, now];
    });
    await raw.exec(
      `INSERT INTO products (id, sku, name, type, listPrice, cost, taxIds, invoicePolicy, routes, active, version, createdAt, updatedAt) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
  }
  const locationIds = [1];
  for (let l = 1; l < CATALOG_LOCATIONS; l++) {
    const id = 1000 + l;
    await raw.exec('INSERT INTO locations (id, name, kind, warehouseId, isReturns, createdAt, updatedAt) VALUES (?, ?, ?, 1, 0, ?, ?)', [
      id,
      `WH/Shelf ${l}`,
      'internal',
      now,
      now,
    ]);
    locationIds.push(id);
  }
  for (const locationId of locationIds) {
    for (let i = 0; i < CATALOG_PRODUCTS; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, CATALOG_PRODUCTS - i) }, (_, k) => [firstId + i + k, locationId, 1000, 0, now, now]);
      await raw.exec(
        `INSERT INTO stock_quants (productId, locationId, quantity, reservedQuantity, createdAt, updatedAt) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flat(),
      );
    }
  }
  await raw.close();
  const random = (() => {
    let x = 7;
    return () => (x = (x * 48271) % 2147483647) / 2147483647;
  })();
  const order = async () => {
    const lines = [0, 1, 2].map(() => ({ productId: firstId + Math.floor(random() * CATALOG_PRODUCTS), quantity: 1 + Math.floor(random() * 3) }));
    const created = await api.post('/api/sale-orders', { partnerId: s.partnerId, lines });
    if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    const confirmed = await api.post(`/api/sale-orders/${created.body.id}/confirm`);
    if (confirmed.status !== 200) throw new Error(`confirm failed: ${JSON.stringify(confirmed.body)}`);
  };
  await pool(50, CONCURRENCY, order); // warm-up
  const started = performance.now();
  await pool(ORDERS, CONCURRENCY, order);
  return { products: CATALOG_PRODUCTS, quants: CATALOG_PRODUCTS * CATALOG_LOCATIONS, perSecond: ORDERS / ((performance.now() - started) / 1000) };
}

const IMPORT_SKUS = ['BENCH-CSV-1', 'BENCH-CSV-2', 'BENCH-CSV-3', 'BENCH-CSV-4', 'BENCH-CSV-5'];
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/**
 * The raw baseline of an import: the very rows it wrote (its orders, their lines, the customers as
 * followers: every column, read back untimed) written again with multi-row INSERTs, a chunk of orders
 * per transaction as the import takes them, each order under a new name and external id. Only the
 * INSERTs and their transactions are timed, so the same rows cost the same at 10k and at 100k.
 */
async function maxOrderId(db: TestDb): Promise<number> {
  const conn = await mysql.createConnection({ uri: db.env.DATABASE_URL });
  try {
    const [rows] = (await conn.query('SELECT COALESCE(MAX(id), 0) AS id FROM sale_orders')) as unknown as [{ id: number }[]];
    return Number(rows[0]!.id);
  } finally {
    await conn.end();
  }
}

async function rawImport(db: TestDb, importedFrom: number, count: number, chunk: number): Promise<number> {
  const conn = await mysql.createConnection({ uri: db.env.DATABASE_URL });
  type Row = Record<string, unknown>;
  const insert = async (table: string, rows: Row[]) => {
    if (!rows.length) return null;
    const columns = Object.keys(rows[0]!);
    const [res] = await conn.query(`INSERT INTO ${table} (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [rows.map((r) => columns.map((c) => r[c]))]);
    return (res as { insertId: number }).insertId;
  };
  let seconds = 0;
  let after = importedFrom;
  let copied = 0;
  try {
    while (copied < count) {
      const [orders] = (await conn.query('SELECT * FROM sale_orders WHERE id > ? ORDER BY id LIMIT ?', [
        after,
        Math.min(chunk, count - copied),
      ])) as unknown as [Row[]];
      if (!orders.length) throw new Error(`the raw baseline found ${copied} of the ${count} orders imported`);
      const ids = orders.map((o) => Number(o.id));
      after = ids.at(-1)!;
      const [lines] = (await conn.query('SELECT * FROM sale_order_lines WHERE orderId IN (?) ORDER BY id', [ids])) as unknown as [Row[]];
      const [followers] = (await conn.query("SELECT * FROM followers WHERE model = 'saleOrder' AND resId IN (?) ORDER BY id", [ids])) as unknown as [Row[]];
      const started = performance.now();
      await conn.beginTransaction();
      const first = await insert(
        'sale_orders',
        orders.map(({ id: _, ...o }) => ({ ...o, name: `R${String(o.name)}`, externalId: `raw-${String(o.externalId)}` })),
      );
      const newId = new Map(ids.map((id, i) => [id, first! + i]));
      await insert(
        'sale_order_lines',
        lines.map(({ id: _, ...l }) => ({ ...l, orderId: newId.get(Number(l.orderId)) })),
      );
      await insert(
        'followers',
        followers.map(({ id: _, ...f }) => ({ ...f, resId: newId.get(Number(f.resId)) })),
      );
      await conn.commit();
      seconds += (performance.now() - started) / 1000;
      copied += orders.length;
    }
    return seconds;
  } finally {
    await conn.end();
  }
}

/**
 * CSV imports on MariaDB through Bull, as users run them: a web process takes the upload (a Shopify
 * export of N orders, 3 lines each), a worker process of its own per file runs the import-orders job;
 * timed from the upload to the job's completion, with the worker's peak resident memory (VmHWM).
 * Each file is followed by the raw baseline of the same orders on the same database.
 */
async function importThroughBull() {
  const db = await freshDatabase('mysql');
  const web = await startProcess('server/main.ts', { ...db.env, PORT: '0', LOGIN_RATE_LIMIT: '1000' }, /Console: http/);
  const results = [];
  try {
    const api = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
    for (const sku of IMPORT_SKUS) await api.post('/api/products', { sku, name: sku, type: 'consumable', listPrice: 999 });
    const env = { ...db.env, ...(IMPORT_CHUNK && { IMPORT_CHUNK_ORDERS: IMPORT_CHUNK }) };
    const chunk = loadConfig(env).importChunkOrders;
    let first = 0;
    for (const count of IMPORT_ORDERS) {
      const file = path.join(os.tmpdir(), `commercecore-bench-import-${process.pid}-${count}.csv`);
      const { rows, bytes } = await writeShopifyExport(file, { first, count, skus: IMPORT_SKUS });
      const worker = await startProcess('jobs/worker.ts', env, /worker is processing jobs/);
      try {
        const pid = worker.child.pid!;
        await new Promise((r) => setTimeout(r, 500));
        const rssBefore = rssMb(pid);
        const lastOrderId = await maxOrderId(db);
        const started = performance.now();
        const form = new FormData();
        form.append('profile', 'shopify');
        form.append('file', await openAsBlob(file, { type: 'text/csv' }), 'orders.csv');
        const upload = await api.request<{ jobId: string }>('POST', '/api/imports', form);
        if (upload.status !== 202) throw new Error(`upload failed: ${JSON.stringify(upload.body)}`);
        let status;
        for (;;) {
          status = (await api.get(`/api/imports/${upload.body.jobId}`)).body;
          if (status.state === 'completed' || status.state === 'failed') break;
          await new Promise((r) => setTimeout(r, 250));
        }
        const seconds = (performance.now() - started) / 1000;
        if (status.state !== 'completed' || status.created !== count) throw new Error(`import of ${count} orders: ${JSON.stringify(status).slice(0, 500)}`);
        const peak = peakRssMb(pid);
        const rawSeconds = await rawImport(db, lastOrderId, count, chunk);
        results.push({
          orders: count,
          chunkOrders: chunk,
          lines: rows,
          fileMb: round(bytes / 1048576, 1),
          seconds: round(seconds, 1),
          linesPerSecond: Math.round(rows / seconds),
          rawLinesPerSecond: Math.round(rows / rawSeconds),
          ratio: round(rawSeconds / seconds, 3),
          workerRssBeforeMb: round(rssBefore, 1),
          workerRssPeakMb: round(peak, 1),
        });
      } finally {
        await worker.stop();
        await rm(file, { force: true });
      }
      first += count;
    }
    return results;
  } finally {
    await web.stop();
    await db.drop();
  }
}

/** The import's heap after GC, measured in a process of its own (see bench/import-memory.ts). */
function importHeap(orders: number, kind: 'sqlite' | 'mysql') {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, 'import-memory.ts'), String(orders), kind], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as {
    orders: number;
    lines: number;
    seconds: number;
    linesPerSecond: number;
    heapGrowthAfterGcMb: number[];
    maxHeapGrowthMb: number;
  };
}

async function benchDb(kind: 'sqlite' | 'mysql') {
  const db = await freshDatabase(kind);
  let web: Proc | undefined;
  try {
    // Every watching socket is the admin's: the per-user socket limit is lifted for the run.
    web = await startProcess('server/main.ts', { ...db.env, PORT: '0', LOGIN_RATE_LIMIT: '1000', SOCKETS_PER_USER: String(SOCKETS + 10) }, /Console: http/);
    const api = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
    const token = await api.post('/api/auth/tokens', { name: 'bench' });
    const bearer = api.withToken(token.body.token);
    const s = await seed(api);
    await apiOrders(bearer, s); // warm-up pass is not counted: JIT, connection pools, prepared statements
    const apiRate = await apiOrders(bearer, s);
    const rawRate = await rawOrders(db, kind, s);
    const mto = await mtoOrders(bearer, { orders: ORDERS, concurrency: CONCURRENCY, partnerId: s.partnerId, taxIds: s.taxIds });
    const invoiceRate = await apiInvoices(bearer);
    const reservation = await reservationOrders(bearer, db, kind, s);
    const app = await appFanout(api, s);
    // In services mode the export runs in a worker process; its memory is what is sampled there.
    const worker = kind === 'mysql' ? await startProcess('jobs/worker.ts', db.env, /worker is processing jobs/) : undefined;
    const exports = await exportMemory(api, db, kind, s, (worker ?? web).child.pid!).finally(() => worker?.stop());
    return {
      db: kind,
      orders: {
        count: ORDERS,
        concurrency: CONCURRENCY,
        apiPerSecond: round(apiRate, 1),
        rawSqlPerSecond: round(rawRate, 1),
        ratio: round(apiRate / rawRate, 3),
      },
      mto: mtoResult(mto, rawRate),
      invoices: {
        count: ORDERS,
        concurrency: CONCURRENCY,
        invoicedAndPostedPerSecond: round(invoiceRate, 1),
        rawSqlPerSecond: round(rawRate, 1),
        ratio: round(invoiceRate / rawRate, 3),
      },
      reservation: {
        ...reservation,
        perSecond: round(reservation.perSecond, 1),
        rawSqlPerSecond: round(rawRate, 1),
        ratio: round(reservation.perSecond / rawRate, 3),
      },
      fanout: { sockets: SOCKETS, changes: CHANGES, p50ms: round(pct(app, 50)), p99ms: round(pct(app, 99)) },
      exports,
    };
  } finally {
    await web?.stop();
    await db.drop();
  }
}

const mtoResult = (mto: Awaited<ReturnType<typeof mtoOrders>>, rawRate: number) => ({
  ...mto,
  perSecond: round(mto.perSecond, 1),
  rawSqlPerSecond: round(rawRate, 1),
  ratio: round(mto.perSecond / rawRate, 3),
});

/** `--only mto`: the make-to-order figure and the raw SQL baseline it is compared with, alone. */
async function benchMto(kind: 'sqlite' | 'mysql') {
  const db = await freshDatabase(kind);
  const web = await startProcess('server/main.ts', { ...db.env, PORT: '0', LOGIN_RATE_LIMIT: '1000' }, /Console: http/);
  try {
    const api = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
    const bearer = api.withToken((await api.post('/api/auth/tokens', { name: 'bench' })).body.token);
    const s = await seed(api);
    const mto = await mtoOrders(bearer, { orders: ORDERS, concurrency: CONCURRENCY, partnerId: s.partnerId, taxIds: s.taxIds });
    return { db: kind, mto: mtoResult(mto, await rawOrders(db, kind, s)) };
  } finally {
    await web.stop();
    await db.drop();
  }
}

/** The export's heap after GC, measured in a process of its own (see bench/export-memory.ts). */
function exportHeap(rows: number, kind: 'sqlite' | 'mysql'): { rows: number; seconds: number; heapGrowthAfterGcMb: number[]; maxHeapGrowthMb: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, 'export-memory.ts'), String(rows), kind], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function printBoard(board: Awaited<ReturnType<typeof benchBoard>>[]) {
  for (const b of board) {
    console.log(
      `The board at ${b.orders.toLocaleString('en')} orders on ${b.db} (loaded in ${b.loadSeconds} s): each request through the API, p50/p95 (ms); ratio: p50 over the raw SQL first page (${b.baselineP50ms} ms), same run`,
    );
    console.table(b.figures);
    for (const l of b.lists?.lists ?? []) {
      console.log(
        `The ${l.list} list at ${l.rows.toLocaleString('en')} rows on ${b.db} (the three lists loaded in ${b.lists!.loadSeconds} s): p50/p95 (ms); ratio: p50 over the raw SQL first page (${l.baselineP50ms} ms)`,
      );
      console.table(l.figures);
    }
  }
}

function printFanout(f: Awaited<ReturnType<typeof benchFanout>>) {
  console.log(
    `REST change → order.updated at ${f.sockets} sockets over ${f.nodes} web processes (MariaDB + Redis adapter; ${f.users} users, ${f.clients} client processes, clocks within ${f.clockSkewMs} ms) vs bare Socket.IO (ms)`,
  );
  console.table([
    { run: `app, ${f.nodes} nodes`, ...f.app },
    { run: `bare, ${f.nodes} nodes`, ...f.bare },
    { run: 'bare, 1 node', ...f.bareOneNode },
    { run: `ratio app / bare ${f.nodes} nodes`, p50ms: f.ratio.p50, p95ms: f.ratio.p95, p99ms: f.ratio.p99 },
  ]);
}

async function main() {
  if (ONLY === 'mto') {
    const results = [];
    for (const kind of DBS) results.push(await benchMto(kind));
    const kept = saveResults('mto', { results });
    console.log('Create + confirm make-to-order orders (each fills the vendor’s draft RFQ) vs the raw SQL baseline of create + confirm');
    console.table(results.map((r) => ({ db: r.db, ...r.mto })));
    console.log(`Written to bench/results/latest-mto.json and ${kept}`);
    return;
  }
  if (ONLY === 'fanout' && FANOUT_OPTIONS.profileDir) {
    console.table(await profileFanout({ ...FANOUT_OPTIONS, profileDir: FANOUT_OPTIONS.profileDir }));
    return;
  }
  if (ONLY === 'fanout') {
    const fanout = await benchFanout(FANOUT_OPTIONS);
    const kept = saveResults('fanout', { fanout });
    printFanout(fanout);
    console.log(`Written to bench/results/latest-fanout.json and ${kept}`);
    return;
  }
  const all = ONLY === 'all';
  const board = [];
  if (all || ONLY === 'board') for (const kind of DBS) board.push(await benchBoard(kind, BOARD_ORDERS, process.argv.includes('--board-keep'), LIST_ROWS));
  if (ONLY === 'board') {
    const kept = saveResults(BOARD_RESULTS, { board });
    printBoard(board);
    console.log(`Written to bench/results/latest-${BOARD_RESULTS}.json and ${kept}`);
    return;
  }
  const withImports = ONLY !== 'reorder' && ONLY !== 'orders';
  // The figures of the order flow (create + confirm, invoices, reservation, make-to-order, fan-out, exports).
  const flow = all || ONLY === 'orders';
  const results = [];
  if (flow) for (const kind of DBS) results.push(await benchDb(kind));
  const reorder = [];
  if (all || ONLY === 'reorder') for (const kind of DBS) reorder.push(await benchReorder(kind, REORDER_PRODUCTS));
  const heap = flow ? DBS.flatMap((kind) => EXPORT_ROWS.map((rows) => ({ db: kind, ...exportHeap(rows, kind) }))) : [];
  const imports = withImports && DBS.includes('mysql') ? await importThroughBull() : [];
  const importHeaps = withImports ? DBS.flatMap((kind) => IMPORT_ORDERS.map((orders) => ({ db: kind, ...importHeap(orders, kind) }))) : [];
  const bare = flow ? await bareFanout() : [1];
  const fanout = all && DBS.includes('mysql') ? await benchFanout(FANOUT_OPTIONS) : undefined;
  const baseline = { sockets: SOCKETS, changes: CHANGES, p50ms: round(pct(bare, 50)), p99ms: round(pct(bare, 99)) };
  const report = {
    exportHeap: heap,
    imports,
    importHeap: importHeaps,
    reorder,
    board,
    fanout,
    results: results.map((r) => ({
      ...r,
      fanout: {
        ...r.fanout,
        bareP50ms: baseline.p50ms,
        bareP99ms: baseline.p99ms,
        p50Ratio: round(r.fanout.p50ms / baseline.p50ms),
        p99Ratio: round(r.fanout.p99ms / baseline.p99ms),
      },
    })),
  };
  const name = all ? 'all' : ONLY;
  const kept = saveResults(name, report);
  const out = `latest-${name}.json and ${kept}`;
  if (flow) {
    console.log('\nCreate + confirm sale orders through the API vs raw SQL of the same rows');
    console.table(report.results.map((r) => ({ db: r.db, ...r.orders })));
    console.log('Create + confirm make-to-order orders (each fills the vendor’s draft RFQ) vs the raw SQL baseline above');
    console.table(report.results.map((r) => ({ db: r.db, ...r.mto })));
    console.log('Invoice an order in one click and post it (number, balanced entry) vs the raw SQL baseline above');
    console.table(report.results.map((r) => ({ db: r.db, ...r.invoices })));
    console.log('Create + confirm with reservation on a large catalog (products × locations of quants) vs the raw SQL baseline above');
    console.table(report.results.map((r) => ({ db: r.db, ...r.reservation })));
    console.log(`REST change → order.updated at ${SOCKETS} sockets vs a bare Socket.IO broadcast (ms)`);
    console.table(report.results.map((r) => ({ db: r.db, ...r.fanout })));
    if (fanout) printFanout(fanout);
    console.log('CSV export of all orders: resident memory of the process running the job');
    console.table(report.results.flatMap((r) => r.exports.map((e) => ({ db: r.db, ...e }))));
    console.log('CSV export: heap in use after a full GC, growth over the start of the job (MB), at each 10%');
    console.table(
      heap.map((h) => ({ db: h.db, rows: h.rows, seconds: h.seconds, maxHeapGrowthMb: h.maxHeapGrowthMb, samples: h.heapGrowthAfterGcMb.join(' ') })),
    );
  }
  if (board.length) printBoard(board);
  if (reorder.length) {
    console.log(
      `Reorder scheduler: a full scan of ${REORDER_PRODUCTS} rules (the first orders what is below min, the second nothing) vs a raw SQL computation of the same forecasts`,
    );
    console.table(reorder);
  }
  if (!withImports) {
    console.log(`Written to bench/results/${out}`);
    return;
  }
  console.log('CSV import on MariaDB through Bull (web + worker processes) vs raw multi-row INSERTs of the same rows, same database');
  console.table(imports);
  console.log('CSV import: heap in use after a full GC, growth over the start of the import (MB), at each tenth of the rows');
  console.table(
    importHeaps.map((h) => ({
      db: h.db,
      orders: h.orders,
      seconds: h.seconds,
      linesPerSecond: h.linesPerSecond,
      maxHeapGrowthMb: h.maxHeapGrowthMb,
      samples: h.heapGrowthAfterGcMb.join(' '),
    })),
  );
  console.log(`Written to bench/results/${out}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
