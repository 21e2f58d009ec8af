import { withTransaction, type Tx } from '../db/transaction';
import { AppError } from '../http/errors';
import { logger } from '../lib/logger';
import { requireAccess, type Auth } from '../modules/auth/access';
import { productsWithVendors } from '../modules/catalog/product.service';
import { forecastParts, type ForecastParts } from '../modules/inventory/forecast';
import { warehouseCodes } from '../modules/inventory/warehouse.service';
import { addToDraftRfqs, preferredVendor, type Need } from '../modules/purchasing/purchase-order.draft';
import { r3 } from '../modules/purchasing/purchase-order.lines';
import { rfqQuantities } from '../modules/purchasing/replenishment.queries';
import { activeRulesAfter, lockRules, markRulesChecked, reorderQuantity, type RuleRecord } from '../modules/purchasing/reorder-rule.service';

// Reorder rules at work (Odoo's orderpoints): when a product's forecast in a warehouse falls below the
// rule's minimum, the preferred vendor's draft RFQ gets what brings it back up to the maximum, in the
// rule's multiple. The forecast counts draft RFQs as incoming, so a second check orders nothing more.

/** On hand + incoming (receipts' moves and RFQs not yet confirmed) − outgoing (deliveries, reserved and waiting). */
export type Forecast = ForecastParts & { forecast: number };

/** The forecast of products in a warehouse: inventory's parts plus purchasing's RFQs, in a few queries for all of them. */
export async function forecasts(t: Tx | null, warehouseId: number, productIds: number[]): Promise<Map<number, Forecast>> {
  const [parts, rfqs] = await Promise.all([forecastParts(t, warehouseId, productIds), rfqQuantities(t, warehouseId, productIds)]);
  const out = new Map<number, Forecast>();
  for (const [productId, p] of parts) {
    const incoming = r3(p.incoming + (rfqs.get(productId) ?? 0));
    out.set(productId, { onHand: p.onHand, incoming, outgoing: p.outgoing, forecast: r3(p.onHand + incoming - p.outgoing) });
  }
  return out;
}

function byWarehouse(rules: RuleRecord[]): Map<number, RuleRecord[]> {
  const out = new Map<number, RuleRecord[]>();
  for (const rule of rules) out.set(rule.warehouseId, [...(out.get(rule.warehouseId) ?? []), rule]);
  return out;
}

/**
 * Checks rules in one transaction: their rows locked first, in id order (the checks of a rule take
 * turns, each reading the forecast after the one before committed its RFQ line; every checker locks in
 * the same order), then the forecasts, then one fill of each vendor's draft RFQ with what the rules below
 * their minimum order. A product without a vendor orders nothing (the replenishment report lists it).
 * Returns the RFQs filled.
 */
async function checkRules(ruleIds: number[], codes: Map<number, string>): Promise<number[]> {
  return withTransaction(async (t) => {
    const filled = new Set<number>();
    for (const [warehouseId, rules] of byWarehouse(await lockRules(t, ruleIds))) {
      const f = await forecasts(
        t,
        warehouseId,
        rules.map((r) => r.productId),
      );
      const due = rules.map((rule) => ({ rule, quantity: reorderQuantity(rule, f.get(rule.productId)!.forecast) })).filter((d) => d.quantity > 0);
      const products = await productsWithVendors(
        t,
        due.map((d) => d.rule.productId),
        'productId',
      );
      const needs: Need[] = due
        .filter((d) => preferredVendor(products.get(d.rule.productId)!) !== null)
        .map(({ rule, quantity }) => ({
          productId: rule.productId,
          quantity,
          demand: { kind: 'reorder', reorderRuleId: rule.id },
          origin: `Reorder [${products.get(rule.productId)!.sku}] ${codes.get(warehouseId) ?? warehouseId}`,
        }));
      for (const o of await addToDraftRfqs(t, null, warehouseId, needs)) filled.add(o.id);
    }
    return [...filled];
  });
}

/**
 * checkRules, and when the business refuses it (a line over the largest amount, a vendor gone), each
 * rule alone: one rule that cannot order never holds back the others; it is logged and skipped.
 */
async function checkRulesApart(ruleIds: number[], codes: Map<number, string>): Promise<number[]> {
  try {
    return await checkRules(ruleIds, codes);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (ruleIds.length === 1) {
      logger.warn({ ruleId: ruleIds[0], err: err.message }, 'reorder rule could not order');
      return [];
    }
    const filled: number[] = [];
    for (const id of ruleIds) filled.push(...(await checkRulesApart([id], codes)));
    return filled;
  }
}

const PAGE = 500;

/**
 * Checks the active rules (of these products, or all), a page of rules at a time: the page's forecasts
 * are read in a few queries without locks, and only the rules found below their minimum are checked
 * again under their locks (checkRules). A change made after the first read has its own check queued.
 * Memory stays flat however many rules there are. Returns how many rules were checked and the RFQs filled.
 */
export async function runReorderRules(productIds?: number[]): Promise<{ checked: number; purchaseOrderIds: number[] }> {
  const codes = await warehouseCodes(null);
  const filled = new Set<number>();
  let checked = 0;
  for (let after = 0; ;) {
    const page = await activeRulesAfter(after, PAGE, productIds);
    if (!page.length) break;
    after = page[page.length - 1]!.id;
    const below: number[] = [];
    for (const [warehouseId, rules] of byWarehouse(page)) {
      const f = await forecasts(
        null,
        warehouseId,
        rules.map((r) => r.productId),
      );
      for (const rule of rules) if (reorderQuantity(rule, f.get(rule.productId)!.forecast) > 0) below.push(rule.id);
    }
    if (below.length) for (const po of await checkRulesApart(below, codes)) filled.add(po);
    await markRulesChecked(
      page.map((r) => r.id),
      new Date(),
    );
    checked += page.length;
  }
  return { checked, purchaseOrderIds: [...filled].sort((a, b) => a - b) };
}

/** POST /api/replenishment/run: every rule checked now. */
export async function runReplenishment(auth: Auth): Promise<{ purchaseOrderIds: number[] }> {
  requireAccess(auth, 'purchase.write');
  const { purchaseOrderIds } = await runReorderRules();
  return { purchaseOrderIds };
}
