import { beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, DashboardList, DashboardTileKey } from '../../contracts/schemas/dashboard';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { SalesAnalysis, SalesFigures } from '../../contracts/schemas/sales-analysis';
import type { Role } from '../../contracts/states';
import { makePartner, makeProduct } from '../factories/data';
import { makeAccountedTax } from '../factories/invoicing';
import { setStock } from '../factories/stock';
import type { ApiClient } from '../support/client';
import { useTestServer } from '../support/server';

// The dashboard and the sales analysis (issue 17) on messy data: accented names, line discounts (percent
// and amount), an order discount, several channels, orders outside the range, drafts, a cancelled order,
// a user limited to their own orders. Every tile must equal the total of the list it links to, for every
// role; the charts and the report add up to the orders the API returns.

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const at = (offset: number) => `${day(offset)}T10:00:00Z`;

/** The API list behind each page a tile links to. */
const API_LIST: Record<DashboardList, string> = {
  orders: '/api/sale-orders',
  deliveries: '/api/pickings',
  receipts: '/api/pickings',
  invoices: '/api/invoices',
  purchases: '/api/purchase-orders',
};

const ALL_TILES: DashboardTileKey[] = ['ordersToConfirm', 'needsAttention', 'deliveriesLate', 'deliveriesToday', 'invoicesOverdue', 'rfqsOpen', 'receiptsLate'];
const NO_INVOICES = ALL_TILES.filter((k) => k !== 'invoicesOverdue');
const NO_PURCHASES = ALL_TILES.filter((k) => k !== 'rfqsOpen' && k !== 'receiptsLate');

function ok<T>(res: { status: number; body: T }, status = 200): T {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const sum = (figures: SalesFigures[]) => ({
  quantity: Math.round(figures.reduce((s, f) => s + f.quantity, 0) * 1000) / 1000,
  untaxed: figures.reduce((s, f) => s + f.untaxed, 0),
  total: figures.reduce((s, f) => s + f.total, 0),
});

describe('GET /api/dashboard and GET /api/reports/sales', () => {
  const srv = useTestServer();
  const users = new Map<string, ApiClient>();
  const confirmed: SaleOrder[] = [];
  let own: ApiClient;
  let shop: { id: number; name: string };
  let market: { id: number; name: string };
  let creme: { id: number; name: string };
  let cafe: { id: number; name: string };

  async function order(c: ApiClient, body: Record<string, unknown>, confirm = true): Promise<SaleOrder> {
    const o = ok(await c.post('/api/sale-orders', body), 201) as SaleOrder;
    return confirm ? (ok(await c.post(`/api/sale-orders/${o.id}/confirm`, {})) as SaleOrder) : o;
  }

  beforeAll(async () => {
    const admin = srv.admin;
    users.set('admin', admin);
    for (const role of ['sales', 'warehouse', 'accounting', 'purchase'] as Role[]) users.set(role, await srv.user(role));
    own = await srv.user('sales', 'Zoë Own-orders');
    ok(await admin.patch(`/api/users/${own.user!.id}`, { orderAccess: 'own' }));
    users.set('sales (own orders)', own);

    shop = ok(await admin.post('/api/channels', { kind: 'webhook', name: 'Boutique Zoé', credentials: { secret: 'a-long-webhook-secret-1' } }), 201) as never;
    market = ok(
      await admin.post('/api/channels', { kind: 'webhook', name: 'Marché Ålesund', credentials: { secret: 'a-long-webhook-secret-2' } }),
      201,
    ) as never;
    const vat = await makeAccountedTax(admin, 20);
    creme = await makeProduct(admin, { name: 'Crème brûlée', listPrice: 1250, taxIds: [vat.id], invoicePolicy: 'order' });
    cafe = await makeProduct(admin, { name: 'Café éthiopien', listPrice: 999, taxIds: [], invoicePolicy: 'order' });
    for (const p of [creme, cafe]) await setStock(admin, p.id, 500);
    const zoe = await makePartner(admin, { name: 'Zoë Ångström' });
    const jose = await makePartner(admin, { name: 'José Müller' });

    // Confirmed, in the last 30 days: two channels and the console, discounts of every kind.
    confirmed.push(
      await order(admin, {
        partnerId: zoe.id,
        channelId: shop.id,
        dateOrder: at(-3),
        lines: [
          { productId: creme.id, quantity: 2, discount: 10 },
          { productId: cafe.id, quantity: 1 },
        ],
      }),
      await order(own, { partnerId: jose.id, channelId: market.id, dateOrder: at(-10), lines: [{ productId: creme.id, quantity: 3, discountAmount: 150 }] }),
      await order(admin, { partnerId: jose.id, dateOrder: at(0), orderDiscount: 500, lines: [{ productId: cafe.id, quantity: 5 }] }),
      await order(own, { partnerId: zoe.id, channelId: shop.id, dateOrder: at(-1), lines: [{ productId: cafe.id, quantity: 1.5, unitPrice: 1001 }] }),
    );
    // Outside the default range (40 days ago), still confirmed: only a longer range shows it.
    confirmed.push(await order(admin, { partnerId: zoe.id, channelId: market.id, dateOrder: at(-40), lines: [{ productId: creme.id, quantity: 1 }] }));
    // Not sales: quotations (one flagged), a cancelled order.
    await order(admin, { partnerId: zoe.id, dateOrder: at(-2), lines: [{ productId: cafe.id, quantity: 7 }] }, false);
    await order(own, { partnerId: jose.id, needsAttention: true, lines: [{ productId: creme.id, quantity: 1 }] }, false);
    const cancelled = await order(admin, { partnerId: jose.id, channelId: shop.id, dateOrder: at(-4), lines: [{ productId: creme.id, quantity: 9 }] });
    ok(await admin.post(`/api/sale-orders/${cancelled.id}/cancel`, {}));

    // An overdue invoice (45 days past due) of the first order, and one not yet due of the third.
    for (const [o, due] of [
      [confirmed[0]!, day(-45)],
      [confirmed[2]!, day(10)],
    ] as const) {
      const { invoiceIds } = ok(await admin.post(`/api/sale-orders/${o.id}/invoice`), 201) as { invoiceIds: number[] };
      const draft = ok(await admin.get(`/api/invoices/${invoiceIds[0]}`)) as { version: number };
      ok(await admin.patch(`/api/invoices/${invoiceIds[0]}`, { version: draft.version, invoiceDate: day(-60), dueDate: due }));
      ok(await admin.post(`/api/invoices/${invoiceIds[0]}/post`, {}));
    }

    // Purchasing: an RFQ left open, and a confirmed PO whose receipt was due two days ago.
    const vendor = await makePartner(admin, { name: 'Fournisseur Éclair', roles: ['vendor'] });
    ok(await admin.post('/api/purchase-orders', { partnerId: vendor.id, lines: [{ productId: cafe.id, quantity: 4 }] }), 201);
    const po = ok(await admin.post('/api/purchase-orders', { partnerId: vendor.id, lines: [{ productId: creme.id, quantity: 6 }] }), 201) as { id: number };
    ok(await admin.post(`/api/purchase-orders/${po.id}/confirm`, {}));
    const receipt = (ok(await admin.get(`/api/pickings?purchaseOrderId=${po.id}`)) as { items: { id: number; version: number }[] }).items[0]!;
    ok(await admin.patch(`/api/pickings/${receipt.id}`, { version: receipt.version, scheduledDate: at(-2) }));
  }, 120_000);

  it('every tile equals the total of the list it links to, for every role; each role gets only the tiles it may read', async () => {
    const expected: Record<string, DashboardTileKey[]> = {
      admin: ALL_TILES,
      sales: ALL_TILES,
      warehouse: NO_INVOICES,
      accounting: ALL_TILES,
      purchase: ALL_TILES,
      'sales (own orders)': NO_PURCHASES,
    };
    const counts = new Map<string, Record<string, number>>();
    for (const [label, c] of users) {
      const board = ok(await c.get('/api/dashboard')) as Dashboard;
      expect(
        board.tiles.map((t) => t.key),
        label,
      ).toEqual(expected[label]);
      const mine: Record<string, number> = {};
      for (const tile of board.tiles) {
        const params = new URLSearchParams({ ...tile.filter, limit: '200' });
        const list = ok(await c.get(`${API_LIST[tile.list]}?${params}`)) as { items: { amountResidual?: number; amountTotal?: number }[]; total: number };
        expect(`${label} ${tile.key}: ${list.total}`).toBe(`${label} ${tile.key}: ${tile.count}`);
        if (tile.key === 'invoicesOverdue') expect(tile.amount).toBe(list.items.reduce((s, i) => s + i.amountResidual!, 0));
        if (tile.key === 'ordersToConfirm') expect(tile.amount).toBe(list.items.reduce((s, i) => s + i.amountTotal!, 0));
        mine[tile.key] = tile.count;
      }
      counts.set(label, mine);
    }
    // The data above, as the admin sees it, and as the user limited to their own orders sees it.
    expect(counts.get('admin')).toMatchObject({
      ordersToConfirm: 2,
      needsAttention: 1,
      deliveriesLate: 4,
      deliveriesToday: 1,
      invoicesOverdue: 1,
      rfqsOpen: 1,
      receiptsLate: 1,
    });
    expect(counts.get('sales (own orders)')).toEqual({ ordersToConfirm: 1, needsAttention: 1, deliveriesLate: 2, deliveriesToday: 0, invoicesOverdue: 0 });
    const overdue = (ok(await srv.admin.get('/api/dashboard')) as Dashboard).tiles.find((t) => t.key === 'invoicesOverdue')!;
    expect(overdue.amount).toBe(confirmed[0]!.amountTotal);
    expect(overdue.aged).toEqual([
      { label: '1–30 days', amount: 0 },
      { label: '31–60 days', amount: confirmed[0]!.amountTotal },
      { label: '61–90 days', amount: 0 },
      { label: 'Over 90 days', amount: 0 },
    ]);
  });

  it('charts confirmed orders and their untaxed revenue per day and week by channel, over the range asked for', async () => {
    const inRange = confirmed.slice(0, 4);
    const board = ok(await srv.admin.get('/api/dashboard')) as Dashboard;
    expect(board).toMatchObject({ from: day(-29), to: day(0), currency: 'EUR' });
    expect(board.days).toHaveLength(30);
    expect(board.totals).toEqual({ orders: 4, revenue: inRange.reduce((s, o) => s + o.amountUntaxed, 0) });
    for (const series of [board.daily, board.weekly]) {
      expect(series.reduce((s, p) => s + p.orders, 0)).toBe(4);
      expect(series.reduce((s, p) => s + p.revenue, 0)).toBe(board.totals.revenue);
    }
    expect(board.channels).toEqual([
      { id: null, name: 'Direct' },
      { id: shop.id, name: 'Boutique Zoé' },
      { id: market.id, name: 'Marché Ålesund' },
    ]);
    const shopDays = board.daily.filter((p) => p.channelId === shop.id);
    expect(shopDays).toEqual([
      { period: day(-3), channelId: shop.id, orders: 1, revenue: confirmed[0]!.amountUntaxed },
      { period: day(-1), channelId: shop.id, orders: 1, revenue: confirmed[3]!.amountUntaxed },
    ]);
    expect(board.weekly.every((p) => new Date(`${p.period}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(board.weeks.every((w) => new Date(`${w}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(board.topProducts.map((p) => p.name)).toEqual(
      [creme, cafe]
        .map((p) => ({
          name: p.name,
          revenue: inRange
            .flatMap((o) => o.lines)
            .filter((l) => l.productId === p.id)
            .reduce((s, l) => s + l.subtotal, 0),
        }))
        .sort((a, b) => b.revenue - a.revenue)
        .map((p) => p.name),
    );

    // A longer range takes the order of 40 days ago; a range of one day only that day's order.
    const long = ok(await srv.admin.get(`/api/dashboard?from=${day(-89)}&to=${day(0)}`)) as Dashboard;
    expect(long.totals.orders).toBe(5);
    expect(long.days).toHaveLength(90);
    const one = ok(await srv.admin.get(`/api/dashboard?from=${day(-10)}&to=${day(-10)}`)) as Dashboard;
    expect(one.totals).toEqual({ orders: 1, revenue: confirmed[1]!.amountUntaxed });
    expect(one.daily).toEqual([{ period: day(-10), channelId: market.id, orders: 1, revenue: confirmed[1]!.amountUntaxed }]);

    // A user limited to their own orders charts theirs only.
    const mine = ok(await own.get('/api/dashboard')) as Dashboard;
    expect(mine.totals).toEqual({ orders: 2, revenue: confirmed[1]!.amountUntaxed + confirmed[3]!.amountUntaxed });
  });

  it('the transfers list filters what is due: late (before today) and today, open ones only; anything else is a 400', async () => {
    const late = ok(await srv.admin.get('/api/pickings?type=outgoing&due=late&limit=200')) as {
      items: { scheduledDate: string; state: string }[];
      total: number;
    };
    expect(late.total).toBe(4);
    expect(late.items.every((p) => p.scheduledDate < `${day(0)}T00:00:00` && !['done', 'cancel'].includes(p.state))).toBe(true);
    const today = ok(await srv.admin.get('/api/pickings?type=outgoing&due=today')) as { items: { scheduledDate: string }[]; total: number };
    expect(today.items.map((p) => p.scheduledDate.slice(0, 10))).toEqual([day(0)]);
    const bad = await srv.admin.get('/api/pickings?due=soon');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('due');
  });

  it('answers 400 naming the parameter for a bad range', async () => {
    for (const [query, field] of [
      [`from=${day(0)}&to=${day(-1)}`, 'to'],
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      [`from=${day(-400)}&to=${day(0)}`, 'from'],
      ['period=day', 'period'],
    ] as const) {
      const res = await srv.admin.get(`/api/dashboard?${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body.error.details), query).toContain(field);
    }
  });

  it('the sales analysis groups confirmed lines by product, customer, channel and period, with a pivot and its totals', async () => {
    const inRange = confirmed.slice(0, 4);
    const lines = inRange.flatMap((o) => o.lines.map((l) => ({ ...l, order: o })));
    const expectedOf = (pick: (l: (typeof lines)[number]) => boolean) => {
      const ls = lines.filter(pick);
      return {
        quantity: Math.round(ls.reduce((s, l) => s + l.quantity, 0) * 1000) / 1000,
        untaxed: ls.reduce((s, l) => s + l.subtotal, 0),
        total: ls.reduce((s, l) => s + l.total, 0),
        orders: new Set(ls.map((l) => l.order.id)).size,
      };
    };

    const byProduct = ok(await srv.admin.get('/api/reports/sales?rows=product')) as SalesAnalysis;
    expect(byProduct.columns).toBeNull();
    for (const p of [creme, cafe]) {
      const row = byProduct.items.find((r) => r.key === String(p.id))!;
      expect(row.label).toBe(p.name);
      expect(row.totals).toEqual(expectedOf((l) => l.productId === p.id));
    }
    expect(byProduct.total).toEqual(expectedOf(() => true));
    expect(byProduct.total.untaxed).toBe(inRange.reduce((s, o) => s + o.amountUntaxed, 0));
    expect(byProduct.total.total).toBe(inRange.reduce((s, o) => s + o.amountTotal, 0));
    // Largest untaxed amount first.
    expect(byProduct.items.map((r) => r.totals.untaxed)).toEqual([...byProduct.items.map((r) => r.totals.untaxed)].sort((a, b) => b - a));

    // Product × channel: every cell, each row's and column's total, and the whole.
    const pivot = ok(await srv.admin.get('/api/reports/sales?rows=product&columns=channel')) as SalesAnalysis;
    expect(pivot.columnTotals.map((c) => c.label).sort()).toEqual(['Boutique Zoé', 'Direct', 'Marché Ålesund']);
    const channelOf = (key: string) => (key === 'none' ? null : Number(key));
    for (const row of pivot.items) {
      for (const cell of row.cells) {
        expect(cell.figures).toEqual(expectedOf((l) => String(l.productId) === row.key && l.order.channelId === channelOf(cell.key)));
      }
      expect(sum(row.cells.map((c) => c.figures))).toEqual({ quantity: row.totals.quantity, untaxed: row.totals.untaxed, total: row.totals.total });
    }
    for (const col of pivot.columnTotals) {
      expect(col.totals).toEqual(expectedOf((l) => l.order.channelId === channelOf(col.key)));
      const cells = pivot.items.flatMap((r) => r.cells.filter((c) => c.key === col.key).map((c) => c.figures));
      expect(sum(cells)).toEqual({ quantity: col.totals.quantity, untaxed: col.totals.untaxed, total: col.totals.total });
    }
    expect(pivot.total).toEqual(byProduct.total);
    // An order with two products counts once in its column, once in the whole.
    expect(pivot.columnTotals.find((c) => c.key === String(shop.id))!.totals.orders).toBe(2);

    // Customers (accented names), by week; periods in order, the empty ones included.
    const byCustomer = ok(await srv.admin.get('/api/reports/sales?rows=customer&columns=period&period=week')) as SalesAnalysis;
    expect(byCustomer.items.map((r) => r.label).sort()).toEqual(['José Müller', 'Zoë Ångström']);
    expect(byCustomer.columnTotals.map((c) => c.key)).toEqual([...byCustomer.columnTotals.map((c) => c.key)].sort());
    expect(byCustomer.columnTotals.reduce((s, c) => s + c.totals.untaxed, 0)).toBe(byCustomer.total.untaxed);
    const byMonth = ok(await srv.admin.get(`/api/reports/sales?rows=period&period=month&from=${day(-89)}&to=${day(0)}`)) as SalesAnalysis;
    expect(byMonth.items.reduce((s, r) => s + r.totals.orders, 0)).toBe(5);
    expect(byMonth.items.map((r) => r.key).every((k) => k.endsWith('-01'))).toBe(true);

    // A filter, and a user limited to their own orders.
    const shopOnly = ok(await srv.admin.get(`/api/reports/sales?rows=product&channelId=${shop.id}`)) as SalesAnalysis;
    expect(shopOnly.total).toEqual(expectedOf((l) => l.order.channelId === shop.id));
    const mine = ok(await own.get('/api/reports/sales?rows=customer')) as SalesAnalysis;
    expect(mine.total).toEqual(expectedOf((l) => [confirmed[1]!.id, confirmed[3]!.id].includes(l.order.id)));
  });

  it('exports the report as CSV through the one CSV writer: every measure, or the pivot of one, with totals', async () => {
    const report = ok(await srv.admin.get('/api/reports/sales?rows=customer')) as SalesAnalysis;
    const res = await srv.admin.download('/api/reports/sales.csv?rows=customer');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`sales-${report.from}-${report.to}.csv`);
    const rows = res.body
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(rows[0]).toEqual(['Customer', 'Quantity', 'Untaxed (EUR)', 'Total (EUR)', 'Orders']);
    const euros = (cents: number) => (cents / 100).toFixed(2);
    expect(rows.slice(1, -1)).toEqual(
      report.items.map((r) => [r.label, String(r.totals.quantity), euros(r.totals.untaxed), euros(r.totals.total), String(r.totals.orders)]),
    );
    expect(rows.at(-1)).toEqual(['Total', String(report.total.quantity), euros(report.total.untaxed), euros(report.total.total), String(report.total.orders)]);

    const pivot = ok(await srv.admin.get('/api/reports/sales?rows=product&columns=channel')) as SalesAnalysis;
    const csv = await srv.admin.download('/api/reports/sales.csv?rows=product&columns=channel&measure=quantity');
    const grid = csv.body
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(grid[0]).toEqual(['Product \\ Channel: Quantity', ...pivot.columnTotals.map((c) => c.label), 'Total']);
    for (const [i, r] of pivot.items.entries()) {
      expect(grid[i + 1]).toEqual([
        r.label,
        ...pivot.columnTotals.map((c) => String(r.cells.find((x) => x.key === c.key)?.figures.quantity ?? 0)),
        String(r.totals.quantity),
      ]);
    }
    expect(grid.at(-1)).toEqual(['Total', ...pivot.columnTotals.map((c) => String(c.totals.quantity)), String(pivot.total.quantity)]);
  });

  it('a formula-like name is written as text in the CSV file', async () => {
    const evil = await makePartner(srv.admin, { name: '=HYPERLINK("http://x","y")' });
    await order(srv.admin, { partnerId: evil.id, dateOrder: at(0), lines: [{ productId: cafe.id, quantity: 1 }] });
    const csv = (await srv.admin.download('/api/reports/sales.csv?rows=customer')).body.toString('utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('answers 400 naming the parameter for bad report parameters', async () => {
    for (const [query, field] of [
      ['rows=warehouse', 'rows'],
      ['rows=product&columns=product', 'columns'],
      ['period=year', 'period'],
      ['measure=margin', 'measure'],
      [`from=${day(0)}&to=${day(-3)}`, 'to'],
      [`rows=period&period=day&from=${day(-400)}&to=${day(0)}`, 'period'],
      ['partnerId=abc', 'partnerId'],
      ['limit=5', 'limit'],
    ] as const) {
      for (const path of ['/api/reports/sales', '/api/reports/sales.csv']) {
        const res = await srv.admin.get(`${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        expect(JSON.stringify(res.body.error.details), query).toContain(field);
      }
    }
  });
});
