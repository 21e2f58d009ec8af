import { UniqueConstraintError } from 'sequelize';
import type { ExternalOrder, IntakeResult } from '../../contracts/schemas/channels';
import type { AttentionReason } from '../../contracts/schemas/sales';
import { withTransaction, type Tx } from '../db/transaction';
import type { ChannelModel } from '../modules/channels/channel.model';
import { claimDelivery, lockChannel } from '../modules/channels/channel.service';
import { orderByExternalId, ordersByExternalIds } from '../modules/sales/sale-order.channel';
import { noteNewRecords } from '../modules/chatter/chatter.bulk';
import { createShopOrders } from '../modules/sales/sale-order.bulk';
import { changeExisting, reasonsNote } from './order-intake.change';
import { customersFor } from './order-intake.customers';
import { catalogFor, resolveLines } from './order-intake.lines';
import { codesOf, contactOf, fingerprint, noteOf, shopTime } from './order-intake.mapping';

// Orders from shops (sync, webhooks, files) become sale orders, once: an order is unique by (channel,
// external id). A new one lands as a quotation for staff to check; a changed one updates ours while it
// is a quotation, and otherwise flags ours with the shop's change. Every order a customer paid for is
// taken: what cannot be matched or kept (a product not known here, a tax rate we do not have, totals
// that differ from the shop's, a malformed email) flags it "needs attention" with the reason, in a
// chatter note too, and never drops it. The steps of an intake: the shop's order in our terms
// (order-intake.mapping), its customer (order-intake.customers), its lines and discounts
// (order-intake.lines), an order we have changed (order-intake.change), the new ones created here.

/**
 * Takes orders of a channel in t: the ones we have change (or not), the new ones are created together
 * (customers, products and taxes matched once for them all). An order given twice counts once more,
 * as a change of the first.
 */
async function intakeIn(t: Tx, channel: ChannelModel, exts: ExternalOrder[], noted: AttentionReason[][] = []): Promise<IntakeResult[]> {
  const existing = await ordersByExternalIds(t, channel.id, [...new Set(exts.map((e) => e.externalId))]);
  const byExternalId = new Map(existing.map((o) => [o.externalId!, o]));
  const catalog = await catalogFor(t, exts);
  const results: IntakeResult[] = new Array<IntakeResult>(exts.length);
  const fresh: { index: number; ext: ExternalOrder }[] = [];
  const again: number[] = [];
  const taken = new Set<string>();
  for (const [index, ext] of exts.entries()) {
    const o = byExternalId.get(ext.externalId);
    if (o) results[index] = await changeExisting(t, channel, o, ext, catalog, noted[index] ?? []);
    else if (taken.has(ext.externalId)) again.push(index);
    else {
      taken.add(ext.externalId);
      fresh.push({ index, ext });
    }
  }
  if (fresh.length) {
    const contacts = fresh.map(({ ext }) => contactOf(ext));
    const customers = await customersFor(t, contacts);
    const resolved = fresh.map(({ ext }) => resolveLines(ext, catalog));
    const orders = await createShopOrders(
      t,
      fresh.map(({ ext }, k) => ({
        partnerId: customers[k]!,
        shippingAddress: contacts[k]!.address,
        channelId: channel.id,
        externalId: ext.externalId,
        reference: ext.reference ?? null,
        externalHash: fingerprint(ext),
        externalUpdatedAt: shopTime(ext),
        dateOrder: ext.date,
        needsAttention: false,
        attentionReasons: [...(noted[fresh[k]!.index] ?? []), ...contacts[k]!.reasons, ...resolved[k]!.reasons],
        note: noteOf(ext),
        discountCode: codesOf(ext),
        orderDiscount: resolved[k]!.orderDiscount,
        lines: resolved[k]!.lines,
      })),
    );
    // The flagged ones say why in their chatter, the chunk's notes in one statement.
    await noteNewRecords(
      t,
      'saleOrder',
      orders.flatMap((o) => (o.attentionReasons.length ? [{ resId: o.id, body: reasonsNote('This order needs attention:', o.attentionReasons) }] : [])),
    );
    for (const [k, { index }] of fresh.entries()) {
      const o = orders[k]!;
      results[index] = { status: 'created', orderId: o.id, name: o.name, reasons: o.attentionReasons };
    }
  }
  for (const index of again) {
    const o = await orderByExternalId(t, channel.id, exts[index]!.externalId);
    results[index] = await changeExisting(t, channel, o!, exts[index]!, catalog, noted[index] ?? []);
  }
  return results;
}

/** Runs an intake, once more should a concurrent one have created the same order meanwhile. */
async function retried<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt === 0 && err instanceof UniqueConstraintError) continue;
      throw err;
    }
  }
}

/** Thrown to roll a dry run back, carrying what it would have done. */
class DryRun extends Error {
  constructor(readonly results: IntakeResult[]) {
    super('dry run');
  }
}

/**
 * Orders of a channel in one transaction (a chunk of an import): all of them are taken, or none.
 * The results are in the orders' order. `noted`: what the source itself found to look at, per order
 * (a file's line that is not valid text). A dry run does it all and rolls it back: its results are
 * exactly what a run would do, and nothing is written (nor announced).
 */
export async function receiveExternalOrders(
  channel: ChannelModel,
  exts: ExternalOrder[],
  opts: { dryRun?: boolean; noted?: AttentionReason[][] } = {},
): Promise<IntakeResult[]> {
  if (!exts.length) return [];
  try {
    return await retried(() =>
      withTransaction(async (t) => {
        await lockChannel(t, channel);
        const results = await intakeIn(t, channel, exts, opts.noted);
        if (opts.dryRun) throw new DryRun(results);
        return results;
      }),
    );
  } catch (err) {
    if (err instanceof DryRun) return err.results;
    throw err;
  }
}

/**
 * Takes one order from a channel, in one transaction with the delivery's id when there is one (a
 * repeated webhook delivery changes nothing). Deliveries racing each other wait on the channel; should
 * two still meet on the unique (channel, external id), the second runs again and finds the first's order.
 */
export async function receiveExternalOrder(channel: ChannelModel, ext: ExternalOrder, deliveryId?: string | null): Promise<IntakeResult> {
  return retried(() =>
    withTransaction(async (t) => {
      await lockChannel(t, channel);
      if (deliveryId && !(await claimDelivery(t, channel, deliveryId))) return { status: 'duplicate', orderId: null, name: null, reasons: [] };
      const [result] = await intakeIn(t, channel, [ext]);
      return result!;
    }),
  );
}
