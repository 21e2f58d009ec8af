import { cached, invalidateAfterCommit } from '../../db/cache';
import type { Tx } from '../../db/transaction';
import { runtime } from '../../runtime';
import { ReorderRuleModel } from './reorder-rule.model';

// When reorder rules are checked: every rule on an interval (Bull's repeatable job in services mode,
// shared by every process; a timer of the same queue interface in embedded mode), and a product's rules
// after each stock change that may move its forecast, coalesced per product: the changes of one
// product within a window of REORDER_COALESCE_MS make one job (its id names the product and the window),
// run once the window has closed, so it reads every change made in it.

const SCAN_KEY = 'all-rules';

/** The scan of every rule as configured: every reorderIntervalMinutes, or none. Run by the process that runs the jobs. */
export async function scheduleReorderScan(): Promise<void> {
  const { queues, config } = runtime();
  if (config.reorderIntervalMinutes > 0) await queues.schedule('reorder', SCAN_KEY, {}, config.reorderIntervalMinutes * 60_000);
  else await queues.unschedule('reorder', SCAN_KEY);
}

// The products with an active rule, kept in memory: most stock changes are of products without one,
// and this is asked after every one. A rule created, changed or removed drops the copy (every process).
const RULED_PRODUCTS = 'reorder-rules.products';
const ruledProducts = cached(
  RULED_PRODUCTS,
  async () => new Set((await ReorderRuleModel.findAll({ where: { active: true }, attributes: ['productId'] })).map((r) => r.productId)),
);

/** To call in the transaction that creates, changes or removes a rule. */
export function rulesChanged(t: Tx): void {
  invalidateAfterCommit(t, RULED_PRODUCTS);
}

/** After a committed stock change: one job per product with an active rule, per coalescing window. */
export async function enqueueReorderChecks(productIds: number[]): Promise<void> {
  if (!productIds.length) return;
  const ruled = await ruledProducts.get();
  const { queues, config } = runtime();
  const windowMs = config.reorderCoalesceMs;
  const now = Date.now();
  const slot = Math.floor(now / windowMs);
  for (const productId of new Set(productIds.filter((id) => ruled.has(id)))) {
    await queues.enqueue('reorder', { productIds: [productId] }, { jobId: `product-${productId}-${slot}`, delayMs: (slot + 1) * windowMs - now });
  }
}
