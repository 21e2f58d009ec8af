import type { ApiClient } from '../test/support/client';
import { customerName, insert, random, round, sqlTime, time, type BoardFigure, type Kind, type Raw } from './board-scale';

// The purchase, transfers and invoices lists at scale (issue 18), run by the board bench in its database
// (after the board's figures, with its 20,000 customers): N purchase orders, N transfers and N invoices
// written with raw multi-row INSERTs, then the requests their screens make through the API (first page,
// a state filter, a sort, the next page by cursor, the search by number and by partner name, a partner
// filter), p50/p95 of --board-runs runs each. Baseline: the raw SQL first page of the list, same database.

const YEAR = 2026;
const PO_STATES = ['draft', 'sent', 'purchase', 'done', 'cancel'] as const;
const PICKING_TYPES = [
  ['outgoing', 'OUT'],
  ['incoming', 'IN'],
  ['return', 'RET'],
] as const;

type Ids = { warehouse: { id: number; code: string }; stock: number; vendors: number; customers: number; sale: number; purchase: number };

async function ids(raw: Raw): Promise<Ids> {
  const [wh] = await raw.all<{ id: number; code: string }>('SELECT id, code FROM warehouses ORDER BY id LIMIT 1');
  const locations = await raw.all<{ id: number; kind: string; isReturns: number | boolean }>('SELECT id, kind, isReturns FROM locations');
  const journals = await raw.all<{ id: number; type: string }>('SELECT id, type FROM journals');
  const pick = (kind: string) => locations.find((l) => l.kind === kind && !Number(l.isReturns))!.id;
  return {
    warehouse: wh!,
    stock: pick('internal'),
    vendors: pick('vendor'),
    customers: pick('customer'),
    sale: journals.find((j) => j.type === 'sale')!.id,
    purchase: journals.find((j) => j.type === 'purchase')!.id,
  };
}

/** N of each: purchase orders, transfers (deliveries, receipts, returns) and invoices (customer invoices, credit notes, bills), two years of dates. */
async function load(raw: Raw, kind: Kind, rows: number, firstPartner: number, partners: number, creator: number): Promise<Ids> {
  const at = await ids(raw);
  const now = Date.now();
  const twoYears = 2 * 365 * 86_400_000;
  const rnd = random(67890);
  const chunk = 20_000;
  const dayOf = (d: Date) => d.toISOString().slice(0, 10);
  const when = (i: number) => new Date(now - twoYears + Math.floor((i / rows) * twoYears) + Math.floor(rnd() * 60_000));
  const partner = () => firstPartner + Math.floor(rnd() * partners);
  const ts = (d: Date) => sqlTime(kind, d);

  const poColumns = ['id', 'name', 'partnerId', 'warehouseId', 'state', 'origin', 'dateOrder', 'datePlanned', 'currency'].concat([
    'amountUntaxed',
    'amountTax',
    'amountTotal',
    'createdById',
    'version',
    'createdAt',
    'updatedAt',
  ]);
  const pickingColumns = ['id', 'name', 'type', 'state', 'origin', 'partnerId', 'warehouseId', 'fromLocationId', 'toLocationId', 'scheduledDate'].concat([
    'dateDone',
    'createdById',
    'version',
    'createdAt',
    'updatedAt',
  ]);
  const invoiceColumns = ['id', 'name', 'moveType', 'state', 'paymentState', 'partnerId', 'journalId', 'invoiceDate', 'dueDate', 'currency'].concat([
    'amountUntaxed',
    'amountTax',
    'amountTotal',
    'amountResidual',
    'paymentReference',
    'createdById',
    'version',
    'createdAt',
    'updatedAt',
  ]);
  const counters = new Map<string, number>();
  const next = (code: string) => {
    const n = (counters.get(code) ?? 0) + 1;
    counters.set(code, n);
    return n;
  };
  const pad = (n: number) => String(n).padStart(5, '0');

  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    const po: unknown[][] = [];
    const pk: unknown[][] = [];
    const inv: unknown[][] = [];
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const created = when(i);
      const age = 1 - i / rows;
      const r = rnd();
      const untaxed = 500 + Math.floor(rnd() * 200_000);
      const tax = Math.round(untaxed * 0.2);

      // Older purchase orders are mostly done; an RFQ may have no planned date yet.
      const poState = r < 0.05 ? 'cancel' : age > 0.1 ? (r < 0.85 ? 'done' : 'purchase') : PO_STATES[Math.floor(rnd() * 4)]!;
      const planned = poState === 'draft' && rnd() < 0.5 ? null : ts(new Date(created.getTime() + Math.floor(rnd() * 30) * 86_400_000));
      po.push([
        i + 1,
        `P${pad(i + 1)}`,
        partner(),
        at.warehouse.id,
        poState,
        rnd() < 0.5 ? `S${pad(1 + Math.floor(rnd() * rows))}` : null,
        ts(created),
        planned,
        'EUR',
        untaxed,
        tax,
        untaxed + tax,
        creator,
        1,
        ts(created),
        ts(created),
      ]);

      const [type, code] = PICKING_TYPES[r < 0.6 ? 0 : r < 0.9 ? 1 : 2]!;
      const open = age < 0.05;
      const pState = rnd() < 0.04 ? 'cancel' : open ? (['confirmed', 'assigned', 'waiting'] as const)[Math.floor(rnd() * 3)]! : 'done';
      const scheduled = new Date(created.getTime() + Math.floor(rnd() * 7) * 86_400_000);
      const [from, to] = type === 'incoming' ? [at.vendors, at.stock] : type === 'return' ? [at.customers, at.stock] : [at.stock, at.customers];
      pk.push([
        i + 1,
        `${at.warehouse.code}/${code}/${pad(next(`picking:${code}`))}`,
        type,
        pState,
        type === 'incoming' ? `P${pad(1 + Math.floor(rnd() * rows))}` : `S${pad(1 + Math.floor(rnd() * rows))}`,
        partner(),
        at.warehouse.id,
        from,
        to,
        ts(scheduled),
        pState === 'done' ? ts(scheduled) : null,
        creator,
        1,
        ts(created),
        ts(created),
      ]);

      const moveType = r < 0.75 ? 'out_invoice' : r < 0.85 ? 'out_refund' : 'in_invoice';
      const prefix = moveType === 'out_invoice' ? 'INV' : moveType === 'out_refund' ? 'RINV' : 'BILL';
      const draft = age < 0.01 && rnd() < 0.5;
      const iState = draft ? 'draft' : rnd() < 0.03 ? 'cancel' : 'posted';
      const paid = iState === 'posted' && age > 0.05 && rnd() < 0.95;
      const name = iState === 'draft' ? null : `${prefix}/${YEAR}/${pad(next(`invoice:${prefix}`))}`;
      inv.push([
        i + 1,
        name,
        moveType,
        iState,
        paid ? 'paid' : 'not_paid',
        partner(),
        moveType === 'in_invoice' ? at.purchase : at.sale,
        draft ? null : dayOf(created),
        draft ? null : dayOf(new Date(created.getTime() + 30 * 86_400_000)),
        'EUR',
        untaxed,
        tax,
        untaxed + tax,
        paid || iState !== 'posted' ? 0 : untaxed + tax,
        name,
        creator,
        1,
        ts(created),
        ts(created),
      ]);
    }
    await insert(raw, kind, 'purchase_orders', poColumns, po, 1000);
    await insert(raw, kind, 'stock_pickings', pickingColumns, pk, 1000);
    await insert(raw, kind, 'invoices', invoiceColumns, inv, 1000);
  }
  // The numbering the searches read (a bare number is looked up in every sequence of its family).
  const sequences = [...counters].map(([code, n]) => {
    const [family, kindCode] = code.split(':') as [string, string];
    return family === 'picking'
      ? [`picking:${at.warehouse.code}:${kindCode}`, `${at.warehouse.code}/${kindCode}/`, 5, n + 1]
      : [`invoice:${kindCode}:${YEAR}`, `${kindCode}/${YEAR}/`, 5, n + 1];
  });
  const verb = kind === 'sqlite' ? 'INSERT OR REPLACE' : 'REPLACE';
  for (const s of sequences) await raw.exec(`${verb} INTO sequences (code, prefix, padding, nextValue) VALUES (?, ?, ?, ?)`, s);
  await raw.exec(`UPDATE sequences SET nextValue = ? WHERE code = 'purchase.order'`, [rows + 1]);
  if (kind === 'mysql') await raw.exec('ANALYZE TABLE purchase_orders, stock_pickings, invoices', []);
  else await raw.exec('ANALYZE', []);
  return at;
}

export type ListFigures = { list: string; rows: number; baselineP50ms: number; figures: BoardFigure[] };

/** Loads the three lists into the board's database and times their requests. */
export async function benchLists(
  kind: Kind,
  raw: Raw,
  api: ApiClient,
  rows: number,
  partners: { first: number; count: number },
  creator: number,
): Promise<{ loadSeconds: number; lists: ListFigures[] }> {
  const started = performance.now();
  const at = await load(raw, kind, rows, partners.first, partners.count, creator);
  const loadSeconds = round((performance.now() - started) / 1000);
  console.log(`  ${kind}: ${rows} purchase orders, transfers and invoices each loaded in ${loadSeconds} s`);

  const ok = async (path: string) => {
    const res = await api.get(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body as { items: unknown[]; nextCursor?: string | null };
  };
  /** The first page, then `pages` more by cursor. */
  const walk = async (path: string, pages: number) => {
    let page = await ok(path);
    for (let p = 0; p < pages && page.nextCursor; p++) page = await ok(`${path}&after=${page.nextCursor}`);
  };
  const deep = Math.max(1, Math.floor(rows / 2));
  const vendor = partners.first + 4321;
  const surname = customerName(4321).split(' ')[1]!;
  const pad = (n: number) => String(n).padStart(5, '0');

  const plans: { list: string; baselineSql: string; requests: [string, string | (() => Promise<unknown>), string?][] }[] = [
    {
      list: 'purchase orders',
      baselineSql: 'SELECT * FROM purchase_orders ORDER BY createdAt DESC, id DESC LIMIT 50',
      requests: [
        ['first page newest first (limit 50)', '/api/purchase-orders?limit=50'],
        ['counts per state (/counts)', '/api/purchase-orders/counts'],
        ['state=purchase', '/api/purchase-orders?state=purchase&limit=50'],
        ['late', '/api/purchase-orders?late=true&limit=50'],
        ['sort by total (-amountTotal)', '/api/purchase-orders?sort=-amountTotal&limit=50'],
        ['sort by arrival (datePlanned)', '/api/purchase-orders?sort=datePlanned&limit=50'],
        ['first page + 3 next pages by cursor', () => walk('/api/purchase-orders?limit=50', 3)],
        ['one vendor (partnerId)', `/api/purchase-orders?partnerId=${vendor}&limit=50`],
        ['search number', `/api/purchase-orders?q=P${pad(deep)}&limit=50`, `P${pad(deep)}`],
        ['search number digits', `/api/purchase-orders?q=${deep}&limit=50`, String(deep)],
        ['search vendor surname', `/api/purchase-orders?q=${encodeURIComponent(surname)}&limit=50`, surname],
      ],
    },
    {
      list: 'transfers',
      baselineSql: `SELECT * FROM stock_pickings WHERE type = 'outgoing' ORDER BY scheduledDate, id LIMIT 25`,
      requests: [
        ['deliveries, first page (type=outgoing, limit 25)', '/api/pickings?type=outgoing&limit=25'],
        ['receipts, first page (type=incoming)', '/api/pickings?type=incoming&limit=25'],
        ['deliveries ready (state=assigned)', '/api/pickings?type=outgoing&state=assigned&limit=25'],
        ['deliveries late (due=late)', '/api/pickings?type=outgoing&due=late&limit=25'],
        ['first page + 3 next pages by cursor', () => walk('/api/pickings?type=outgoing&limit=25', 3)],
        ['search number', `/api/pickings?type=outgoing&q=${encodeURIComponent(`${at.warehouse.code}/OUT/${pad(deep)}`)}&limit=25`],
        ['search number digits', `/api/pickings?type=outgoing&q=${deep}&limit=25`, String(deep)],
        ['search origin (S…)', `/api/pickings?type=outgoing&q=S${pad(deep)}&limit=25`, `S${pad(deep)}`],
        ['search partner surname', `/api/pickings?type=outgoing&q=${encodeURIComponent(surname)}&limit=25`, surname],
      ],
    },
    {
      list: 'invoices',
      baselineSql: 'SELECT * FROM invoices ORDER BY createdAt DESC, id DESC LIMIT 25',
      requests: [
        ['first page newest first (limit 25)', '/api/invoices?limit=25'],
        ['state=posted', '/api/invoices?state=posted&limit=25'],
        ['vendor bills (moveType=in_invoice)', '/api/invoices?moveType=in_invoice&limit=25'],
        ['not paid (paymentState=not_paid)', '/api/invoices?paymentState=not_paid&limit=25'],
        ['overdue', '/api/invoices?overdue=1&limit=25'],
        ['sort by total (-amountTotal)', '/api/invoices?sort=-amountTotal&limit=25'],
        ['sort by date (invoiceDate)', '/api/invoices?sort=invoiceDate&limit=25'],
        ['first page + 3 next pages by cursor', () => walk('/api/invoices?limit=25', 3)],
        ['one partner (partnerId)', `/api/invoices?partnerId=${vendor}&limit=25`],
        ['search number', `/api/invoices?q=${encodeURIComponent(`INV/${YEAR}/${pad(deep)}`)}&limit=25`],
        ['search number digits', `/api/invoices?q=${deep}&limit=25`, String(deep)],
        ['search partner surname', `/api/invoices?q=${encodeURIComponent(surname)}&limit=25`, surname],
      ],
    },
  ];

  const lists: ListFigures[] = [];
  for (const plan of plans) {
    const baseline = await time(() => raw.all(plan.baselineSql));
    const figures: BoardFigure[] = [];
    for (const [request, what, note] of plan.requests) {
      const t = await time(typeof what === 'string' ? () => ok(what) : what);
      figures.push({ request, p50ms: t.p50, p95ms: t.p95, ratio: round(t.p50 / baseline.p50, 1), ...(note && { note }) });
      console.log(`  ${kind} ${plan.list} ${request}: p50 ${t.p50} ms, p95 ${t.p95} ms`);
    }
    lists.push({ list: plan.list, rows, baselineP50ms: baseline.p50, figures });
  }
  return { loadSeconds, lists };
}
