import fc from 'fast-check';
import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import type { Picking } from '../../../contracts/schemas/inventory';
import type { PurchaseOrder } from '../../../contracts/schemas/purchasing';
import type { SaleOrder } from '../../../contracts/schemas/sales';
import { db } from '../../../server/db/sequelize';
import { mtoShares } from '../../../server/modules/purchasing/purchase-order.receipts';
import { makePartner, makeProduct } from '../../factories/data';
import { setStock } from '../../factories/stock';
import type { ApiClient } from '../../support/client';
import { jobsSettled } from '../../support/jobs';
import { useTestServer } from '../../support/server';
import { expectStockInvariants } from '../../support/stock-invariants';

// Random sequences of what sales, buyers and the warehouse do to two products bought from one vendor:
// one on buy + make-to-order, one from stock under a reorder rule. Sales are confirmed, changed and
// cancelled; RFQs are confirmed and cancelled (forced); receipts and deliveries are validated in part,
// with or without a backorder; stock is counted; shortages are ordered; rules change and run. After
// every step:
// - reservations: no quant reserves more than it has on hand, and what it reserves is what the open
//   moves out of it reserve; no move reserves more than its demand, and its state says what it holds;
// - balances: on hand is what the done moves brought in less what they took out; a PO line's received
//   quantity is what its receipts brought less what went back;
// - the same need is never ordered twice: the units a make-to-order line waits for are covered by what
//   draft RFQs hold for it and what sent RFQs and confirmed POs' open receipts still bring for it, and
//   the drafts hold no more than the others leave uncovered; a run of the reorder rules right after
//   another orders nothing.
// At the end, every RFQ is confirmed and every receipt validated: then no delivery waits for units
// that arrived (make-to-order units reach their orders, free stock reaches deliveries waiting for it).

type Action =
  | { kind: 'sale'; product: 0 | 1; quantity: number }
  | { kind: 'change'; order: number; quantity: number }
  | { kind: 'cancelSale'; order: number }
  | { kind: 'confirmPo'; pick: number }
  | { kind: 'cancelPo'; pick: number }
  | { kind: 'receive'; pick: number; share: number; backorder: boolean }
  | { kind: 'deliver'; pick: number; share: number; backorder: boolean }
  | { kind: 'count'; product: 0 | 1; quantity: number }
  | { kind: 'orderMore'; pick: number; extra: number }
  | { kind: 'rule'; min: number; span: number; multiple: number }
  | { kind: 'run' };

const share = fc.constantFrom(0.34, 0.5, 1, 1);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('sale' as const), product: fc.constantFrom(0 as const, 1 as const), quantity: fc.integer({ min: 1, max: 5 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('change' as const), order: fc.nat(12), quantity: fc.integer({ min: 1, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelSale' as const), order: fc.nat(12) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('confirmPo' as const), pick: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancelPo' as const), pick: fc.nat(5) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('receive' as const), pick: fc.nat(5), share, backorder: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(8), share, backorder: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('count' as const), product: fc.constantFrom(0 as const, 1 as const), quantity: fc.integer({ min: 0, max: 8 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('orderMore' as const), pick: fc.nat(8), extra: fc.constantFrom(0, 0, 3) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rule' as const),
      min: fc.integer({ min: 0, max: 4 }),
      span: fc.integer({ min: 1, max: 6 }),
      multiple: fc.constantFrom(1, 2, 5),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'run' as const }) },
);

const SEED = process.env.PROPERTY_SEED === 'random' ? undefined : Number(process.env.PROPERTY_SEED ?? 20261206);
const rows = <T extends object>(sql: string, replacements: unknown[] = []) => db().query<T>(sql, { replacements, type: QueryTypes.SELECT });
const num = (v: unknown) => Math.round(Number(v ?? 0) * 1000) / 1000;
const ACCEPTED = [200, 201, 400, 409, 422];

type World = { vendorId: number; productIds: [number, number]; orders: SaleOrder[]; ruleId: number | null; ruleVersion: number };

describe('purchasing properties', () => {
  const srv = useTestServer();
  /** How often each kind of step did something, over all sequences. */
  const seen = new Map<string, number>();

  async function expectOk(res: { status: number; body: unknown }, what: string, allowed = ACCEPTED): Promise<void> {
    expect(allowed, `${what}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
  }

  async function purchasesOf(c: ApiClient, w: World, state: string): Promise<PurchaseOrder[]> {
    const list = (await c.get(`/api/purchase-orders?partnerId=${w.vendorId}&state=${state}&limit=100`)).body.items as { id: number }[];
    return list.sort((a, b) => a.id - b.id) as PurchaseOrder[];
  }

  async function openPickings(c: ApiClient, w: World, type: 'incoming' | 'outgoing'): Promise<Picking[]> {
    const ids = w.productIds.join(',');
    const found = await rows<{ id: number }>(
      `SELECT DISTINCT p.id FROM stock_pickings p JOIN stock_moves m ON m.pickingId = p.id
       WHERE p.type = ? AND p.state IN ('draft','waiting','confirmed','assigned') AND m.productId IN (${ids}) ORDER BY p.id`,
      [type],
    );
    return Promise.all(found.map(async (r) => (await c.get(`/api/pickings/${r.id}`)).body as Picking));
  }

  /** The quantities of every line of the vendor's live POs, for comparing two runs of the rules. */
  async function purchasedSnapshot(w: World): Promise<string> {
    const lines = await rows<{ id: number; quantity: string }>(
      `SELECT l.id, l.quantity FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.orderId
       WHERE o.partnerId = ? AND o.state <> 'cancel' ORDER BY l.id`,
      [w.vendorId],
    );
    return JSON.stringify(lines.map((l) => [l.id, num(l.quantity)]));
  }

  async function step(c: ApiClient, w: World, a: Action): Promise<string | null> {
    const pick = <T>(list: T[], n: number) => (list.length ? list[n % list.length] : undefined);
    switch (a.kind) {
      case 'sale': {
        const customer = await makePartner(c);
        const created = await c.post('/api/sale-orders', { partnerId: customer.id, lines: [{ productId: w.productIds[a.product], quantity: a.quantity }] });
        await expectOk(created, 'create order', [201]);
        const confirmed = await c.post(`/api/sale-orders/${created.body.id}/confirm`, {});
        await expectOk(confirmed, 'confirm order', [200]);
        w.orders.push(confirmed.body);
        return `sale:${a.product ? 'stock' : 'mto'}`;
      }
      case 'change': {
        const o = pick(w.orders, a.order);
        if (!o) return null;
        const current = (await c.get(`/api/sale-orders/${o.id}`)).body as SaleOrder;
        if (current.state !== 'sale') return null;
        const line = current.lines[0]!;
        const res = await c.patch(`/api/sale-orders/${o.id}`, {
          version: current.version,
          lines: [{ id: line.id, productId: line.productId, quantity: a.quantity }],
        });
        // Below what was delivered already is refused (400/422).
        await expectOk(res, 'change order', [200, 400, 422]);
        return `change:${res.status === 200 ? (a.quantity > line.quantity ? 'up' : 'down') : res.status}`;
      }
      case 'cancelSale': {
        const o = pick(w.orders, a.order);
        if (!o) return null;
        const res = await c.post(`/api/sale-orders/${o.id}/cancel`, {});
        await expectOk(res, 'cancel order', [200, 422]);
        return `cancelSale:${res.status}`;
      }
      case 'confirmPo': {
        const po = pick([...(await purchasesOf(c, w, 'draft')), ...(await purchasesOf(c, w, 'sent'))], a.pick);
        if (!po) return null;
        const res = await c.post(`/api/purchase-orders/${po.id}/confirm`, {});
        await expectOk(res, 'confirm PO', [200, 422]);
        return `confirmPo:${res.status}`;
      }
      case 'cancelPo': {
        const po = pick([...(await purchasesOf(c, w, 'draft')), ...(await purchasesOf(c, w, 'purchase'))], a.pick);
        if (!po) return null;
        // Refused once goods were received for it.
        const res = await c.post(`/api/purchase-orders/${po.id}/cancel`, { force: true });
        await expectOk(res, 'cancel PO', [200, 422]);
        return `cancelPo:${po.state}:${res.status}`;
      }
      case 'receive':
      case 'deliver': {
        let pickings = await openPickings(c, w, a.kind === 'receive' ? 'incoming' : 'outgoing');
        if (a.kind === 'receive' && !pickings.length) {
          // Nothing to receive yet: the buyer confirms the oldest RFQ first.
          const [rfq] = await purchasesOf(c, w, 'draft');
          if (!rfq) return null;
          // An RFQ emptied by cancellations cannot be confirmed (422).
          await expectOk(await c.post(`/api/purchase-orders/${rfq.id}/confirm`, {}), 'confirm PO', [200, 422]);
          pickings = await openPickings(c, w, 'incoming');
        }
        const p = pick(pickings, a.pick);
        if (!p) return null;
        const moves = p.moves
          .filter((m) => m.state !== 'done' && m.state !== 'cancel')
          .map((m) => ({ id: m.id, quantityDone: Math.floor((a.kind === 'receive' ? m.quantity : m.quantityReserved) * a.share) }));
        if (moves.every((m) => m.quantityDone === 0)) return null;
        const res = await c.post(`/api/pickings/${p.id}/validate`, { moves, backorder: a.backorder });
        await expectOk(res, `validate ${p.name}`, [200]);
        const partial = p.moves.some((m) => m.state !== 'done' && m.state !== 'cancel' && moves.find((x) => x.id === m.id)!.quantityDone < m.quantity);
        return `${a.kind}:${partial ? (a.backorder ? 'backorder' : 'no-backorder') : 'whole'}`;
      }
      case 'count':
        await setStock(c, w.productIds[a.product], a.quantity);
        return `count:${a.product ? 'stock' : 'mto'}`;
      case 'orderMore': {
        const p = pick(
          (await openPickings(c, w, 'outgoing')).filter((x) => x.state !== 'waiting'),
          a.pick,
        );
        if (!p) return null;
        const shortage = (await c.get(`/api/pickings/${p.id}/shortage`)).body as { toOrder: number; products: unknown[] };
        const body = a.extra && shortage.products.length === 1 && shortage.toOrder > 0 ? { quantity: shortage.toOrder + a.extra } : {};
        const res = await c.post(`/api/pickings/${p.id}/order-more`, body);
        await expectOk(res, `order more on ${p.name}`, [200, 201, 422]);
        return `orderMore:${res.status}`;
      }
      case 'rule': {
        const fields = { min: a.min, max: a.min + a.span, multiple: a.multiple };
        if (w.ruleId === null) {
          const res = await c.post('/api/reorder-rules', { productId: w.productIds[1], ...fields });
          await expectOk(res, 'create rule', [201]);
          w.ruleId = res.body.id;
          w.ruleVersion = res.body.version;
        } else {
          const res = await c.patch(`/api/reorder-rules/${w.ruleId}`, { version: w.ruleVersion, ...fields });
          await expectOk(res, 'change rule', [200]);
          w.ruleVersion = res.body.version;
        }
        return 'rule';
      }
      case 'run': {
        await jobsSettled('reorder');
        await expectOk(await c.post('/api/replenishment/run'), 'run rules', [200]);
        const once = await purchasedSnapshot(w);
        await expectOk(await c.post('/api/replenishment/run'), 'run rules again', [200]);
        expect(await purchasedSnapshot(w), 'a second run of the rules orders nothing').toBe(once);
        return 'run';
      }
    }
  }

  async function checkInvariants(w: World, after: string): Promise<void> {
    const ids = w.productIds.join(',');
    const at = (what: string) => `${what} (after ${after})`;
    // Reservations and balances of every quant: on hand is what the done moves add up to; reserved is
    // within on hand and is what the open moves out of it reserve (fast-check names the failing step).
    await expectStockInvariants();
    const moves = await rows<{ id: number; state: string; quantity: string; quantityReserved: string; procureMethod: string }>(
      `SELECT id, state, quantity, quantityReserved, procureMethod FROM stock_moves WHERE productId IN (${ids}) AND state NOT IN ('done','cancel')`,
    );
    for (const m of moves) {
      const q = num(m.quantity);
      const r = num(m.quantityReserved);
      expect(r, at(`move ${m.id} reserves within its demand`)).toBeLessThanOrEqual(q);
      expect(r).toBeGreaterThanOrEqual(0);
      const state = r >= q ? 'assigned' : r > 0 ? 'partially_available' : m.procureMethod === 'mto' ? 'waiting' : 'confirmed';
      expect(m.state, at(`move ${m.id} (${r} of ${q} reserved, ${m.procureMethod}) has the state of what it holds`)).toBe(state);
    }
    const received = await rows<{ id: number; qtyReceived: string; moved: string | null }>(
      `SELECT l.id, l.qtyReceived, (SELECT SUM(CASE WHEN p.type = 'incoming' THEN m.quantityDone ELSE -m.quantityDone END)
         FROM stock_moves m JOIN stock_pickings p ON p.id = m.pickingId WHERE m.purchaseLineId = l.id AND m.state = 'done') AS moved
       FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.orderId WHERE o.partnerId = ?`,
      [w.vendorId],
    );
    for (const l of received) expect(num(l.qtyReceived), at(`PO line ${l.id} received what its receipts brought`)).toBe(num(l.moved));
    // The same need is never ordered twice: per make-to-order sale line, the units its open moves wait
    // for against what draft RFQs hold for it and what sent or confirmed POs bought for it and have not
    // brought yet (the units a PO line received fall to its demands in turn, as mtoShares deals them).
    const waiting = await rows<{ saleLineId: number; waiting: string }>(
      `SELECT saleLineId, SUM(quantity - quantityReserved) AS waiting FROM stock_moves
       WHERE productId = ? AND procureMethod = 'mto' AND state NOT IN ('done','cancel') GROUP BY saleLineId`,
      [w.productIds[0]],
    );
    const demands = await rows<{
      id: number;
      purchaseLineId: number;
      kind: 'mto' | 'shortage' | 'reorder' | 'manual';
      saleOrderId: number | null;
      saleLineId: number | null;
      quantity: string;
      state: string;
      qtyReceived: string;
      incoming: string | null;
    }>(
      `SELECT d.id, d.purchaseLineId, d.kind, d.saleOrderId, d.saleLineId, d.quantity, o.state, l.qtyReceived,
         (SELECT SUM(m.quantity) FROM stock_moves m JOIN stock_pickings p ON p.id = m.pickingId
          WHERE m.purchaseLineId = l.id AND p.type = 'incoming' AND m.state NOT IN ('done','cancel')) AS incoming
       FROM purchase_line_demands d JOIN purchase_order_lines l ON l.id = d.purchaseLineId JOIN purchase_orders o ON o.id = l.orderId
       WHERE o.partnerId = ? AND o.state <> 'cancel'`,
      [w.vendorId],
    );
    const cover = new Map<number, { draft: number; toCome: number }>();
    const of = (id: number) => cover.get(id) ?? cover.set(id, { draft: 0, toCome: 0 }).get(id)!;
    for (const lineId of new Set(demands.map((d) => d.purchaseLineId))) {
      const mine = demands.filter((d) => d.purchaseLineId === lineId).map((d) => ({ ...d, quantity: num(d.quantity) }));
      const { state, qtyReceived, incoming } = mine[0]!;
      // A confirmed PO's line brings what its open receipts hold, those units dealt to its demands after the ones received.
      const coming = mtoShares(mine, num(qtyReceived), num(incoming));
      for (const d of mine.filter((x) => x.kind === 'mto' && x.saleLineId)) {
        const c = of(d.saleLineId!);
        if (state === 'draft') c.draft = num(c.draft + d.quantity);
        else if (state === 'sent') c.toCome = num(c.toCome + d.quantity);
        else c.toCome = num(c.toCome + coming.filter((g) => g.saleLineId === d.saleLineId).reduce((s, g) => s + g.quantity, 0));
      }
    }
    for (const lineId of new Set([...waiting.map((x) => x.saleLineId), ...cover.keys()])) {
      const wait = num(waiting.find((x) => x.saleLineId === lineId)?.waiting);
      const { draft, toCome } = cover.get(lineId) ?? { draft: 0, toCome: 0 };
      expect(num(draft + toCome), at(`sale line ${lineId}: its ${wait} waiting make-to-order units are on RFQs or POs`)).toBeGreaterThanOrEqual(wait);
      expect(draft, at(`sale line ${lineId}: draft RFQs hold no more than the ${toCome} on POs leave to buy of ${wait}`)).toBeLessThanOrEqual(
        Math.max(0, num(wait - toCome)),
      );
    }
  }

  async function run(actions: Action[]): Promise<World> {
    const c = srv.admin;
    const vendor = await makePartner(c, { name: `Vera Vendor ${Date.now().toString(36)}`, roles: ['vendor'] });
    const vendors = [{ partnerId: vendor.id, price: 5000, minQty: 1, leadDays: 3 }];
    const mto = await makeProduct(c, { routes: ['buy', 'mto'], vendors });
    const stocked = await makeProduct(c, { routes: ['buy'], vendors });
    const w: World = { vendorId: vendor.id, productIds: [mto.id, stocked.id], orders: [], ruleId: null, ruleVersion: 0 };
    for (const [i, a] of actions.entries()) {
      const outcome = await step(c, w, a);
      if (outcome) seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      await checkInvariants(w, `step ${i + 1}, ${JSON.stringify(a)}`);
    }
    return w;
  }

  /** Every RFQ confirmed and every receipt validated in full: nobody waits for units that came. */
  async function settle(w: World): Promise<void> {
    const c = srv.admin;
    await jobsSettled('reorder');
    for (const po of [...(await purchasesOf(c, w, 'draft')), ...(await purchasesOf(c, w, 'sent'))]) {
      await expectOk(await c.post(`/api/purchase-orders/${po.id}/confirm`, {}), 'confirm PO', [200, 422]);
    }
    for (let round = 0; round < 5; round++) {
      const receipts = await openPickings(c, w, 'incoming');
      if (!receipts.length) break;
      for (const p of receipts) await expectOk(await c.post(`/api/pickings/${p.id}/validate`, {}), `validate ${p.name}`, [200]);
    }
    await checkInvariants(w, 'everything received');
    const open = await rows<{ id: number; productId: number; procureMethod: string; state: string; quantity: string; quantityReserved: string }>(
      `SELECT m.id, m.productId, m.procureMethod, m.state, m.quantity, m.quantityReserved FROM stock_moves m JOIN stock_pickings p ON p.id = m.pickingId
       WHERE p.type = 'outgoing' AND m.state NOT IN ('done','cancel') AND m.productId IN (${w.productIds.join(',')})`,
    );
    const free = await rows<{ productId: number; free: string }>(
      `SELECT q.productId, q.quantity - q.reservedQuantity AS free FROM stock_quants q JOIN locations l ON l.id = q.locationId
       WHERE l.kind = 'internal' AND l.isReturns = 0 AND q.productId IN (${w.productIds.join(',')})`,
    );
    for (const m of open) {
      if (m.procureMethod === 'mto') {
        expect(m, `move ${m.id}: a make-to-order move has all its units once its POs are received`).toMatchObject({ state: 'assigned' });
      } else if (num(m.quantityReserved) < num(m.quantity)) {
        expect(num(free.find((f) => f.productId === m.productId)?.free), `move ${m.id} waits for stock while stock is free`).toBe(0);
      }
    }
  }

  it('random sequences of sales, purchases, receipts, deliveries, counts and rules keep stock and purchases right', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 8, maxLength: 28 }), async (actions) => {
        const w = await run(actions);
        await settle(w);
      }),
      // A fixed seed by default, so that every run of the suite reaches the same paths (checked below);
      // PROPERTY_SEED=random (or a number) and PROPERTY_RUNS explore further.
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 30), ...(SEED !== undefined && { seed: SEED }) },
    );
    // The sequences reached every path they are there to test (a property over idle records proves nothing).
    console.info(Object.fromEntries([...seen].sort()));
    for (const outcome of [
      'sale:mto',
      'sale:stock',
      'change:up',
      'change:down',
      'cancelSale:200',
      'confirmPo:200',
      'cancelPo:draft:200',
      'cancelPo:purchase:200',
      'receive:whole',
      'receive:backorder',
      'receive:no-backorder',
      'deliver:whole',
      'deliver:backorder',
      'deliver:no-backorder',
      'count:mto',
      'count:stock',
      'orderMore:201',
      'rule',
      'run',
    ]) {
      expect(seen.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
    }
  });
});
