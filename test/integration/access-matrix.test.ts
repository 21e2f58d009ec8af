import { beforeAll, describe, expect, it } from 'vitest';
import { rooms } from '../../contracts/events';
import type { RecordModel, Role } from '../../contracts/states';
import type { ApiClient } from '../support/client';
import { makePartner, makeProduct } from '../factories/data';
import { eventually } from '../support/eventually';
import { useMailgunStandIn } from '../support/mailgun';
import { collect, subscribe, useTestServer, type TestSocket } from '../support/server';
import { setStock } from '../factories/stock';

// The access matrix (issue 13, finding 2): roles × models × channels, from the tables below. A user is
// allowed a record through a channel when the channel's roles include theirs and, for a user limited to
// their own orders (orderAccess `own`), when the record belongs to one of their orders. A model added
// later is covered by adding a row to MODELS (and its channels' URLs). A purchase order belongs to no
// salesperson's order: users limited to their own orders never see one; nor a call for tenders.

const ALL: Role[] = ['admin', 'sales', 'warehouse', 'accounting', 'purchase'];
/** Who reads invoices (vendor bills are the buyers' too) and the outbox (mail.read). */
const INVOICE_READERS: Role[] = ['admin', 'sales', 'accounting', 'purchase'];
const MAIL: Role[] = ['admin', 'sales', 'accounting', 'purchase'];
/** Who reads the stock report, and so the materials-flow graph (inventory.read). */
const STOCK_READERS: Role[] = ALL;

type Ids = {
  order: number;
  picking: number;
  invoice: number;
  purchase: number;
  tender: number;
  partner: number;
  product: number;
  attachment: number;
  outbox: number;
};
type Channel = 'rest' | 'list' | 'document' | 'chatter' | 'attachment' | 'room' | 'board' | 'outbox' | 'report' | 'flow' | 'search' | 'dashboard' | 'analysis';

type ModelRow = {
  model: RecordModel;
  /** The roles each channel lets in (before the own-orders rule); a channel left out does not apply. */
  roles: Partial<Record<Channel, Role[]>>;
  rest: (id: number) => string;
  list: (ids: Ids) => string;
  documents?: (id: number) => string[];
  board?: { room: string; event: 'order.updated' | 'picking.updated' | 'invoice.updated' | 'purchaseOrder.updated' | 'tender.updated' };
  /** Nobody's own: a user limited to their own orders is denied it through every channel. */
  ownerless?: boolean;
};

const MODELS: ModelRow[] = [
  {
    model: 'saleOrder',
    // search: the global search (GET /api/search, the command palette) finds it by its number.
    // dashboard: the order's product among the top products; analysis: the sales analysis (and its CSV) of that product.
    roles: { rest: ALL, list: ALL, chatter: ALL, attachment: ALL, room: ALL, board: ALL, outbox: MAIL, search: ALL, dashboard: ALL, analysis: ALL },
    rest: (id) => `/api/sale-orders/${id}`,
    list: () => '/api/sale-orders?limit=200',
    board: { room: rooms.ordersBoard, event: 'order.updated' },
  },
  {
    model: 'picking',
    // flow: the open moves of an edge of the materials-flow graph, which name their pickings.
    roles: {
      rest: ALL,
      list: ALL,
      document: ALL,
      chatter: ALL,
      attachment: ALL,
      room: ALL,
      board: ALL,
      outbox: MAIL,
      flow: STOCK_READERS,
      search: ALL,
    },
    rest: (id) => `/api/pickings/${id}`,
    list: (ids) => `/api/pickings?saleOrderId=${ids.order}`,
    documents: (id) => [`/api/pickings/${id}/pdf`, `/api/pickings/${id}/docx`],
    board: { room: rooms.shipmentsBoard, event: 'picking.updated' },
  },
  {
    model: 'invoice',
    roles: {
      rest: INVOICE_READERS,
      list: INVOICE_READERS,
      document: INVOICE_READERS,
      chatter: INVOICE_READERS,
      attachment: INVOICE_READERS,
      room: INVOICE_READERS,
      board: INVOICE_READERS,
      outbox: MAIL,
      report: INVOICE_READERS,
      search: INVOICE_READERS,
    },
    rest: (id) => `/api/invoices/${id}`,
    list: (ids) => `/api/invoices?limit=200&partnerId=${ids.partner}`,
    documents: (id) => [`/api/invoices/${id}/pdf`, `/api/invoices/${id}/docx`],
    board: { room: rooms.invoicesBoard, event: 'invoice.updated' },
  },
  {
    model: 'purchaseOrder',
    // dashboard: the open RFQs tile counting it.
    roles: { rest: ALL, list: ALL, chatter: ALL, attachment: ALL, room: ALL, board: ALL, outbox: MAIL, dashboard: ALL },
    rest: (id) => `/api/purchase-orders/${id}`,
    list: () => '/api/purchase-orders?limit=200',
    board: { room: rooms.purchasesBoard, event: 'purchaseOrder.updated' },
    ownerless: true,
  },
  {
    model: 'tender',
    roles: { rest: ALL, list: ALL, chatter: ALL, attachment: ALL, room: ALL, board: ALL, outbox: MAIL },
    rest: (id) => `/api/tenders/${id}`,
    list: () => '/api/tenders?limit=200',
    board: { room: rooms.purchasesBoard, event: 'tender.updated' },
    ownerless: true,
  },
];

// Who asks: each role, and users limited to their own orders (one owns the "mine" records).
type Principal = { label: string; role: Role; own: boolean; ownsMine: boolean };
const PRINCIPALS: Principal[] = [
  { label: 'admin', role: 'admin', own: false, ownsMine: false },
  { label: 'sales', role: 'sales', own: false, ownsMine: false },
  { label: 'sales (own orders)', role: 'sales', own: true, ownsMine: true },
  { label: 'sales (own orders, another)', role: 'sales', own: true, ownsMine: false },
  { label: 'warehouse', role: 'warehouse', own: false, ownsMine: false },
  { label: 'warehouse (own orders)', role: 'warehouse', own: true, ownsMine: false },
  { label: 'accounting', role: 'accounting', own: false, ownsMine: false },
  { label: 'accounting (own orders)', role: 'accounting', own: true, ownsMine: false },
  { label: 'purchase', role: 'purchase', own: false, ownsMine: false },
  { label: 'purchase (own orders)', role: 'purchase', own: true, ownsMine: false },
];

function allowed(p: Principal, row: ModelRow, channel: Channel, which: 'mine' | 'other'): boolean {
  const roles = row.roles[channel];
  if (!roles?.includes(p.role)) return false;
  return !p.own || (!row.ownerless && p.ownsMine && which === 'mine');
}

describe('access matrix: roles × models × channels', () => {
  const mailgun = useMailgunStandIn();
  const srv = useTestServer({ env: mailgun.env });
  const clients = new Map<string, ApiClient>();
  const records: Record<'mine' | 'other', Record<RecordModel, Ids>> = { mine: {} as never, other: {} as never };

  // One order with its delivery, its posted invoice, a purchase order (made by an admin), a file and an
  // emailed comment on each.
  async function orderWorld(owner: ApiClient): Promise<Record<RecordModel, Ids>> {
    const admin = srv.admin;
    const partner = await makePartner(admin);
    const product = await makeProduct(admin, { invoicePolicy: 'order', listPrice: 2500 });
    await setStock(admin, product.id, 50);
    const created = await owner.post('/api/sale-orders', { partnerId: partner.id, lines: [{ productId: product.id, quantity: 2, unitPrice: 2500 }] });
    expect(created.status).toBe(201);
    const order = created.body.id as number;
    expect((await owner.post(`/api/sale-orders/${order}/confirm`, {})).status).toBe(200);
    const picking = (await admin.get(`/api/pickings?saleOrderId=${order}`)).body.items[0].id as number;
    const invoiced = await admin.post(`/api/sale-orders/${order}/invoice`);
    expect(invoiced.status).toBe(201);
    const invoice = invoiced.body.invoiceIds[0] as number;
    expect((await admin.post(`/api/invoices/${invoice}/post`, {})).status).toBe(200);
    const vendor = await makePartner(admin, { roles: ['vendor'] });
    const rfq = await admin.post('/api/purchase-orders', { partnerId: vendor.id, lines: [{ productId: product.id, quantity: 5 }] });
    expect(rfq.status).toBe(201);
    const purchase = rfq.body.id as number;
    const tendered = await admin.post('/api/tenders', {
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
      vendorIds: [vendor.id],
      lines: [{ productId: product.id, quantity: 5 }],
    });
    expect(tendered.status).toBe(201);
    const tender = tendered.body.id as number;
    const out: Partial<Record<RecordModel, Ids>> = {};
    for (const [model, resId] of [
      ['saleOrder', order],
      ['picking', picking],
      ['invoice', invoice],
      ['purchaseOrder', purchase],
      ['tender', tender],
    ] as const) {
      const file = await admin.upload('/api/attachments', { model, resId }, [{ name: `${model}.txt`, data: `about ${model} ${resId}` }]);
      expect(file.status).toBe(201);
      expect((await admin.post('/api/followers', { model, resId, partnerId: partner.id })).status).toBe(201);
      const posted = await admin.post('/api/messages', { model, resId, type: 'comment', body: `<p>Hello about ${model}</p>`, attachmentIds: [file.body.id] });
      expect(posted.status).toBe(201);
      const outbox = await eventually(async () => {
        const rows = (await admin.get('/api/mail/outbox?limit=200')).body.items as { id: number; model: string; resId: number }[];
        return rows.find((r) => r.model === model && r.resId === resId);
      });
      out[model] = { order, picking, invoice, purchase, tender, partner: partner.id, product: product.id, attachment: file.body.id, outbox: outbox.id };
    }
    return out as Record<RecordModel, Ids>;
  }

  beforeAll(async () => {
    clients.set('admin', srv.admin);
    for (const p of PRINCIPALS.slice(1)) {
      const c = await srv.user(p.role, p.label);
      if (p.own) expect((await srv.admin.patch(`/api/users/${c.user!.id}`, { orderAccess: 'own' })).status).toBe(200);
      clients.set(p.label, c);
    }
    records.mine = await orderWorld(clients.get('sales (own orders)')!);
    records.other = await orderWorld(clients.get('sales')!);
  }, 120_000);

  const idOf = (row: ModelRow, ids: Ids) =>
    ({ saleOrder: ids.order, picking: ids.picking, invoice: ids.invoice, purchaseOrder: ids.purchase, tender: ids.tender })[row.model as 'saleOrder'];
  const verdict = (status: number) => (status === 200 ? 'allowed' : status === 403 || status === 404 ? 'denied' : `HTTP ${status}`);

  for (const p of PRINCIPALS) {
    it(`${p.label}: REST, lists, documents, chatter, files, rooms, outbox, reports and the dashboard`, { timeout: 60_000 }, async () => {
      const c = clients.get(p.label)!;
      const s = await srv.socket(c);
      const got: string[] = [];
      const want: string[] = [];
      const check = (what: string, expected: boolean, actual: string) => {
        want.push(`${what}: ${expected ? 'allowed' : 'denied'}`);
        got.push(`${what}: ${actual}`);
      };
      const outbox = (await c.get('/api/mail/outbox?limit=200')).body.items as { id: number }[] | undefined;
      for (const row of MODELS) {
        for (const which of ['mine', 'other'] as const) {
          const ids = records[which][row.model];
          const id = idOf(row, ids);
          const at = `${row.model} (${which})`;
          check(`${at} rest`, allowed(p, row, 'rest', which), verdict((await c.get(row.rest(id))).status));
          const list = await c.get(row.list(ids));
          const listed = list.status === 200 && (list.body.items as { id: number }[]).some((x) => x.id === id);
          check(
            `${at} list`,
            allowed(p, row, 'list', which),
            list.status === 200 || list.status === 403 ? (listed ? 'allowed' : 'denied') : `HTTP ${list.status}`,
          );
          for (const doc of row.documents?.(id) ?? []) {
            check(`${at} ${doc.split('/').pop()}`, allowed(p, row, 'document', which), verdict((await c.download(doc)).status));
          }
          check(`${at} chatter`, allowed(p, row, 'chatter', which), verdict((await c.get(`/api/messages?model=${row.model}&resId=${id}`)).status));
          check(`${at} attachment`, allowed(p, row, 'attachment', which), verdict((await c.download(`/api/attachments/${ids.attachment}`)).status));
          const room = await subscribe(s, rooms.record(row.model, id));
          check(`${at} room`, allowed(p, row, 'room', which), 'ok' in room ? 'allowed' : 'denied');
          check(`${at} outbox list`, allowed(p, row, 'outbox', which), outbox?.some((m) => m.id === ids.outbox) ? 'allowed' : 'denied');
          check(`${at} outbox row`, allowed(p, row, 'outbox', which), verdict((await c.get(`/api/mail/outbox/${ids.outbox}`)).status));
          if (row.roles.flow) {
            // The graph's counts are the stock report's figures (every stock reader); its moves list names pickings by their rule.
            const graph = await c.get(`/api/routes/graph?productId=${ids.product}`);
            check(`${at} flow graph`, STOCK_READERS.includes(p.role), verdict(graph.status));
            const moves = await c.get(`/api/routes/graph/moves?productId=${ids.product}`);
            const listed = moves.status === 200 && (moves.body.items as { pickingId: number | null }[]).some((m) => m.pickingId === id);
            check(`${at} flow moves`, allowed(p, row, 'flow', which), listed ? 'allowed' : 'denied');
          }
          if (row.roles.search) {
            const name = (await srv.admin.get(row.rest(id))).body.name as string;
            const found = await c.get(`/api/search?q=${encodeURIComponent(name)}&limit=20`);
            const hits = found.status === 200 ? (found.body.groups as { kind: string; hits: { id: number }[] }[]) : [];
            const listed = hits.some((g) => g.kind === row.model && g.hits.some((h) => h.id === id));
            check(`${at} search`, allowed(p, row, 'search', which), found.status === 200 ? (listed ? 'allowed' : 'denied') : `HTTP ${found.status}`);
          }
          if (row.roles.dashboard) {
            const board = await c.get('/api/dashboard');
            const shown =
              board.status === 200 &&
              (row.model === 'saleOrder'
                ? (board.body.topProducts as { productId: number }[]).some((x) => x.productId === ids.product)
                : (board.body.tiles as { key: string; count: number }[]).some((t) => t.key === 'rfqsOpen' && t.count > 0));
            check(
              `${at} dashboard`,
              allowed(p, row, 'dashboard', which),
              board.status === 200 || board.status === 403 ? (shown ? 'allowed' : 'denied') : `HTTP ${board.status}`,
            );
          }
          if (row.roles.analysis) {
            const report = await c.get(`/api/reports/sales?rows=product&productId=${ids.product}`);
            check(`${at} sales analysis`, allowed(p, row, 'analysis', which), report.status === 200 && report.body.total.orders > 0 ? 'allowed' : 'denied');
            const csv = await c.download(`/api/reports/sales.csv?rows=product&productId=${ids.product}`);
            const orders = Number(csv.body.toString('utf8').trim().split('\n').at(-1)?.split(',').at(-1));
            check(`${at} sales analysis csv`, allowed(p, row, 'analysis', which), csv.status === 200 && orders > 0 ? 'allowed' : 'denied');
          }
          if (row.roles.report) {
            const items = await c.get(`/api/reports/journal-items?invoiceId=${ids.invoice}`);
            check(`${at} journal items`, allowed(p, row, 'report', which), items.status === 200 && items.body.total > 0 ? 'allowed' : 'denied');
            const aged = await c.get(`/api/reports/receivables?partnerId=${ids.partner}`);
            check(`${at} receivables`, allowed(p, row, 'report', which), aged.status === 200 && aged.body.items.length > 0 ? 'allowed' : 'denied');
          }
        }
      }
      expect(got).toEqual(want);
    });
  }

  // Job runs (exports, imports, invoice batches) are their starter's: the owner and admins see a job's
  // state and its file; anyone else gets 403, whatever their role or order access.
  it('job runs: the starter and admins, no one else (state and file)', { timeout: 60_000 }, async () => {
    const owner = clients.get('sales (own orders)')!;
    const started = await owner.post('/api/sale-orders/export', {});
    expect(started.status).toBe(202);
    const jobId = started.body.jobId as string;
    await eventually(async () => (await owner.get(`/api/jobs/${encodeURIComponent(jobId)}`)).body.state === 'completed');
    const got: string[] = [];
    const want: string[] = [];
    for (const p of PRINCIPALS) {
      const c = clients.get(p.label)!;
      const may = p.role === 'admin' || p.label === 'sales (own orders)';
      for (const path of [`/api/jobs/${encodeURIComponent(jobId)}`, `/api/jobs/${encodeURIComponent(jobId)}/download`]) {
        want.push(`${p.label} ${path}: ${may ? 'allowed' : 'denied'}`);
        got.push(`${p.label} ${path}: ${verdict((await c.download(path)).status)}`);
      }
    }
    expect(got).toEqual(want);
  });

  it('boards (orders, shipments, invoices, purchases, mail) carry to each user the events of what they may see', { timeout: 60_000 }, async () => {
    const sockets = new Map<string, TestSocket>();
    const seen = new Map<string, Map<string, { id: number }[]>>();
    const boardOf = (row: ModelRow) => row.board!;
    for (const p of PRINCIPALS) {
      const s = await srv.socket(clients.get(p.label)!);
      sockets.set(p.label, s);
      const mine = new Map<string, { id: number }[]>();
      for (const row of MODELS) {
        await subscribe(s, boardOf(row).room);
        mine.set(row.model, collect(s, boardOf(row).event) as { id: number }[]);
      }
      await subscribe(s, rooms.mailBoard);
      mine.set('mail', collect(s, 'mail.updated') as { id: number }[]);
      seen.set(p.label, mine);
    }
    // A change to each record of both orders: a note on the order, a carrier on the delivery, a payment
    // on the invoice, a note on the purchase order and on the tender, and an email about the order sent again.
    for (const which of ['mine', 'other'] as const) {
      const ids = records[which].saleOrder;
      const order = (await srv.admin.get(`/api/sale-orders/${ids.order}`)).body;
      const picking = (await srv.admin.get(`/api/pickings/${ids.picking}`)).body;
      const purchase = (await srv.admin.get(`/api/purchase-orders/${ids.purchase}`)).body;
      const tender = (await srv.admin.get(`/api/tenders/${ids.tender}`)).body;
      for (const [res, status] of [
        [await srv.admin.patch(`/api/sale-orders/${ids.order}`, { version: order.version, note: `seen by ${which}` }), 200],
        [await srv.admin.patch(`/api/pickings/${ids.picking}`, { version: picking.version, carrier: `Carrier ${which}` }), 200],
        [await srv.admin.post(`/api/invoices/${ids.invoice}/payments`, { amount: 100, date: '2026-12-01', method: 'bank' }), 201],
        [await srv.admin.patch(`/api/purchase-orders/${ids.purchase}`, { version: purchase.version, note: `seen by ${which}` }), 200],
        [await srv.admin.patch(`/api/tenders/${ids.tender}`, { version: tender.version, note: `seen by ${which}` }), 200],
        [await srv.admin.post('/api/messages', { model: 'saleOrder', resId: ids.order, type: 'comment', body: `<p>again ${which}</p>` }), 201],
      ] as const) {
        expect(res.status, JSON.stringify(res.body)).toBe(status);
      }
    }
    const idFor = (row: ModelRow, ids: Ids) => idOf(row, ids);
    const mailRow = MODELS.find((m) => m.model === 'saleOrder')!;
    const mailIds = async (which: 'mine' | 'other') =>
      ((await srv.admin.get('/api/mail/outbox?limit=200')).body.items as { id: number; model: string; resId: number }[])
        .filter((m) => m.model === 'saleOrder' && m.resId === records[which].saleOrder.order)
        .map((m) => m.id);
    const mail = { mine: [] as number[], other: [] as number[] };
    // Wait until every allowed event has arrived, then give the others the time to (wrongly) arrive.
    await eventually(async () => {
      mail.mine = await mailIds('mine');
      mail.other = await mailIds('other');
      for (const p of PRINCIPALS) {
        const events = seen.get(p.label)!;
        for (const which of ['mine', 'other'] as const) {
          for (const row of MODELS) {
            if (allowed(p, row, 'board', which) && !events.get(row.model)!.some((e) => e.id === idFor(row, records[which][row.model]))) return false;
          }
          if (allowed(p, mailRow, 'outbox', which) && !events.get('mail')!.some((e) => mail[which].includes(e.id))) return false;
        }
      }
      return true;
    }, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    const got: string[] = [];
    const want: string[] = [];
    for (const p of PRINCIPALS) {
      for (const which of ['mine', 'other'] as const) {
        for (const row of MODELS) {
          want.push(`${p.label} ${row.board!.room} ${which}: ${allowed(p, row, 'board', which)}`);
          got.push(
            `${p.label} ${row.board!.room} ${which}: ${seen
              .get(p.label)!
              .get(row.model)!
              .some((e) => e.id === idFor(row, records[which][row.model]))}`,
          );
        }
        want.push(`${p.label} board:mail ${which}: ${allowed(p, mailRow, 'outbox', which)}`);
        got.push(
          `${p.label} board:mail ${which}: ${seen
            .get(p.label)!
            .get('mail')!
            .some((e) => mail[which].includes(e.id))}`,
        );
      }
    }
    expect(got).toEqual(want);
  });
});
