import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { rooms } from '../../contracts/events';
import type { ExternalOrder } from '../../contracts/schemas/channels';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { insertRows } from '../../server/db/bulk';
import { db } from '../../server/db/sequelize';
import { withTransaction } from '../../server/db/transaction';
import { channelById } from '../../server/modules/channels/channel.service';
import { channelFor } from '../../server/modules/imports/import.service';
import { BUILT_IN_PROFILES } from '../../server/modules/imports/profiles';
import { runtime } from '../../server/runtime';
import { runImport } from '../../server/workflows/import.workflow';
import { receiveExternalOrders } from '../../server/workflows/order-intake.workflow';
import { exportOrder, exportTotal, shopifyRows, SHOPIFY_COLUMNS } from '../factories/csv';
import { makeProduct } from '../factories/data';
import { eventually } from '../support/eventually';
import { collect, subscribe, useTestServer } from '../support/server';
import { stringify } from 'csv-stringify/sync';

// The bulk path of an intake (orders, lines, followers and notes of a chunk in multi-row INSERTs, the
// chunk's events after commit) against what the API shows of the same orders, and the import's chunks:
// their boundaries, a bad row in the middle of one, duplicates within a chunk and across chunks.
describe('intake in chunks', () => {
  const srv = useTestServer();
  const SKUS = ['CHUNK-1', 'CHUNK-2', 'CHUNK-3'];
  let ready = false;
  const setup = async () => {
    if (ready) return;
    for (const sku of SKUS) await makeProduct(srv.admin, { sku, name: sku, taxIds: [], type: 'consumable' });
    ready = true;
  };
  const rows = <T>(sql: string, replacements: unknown[] = []) => db().query(sql, { replacements, type: QueryTypes.SELECT }) as Promise<T[]>;
  const ext = (id: string, over: Partial<ExternalOrder> = {}): ExternalOrder => ({
    externalId: id,
    reference: id,
    date: '2026-11-20T10:15:00.000Z',
    customer: { name: `Buyer of ${id}`, email: `chunk.${id.replace(/\W/g, '')}@example.com`, phone: null },
    shippingAddress: {
      name: 'Zoë O’Brien',
      street: '1 Quay\'s "End"\nBack door \\ left',
      street2: null,
      city: 'Dún Laoghaire',
      zip: 'A96',
      state: null,
      countryCode: 'IE',
      phone: null,
    },
    lines: [
      { sku: 'CHUNK-1', name: 'Crème brûlée 🍮', quantity: 2, unitPrice: 1250, discount: 10, discountAmount: 0 },
      { sku: 'CHUNK-2', name: 'Line two', quantity: 1.5, unitPrice: 999, discount: 0, discountAmount: 100 },
    ],
    shipping: { name: 'Express', amount: 490, discountAmount: 0 },
    discountCodes: ['WELCOME'],
    orderDiscount: 200,
    note: 'Leave it with the neighbour,\nplease',
    financialStatus: 'paid',
    total: null,
    taxTotal: null,
    ...over,
  });

  it(
    'writes what the API shows: every field, the lines, the customer following, the notes of flagged orders, one event per order after commit',
    { timeout: 120_000 },
    async () => {
      await setup();
      const channel = (await channelById(null, await channelFor(undefined)))!;
      const board = await srv.socket(srv.admin);
      expect(await subscribe(board, rooms.ordersBoard)).toEqual({ ok: true });
      const heard = collect(board, 'order.created');
      const chunk = [
        ext('#B-1'),
        ext('#B-2', { lines: [{ sku: 'NOT-HERE', name: 'Unknown thing', quantity: 1, unitPrice: 500, discount: 0, discountAmount: 0 }] }),
        ext('#B-3', { customer: { name: 'Bad Email', email: 'not an email', phone: null } }),
        ext('#B-1'), // the same order again in the chunk: counts once more, as an unchanged one
      ];
      const results = await receiveExternalOrders(channel, chunk);
      expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'unchanged']);
      expect(results[3]!.orderId).toBe(results[0]!.orderId);
      expect(results[1]!.reasons.map((r) => r.code)).toEqual(['unmatched_product']);
      expect(results[2]!.reasons.map((r) => r.code)).toEqual(['invalid_email']);
      // Numbers: one gapless block.
      const numbers = results.slice(0, 3).map((r) => Number(r.name!.replace(/^\D+/, '')));
      expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2]);

      const one = (await srv.admin.get(`/api/sale-orders/${results[0]!.orderId}`)).body as SaleOrder;
      expect(one).toMatchObject({
        name: results[0]!.name,
        state: 'draft',
        invoiceStatus: 'no',
        deliveryStatus: 'pending',
        needsAttention: false,
        attentionReasons: [],
        externalId: '#B-1',
        reference: '#B-1',
        channelId: channel.id,
        discountCode: 'WELCOME',
        orderDiscount: 200,
        dateOrder: '2026-11-20T10:15:00.000Z',
        version: 0,
        createdById: null,
        note: 'Shop order #B-1 (paid).\nCustomer note: Leave it with the neighbour,\nplease',
        shippingAddress: { name: 'Zoë O’Brien', street: '1 Quay\'s "End"\nBack door \\ left', city: 'Dún Laoghaire', countryCode: 'IE' },
      });
      expect(one.lines.map((l) => [l.sku, l.description, l.quantity, l.unitPrice, l.discount, l.discountAmount, l.isShipping, l.taxIds])).toEqual([
        ['CHUNK-1', 'Crème brûlée 🍮', 2, 1250, 10, 0, false, []],
        ['CHUNK-2', 'Line two', 1.5, 999, 0, 100, false, []],
        [expect.any(String), 'Express', 1, 490, 0, 0, true, []],
      ]);
      // The order discount spread over the lines, shipping aside; totals from the lines.
      expect(one.lines.reduce((s, l) => s + l.orderDiscount, 0)).toBe(200);
      expect(one.lines[2]!.orderDiscount).toBe(0);
      expect(one.amountTotal).toBe(one.lines.reduce((s, l) => s + l.total, 0));
      expect(one.amountTotal).toBe(2250 + 1399 + 490 - 200);
      expect(Date.parse(one.createdAt)).toBeGreaterThan(Date.now() - 120_000);
      expect(one.updatedAt).toBe(one.createdAt);
      // Editable like any quotation (version 0).
      expect((await srv.admin.patch(`/api/sale-orders/${one.id}`, { version: 0, note: 'checked' })).status).toBe(200);

      const unmatched = (await srv.admin.get(`/api/sale-orders/${results[1]!.orderId}`)).body as SaleOrder;
      expect(unmatched.needsAttention).toBe(true);
      expect(unmatched.lines[0]).toMatchObject({ productId: null, sku: 'NOT-HERE', unitPrice: 500 });

      // The customer follows each new order; nobody else.
      const followers = await rows<{ resId: number; partnerId: number | null; userId: number | null; followerKey: string }>(
        "SELECT resId, partnerId, userId, followerKey FROM followers WHERE model = 'saleOrder' AND resId IN (?) ORDER BY resId",
        [results.slice(0, 3).map((r) => r.orderId)],
      );
      expect(followers.map((f) => [f.resId, f.userId, f.followerKey])).toEqual(
        results.slice(0, 3).map((r, i) => [r.orderId, null, `p:${followers[i]!.partnerId}`]),
      );
      expect(followers[0]!.partnerId).toBe(one.partnerId);

      // The flagged orders say why in their chatter, as an internal note; the others have none.
      const notes = async (id: number) => (await srv.admin.get(`/api/messages?model=saleOrder&resId=${id}`)).body.items as { type: string; body: string }[];
      expect(await notes(results[0]!.orderId!)).toEqual([]);
      const [note] = await notes(results[2]!.orderId!);
      expect(note).toMatchObject({ type: 'note' });
      expect(note!.body).toContain('This order needs attention:');
      expect(note!.body).toContain('is not a valid address');
      expect((await notes(results[1]!.orderId!))[0]!.body).toContain('is not matched to a product here');

      // Each order announced once, after commit, with what the board shows.
      await eventually(async () => heard.length >= 3);
      expect(heard.map((e) => e.id).sort()).toEqual(
        results
          .slice(0, 3)
          .map((r) => r.orderId)
          .sort(),
      );
      const e1 = heard.find((e) => e.id === one.id)!;
      expect(e1).toMatchObject({
        version: 0,
        order: { id: one.id, name: one.name, partnerName: 'Buyer of #B-1', amountTotal: one.amountTotal, state: 'draft', externalId: '#B-1' },
      });
      expect(e1.order.createdAt).toBe(one.createdAt);

      // The same orders in the next chunk: taken as unchanged, nothing new written or announced.
      const before = heard.length;
      const again = await receiveExternalOrders(channel, [ext('#B-3', { customer: { name: 'Bad Email', email: 'not an email', phone: null } }), ext('#B-4')]);
      expect(again.map((r) => r.status)).toEqual(['unchanged', 'created']);
      expect(again[0]!.orderId).toBe(results[2]!.orderId);
      expect((await notes(results[2]!.orderId!)).length).toBe(1);
      await eventually(async () => heard.length === before + 1);

      // A dry run writes nothing and announces nothing.
      const count = async () => (await rows<{ n: number }>('SELECT COUNT(*) AS n FROM sale_orders'))[0]!.n;
      const n = Number(await count());
      const dry = await receiveExternalOrders(channel, [ext('#B-5'), ext('#B-6')], { dryRun: true });
      expect(dry.map((r) => r.status)).toEqual(['created', 'created']);
      expect(Number(await count())).toBe(n);
      await new Promise((r) => setTimeout(r, 300));
      expect(heard.length).toBe(before + 1);
    },
  );

  it('the import: chunk boundaries, a bad row in the middle of a chunk, an order split across chunks, the same file twice', { timeout: 120_000 }, async () => {
    await setup();
    // 60 orders: chunks of 25 then 35 (the first chunks are small). Order 30 (in the second chunk) has a
    // bad quantity; order 24 and order 25 sit either side of the first boundary; the rows of order 40
    // come back after order 41 (reported, not imported twice).
    const orders = Array.from({ length: 60 }, (_, n) => exportOrder(70_000 + n, SKUS, 2));
    const table: string[][] = [SHOPIFY_COLUMNS];
    let badLine = 0;
    let lateLine = 0;
    orders.forEach((o, i) => {
      const r = shopifyRows(o);
      if (i === 30) {
        r[1]![SHOPIFY_COLUMNS.indexOf('Lineitem quantity')] = 'two';
        badLine = table.length + 2;
      }
      table.push(...r);
      if (i === 41) {
        lateLine = table.length + 1;
        table.push(shopifyRows(orders[40]!)[1]!);
      }
    });
    const file = path.join(os.tmpdir(), `import-chunks-${process.pid}.csv`);
    await writeFile(file, stringify(table));
    const channelId = await channelFor(undefined);
    const progress: number[] = [];
    try {
      const first = await runImport(
        { file, mapping: BUILT_IN_PROFILES.shopify, channelId, dryRun: false, errorsFile: `${file}.errors.csv` },
        async ({ rows: r }) => {
          progress.push(r);
        },
      );
      expect(first).toMatchObject({ rows: 121, orders: 60, created: 59, rejected: 1, skipped: 0, errorCount: 3 });
      expect(first.errors.map((e) => e.row).sort((a, b) => a - b)).toEqual([badLine - 1, badLine, lateLine]);
      expect(first.errors.find((e) => e.row === badLine)!.message).toMatch(/quantity "two"/);
      expect(first.errors.find((e) => e.row === lateLine)!.message).toMatch(/appeared earlier in the file/);
      // The progress moves at each chunk written, in order, to the end.
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(121);
      expect(progress.length).toBeGreaterThanOrEqual(2);
      for (const [i, o] of orders.entries()) {
        const found = (await srv.admin.get(`/api/sale-orders?q=${encodeURIComponent(`#${1000 + o.n}`)}`)).body.items as SaleOrder[];
        expect([i, found.map((x) => x.amountTotal)]).toEqual([i, i === 30 ? [] : [exportTotal(o)]]);
      }
      // The same file again: nothing new, the duplicates skipped, the same rows reported.
      const again = await runImport({ file, mapping: BUILT_IN_PROFILES.shopify, channelId, dryRun: false, errorsFile: `${file}.errors.csv` }, async () => {});
      expect(again).toMatchObject({ orders: 60, created: 0, skipped: 59, rejected: 1, errorCount: 3 });
    } finally {
      await rm(file, { force: true });
      await rm(`${file}.errors.csv`, { force: true });
    }
  });

  it(
    'the import with small chunks (IMPORT_CHUNK_ORDERS): an order of many lines ends a chunk early, a bad order on a boundary, the progress in order',
    { timeout: 120_000 },
    async () => {
      await setup();
      // Chunks of at most 7 orders or 28 lines. Orders 9 and 20 have 20 lines each: the chunks they are in
      // fill their lines in 5 orders. Order 14 (where a chunk of 7 would end) has a bad price.
      const orders = Array.from({ length: 40 }, (_, n) => exportOrder(80_000 + n, SKUS, n === 9 || n === 20 ? 20 : 2));
      const table: string[][] = [SHOPIFY_COLUMNS];
      orders.forEach((o, i) => {
        const r = shopifyRows(o);
        if (i === 14) r[0]![SHOPIFY_COLUMNS.indexOf('Lineitem price')] = 'free';
        table.push(...r);
      });
      const file = path.join(os.tmpdir(), `import-small-chunks-${process.pid}.csv`);
      await writeFile(file, stringify(table));
      const config = runtime().config;
      const chunkOrders = config.importChunkOrders;
      config.importChunkOrders = 7;
      const progress: number[] = [];
      try {
        const channelId = await channelFor(undefined);
        const result = await runImport(
          { file, mapping: BUILT_IN_PROFILES.shopify, channelId, dryRun: false, errorsFile: `${file}.errors.csv` },
          async ({ rows: r }) => {
            // A slow listener holds no chunk back, and is still told in order.
            await new Promise((resolve) => setTimeout(resolve, 5));
            progress.push(r);
          },
        );
        expect(result).toMatchObject({ rows: table.length - 1, orders: 40, created: 39, rejected: 1, errorCount: 2 });
        expect(result.errors[0]!.message).toMatch(/unit price/);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
        expect(progress.at(-1)).toBe(table.length - 1);
        expect(progress.length).toBeGreaterThanOrEqual(7);
        for (const [i, o] of orders.entries()) {
          const found = (await srv.admin.get(`/api/sale-orders?q=${encodeURIComponent(`#${1000 + o.n}`)}`)).body.items as SaleOrder[];
          expect([i, found.map((x) => x.amountTotal)]).toEqual([i, i === 14 ? [] : [exportTotal(o)]]);
        }
      } finally {
        config.importChunkOrders = chunkOrders;
        await rm(file, { force: true });
        await rm(`${file}.errors.csv`, { force: true });
      }
    },
  );

  it('insertRows: text as written (quotes, backslashes, line breaks, accents, emoji), the ids in the rows’ order, across statements', async () => {
    const bodies = ["it's", 'a "quote"', 'back\\slash', 'line\nbreak\r\ttab', 'Jürgen Müller ✓ 🍮', '', '\u001a ctrl-z'];
    const ids = await withTransaction((t) =>
      insertRows(
        t,
        'messages',
        ['model', 'resId', 'type', 'body', 'authorId', 'authorPartnerId', 'emailFrom', 'tracking', 'createdAt'],
        Array.from({ length: 300 }, (_, i) => [
          'saleOrder',
          900_000 + i,
          'note',
          bodies[i % bodies.length]!,
          null,
          null,
          '',
          null,
          new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
        ]),
        { ids: true, maxBytes: 2000 },
      ),
    );
    expect(ids).toHaveLength(300);
    const got = await rows<{ id: number; resId: number; body: string; createdAt: Date | string }>(
      'SELECT id, resId, body, createdAt FROM messages WHERE resId >= 900000 ORDER BY id',
    );
    expect(got.map((r) => Number(r.id))).toEqual(ids);
    expect(got.map((r) => [Number(r.resId), r.body])).toEqual(Array.from({ length: 300 }, (_, i) => [900_000 + i, bodies[i % bodies.length]]));
    // As Sequelize writes a date: SQLite keeps the text with its offset, MariaDB a DATETIME(3).
    const at = got[0]!.createdAt;
    expect(typeof at === 'string' ? at : at.toISOString()).toBe(srv.mode === 'mysql' ? '2026-01-02T03:04:05.678Z' : '2026-01-02 03:04:05.678 +00:00');
    await db().query('DELETE FROM messages WHERE resId >= 900000');
  });
});
