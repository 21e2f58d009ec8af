import { describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../contracts/schemas/imports';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { ApiClient } from '../support/client';
import { SHOPIFY_COLUMNS, exportOrder, exportTotal, shopifyExport, shopifyRows } from '../factories/csv';
import { makeProduct } from '../factories/data';
import { eventually } from '../support/eventually';
import { subscribe, useTestServer } from '../support/server';
import { rooms } from '../../contracts/events';
import { stringify } from 'csv-stringify/sync';
import { QueryTypes } from 'sequelize';
import { db } from '../../server/db/sequelize';

const SKUS = ['CSV-1', 'CSV-2', 'CSV-3', 'CSV-4', 'CSV-5'];

// CSV files of orders: a Shopify export imported to the cent, the same file again creating nothing,
// broken rows reported each with its line while every good order comes in, dry runs writing nothing.
describe('CSV imports', () => {
  const srv = useTestServer();
  let ready = false;
  const setup = async () => {
    if (ready) return;
    for (const sku of SKUS) await makeProduct(srv.admin, { sku, name: sku, taxIds: [], type: 'consumable' });
    ready = true;
  };

  async function runImport(c: ApiClient, data: Buffer | string, fields: Record<string, string>): Promise<ImportStatus> {
    const res = await c.upload('/api/imports', fields, [{ name: 'orders.csv', data, type: 'text/csv' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return eventually(async () => {
      const s = (await c.get(`/api/imports/${res.body.jobId}`)).body as ImportStatus;
      if (s.state === 'failed') throw new Error(s.failedReason ?? 'failed');
      return s.state === 'completed' && s;
    }, 120_000);
  }
  const count = async (table: string) =>
    Number(((await db().query(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT })) as [{ n: number }])[0].n);
  const ordersOfImport = async () => (await srv.admin.get('/api/sale-orders?limit=1&q=%23')).body.total as number;

  it('a Shopify export of 1,000 orders and 3,000 lines imports to the cent; the same file again creates nothing', { timeout: 240_000 }, async () => {
    await setup();
    const orders = Array.from({ length: 1000 }, (_, n) => exportOrder(n, SKUS, 3));
    const file = shopifyExport(orders);
    // The board hears the import move, and its orders arrive while it runs.
    const board = await srv.socket(srv.admin);
    expect(await subscribe(board, rooms.ordersBoard)).toEqual({ ok: true });
    const heard: { progress: number; state: string; createdSoFar: number }[] = [];
    let createdSoFar = 0;
    board.on('order.created', () => createdSoFar++);
    board.on('import.progress', (e) => heard.push({ progress: e.progress, state: e.state, createdSoFar }));
    const first = await runImport(srv.admin, file, { profile: 'shopify' });
    expect(first).toMatchObject({
      rows: 3000,
      orders: 1000,
      created: 1000,
      updated: 0,
      skipped: 0,
      rejected: 0,
      errorCount: 0,
      encoding: 'utf-8',
      delimiter: ',',
    });

    // To the cent: every order's total is the file's.
    const channel = (await srv.admin.get('/api/channels')).body.items.find((c: { name: string }) => c.name === 'CSV imports');
    const imported: SaleOrder[] = [];
    for (let offset = 0; offset < 1000; offset += 500) {
      imported.push(...(await srv.admin.get(`/api/sale-orders?channelId=${channel.id}&limit=500&offset=${offset}`)).body.items);
    }
    expect(imported).toHaveLength(1000);
    const byRef = new Map(imported.map((o) => [o.externalId, o]));
    for (const o of orders) expect(byRef.get(`#${1000 + o.n}`)?.amountTotal, `#${1000 + o.n}`).toBe(exportTotal(o));
    const one = (await srv.admin.get(`/api/sale-orders/${byRef.get('#1010')!.id}`)).body as SaleOrder;
    expect(one).toMatchObject({
      state: 'draft',
      needsAttention: false,
      shippingAddress: { name: 'Csv Buyer 10', street: '10 Harbour Road', city: 'Galway', countryCode: 'IE' },
    });
    expect(one.note).toContain('Gift, please no invoice in the box');
    expect(one.dateOrder).toBe('2026-11-11T09:15:00.000Z');

    await eventually(async () => heard.some((h) => h.state === 'completed'));
    const moving = heard.filter((h) => h.state !== 'completed' && h.progress > 0 && h.progress < 100);
    // Chunks of 25, 50, 100, 200, 400 orders, then the rest: the bar moves at each.
    expect(moving.length, JSON.stringify(heard)).toBeGreaterThanOrEqual(4);
    expect(moving.map((h) => h.progress)).toEqual([...moving.map((h) => h.progress)].sort((a, b) => a - b));
    expect(moving.at(-1)!.progress).toBeGreaterThan(60);
    expect(moving.some((h) => h.createdSoFar > 0 && h.createdSoFar < 1000)).toBe(true);
    expect(createdSoFar).toBe(1000);

    // Written a chunk at a time: the numbers are one gapless block, the 97 customers made once each.
    const numbers = imported.map((o) => Number(o.name.replace(/^\D+/, ''))).sort((a, b) => a - b);
    expect(numbers.at(-1)! - numbers[0]!).toBe(999);
    expect(await count("partners WHERE email LIKE 'csv.buyer%'")).toBe(97);

    const again = await runImport(srv.admin, file, { profile: 'shopify' });
    expect(again).toMatchObject({ orders: 1000, created: 0, updated: 0, skipped: 1000, errorCount: 0 });
    expect((await srv.admin.get(`/api/channels/${channel.id}`)).body.orderCount).toBe(1000);
  });

  it('an order the database refuses costs only itself: its chunk is halved until that order stands alone', { timeout: 240_000 }, async () => {
    await setup();
    // A real refusal by the database (a trigger), for one line of one order in the middle of a chunk.
    await db().query(
      srv.mode === 'mysql'
        ? "CREATE TRIGGER refuse_line BEFORE INSERT ON sale_order_lines FOR EACH ROW BEGIN IF NEW.description = 'Refused item' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'line refused by the database'; END IF; END"
        : "CREATE TRIGGER refuse_line BEFORE INSERT ON sale_order_lines WHEN NEW.description = 'Refused item' BEGIN SELECT RAISE(ABORT, 'line refused by the database'); END",
    );
    try {
      const orders = Array.from({ length: 1100 }, (_, n) => exportOrder(20_000 + n, SKUS, 3));
      orders[700]!.lines[1]!.name = 'Refused item';
      const refused = `#${1000 + orders[700]!.n}`;
      const linesBefore = await count('sale_order_lines');
      const result = await runImport(srv.admin, shopifyExport(orders), { profile: 'shopify' });
      expect(result).toMatchObject({ orders: 1100, created: 1099, rejected: 1, errorCount: 1 });
      // Its first row is line 2 + 3 × 700 (the header is line 1).
      expect(result.errors![0]).toMatchObject({ row: 2102, reference: refused });
      expect(result.errors![0]!.message).toMatch(new RegExp(`order ${refused} was not imported: .*refused by the database`));
      expect((await srv.admin.get(`/api/sale-orders?q=${encodeURIComponent(refused)}`)).body.total).toBe(0);
      // No half order: every line written belongs to an imported order, each with its own.
      const shipped = orders.filter((o, i) => i !== 700).reduce((s, o) => s + o.lines.length + (o.shipping > 0 ? 1 : 0), 0);
      expect((await count('sale_order_lines')) - linesBefore).toBe(shipped);
      for (const o of [orders[699]!, orders[701]!, orders[1099]!]) {
        const found = (await srv.admin.get(`/api/sale-orders?q=${encodeURIComponent(`#${1000 + o.n}`)}`)).body.items as SaleOrder[];
        expect(found.map((x) => x.amountTotal)).toEqual([exportTotal(o)]);
      }
    } finally {
      await db().query('DROP TRIGGER refuse_line');
    }
  });

  it('20 broken rows: every good order comes in, each broken row is reported with its line; dry run writes nothing', { timeout: 120_000 }, async () => {
    await setup();
    // A UTF-8 file (names with accents), one of whose rows was saved in Latin-1 by another tool.
    const good = Array.from({ length: 30 }, (_, n) => ({ ...exportOrder(5000 + n, SKUS, 2), name: `Jürgen Müller ${n}` }));
    const rows: string[][] = [SHOPIFY_COLUMNS];
    const broken: { line: number; why: RegExp }[] = [];
    const col = (name: string) => SHOPIFY_COLUMNS.indexOf(name);
    const add = (r: string[][], why?: RegExp, badIndex?: number) => {
      r.forEach((row, i) => {
        rows.push(row);
        if (why && i === badIndex) broken.push({ line: rows.length, why });
      });
    };
    for (const o of good) add(shopifyRows(o));
    // Broken orders, one bad row each (the other rows of their order are reported too).
    const bad = (n: number) => shopifyRows(exportOrder(9000 + n, SKUS, 1));
    const mutate = (n: number, f: (row: string[]) => void) => {
      const r = bad(n);
      f(r[0]!);
      return r;
    };
    for (let i = 0; i < 4; i++) {
      add(
        mutate(i, (r) => (r[col('Lineitem quantity')] = ['x', '-2', '0', '1.23456'][i]!)),
        /quantity/,
        0,
      );
    }
    // Unknown SKUs are no error: their orders come in flagged, the line kept unmatched.
    const unmatched: number[] = [];
    for (let i = 4; i < 8; i++) {
      add(mutate(i, (r) => (r[col('Lineitem sku')] = `NOPE-${i}`)));
      unmatched.push(rows.length);
    }
    for (let i = 8; i < 11; i++) {
      add(
        mutate(i, (r) => (r[col('Name')] = '')),
        /no order reference/,
        0,
      );
    }
    for (let i = 11; i < 14; i++) {
      add(
        mutate(i, (r) => (r[col('Created at')] = ['31/12/2026', '2026-13-45 10:00:00', 'yesterday'][i - 11]!)),
        /not a (real )?date/,
        0,
      );
    }
    for (let i = 14; i < 17; i++) {
      add(
        mutate(i, (r) => (r[col('Lineitem price')] = ['abc', '12.345', ''][i - 14]!)),
        /unit price/,
        0,
      );
    }
    for (let i = 17; i < 19; i++) {
      add(
        mutate(i, (r) => r.splice(5, 3)),
        /cells where the header has/,
        0,
      );
    }
    const text = stringify(rows);
    // One row written in Latin-1 in a UTF-8 file ("Café" with é as the single byte 0xE9): its order is
    // taken as read, flagged for a person to correct, not refused.
    const latinRow = stringify(mutate(19, (r) => (r[col('Lineitem name')] = 'Café')));
    const withLatin = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from(latinRow, 'latin1')]);
    const latinLine = rows.length + 1;
    expect(broken).toHaveLength(15);

    const before = await ordersOfImport();
    const dry = await runImport(srv.admin, withLatin, { profile: 'shopify', dryRun: 'true' });
    expect(dry, JSON.stringify({ ...dry, errors: dry.errors?.map((e) => `${e.row}: ${e.message}`) })).toMatchObject({
      dryRun: true,
      orders: 47,
      created: 35,
      rejected: 12,
      flagged: 5,
    });
    expect(await ordersOfImport()).toBe(before);

    const real = await runImport(srv.admin, withLatin, { profile: 'shopify' });
    expect(real).toMatchObject({ dryRun: false, created: 35, rejected: 12, flagged: 5, errorCount: 15 });
    expect(real.flaggedOrders!.map((f) => [f.row, f.reasons.map((r) => r.code)])).toEqual([
      ...unmatched.map((line) => [line, ['unmatched_product']]),
      [latinLine, ['invalid_text']],
    ]);
    expect(real.flaggedOrders!.at(-1)!.reasons[0]!.message).toMatch(
      new RegExp(`^Line ${latinLine} of the file is not valid text in its encoding: "Caf\uFFFD"`),
    );
    for (const b of broken) {
      const reported = real.errors!.find((e) => e.row === b.line);
      expect(reported?.message, `line ${b.line}`).toMatch(b.why);
    }
    // Every good order is in, with its total.
    for (const o of good) {
      const found = (await srv.admin.get(`/api/sale-orders?q=${encodeURIComponent(`#${1000 + o.n}`)}`)).body.items as SaleOrder[];
      expect(found.map((x) => x.amountTotal)).toEqual([exportTotal(o)]);
    }
    // The orders with an unknown SKU came in flagged.
    const flagged = (await srv.admin.get(`/api/sale-orders?q=${encodeURIComponent('#10004')}`)).body.items[0] as SaleOrder;
    expect(flagged.needsAttention).toBe(true);

    const csv = await srv.admin.download(`/api/imports/${real.jobId}/errors.csv`);
    expect(csv.status).toBe(200);
    expect(csv.body.toString()).toContain('row,record,reference,message');
    expect(csv.body.toString().trim().split('\n')).toHaveLength(16);
  });

  it('the preview tells the encoding, the delimiter, the columns and the profile; bad input names its field', async () => {
    await setup();
    const semicolon = stringify([SHOPIFY_COLUMNS, ...shopifyRows(exportOrder(1, SKUS, 1))], { delimiter: ';' });
    const preview = await srv.admin.upload('/api/imports/preview', {}, [
      { name: 'orders.csv', data: Buffer.from(semicolon.replace('Item', 'Itém'), 'latin1') },
    ]);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ encoding: 'windows-1252', delimiter: ';', profile: 'shopify' });
    expect(preview.body.columns).toEqual(SHOPIFY_COLUMNS);
    expect(preview.body.rows[0][SHOPIFY_COLUMNS.indexOf('Lineitem name')]).toMatch(/^Itém/);

    expect((await srv.admin.upload('/api/imports', { profile: 'amazon' }, [{ name: 'a.csv', data: 'x' }])).body.error.details[0].field).toBe('profile');
    expect((await srv.admin.upload('/api/imports', { mapping: '{"reference":"Name"}' }, [{ name: 'a.csv', data: 'x' }])).status).toBe(400);
    expect((await srv.admin.upload('/api/imports', { profile: 'shopify' }, [])).body.error.details[0].field).toBe('file');
    expect((await (await srv.user('warehouse')).upload('/api/imports', { profile: 'shopify' }, [{ name: 'a.csv', data: semicolon }])).status).toBe(403);
    // A mapping of one's own: columns named differently.
    const custom = stringify([
      ['Order', 'When', 'Who', 'Mail', 'Article', 'Qty', 'Price'],
      ['PO-77', '2026-11-02', 'Linus T', 'linus@example.com', 'CSV-1', '2', '12,50'],
      ['PO-77', '', '', '', 'CSV-2', '1', '3,00'],
    ]);
    const mapped = await runImport(srv.admin, custom, {
      mapping: JSON.stringify({
        reference: 'Order',
        date: 'When',
        customerName: 'Who',
        customerEmail: 'Mail',
        sku: 'Article',
        quantity: 'Qty',
        unitPrice: 'Price',
      }),
    });
    expect(mapped).toMatchObject({ created: 1, errorCount: 0 });
    expect(((await srv.admin.get('/api/sale-orders?q=PO-77')).body.items[0] as SaleOrder).amountTotal).toBe(2800);

    // Saved under a name, the mapping serves the next file of that kind.
    const mine = { reference: 'Order', date: 'When', customerName: 'Who', customerEmail: 'Mail', sku: 'Article', quantity: 'Qty', unitPrice: 'Price' };
    const saved = await srv.admin.post('/api/imports/profiles', { name: 'Wholesale portal', mapping: mine });
    expect(saved.status).toBe(201);
    expect((await srv.admin.post('/api/imports/profiles', { name: 'Wholesale portal', mapping: mine })).status).toBe(409);
    expect((await srv.admin.post('/api/imports/profiles', { name: 'No qty', mapping: { reference: 'Order', sku: 'Article' } })).status).toBe(400);
    const profiles = (await srv.admin.get('/api/imports/profiles')).body.items as { name: string; builtIn: boolean }[];
    expect(profiles.map((p) => [p.name, p.builtIn])).toEqual([
      ['shopify', true],
      ['woocommerce', true],
      ['Wholesale portal', false],
    ]);
    const next = stringify([
      ['Order', 'When', 'Who', 'Mail', 'Article', 'Qty', 'Price'],
      ['PO-78', '2026-11-03', 'Linus T', 'linus@example.com', 'CSV-3', '1', '9.99'],
    ]);
    expect(await runImport(srv.admin, next, { profile: 'Wholesale portal' })).toMatchObject({ created: 1 });
    expect((await srv.admin.delete(`/api/imports/profiles/${saved.body.id}`)).status).toBe(204);
    expect((await srv.admin.upload('/api/imports', { profile: 'Wholesale portal' }, [{ name: 'a.csv', data: next }])).status).toBe(400);
  });
});
