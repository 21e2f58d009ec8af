import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import sqlite3 from 'sqlite3';
import { ApiClient } from '../test/support/client';
import { freshDatabase, type TestDb } from '../test/support/env';
import { portOf, startProcess } from '../test/support/processes';
import { benchLists, type ListFigures } from './lists-scale';

// The order board at scale: a fresh database of each mode with N sale orders (1,000,000 by default) of
// 20,000 customers, written with raw multi-row INSERTs; then the requests the console makes (the list
// view's first page, the kanban's five columns, the per-state counts, filters, sorts, a deep page and
// searches) through the API of a real web process, 20 times each: p50 and p95. Baseline, same run and
// database: a raw SQL query of the first page (the partner join, newest first, 50 rows). With --list-rows,
// the purchase, transfers and invoices lists too, in the same database (bench/lists-scale.ts).

export type Kind = 'sqlite' | 'mysql';
export type Raw = { exec(sql: string, params: unknown[]): Promise<void>; all<T>(sql: string, params?: unknown[]): Promise<T[]>; close(): Promise<void> };

// --board-runs N: fewer runs for a quick look (the figures of record are of 20).
const runsAt = process.argv.indexOf('--board-runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 20;
const CUSTOMERS = 20_000;
const STATES = ['draft', 'sent', 'sale', 'done', 'cancel'] as const;
export const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
// SQLite keeps timestamps as Sequelize writes them: text with the offset.
export const sqlTime = (kind: Kind, d: Date) => (kind === 'mysql' ? d : d.toISOString().replace('T', ' ').replace('Z', ' +00:00'));

async function rawConnection(db: TestDb, kind: Kind): Promise<Raw> {
  if (kind === 'mysql') {
    const conn = await mysql.createConnection({ uri: db.env.DATABASE_URL });
    return {
      exec: async (sql, params) => void (await conn.query(sql, params)),
      all: async <T>(sql: string, params: unknown[] = []) => (await conn.query(sql, params))[0] as T[],
      close: () => conn.end(),
    };
  }
  const conn = new sqlite3.Database(db.env.DATABASE_URL!.slice('sqlite:'.length));
  conn.configure('busyTimeout', 30_000);
  return {
    exec: (sql, params) => new Promise((resolve, reject) => conn.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve()))),
    all: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) => conn.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)))),
    close: () => new Promise((resolve) => conn.close(() => resolve())),
  };
}

export async function insert(raw: Raw, kind: Kind, table: string, columns: string[], rows: unknown[][], per = 1000): Promise<void> {
  const one = `(${columns.map(() => '?').join(', ')})`;
  if (kind === 'sqlite') await raw.exec('BEGIN', []);
  for (let i = 0; i < rows.length; i += per) {
    const batch = rows.slice(i, i + per);
    await raw.exec(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${batch.map(() => one).join(', ')}`, batch.flat());
  }
  if (kind === 'sqlite') await raw.exec('COMMIT', []);
}

const FIRST = ['Amélie', 'José', 'Zoë', 'Jürgen', 'François', 'Ana', 'Lukas', 'Chloé', 'Mateo', 'Søren', 'Inès', 'Björn', 'Emma', 'Noah', 'Léa', 'Oliver'];
const LAST = [
  'Müller',
  'García',
  'Dubois',
  'Nørgaard',
  'Rossi',
  'Kowalski',
  'Smith',
  'Łukasiewicz',
  'Pérez',
  'Öztürk',
  'Martin',
  'Johansson',
  'Brown',
  'Lefèvre',
];

/** A deterministic pseudo-random sequence (the same rows in every run). */
export function random(seed: number) {
  let x = seed;
  return () => (x = (x * 48271) % 2147483647) / 2147483647;
}

export const customerName = (i: number) => `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`;

/** 20,000 customers and N orders spread over states, two years, four creators, 2% needing attention. */
async function load(raw: Raw, kind: Kind, orders: number, creators: number[]): Promise<{ firstPartner: number }> {
  const now = Date.now();
  const ts = sqlTime(kind, new Date(now));
  const partnerRows = Array.from({ length: CUSTOMERS }, (_, i) => {
    const name = customerName(i);
    const email = `${name.split(' ')[0]!.toLowerCase()}.${i}@example.com`;
    return [1_000_000 + i, name, email, 0, 'Paris', 'FR', '["customer"]', 1, 0, ts, ts];
  });
  await insert(
    raw,
    kind,
    'partners',
    ['id', 'name', 'email', 'isCompany', 'city', 'countryCode', 'roles', 'active', 'version', 'createdAt', 'updatedAt'],
    partnerRows,
  );
  const rnd = random(12345);
  const twoYears = 2 * 365 * 86_400_000;
  const columns = [
    'id',
    'name',
    'partnerId',
    'warehouseId',
    'channelId',
    'externalId',
    'reference',
    'needsAttention',
    'dateOrder',
    'state',
    'invoiceStatus',
    'deliveryStatus',
    'amountUntaxed',
    'amountTax',
    'amountTotal',
    'currency',
    'createdById',
    'version',
    'createdAt',
    'updatedAt',
  ];
  const chunk = 20_000;
  for (let start = 0; start < orders; start += chunk) {
    const rows = Array.from({ length: Math.min(chunk, orders - start) }, (_, k) => {
      const i = start + k;
      const created = new Date(now - twoYears + Math.floor((i / orders) * twoYears) + Math.floor(rnd() * 60_000));
      const r = rnd();
      // Older orders are mostly done; the newest ones mostly quotations and confirmed.
      const age = 1 - i / orders;
      const state = r < 0.05 ? 'cancel' : age > 0.1 ? (r < 0.85 ? 'done' : 'sale') : r < 0.3 ? 'draft' : r < 0.45 ? 'sent' : r < 0.8 ? 'sale' : 'done';
      const untaxed = 500 + Math.floor(rnd() * 200_000);
      const tax = Math.round(untaxed * 0.2);
      const shop = i % 3 === 0;
      return [
        i + 1,
        `S${String(i + 1).padStart(5, '0')}`,
        1_000_000 + Math.floor(rnd() * CUSTOMERS),
        1,
        null,
        shop ? `ext-${i + 1}` : null,
        shop ? `#${1000 + i}` : null,
        rnd() < 0.02 ? 1 : 0,
        sqlTime(kind, created),
        state,
        state === 'sale' ? 'to_invoice' : state === 'done' ? 'invoiced' : 'no',
        state === 'done' ? 'full' : 'pending',
        untaxed,
        tax,
        untaxed + tax,
        'EUR',
        creators[i % creators.length]!,
        1,
        sqlTime(kind, created),
        sqlTime(kind, created),
      ];
    });
    await insert(raw, kind, 'sale_orders', columns, rows, 1000);
  }
  if (kind === 'mysql') await raw.exec('ANALYZE TABLE sale_orders, partners', []);
  else await raw.exec('ANALYZE', []);
  return { firstPartner: 1_000_000 };
}

export async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm: the plan and the connection
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { p50: round(pct(samples, 50)), p95: round(pct(samples, 95)) };
}

export type BoardFigure = { request: string; p50ms: number; p95ms: number; ratio: number; note?: string };

/** One database: load, then every request of the table through the API, with the raw first page as baseline. */
export async function benchBoard(
  kind: Kind,
  orders: number,
  keep = false,
  listRows = 0,
): Promise<{
  db: Kind;
  orders: number;
  loadSeconds: number;
  baselineP50ms: number;
  figures: BoardFigure[];
  lists?: { rows: number; loadSeconds: number; lists: ListFigures[] };
}> {
  const db = await freshDatabase(kind);
  const web = await startProcess('server/main.ts', { ...db.env, PORT: '0', LOGIN_RATE_LIMIT: '1000' }, /Console: http/);
  try {
    const api = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
    const creators = [api.user?.id ?? 1];
    for (let u = 0; u < 3; u++) {
      const res = await api.post('/api/users', {
        email: `seller${u}@example.com`,
        name: `Seller ${u}`,
        role: 'sales',
        password: 'seller-password-1',
        orderAccess: 'own',
      });
      if (res.status !== 201) throw new Error(`user: ${JSON.stringify(res.body)}`);
      creators.push(res.body.id);
    }
    const raw = await rawConnection(db, kind);
    const loadStarted = performance.now();
    const { firstPartner } = await load(raw, kind, orders, creators);
    const loadSeconds = round((performance.now() - loadStarted) / 1000);
    console.log(`  ${kind}: ${orders} orders loaded in ${loadSeconds} s`);
    const seller = await new ApiClient(api.baseUrl).login('seller0@example.com', 'seller-password-1');

    const baselineSql =
      'SELECT o.*, p.id AS pid, p.name AS pname, p.email AS pemail FROM sale_orders o LEFT JOIN partners p ON p.id = o.partnerId ORDER BY o.createdAt DESC, o.id DESC LIMIT 50';
    const baseline = await time(() => raw.all(baselineSql));

    const ok = async (client: ApiClient, path: string) => {
      const res = await client.get(path);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body;
    };
    const customer = customerName(4321).split(' ')[1]!; // a surname shared by many customers
    const deepId = Math.max(1, orders - Math.floor(orders / 2));
    const requests: [string, () => Promise<unknown>, string?][] = [
      ['list view on load (-createdAt, limit 100)', () => ok(api, '/api/sale-orders?sort=-createdAt&limit=100&offset=0')],
      [
        'kanban on load (5 columns, limit 40 each)',
        () => Promise.all(STATES.map((s) => ok(api, `/api/sale-orders?sort=-createdAt&state=${s}&limit=40&offset=0`))),
      ],
      ['counts per state (/counts)', () => ok(api, '/api/sale-orders/counts')],
      ['first page newest first (limit 50)', () => ok(api, '/api/sale-orders?limit=50')],
      ['one customer', () => ok(api, `/api/sale-orders?partnerId=${firstPartner + 4321}&limit=50`)],
      ['state=sale', () => ok(api, '/api/sale-orders?state=sale&limit=100')],
      ['needs attention', () => ok(api, '/api/sale-orders?needsAttention=true&limit=100')],
      ['sort by total (-amountTotal)', () => ok(api, '/api/sale-orders?sort=-amountTotal&limit=100')],
      ['sort by order date (dateOrder)', () => ok(api, '/api/sale-orders?sort=dateOrder&limit=100')],
      ['state=sale sorted by total', () => ok(api, '/api/sale-orders?state=sale&sort=-amountTotal&limit=100')],
      ['page at offset 500,000 (limit 100)', () => ok(api, `/api/sale-orders?limit=100&offset=${Math.floor(orders / 2)}`)],
      ['search customer surname', () => ok(api, `/api/sale-orders?q=${encodeURIComponent(customer)}&limit=100`), customer],
      ['search customer surname, state=sale', () => ok(api, `/api/sale-orders?q=${encodeURIComponent(customer)}&state=sale&limit=100`), `${customer}, sale`],
      ['counts per state, customer surname', () => ok(api, `/api/sale-orders/counts?q=${encodeURIComponent(customer)}`), customer],
      ['search customer name, accents dropped', () => ok(api, `/api/sale-orders?q=${encodeURIComponent('muller')}&limit=100`), 'muller'],
      ['search order number', () => ok(api, `/api/sale-orders?q=S${String(deepId).padStart(5, '0')}&limit=100`), `S${String(deepId).padStart(5, '0')}`],
      ['search number digits', () => ok(api, `/api/sale-orders?q=${deepId}&limit=100`), String(deepId)],
      ['search shop reference', () => ok(api, `/api/sale-orders?q=${encodeURIComponent('#1002')}&limit=100`), '#1002'],
      ['search email', () => ok(api, `/api/sale-orders?q=${encodeURIComponent('zoë.4322@example.com')}&limit=100`), 'zoë.4322@example.com'],
      ['own orders only (sales user), on load', () => ok(seller, '/api/sale-orders?sort=-createdAt&limit=100')],
      ['own orders only, counts', () => ok(seller, '/api/sale-orders/counts')],
    ];
    const figures: BoardFigure[] = [];
    for (const [request, fn, note] of requests) {
      const t = await time(fn);
      figures.push({ request, p50ms: t.p50, p95ms: t.p95, ratio: round(t.p50 / baseline.p50, 1), ...(note && { note }) });
      console.log(`  ${kind} ${request}: p50 ${t.p50} ms, p95 ${t.p95} ms`);
    }
    // The same deep row reached by keyset, when the server offers a cursor (nextCursor).
    const first = (await ok(api, `/api/sale-orders?limit=100`)) as { nextCursor?: string };
    if (first.nextCursor !== undefined) {
      const [row] = await raw.all<{ createdAt: string | Date; id: number }>(
        `SELECT createdAt, id FROM sale_orders ORDER BY createdAt DESC, id DESC LIMIT 1 OFFSET ${Math.floor(orders / 2) - 1}`,
      );
      const at =
        row!.createdAt instanceof Date
          ? row!.createdAt.toISOString()
          : new Date(String(row!.createdAt).replace(' +00:00', 'Z').replace(' ', 'T')).toISOString();
      const cursor = Buffer.from(JSON.stringify([at, row!.id])).toString('base64url');
      const t = await time(() => ok(api, `/api/sale-orders?limit=100&after=${cursor}`));
      figures.push({ request: 'page at row 500,000 by keyset (after=)', p50ms: t.p50, p95ms: t.p95, ratio: round(t.p50 / baseline.p50, 1) });
      const nextPages = await time(async () => {
        let c = first.nextCursor!;
        for (let p = 0; p < 3; p++) c = ((await ok(api, `/api/sale-orders?limit=100&after=${c}`)) as { nextCursor: string }).nextCursor;
      });
      figures.push({
        request: 'three next pages by cursor (-createdAt)',
        p50ms: nextPages.p50,
        p95ms: nextPages.p95,
        ratio: round(nextPages.p50 / baseline.p50, 1),
      });
    }
    // The purchase, transfers and invoices lists in the same database, with its customers as partners (--list-rows).
    const lists =
      listRows > 0 ? { rows: listRows, ...(await benchLists(kind, raw, api, listRows, { first: firstPartner, count: CUSTOMERS }, creators[0]!)) } : undefined;
    await raw.close();
    return { db: kind, orders, loadSeconds, baselineP50ms: baseline.p50, figures, ...(lists && { lists }) };
  } finally {
    await web.stop();
    // --board-keep: the database stays for EXPLAIN by hand (its name is printed).
    if (keep) console.log(`kept ${db.env.DATABASE_URL}`);
    else await db.drop();
  }
}
