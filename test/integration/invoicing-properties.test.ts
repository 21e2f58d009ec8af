import fc from 'fast-check';
import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import type { Invoice, InvoiceSummary } from '../../contracts/schemas/invoices';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { db } from '../../server/db/sequelize';
import type { ApiClient } from '../support/client';
import { makePartner, makeProduct } from '../factories/data';
import { makeAccountedTax } from '../factories/invoicing';
import { setStock } from '../factories/stock';
import { useTestServer } from '../support/server';

// Random sequences of orders, deliveries, invoices, postings, payments, credit notes and returns, through
// the API as users would make them; after each sequence the books must hold:
// - every journal entry balances;
// - each customer's receivable (journal) = their open invoices − open credit notes − unapplied credit;
// - no quantity is invoiced twice: an order line's invoiced quantity never exceeds what is due for it
//   (ordered, or delivered before any return), and equals what its invoices and credit notes add up to;
// - orders carry discounts (an amount off a line, an order discount spread over the lines): the invoices
//   of a line never give more of its discounts than it has, and give exactly all of them once the line
//   is invoiced in full without a credit note.

type Action =
  | { kind: 'order'; lines: { product: number; quantity: number; off: number }[]; orderOff: number }
  | { kind: 'deliver'; order: number; share: number }
  | { kind: 'invoice'; order: number; post: boolean }
  | { kind: 'post'; pick: number }
  | { kind: 'pay'; pick: number; share: number; method: 'bank' | 'cash'; over: boolean }
  | { kind: 'credit'; pick: number; share: number; whole: boolean; post: boolean }
  | { kind: 'return'; order: number; share: number };

const SEED = process.env.PROPERTY_SEED === 'random' ? undefined : Number(process.env.PROPERTY_SEED ?? 20261206);

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      // off, orderOff: shares of what a line, and the order, come to, taken off as fixed amounts.
      lines: fc.array(fc.record({ product: fc.nat(3), quantity: fc.integer({ min: 1, max: 5 }), off: fc.constantFrom(0, 0, 0.07, 0.31) }), {
        minLength: 1,
        maxLength: 3,
      }),
      orderOff: fc.constantFrom(0, 0, 0.05, 0.18),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), order: fc.nat(20), share: fc.double({ min: 0.2, max: 1, noNaN: true }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('invoice' as const), order: fc.nat(20), post: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('post' as const), pick: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      pick: fc.nat(20),
      share: fc.double({ min: 0.1, max: 1, noNaN: true }),
      method: fc.constantFrom('bank' as const, 'cash' as const),
      over: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('credit' as const),
      pick: fc.nat(20),
      share: fc.double({ min: 0.1, max: 1, noNaN: true }),
      whole: fc.boolean(),
      post: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('return' as const), order: fc.nat(20), share: fc.double({ min: 0.2, max: 1, noNaN: true }) }) },
);

const rows = <T extends object>(sql: string, replacements: unknown[] = []) => db().query<T>(sql, { replacements, type: QueryTypes.SELECT });

describe('invoicing properties', () => {
  const srv = useTestServer();

  async function run(c: ApiClient, products: { id: number; listPrice: number }[], actions: Action[]): Promise<number> {
    const customer = await makePartner(c);
    const orders: SaleOrder[] = [];
    const pickOf = <T>(list: T[], n: number) => (list.length ? list[n % list.length] : undefined);
    const invoicesOf = async (filter: string) =>
      ((await c.get(`/api/invoices?partnerId=${customer.id}&limit=500${filter}`)).body.items as InvoiceSummary[]).sort((a, b) => a.id - b.id);
    for (const a of actions) {
      if (a.kind === 'order') {
        const lines = a.lines.map((l) => {
          const gross = l.quantity * products[l.product]!.listPrice;
          return {
            productId: products[l.product]!.id,
            quantity: l.quantity,
            discountAmount: Math.floor(gross * l.off),
            net: gross - Math.floor(gross * l.off),
          };
        });
        const o = await c.post('/api/sale-orders', {
          partnerId: customer.id,
          discountCode: a.orderOff ? 'PROP' : null,
          orderDiscount: Math.floor(lines.reduce((s, l) => s + l.net, 0) * a.orderOff),
          lines: lines.map(({ net: _net, ...l }) => l),
        });
        expect(o.status, JSON.stringify(o.body)).toBe(201);
        orders.push((await c.post(`/api/sale-orders/${o.body.id}/confirm`)).body);
      } else if (a.kind === 'deliver' || a.kind === 'return') {
        const o = pickOf(orders, a.order);
        if (!o) continue;
        const state = a.kind === 'deliver' ? 'assigned' : 'done';
        const pickings = (await c.get(`/api/pickings?saleOrderId=${o.id}&type=outgoing`)).body.items as { id: number; state: string }[];
        const p = pickings.find((x) => (a.kind === 'deliver' ? x.state !== 'done' && x.state !== 'cancel' : x.state === state));
        if (!p) continue;
        const full = (await c.get(`/api/pickings/${p.id}`)).body as { moves: { id: number; productId: number; quantity: number; quantityDone: number }[] };
        if (a.kind === 'deliver') {
          const moves = full.moves.map((m) => ({ id: m.id, quantityDone: Math.max(0, Math.floor(m.quantity * a.share)) }));
          if (moves.every((m) => m.quantityDone === 0)) continue;
          expect((await c.post(`/api/pickings/${p.id}/validate`, { moves })).status).toBe(200);
        } else {
          const lines = full.moves
            .map((m) => ({ productId: m.productId, quantity: Math.min(m.quantityDone, Math.max(1, Math.floor(m.quantityDone * a.share))) }))
            .filter((l) => l.quantity > 0);
          if (!lines.length) continue;
          const ret = await c.post(`/api/pickings/${p.id}/return`, { lines });
          if (ret.status !== 201) continue; // already returned in full
          expect((await c.post(`/api/pickings/${ret.body.id}/validate`, {})).status).toBe(200);
          const credit = await c.post(`/api/pickings/${ret.body.id}/credit-note`, {});
          expect([201, 422]).toContain(credit.status);
        }
      } else if (a.kind === 'invoice') {
        const o = pickOf(orders, a.order);
        if (!o) continue;
        const res = await c.post(`/api/sale-orders/${o.id}/invoice`);
        expect([201, 422], JSON.stringify(res.body)).toContain(res.status);
        if (res.status === 201 && a.post) {
          for (const id of res.body.invoiceIds as number[]) expect((await c.post(`/api/invoices/${id}/post`, {})).status).toBe(200);
        }
      } else if (a.kind === 'post') {
        const inv = pickOf(await invoicesOf('&state=draft'), a.pick);
        if (inv) expect((await c.post(`/api/invoices/${inv.id}/post`, {})).status).toBe(200);
      } else if (a.kind === 'pay') {
        const open = (await invoicesOf('&state=posted')).filter((i) => i.amountResidual > 0);
        const inv = pickOf(open, a.pick);
        if (!inv) continue;
        const over = a.over && inv.moveType === 'out_invoice';
        const amount = over ? inv.amountResidual + 150 : Math.max(1, Math.round(inv.amountResidual * a.share));
        const res = await c.post(`/api/invoices/${inv.id}/payments`, { amount, method: a.method, customerCredit: over });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      } else if (a.kind === 'credit') {
        const inv = pickOf(await invoicesOf('&state=posted&moveType=out_invoice'), a.pick);
        if (!inv) continue;
        const full = (await c.get(`/api/invoices/${inv.id}`)).body as Invoice;
        const lines = a.whole
          ? undefined
          : full.lines.map((l) => ({ productId: l.productId!, quantity: Math.max(1, Math.floor(l.quantity * a.share)) })).slice(0, 1);
        const res = await c.post(`/api/invoices/${inv.id}/credit-note`, lines ? { lines } : {});
        // Already credited (in full, or more than is left): refused, nothing written.
        expect([201, 400, 422], JSON.stringify(res.body)).toContain(res.status);
        if (res.status === 201 && a.post) expect((await c.post(`/api/invoices/${res.body.id}/post`, {})).status).toBe(200);
      }
    }
    return customer.id;
  }

  async function checkBooks(partnerId: number): Promise<void> {
    const unbalanced = await rows<{ entryId: number }>('SELECT entryId FROM journal_items GROUP BY entryId HAVING SUM(debit) <> SUM(credit)');
    expect(unbalanced).toEqual([]);
    const [receivable] = await rows<{ balance: string | null }>(
      `SELECT SUM(i.debit) - SUM(i.credit) AS balance FROM journal_items i JOIN accounts a ON a.id = i.accountId WHERE a.type = 'receivable' AND i.partnerId = ?`,
      [partnerId],
    );
    const [open] = await rows<{ invoices: string | null; refunds: string | null }>(
      `SELECT SUM(CASE WHEN moveType = 'out_invoice' THEN amountResidual ELSE 0 END) AS invoices,
              SUM(CASE WHEN moveType = 'out_refund' THEN amountResidual ELSE 0 END) AS refunds
       FROM invoices WHERE partnerId = ? AND state = 'posted'`,
      [partnerId],
    );
    const [credit] = await rows<{ unapplied: string | null }>(
      `SELECT SUM(amount - amountApplied) AS unapplied FROM payments WHERE partnerId = ? AND direction = 'inbound'`,
      [partnerId],
    );
    expect(Number(receivable?.balance ?? 0)).toBe(Number(open?.invoices ?? 0) - Number(open?.refunds ?? 0) - Number(credit?.unapplied ?? 0));

    const lines = await rows<{ id: number; quantity: string; qtyDelivered: string; qtyInvoiced: string; invoicePolicy: string; off: string }>(
      `SELECT l.id, l.quantity, l.qtyDelivered, l.qtyInvoiced, p.invoicePolicy, l.discountAmount + l.orderDiscount AS off FROM sale_order_lines l
       JOIN sale_orders o ON o.id = l.orderId JOIN products p ON p.id = l.productId WHERE o.partnerId = ?`,
      [partnerId],
    );
    const invoiced = await rows<{ saleLineId: number; qty: string; off: string; refunds: string }>(
      `SELECT il.saleLineId, SUM(CASE WHEN inv.moveType = 'out_refund' THEN -il.quantity ELSE il.quantity END) AS qty,
              SUM(CASE WHEN inv.moveType = 'out_refund' THEN -1 ELSE 1 END * (il.discountAmount + il.orderDiscount)) AS off,
              SUM(CASE WHEN inv.moveType = 'out_refund' THEN 1 ELSE 0 END) AS refunds
       FROM invoice_lines il JOIN invoices inv ON inv.id = il.invoiceId
       WHERE inv.partnerId = ? AND inv.state <> 'cancel' AND il.saleLineId IS NOT NULL GROUP BY il.saleLineId`,
      [partnerId],
    );
    const delivered = await rows<{ saleLineId: number; qty: string }>(
      `SELECT m.saleLineId, SUM(m.quantityDone) AS qty FROM stock_moves m JOIN stock_pickings p ON p.id = m.pickingId
       WHERE p.type = 'outgoing' AND m.state = 'done' AND m.saleLineId IS NOT NULL GROUP BY m.saleLineId`,
    );
    for (const l of lines) {
      const sum = Number(invoiced.find((r) => r.saleLineId === l.id)?.qty ?? 0);
      expect(Number(l.qtyInvoiced), `line ${l.id}: qtyInvoiced is what its invoices add up to`).toBeCloseTo(sum, 3);
      const everDelivered = Number(delivered.find((r) => r.saleLineId === l.id)?.qty ?? 0);
      const due = l.invoicePolicy === 'delivery' ? everDelivered : Number(l.quantity);
      expect(sum, `line ${l.id}: invoiced at most once`).toBeLessThanOrEqual(due + 1e-9);
      expect(sum).toBeGreaterThanOrEqual(0);
      const row = invoiced.find((r) => r.saleLineId === l.id);
      const given = Number(row?.off ?? 0);
      expect(given, `line ${l.id}: its invoices give at most its discounts`).toBeLessThanOrEqual(Number(l.off));
      expect(given).toBeGreaterThanOrEqual(0);
      if (Math.abs(sum - Number(l.quantity)) < 1e-9 && Number(row?.refunds ?? 0) === 0) {
        expect(given, `line ${l.id}: invoiced in full, it gave all of its discounts`).toBe(Number(l.off));
      }
    }
    // No invoice line is credited beyond its quantity.
    const overCredited = await rows<{ id: number }>(
      `SELECT o.id FROM invoice_lines o JOIN invoice_lines c ON c.reversedLineId = o.id JOIN invoices ci ON ci.id = c.invoiceId
       WHERE ci.state <> 'cancel' GROUP BY o.id, o.quantity HAVING SUM(c.quantity) > o.quantity`,
    );
    expect(overCredited).toEqual([]);
  }

  it('random sequences of orders, deliveries, invoices, payments, credit notes and returns keep the books right', { timeout: 240_000 }, async () => {
    // An administrator does what sales, the warehouse and accounting each do.
    const c = srv.admin;
    const vat = await makeAccountedTax(srv.admin, 20);
    const reduced = await makeAccountedTax(srv.admin, 5.5);
    const eco = await makeAccountedTax(srv.admin, 0.5);
    const products: { id: number; listPrice: number }[] = [];
    const specs = [
      { invoicePolicy: 'order', taxIds: [vat.id, eco.id], listPrice: 1999 },
      { invoicePolicy: 'delivery', taxIds: [reduced.id], listPrice: 333 },
      { invoicePolicy: 'delivery', taxIds: [vat.id], listPrice: 12_345 },
      { invoicePolicy: 'order', taxIds: [], listPrice: 710 },
    ];
    for (const s of specs) {
      const p = await makeProduct(srv.admin, s);
      await setStock(srv.admin, p.id, 100_000);
      products.push({ id: p.id, listPrice: s.listPrice });
    }
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 8, maxLength: 24 }), async (actions) => {
        const partnerId = await run(c, products, actions);
        await checkBooks(partnerId);
      }),
      // A fixed seed, so every run reaches the same paths (the coverage check below); PROPERTY_SEED=random
      // (or a number) explores others.
      { numRuns: 25, ...(SEED !== undefined && { seed: SEED }) },
    );
    // The sequences did reach every kind of record (a property over empty books proves nothing).
    const [seen] = await rows<Record<string, string>>(
      `SELECT (SELECT COUNT(*) FROM invoices WHERE moveType = 'out_invoice' AND state = 'posted') AS invoices,
              (SELECT COUNT(*) FROM invoices WHERE moveType = 'out_refund' AND state = 'posted') AS refunds,
              (SELECT COUNT(*) FROM invoices WHERE pickingId IS NOT NULL) AS returnCredits,
              (SELECT COUNT(*) FROM payments) AS payments,
              (SELECT COUNT(*) FROM payments WHERE amount > amountApplied) AS overpayments,
              (SELECT COUNT(*) FROM stock_pickings WHERE type = 'return' AND state = 'done') AS returns,
              (SELECT COUNT(DISTINCT i.id) FROM invoices i JOIN invoice_lines l ON l.invoiceId = i.id
                WHERE i.state = 'posted' AND l.discountAmount > 0) AS lineDiscounts,
              (SELECT COUNT(DISTINCT i.id) FROM invoices i JOIN invoice_lines l ON l.invoiceId = i.id
                WHERE i.state = 'posted' AND l.orderDiscount > 0) AS orderDiscounts`,
    );
    for (const k of ['invoices', 'refunds', 'payments', 'returns', 'lineDiscounts', 'orderDiscounts']) expect(Number(seen![k]), k).toBeGreaterThan(0);
  });
});
