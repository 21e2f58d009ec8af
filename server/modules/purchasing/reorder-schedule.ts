import { Op } from 'sequelize';
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

/** After a committed stock change: one job per product with an active rule, per coalescing window. */
export async function enqueueReorderChecks(productIds: number[]): Promise<void> {
  if (!productIds.length) return;
  const ruled = await ReorderRuleModel.findAll({ where: { active: true, productId: { [Op.in]: productIds } }, attributes: ['productId'] });
  const { queues, config } = runtime();
  const windowMs = config.reorderCoalesceMs;
  const now = Date.now();
  const slot = Math.floor(now / windowMs);
  for (const productId of new Set(ruled.map((r) => r.productId))) {
    await queues.enqueue('reorder', { productIds: [productId] }, { jobId: `product-${productId}-${slot}`, delayMs: (slot + 1) * windowMs - now });
  }
}
