import type { z } from 'zod';
import type { ReplenishmentItem, ReplenishmentReport, replenishmentOrder, replenishmentQuery } from '../../contracts/schemas/purchasing';
import { withTransaction } from '../db/transaction';
import { InvalidStateError, ValidationError } from '../http/errors';
import { requireAccess, type Auth } from '../modules/auth/access';
import { productsWithVendors, purchasePrice } from '../modules/catalog/product.service';
import { demandedProductIds } from '../modules/inventory/forecast';
import { resolveWarehouseId, warehouseCodes } from '../modules/inventory/warehouse.service';
import { partnerNames } from '../modules/partners/partner.service';
import { addToDraftRfqs, preferredVendor, type Need } from '../modules/purchasing/purchase-order.draft';
import { plannedDate, r3 } from '../modules/purchasing/purchase-order.lines';
import { activeRulesOf, reorderQuantity, type RuleRecord } from '../modules/purchasing/reorder-rule.service';
import { forecasts } from './replenishment.workflow';

// The replenishment page: every product below its rule's minimum, or whose deliveries wait for more
// than is on hand and coming (forecast below zero, rule or not), with what to order and from whom;
// and ordering from it, which fills the preferred vendors' draft RFQs.

type Candidate = Omit<ReplenishmentItem, 'sku' | 'productName' | 'vendorId' | 'vendorName' | 'leadDays' | 'plannedArrival'>;

async function candidates(warehouseId: number): Promise<Candidate[]> {
  const rules = new Map<number, RuleRecord>((await activeRulesOf(null, warehouseId)).map((r) => [r.productId, r]));
  const ids = [...new Set([...rules.keys(), ...(await demandedProductIds(null, warehouseId))])];
  const out: Candidate[] = [];
  for (const [productId, f] of await forecasts(null, warehouseId, ids)) {
    const rule = rules.get(productId);
    if (rule ? f.forecast >= rule.min : f.forecast >= 0) continue;
    out.push({
      productId,
      warehouseId,
      ...f,
      ruleId: rule?.id ?? null,
      min: rule?.min ?? null,
      max: rule?.max ?? null,
      multiple: rule?.multiple ?? null,
      suggested: rule ? reorderQuantity(rule, f.forecast) : r3(-f.forecast),
    });
  }
  return out;
}

export async function replenishmentReport(auth: Auth, query: z.output<typeof replenishmentQuery>): Promise<ReplenishmentReport> {
  requireAccess(auth, 'purchase.read');
  const warehouses = query.warehouseId ? [await resolveWarehouseId(null, query.warehouseId)] : [...(await warehouseCodes(null)).keys()];
  const found: Candidate[] = [];
  for (const warehouseId of warehouses) found.push(...(await candidates(warehouseId)));
  const products = await productsWithVendors(
    null,
    found.map((c) => c.productId),
    'productId',
  );
  // Consumables are always available: a delivery never waits for them.
  const items = found.filter((c) => products.get(c.productId)!.type === 'storable');
  const vendorIds = items.map((c) => preferredVendor(products.get(c.productId)!));
  const names = await partnerNames(null, vendorIds);
  const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  const report: ReplenishmentReport = { items: [], withoutVendor: [] };
  items.forEach((c, i) => {
    const p = products.get(c.productId)!;
    const vendorId = vendorIds[i]!;
    const leadDays = vendorId === null ? null : purchasePrice(p, vendorId, c.suggested).leadDays;
    report.items.push({
      ...c,
      sku: p.sku,
      productName: p.name,
      vendorId,
      vendorName: vendorId === null ? null : (names.get(vendorId) ?? null),
      leadDays,
      plannedArrival: leadDays === null ? null : plannedDate(today, leadDays).toISOString(),
    });
    if (vendorId === null && !report.withoutVendor.some((w) => w.productId === p.id)) {
      report.withoutVendor.push({ productId: p.id, sku: p.sku, productName: p.name });
    }
  });
  report.items.sort((a, b) => a.warehouseId - b.warehouseId || a.sku.localeCompare(b.sku));
  return report;
}

/**
 * "Order" on the replenishment page: the quantities go to each product's preferred vendor's draft RFQ
 * (one per vendor and warehouse), in one transaction. A product without a vendor is a 422 naming it,
 * and nothing is ordered.
 */
export async function orderReplenishment(auth: Auth, body: z.output<typeof replenishmentOrder>): Promise<{ purchaseOrderIds: number[] }> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const products = await productsWithVendors(
      t,
      body.items.map((i) => i.productId),
      'items.productId',
    );
    const byWarehouse = new Map<number, Need[]>();
    for (const [i, item] of body.items.entries()) {
      const warehouseId = await resolveWarehouseId(t, item.warehouseId).catch(() => {
        throw ValidationError.field(`items.${i}.warehouseId`, `warehouse ${item.warehouseId} does not exist`);
      });
      const need: Need = { productId: item.productId, quantity: item.quantity, demand: { kind: 'manual' }, origin: 'Replenishment' };
      byWarehouse.set(warehouseId, [...(byWarehouse.get(warehouseId) ?? []), need]);
    }
    const vendorless = [...products.values()].filter((p) => preferredVendor(p) === null);
    if (vendorless.length) {
      throw new InvalidStateError(`${vendorless.map((p) => `[${p.sku}] ${p.name}`).join(', ')}: no vendor; add one on the product to order it`);
    }
    const filled = new Set<number>();
    for (const [warehouseId, needs] of byWarehouse) for (const o of await addToDraftRfqs(t, auth, warehouseId, needs)) filled.add(o.id);
    return { purchaseOrderIds: [...filled].sort((a, b) => a - b) };
  });
}
