import { withTransaction, type Tx } from '../db/transaction';
import { requireAccess, type Auth } from '../modules/auth/access';
import { productsWithVendors } from '../modules/catalog/product.service';
import { forecastParts, type ForecastParts } from '../modules/inventory/forecast';
import { warehouseCodes } from '../modules/inventory/warehouse.service';
import { addToDraftRfqs, preferredVendor } from '../modules/purchasing/purchase-order.draft';
import { r3 } from '../modules/purchasing/purchase-order.lines';
import { rfqQuantities } from '../modules/purchasing/replenishment.queries';
import { activeRulesAfter, lockRule, markRulesChecked, reorderQuantity, type RuleRecord } from '../modules/purchasing/reorder-rule.service';

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

/**
 * Checks one rule in a transaction of its own: its row locked first (the checks of one rule take turns,
 * each reading the forecast after the one before committed its RFQ line), then the forecast, then what
 * to order. A product without a vendor orders nothing (the replenishment report lists it). Returns the
 * RFQs filled.
 */
async function checkRule(ruleId: number, codes: Map<number, string>): Promise<number[]> {
  return withTransaction(async (t) => {
    const rule = await lockRule(t, ruleId);
    if (!rule?.active) return [];
    const forecast = (await forecasts(t, rule.warehouseId, [rule.productId])).get(rule.productId)!.forecast;
    const quantity = reorderQuantity(rule, forecast);
    if (quantity <= 0) return [];
    const product = (await productsWithVendors(t, [rule.productId], 'productId')).get(rule.productId)!;
    if (preferredVendor(product) === null) return [];
    const origin = `Reorder [${product.sku}] ${codes.get(rule.warehouseId) ?? rule.warehouseId}`;
    const filled = await addToDraftRfqs(t, null, rule.warehouseId, [
      { productId: rule.productId, quantity, demand: { kind: 'reorder', reorderRuleId: rule.id }, origin },
    ]);
    return filled.map((o) => o.id);
  });
}

const PAGE = 500;

/**
 * Checks the active rules (of these products, or all), a page of rules at a time: the page's forecasts
 * are read in a few queries without locks, and only the rules found below their minimum are checked
 * again, one by one, under their lock. (A change made after the first read has its own check queued.)
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
    const byWarehouse = new Map<number, RuleRecord[]>();
    for (const rule of page) byWarehouse.set(rule.warehouseId, [...(byWarehouse.get(rule.warehouseId) ?? []), rule]);
    const below: number[] = [];
    for (const [warehouseId, rules] of byWarehouse) {
      const f = await forecasts(
        null,
        warehouseId,
        rules.map((r) => r.productId),
      );
      for (const rule of rules) if (reorderQuantity(rule, f.get(rule.productId)!.forecast) > 0) below.push(rule.id);
    }
    for (const id of below) for (const po of await checkRule(id, codes)) filled.add(po);
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
