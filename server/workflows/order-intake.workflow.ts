import { createHash } from 'node:crypto';
import { UniqueConstraintError } from 'sequelize';
import type { ExternalOrder, IntakeResult } from '../../contracts/schemas/channels';
import type { LineInput } from '../../contracts/schemas/sales';
import { isSqlite } from '../db/sequelize';
import { withTransaction, type Tx } from '../db/transaction';
import { computeLine, formatMoney } from '../lib/money';
import { ProductModel, TaxModel } from '../modules/catalog/catalog.model';
import { createMessage } from '../modules/chatter/chatter.service';
import { ChannelDeliveryModel, ChannelModel } from '../modules/channels/channel.model';
import { companyCurrency } from '../modules/company/company.service';
import { PartnerModel } from '../modules/partners/partner.model';
import { partnerIdsByEmail } from '../modules/partners/partner.service';
import { SaleOrderModel } from '../modules/sales/sale-order.model';
import { createSaleOrdersIn, updateSaleOrderIn } from '../modules/sales/sale-order.service';
import { escapeHtml } from '../lib/html';

// Orders from shops (sync, webhooks, files) become sale orders, once: an order is unique by (channel,
// external id). A new one lands as a quotation for staff to check; a changed one updates ours while it
// is a quotation, and otherwise leaves a note of the shop's change on its chatter. What cannot be
// matched (an unknown SKU, a tax rate we do not have) is never dropped: the order is flagged "needs
// attention" and its note says what to fix.

const SHIPPING_SKU = 'SHIPPING';

/** A stable fingerprint of the shop's version of an order. */
export function fingerprint(ext: ExternalOrder): string {
  return createHash('sha256').update(JSON.stringify(ext)).digest('hex');
}

/** The customer of each new order: a partner with its email (the first one made), else a new partner. */
async function customersFor(t: Tx, exts: ExternalOrder[]): Promise<number[]> {
  const emailOf = (ext: ExternalOrder) => ext.customer.email?.trim().toLowerCase() || null;
  const byEmail = await partnerIdsByEmail(
    exts.map(emailOf).filter((e): e is string => !!e),
    t,
  );
  // One new partner per unknown email (orders of the same new customer share it), one per order without.
  const fresh: ExternalOrder[] = [];
  const freshByEmail = new Map<string, number>();
  const slot = exts.map((ext) => {
    const email = emailOf(ext);
    if (email && byEmail.has(email)) return { id: byEmail.get(email)! };
    if (email && freshByEmail.has(email)) return { fresh: freshByEmail.get(email)! };
    fresh.push(ext);
    if (email) freshByEmail.set(email, fresh.length - 1);
    return { fresh: fresh.length - 1 };
  });
  const created = fresh.length
    ? await PartnerModel.bulkCreate(
        fresh.map((ext) => {
          const a = ext.shippingAddress;
          return {
            name: ext.customer.name,
            email: ext.customer.email ?? null,
            phone: ext.customer.phone ?? a?.phone ?? null,
            isCompany: false,
            street: a?.street ?? null,
            city: a?.city ?? null,
            zip: a?.zip ?? null,
            countryCode: a?.countryCode ?? null,
            roles: ['customer'],
          };
        }),
        { transaction: t },
      )
    : [];
  return slot.map((s) => ('id' in s ? s.id! : created[s.fresh]!.id));
}

async function shippingProduct(t: Tx): Promise<ProductModel> {
  const found = await ProductModel.findOne({ where: { sku: SHIPPING_SKU }, transaction: t });
  if (found) return found;
  return ProductModel.create(
    { sku: SHIPPING_SKU, name: 'Shipping', type: 'service', listPrice: 0, cost: 0, taxIds: [], invoicePolicy: 'order', routes: [], active: true },
    { transaction: t },
  );
}

/** What the orders of one intake are matched against, read once for them all. */
type Catalog = { products: Map<string, ProductModel>; taxes: TaxModel[]; shipping: ProductModel | null; currency: string };

async function catalogFor(t: Tx, exts: ExternalOrder[]): Promise<Catalog> {
  const skus = [...new Set(exts.flatMap((e) => e.lines.map((l) => l.sku)).filter((s): s is string => !!s))];
  const products = skus.length ? await ProductModel.findAll({ where: { sku: skus }, transaction: t }) : [];
  return {
    products: new Map(products.map((p) => [p.sku, p])),
    taxes: await TaxModel.findAll({ where: { active: true }, transaction: t }),
    shipping: exts.some((e) => e.shipping && e.shipping.amount > 0) ? await shippingProduct(t) : null,
    currency: await companyCurrency(t),
  };
}

type Resolved = { lines: (LineInput & { discount: number })[]; problems: string[] };

/** Our lines for the shop's: products by SKU, taxes by rate; what does not match is a problem, not a loss. */
function resolveLines(ext: ExternalOrder, catalog: Catalog): Resolved {
  const { taxes, currency } = catalog;
  const money = (c: number) => formatMoney(c, currency);
  const problems: string[] = [];
  const taxIdsFor = (rates: number[] | undefined, what: string): number[] | undefined => {
    if (!rates) return undefined;
    const ids: number[] = [];
    for (const rate of rates) {
      const tax = taxes.find((x) => Math.abs(x.rate - rate) < 0.0001);
      if (tax) ids.push(tax.id);
      else problems.push(`${what}: the shop charged a ${rate}% tax that has no active tax here (Settings → Taxes)`);
    }
    return ids;
  };
  const lines: Resolved['lines'] = [];
  const productOf = new Map<number, ProductModel>();
  for (const l of ext.lines) {
    const product = l.sku ? catalog.products.get(l.sku) : undefined;
    if (!product) {
      problems.push(
        `${l.sku ? `Unknown SKU "${l.sku}"` : 'No SKU'}: ${l.name} × ${l.quantity} at ${money(l.unitPrice)} was not added; add the product, then the line`,
      );
      continue;
    }
    productOf.set(product.id, product);
    lines.push({
      productId: product.id,
      description: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      taxIds: taxIdsFor(l.taxRates, l.name),
    });
  }
  if (ext.shipping && ext.shipping.amount > 0 && catalog.shipping) {
    lines.push({
      productId: catalog.shipping.id,
      description: ext.shipping.name,
      quantity: 1,
      unitPrice: ext.shipping.amount,
      discount: 0,
      taxIds: taxIdsFor(ext.shipping.taxRates, ext.shipping.name) ?? [],
    });
  }
  // The shop's total against ours, computed the same way the order will be.
  if (ext.total != null && !problems.length) {
    const rates = new Map(taxes.map((x) => [x.id, x.rate]));
    const ours = lines.reduce((s, l) => {
      const taxIds = l.taxIds ?? productOf.get(l.productId)?.taxIds ?? [];
      return (
        s +
        computeLine({ quantity: l.quantity, unitPrice: l.unitPrice ?? 0, discount: l.discount ?? 0, taxIds: taxIds.filter((id) => rates.has(id)) }, rates).total
      );
    }, 0);
    if (ours !== ext.total) problems.push(`The shop's total is ${money(ext.total)}, ours ${money(ours)}: check prices, discounts and taxes`);
  }
  return { lines, problems };
}

function noteOf(ext: ExternalOrder, problems: string[]): string | null {
  const parts = [
    ext.reference ? `Shop order ${ext.reference}${ext.financialStatus ? ` (${ext.financialStatus})` : ''}.` : null,
    ext.note ? `Customer note: ${ext.note}` : null,
    ...problems.map((p) => `⚠ ${p}`),
  ].filter((p): p is string => !!p);
  return parts.length ? parts.join('\n') : null;
}

/** A shop's new version of an order we have: unchanged, updated while a quotation, else a note for staff. */
async function changeExisting(t: Tx, channel: ChannelModel, existing: SaleOrderModel, ext: ExternalOrder, catalog: Catalog): Promise<IntakeResult> {
  const hash = fingerprint(ext);
  if (existing.externalHash === hash) return { status: 'unchanged', orderId: existing.id, name: existing.name };
  const { lines, problems } = resolveLines(ext, catalog);
  if (existing.state === 'draft' || existing.state === 'sent') {
    const o = await updateSaleOrderIn(t, null, existing.id, {
      version: existing.version,
      partnerId: existing.partnerId,
      shippingAddress: ext.shippingAddress ?? null,
      needsAttention: problems.length > 0,
      note: noteOf(ext, problems),
      lines,
    });
    await SaleOrderModel.update({ externalHash: hash }, { where: { id: o.id }, transaction: t });
    return { status: 'updated', orderId: o.id, name: o.name };
  }
  // Confirmed here already: the shop's change is for staff to act on, not to overwrite what was agreed.
  const money = (c: number) => formatMoney(c, catalog.currency);
  await createMessage(t, {
    model: 'saleOrder',
    resId: existing.id,
    type: 'note',
    body: `<p>The shop changed ${escapeHtml(ext.reference ?? ext.externalId)} after it was confirmed here:</p><ul>${ext.lines
      .map((l) => `<li>${escapeHtml(l.name)} × ${l.quantity} at ${money(l.unitPrice)}</li>`)
      .join('')}</ul>${ext.note ? `<p>Note: ${escapeHtml(ext.note)}</p>` : ''}${problems.map((p) => `<p>⚠ ${escapeHtml(p)}</p>`).join('')}`,
    author: { partnerId: null, name: channel.name, email: '' },
  });
  await SaleOrderModel.update({ externalHash: hash, needsAttention: true }, { where: { id: existing.id }, transaction: t });
  return { status: 'noted', orderId: existing.id, name: existing.name };
}

/**
 * Takes orders of a channel in t: the ones we have change (or not), the new ones are created together
 * (customers, products and taxes matched once for them all). An order given twice counts once more,
 * as a change of the first.
 */
async function intakeIn(t: Tx, channel: ChannelModel, exts: ExternalOrder[]): Promise<IntakeResult[]> {
  const existing = await SaleOrderModel.findAll({ where: { channelId: channel.id, externalId: [...new Set(exts.map((e) => e.externalId))] }, transaction: t });
  const byExternalId = new Map(existing.map((o) => [o.externalId!, o]));
  const catalog = await catalogFor(t, exts);
  const results: IntakeResult[] = new Array<IntakeResult>(exts.length);
  const fresh: { index: number; ext: ExternalOrder }[] = [];
  const again: number[] = [];
  const taken = new Set<string>();
  for (const [index, ext] of exts.entries()) {
    const o = byExternalId.get(ext.externalId);
    if (o) results[index] = await changeExisting(t, channel, o, ext, catalog);
    else if (taken.has(ext.externalId)) again.push(index);
    else {
      taken.add(ext.externalId);
      fresh.push({ index, ext });
    }
  }
  if (fresh.length) {
    const customers = await customersFor(
      t,
      fresh.map((f) => f.ext),
    );
    const orders = await createSaleOrdersIn(
      t,
      null,
      fresh.map(({ ext }, k) => {
        const { lines, problems } = resolveLines(ext, catalog);
        return {
          partnerId: customers[k]!,
          shippingAddress: ext.shippingAddress ?? null,
          channelId: channel.id,
          externalId: ext.externalId,
          externalHash: fingerprint(ext),
          dateOrder: ext.date,
          needsAttention: problems.length > 0,
          note: noteOf(ext, problems),
          lines,
        };
      }),
    );
    fresh.forEach(({ index }, k) => (results[index] = { status: 'created', orderId: orders[k]!.id, name: orders[k]!.name }));
  }
  for (const index of again) {
    const o = await SaleOrderModel.findOne({ where: { channelId: channel.id, externalId: exts[index]!.externalId }, transaction: t });
    results[index] = await changeExisting(t, channel, o!, exts[index]!, catalog);
  }
  return results;
}

/** One intake at a time per channel: the channel's row serialises them (MySQL; SQLite runs one transaction at a time). */
async function lockChannel(t: Tx, channel: ChannelModel): Promise<void> {
  // Locking a missing order row would take gap locks that deadlock concurrent deliveries.
  if (!isSqlite()) await ChannelModel.findByPk(channel.id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
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

/**
 * Orders of a channel in one transaction (a chunk of an import): all of them are taken, or none.
 * The results are in the orders' order.
 */
export async function receiveExternalOrders(channel: ChannelModel, exts: ExternalOrder[]): Promise<IntakeResult[]> {
  if (!exts.length) return [];
  return retried(() =>
    withTransaction(async (t) => {
      await lockChannel(t, channel);
      return intakeIn(t, channel, exts);
    }),
  );
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
      if (deliveryId) {
        const seen = await ChannelDeliveryModel.findOne({ where: { channelId: channel.id, deliveryId }, transaction: t });
        if (seen) return { status: 'duplicate', orderId: null, name: null };
        await ChannelDeliveryModel.create({ channelId: channel.id, deliveryId }, { transaction: t });
      }
      const [result] = await intakeIn(t, channel, [ext]);
      return result!;
    }),
  );
}
