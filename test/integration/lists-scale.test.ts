import { Op, type Order } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { countUpTo, findPage, idsWhere, readByIds, unindexed } from '../../server/http/list';
import { InvoiceModel } from '../../server/modules/accounting/invoice.model';
import { PickingModel } from '../../server/modules/inventory/stock.model';
import { PurchaseOrderModel } from '../../server/modules/purchasing/purchase-order.model';
import { makePartner, makeProduct } from '../factories/data';
import type { ApiClient } from '../support/client';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

// The purchase, transfers and invoices lists at scale (issue 18, as board-scale.test.ts for the order
// board): the keyset cursor of every sort (ties and empty values included), a bad cursor refused, the
// totals and state counts that stop at BOARD_COUNT_LIMIT (3 here), and the indexed searches (number
// prefix, bare digits, origin or payment reference, the partner's name through the full-text index).

const LIMIT = 3;
const srv = useTestServer({ env: () => ({ BOARD_COUNT_LIMIT: String(LIMIT) }) });

type Row = { id: number; name: string | null; state: string };
type Page = { items: Row[]; total: number; totalIsEstimate?: boolean; nextCursor?: string | null };

async function list(c: ApiClient, path: string, query: string): Promise<Page> {
  const res = await c.get(`${path}?${query}`);
  expectStatus(res, 200);
  return res.body;
}

/** Every page by cursor, two at a time, until nextCursor is null. */
async function walk(c: ApiClient, path: string, query: string): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await list(c, path, `${query}&limit=2${cursor ? `&after=${cursor}` : ''}`);
    seen.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('the cursor never ended');
}

/** Each sort walked by cursor gives the rows of one big offset page, in the same order: no duplicate, no gap. */
async function expectWalks(path: string, filter: string, sorts: string[], count: number): Promise<void> {
  for (const sort of sorts) {
    const q = `${filter}${sort ? `&sort=${sort}` : ''}`;
    const all = await list(srv.admin, path, `${q}&limit=100`);
    expect(all.items, q).toHaveLength(count);
    expect(all.nextCursor).toBeNull();
    const walked = await walk(srv.admin, path, q);
    expect(walked, q).toEqual(all.items.map((r) => r.id));
    expect(new Set(walked).size).toBe(count);
  }
}

/** A bad cursor is a 400 on `after`, and the list answers as before. */
async function expectBadCursors(path: string, filter: string, otherSort?: [string, string]): Promise<void> {
  const before = await list(srv.admin, path, `${filter}&limit=2`);
  expectError(await srv.admin.get(`${path}?${filter}&after=nonsense`), 400, 'validation', 'after');
  expectError(await srv.admin.get(`${path}?${filter}&after=${Buffer.from('["x"]').toString('base64url')}`), 400, 'validation', 'after');
  if (otherSort) {
    const page = await list(srv.admin, path, `${filter}&sort=${otherSort[0]}&limit=1`);
    expectError(await srv.admin.get(`${path}?${filter}&sort=${otherSort[1]}&after=${page.nextCursor}`), 400, 'validation', 'after');
  }
  expect(await list(srv.admin, path, `${filter}&limit=2`)).toEqual(before);
}

const ids = (page: Page) => page.items.map((r) => r.id);

describe('GET /api/purchase-orders (cursor, counts, search)', () => {
  const SORTS = ['-createdAt', 'createdAt', '-dateOrder', 'dateOrder', '-datePlanned', 'datePlanned', '-name', 'name', '-amountTotal', 'amountTotal'];

  async function setup() {
    const tag = uniqueTag('po');
    const vendor = await makePartner(srv.admin, { name: `Vendeur Çédric ${tag}`, roles: ['vendor'] });
    const product = await makeProduct(srv.admin, { vendors: [{ partnerId: vendor.id, price: 1000, minQty: 1, leadDays: 2 }] });
    const made: { id: number; name: string }[] = [];
    for (let i = 0; i < 7; i++) {
      // Equal order dates and totals (ties); RFQs without lines have no planned date (empty values).
      const res = await srv.admin.post('/api/purchase-orders', {
        partnerId: vendor.id,
        origin: `S9${tag}-${i}`,
        dateOrder: `2024-03-0${1 + (i % 2)}T10:00:00Z`,
        lines: i % 3 === 0 ? [] : [{ productId: product.id, quantity: 1 + (i % 2), datePlanned: `2024-04-0${1 + (i % 2)}T10:00:00Z` }],
      });
      expectStatus(res, 201);
      made.push(res.body);
      if (i % 4 === 3) expectStatus(await srv.admin.post(`/api/purchase-orders/${res.body.id}/cancel`, {}), 200);
    }
    return { tag, vendor, made };
  }

  it('walks every sort by cursor as the offset pages do; a bad cursor is a 400; totals and state counts stop at the limit', async () => {
    const { vendor, made } = await setup();
    const filter = `partnerId=${vendor.id}`;
    const rows = (await list(srv.admin, '/api/purchase-orders', filter)).items as (Row & { datePlanned: string | null })[];
    expect(rows.filter((r) => r.datePlanned === null)).toHaveLength(3);
    await expectWalks('/api/purchase-orders', filter, SORTS, 7);
    await expectWalks('/api/purchase-orders', `${filter}&state=draft`, ['-createdAt', 'datePlanned'], 6);
    await expectBadCursors('/api/purchase-orders', filter, ['-createdAt', '-amountTotal']);

    const over = await list(srv.admin, '/api/purchase-orders', `${filter}&limit=2`);
    expect(over).toMatchObject({ total: LIMIT, totalIsEstimate: true });
    const cancelled = await list(srv.admin, '/api/purchase-orders', `${filter}&state=cancel`);
    expect(cancelled.total).toBe(made.filter((_m, i) => i % 4 === 3).length);
    expect(cancelled.totalIsEstimate).toBeUndefined();
    expect((await srv.admin.get(`/api/purchase-orders/counts?${filter}`)).body).toEqual({
      draft: LIMIT,
      sent: 0,
      purchase: 0,
      done: 0,
      cancel: 1,
      estimated: ['draft'],
    });
    // Offsets keep working.
    const second = await list(srv.admin, '/api/purchase-orders', `${filter}&limit=2&offset=2`);
    expect(ids(second)).toEqual(ids(await list(srv.admin, '/api/purchase-orders', `${filter}&limit=7`)).slice(2, 4));
  });

  it('searches by number, bare digits, origin and the vendor’s name (accents folded)', async () => {
    const { tag, vendor, made } = await setup();
    const found = async (q: string) => ids(await list(srv.admin, '/api/purchase-orders', `q=${encodeURIComponent(q)}&limit=100`));
    const first = made[0]!;
    expect(await found(first.name)).toEqual([first.id]);
    expect(await found(first.name.toLowerCase())).toEqual([first.id]);
    expect(await found(String(Number(first.name.slice(1))))).toContain(first.id);
    expect(await found(first.name.slice(0, -1))).toContain(first.id);
    expect(await found(`S9${tag}-3`)).toEqual([made[3]!.id]);
    expect((await found(`cedric ${tag}`)).sort()).toEqual(made.map((m) => m.id).sort());
    expect((await srv.admin.get(`/api/purchase-orders/counts?q=${encodeURIComponent(`vendeur ${tag}`)}`)).body).toMatchObject({ cancel: 1 });
    expect(await found(`nobody ${tag}`)).toEqual([]);
    expect(vendor.id).toBeGreaterThan(0);
  });
});

describe('GET /api/pickings (cursor, counts, search)', () => {
  async function setup() {
    const tag = uniqueTag('pk');
    const customer = await makePartner(srv.admin, { name: `Åsa Lindqvist ${tag}` });
    const product = await makeProduct(srv.admin);
    const made: { id: number; name: string; origin: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const order = await srv.admin.post('/api/sale-orders', { partnerId: customer.id, lines: [{ productId: product.id, quantity: 1 }] });
      expectStatus(order, 201);
      expectStatus(await srv.admin.post(`/api/sale-orders/${order.body.id}/confirm`, {}), 200);
      const delivery = (await list(srv.admin, '/api/pickings', `saleOrderId=${order.body.id}&type=outgoing`)).items[0] as Row & { version: number };
      // Two scheduled dates only: ties broken by id.
      const patched = await srv.admin.patch(`/api/pickings/${delivery.id}`, { version: delivery.version, scheduledDate: `2024-05-0${1 + (i % 2)}T08:00:00Z` });
      expectStatus(patched, 200);
      made.push({ id: delivery.id, name: delivery.name!, origin: order.body.name });
    }
    return { tag, made };
  }

  it('walks by cursor as the offset pages do; a bad cursor is a 400; the total stops at the limit; searches by number, digits, origin and partner', async () => {
    const { tag, made } = await setup();
    const filter = `type=outgoing&q=${encodeURIComponent(`lindqvist ${tag}`)}`;
    await expectWalks('/api/pickings', filter, [''], 6);
    // Open and scheduled before today: late (the open ones read first, then sorted).
    await expectWalks('/api/pickings', `${filter}&due=late`, [''], 6);
    expect((await list(srv.admin, '/api/pickings', `${filter}&due=today`)).items).toEqual([]);
    const all = await list(srv.admin, '/api/pickings', `${filter}&limit=100`);
    expect(ids(all).sort((a, b) => a - b)).toEqual(made.map((m) => m.id).sort((a, b) => a - b));
    await expectBadCursors('/api/pickings', filter);
    expect(await list(srv.admin, '/api/pickings', `${filter}&limit=2`)).toMatchObject({ total: LIMIT, totalIsEstimate: true });

    const found = async (q: string) => ids(await list(srv.admin, '/api/pickings', `q=${encodeURIComponent(q)}&limit=100`));
    const first = made[0]!;
    expect(await found(first.name)).toEqual([first.id]);
    expect(await found(first.name.toLowerCase())).toEqual([first.id]);
    expect(await found(String(Number(first.name.split('/').pop())))).toContain(first.id);
    expect(await found(first.name.slice(0, -1))).toContain(first.id);
    expect(await found(first.origin)).toContain(first.id);
    expect(await found(`asa ${tag}`)).toHaveLength(6);
  });
});

describe('GET /api/invoices (cursor, counts, search)', () => {
  const SORTS = ['-createdAt', 'createdAt', '-invoiceDate', 'invoiceDate', '-dueDate', 'dueDate', '-name', 'name', '-amountTotal', 'amountTotal'];

  async function setup() {
    const tag = uniqueTag('inv');
    const vendor = await makePartner(srv.admin, { name: `Björk Guðmundsdóttir ${tag}`, roles: ['vendor'] });
    const made: { id: number }[] = [];
    for (let i = 0; i < 7; i++) {
      // Drafts without dates nor number (empty values), equal dates and totals (ties).
      const res = await srv.admin.post('/api/invoices', {
        partnerId: vendor.id,
        ...(i % 3 !== 0 && { invoiceDate: `2024-06-0${1 + (i % 2)}`, dueDate: `2024-07-0${1 + (i % 2)}` }),
        lines: [{ description: `Service ${i}`, quantity: 1 + (i % 2), unitPrice: 1000 }],
      });
      expectStatus(res, 201);
      made.push(res.body);
      if (i % 2 === 1) expectStatus(await srv.admin.post(`/api/invoices/${res.body.id}/post`, {}), 200);
    }
    return { tag, vendor, made };
  }

  it('walks every sort by cursor as the offset pages do (drafts without number or dates included); a bad cursor is a 400; the total stops at the limit', async () => {
    const { vendor } = await setup();
    const filter = `partnerId=${vendor.id}`;
    const rows = (await list(srv.admin, '/api/invoices', filter)).items as (Row & { invoiceDate: string | null })[];
    expect(rows.filter((r) => r.name === null)).toHaveLength(4);
    expect(rows.filter((r) => r.invoiceDate === null)).toHaveLength(2);
    await expectWalks('/api/invoices', filter, SORTS, 7);
    await expectWalks('/api/invoices', `${filter}&state=draft`, ['name', '-invoiceDate'], 4);
    await expectBadCursors('/api/invoices', filter, ['-createdAt', 'amountTotal']);
    expect(await list(srv.admin, '/api/invoices', `${filter}&limit=2`)).toMatchObject({ total: LIMIT, totalIsEstimate: true });
    const posted = await list(srv.admin, '/api/invoices', `${filter}&state=posted`);
    expect(posted.total).toBe(LIMIT);
    expect(posted.totalIsEstimate).toBeUndefined();
  });

  it('searches by number, bare digits and the partner’s name', async () => {
    const { tag, made } = await setup();
    const found = async (q: string) => ids(await list(srv.admin, '/api/invoices', `q=${encodeURIComponent(q)}&limit=100`));
    const bill = (await srv.admin.get(`/api/invoices/${made[1]!.id}`)).body as Row;
    expect(bill.name).toMatch(/^BILL\/\d{4}\/\d{5}$/);
    expect(await found(bill.name!)).toEqual([bill.id]);
    expect(await found(bill.name!.toLowerCase())).toEqual([bill.id]);
    expect(await found(String(Number(bill.name!.split('/').pop())))).toContain(bill.id);
    expect(await found(bill.name!.slice(0, -1))).toContain(bill.id);
    expect(await found(`bjork ${tag}`)).toHaveLength(7);
    expect(await found(`gudmundsdottir ${tag}`.replace('gudmundsdottir', 'Guðmundsdóttir'))).toHaveLength(7);
  });
});

describe('the lists’ reads steered for SQLite’s planner (NOT INDEXED from the ids, the unary +)', () => {
  const idsOf = (rows: { id: number }[]) => rows.map((r) => r.id);

  it('give the rows, in the order, and the counts of the plain query', async () => {
    const tag = uniqueTag('steer');
    const partner = await makePartner(srv.admin, { name: `Steer ${tag}`, roles: ['customer', 'vendor'] });
    const product = await makeProduct(srv.admin, { vendors: [{ partnerId: partner.id, price: 1000, minQty: 1, leadDays: 2 }] });
    for (let i = 0; i < 3; i++) {
      const order = await srv.admin.post('/api/sale-orders', { partnerId: partner.id, lines: [{ productId: product.id, quantity: 1 }] });
      expectStatus(order, 201);
      expectStatus(await srv.admin.post(`/api/sale-orders/${order.body.id}/confirm`, {}), 200);
      const delivery = (await list(srv.admin, '/api/pickings', `saleOrderId=${order.body.id}&type=outgoing`)).items[0] as Row & { version: number };
      expectStatus(await srv.admin.patch(`/api/pickings/${delivery.id}`, { version: delivery.version, scheduledDate: `2024-05-0${1 + i}T08:00:00Z` }), 200);
      const lines = [{ productId: product.id, quantity: 1, datePlanned: `2024-04-0${1 + i}T10:00:00Z` }];
      expectStatus(await srv.admin.post('/api/purchase-orders', { partnerId: partner.id, lines }), 201);
      const bill = await srv.admin.post('/api/invoices', {
        partnerId: partner.id,
        invoiceDate: '2024-06-01',
        dueDate: `2024-07-0${1 + i}`,
        lines: [{ description: `Service ${i}`, quantity: 1, unitPrice: 1000 }],
      });
      expectStatus(bill, 201);
      expectStatus(await srv.admin.post(`/api/invoices/${bill.body.id}/post`, {}), 200);
    }

    // Transfers read from the ids a subquery finds: the same page at every offset, the same counts.
    const open = { [Op.and]: [{ type: ['outgoing'] }, idsWhere(PickingModel, { state: ['draft', 'waiting', 'confirmed', 'assigned'] })] };
    const order: Order = [
      ['scheduledDate', 'ASC'],
      ['id', 'ASC'],
    ];
    const all = await PickingModel.findAll({ where: open, order });
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const [limit, offset] of [
      [100, 0],
      [2, 0],
      [2, 1],
    ] as const) {
      const plain = await PickingModel.findAll({ where: open, order, limit, offset });
      expect(idsOf(await findPage(PickingModel, { where: open, order, limit, offset, ...readByIds() }))).toEqual(idsOf(plain));
    }
    for (const limit of [1, 1000]) {
      expect(await countUpTo(PickingModel, open, limit, readByIds())).toEqual(await countUpTo(PickingModel, open, limit));
    }
    expect(await findPage(PickingModel, { where: { [Op.and]: [open, { id: -1 }] }, order, limit: 10, ...readByIds() })).toEqual([]);
    // The late deliveries (their list reads their index on SQLite): the open ones scheduled before today.
    const late = {
      type: ['outgoing'],
      state: ['draft', 'waiting', 'confirmed', 'assigned'],
      scheduledDate: { [Op.lt]: new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`) },
    };
    const lateIds = idsOf(await PickingModel.findAll({ where: late, order, limit: 100 }));
    expect(lateIds.length).toBeGreaterThanOrEqual(3);
    expect(idsOf(await findPage(PickingModel, { where: late, order, limit: 100, indexedBy: 'stock_pickings_state_type_scheduled' }))).toEqual(lateIds);
    expect(ids(await list(srv.admin, '/api/pickings', 'type=outgoing&due=late&limit=100'))).toEqual(lateIds);

    // A condition without its index: the same rows as with it.
    const newest: Order = [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ];
    const before = new Date('2025-01-01T00:00:00Z');
    const planned = await PurchaseOrderModel.findAll({ where: { datePlanned: { [Op.lt]: before } }, order: newest });
    expect(planned.length).toBeGreaterThanOrEqual(3);
    expect(idsOf(await PurchaseOrderModel.findAll({ where: unindexed(PurchaseOrderModel, 'datePlanned', { [Op.lt]: before }), order: newest }))).toEqual(
      idsOf(planned),
    );
    const overdue = await InvoiceModel.findAll({
      where: { state: 'posted', amountResidual: { [Op.gt]: 0 }, dueDate: { [Op.lt]: '2025-01-01' } },
      order: newest,
    });
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    const steered = {
      [Op.and]: [{ state: 'posted' }, unindexed(InvoiceModel, 'amountResidual', { [Op.gt]: 0 }), unindexed(InvoiceModel, 'dueDate', { [Op.lt]: '2025-01-01' })],
    };
    expect(idsOf(await InvoiceModel.findAll({ where: steered, order: newest }))).toEqual(idsOf(overdue));
    // The overdue list (its page walks, its count reads the index) agrees with its own rows.
    const page = await list(srv.admin, '/api/invoices', `overdue=1&partnerId=${partner.id}&limit=100`);
    expect(page.items).toHaveLength(3);
    expect(page.total).toBe(LIMIT);
  });
});
