import { createHash } from 'node:crypto';
import { UniqueConstraintError } from 'sequelize';
import type { ExternalAddress, ExternalOrder, IntakeResult } from '../../contracts/schemas/channels';
import { isEmailAddress, normalizeEmail } from '../../contracts/schemas/common';
import type { Address, AttentionReason } from '../../contracts/schemas/sales';
import { isSqlite } from '../db/sequelize';
import { withTransaction, type Tx } from '../db/transaction';
import { countryCodeOf } from '../lib/countries';
import { escapeHtml } from '../lib/html';
import { logger } from '../lib/logger';
import { allocate, computeLine, formatMoney, lineGross } from '../lib/money';
import { ProductModel, TaxModel } from '../modules/catalog/catalog.model';
import { nameKey, productsByName, productsBySku } from '../modules/catalog/product.service';
import { createMessage } from '../modules/chatter/chatter.service';
import { ChannelDeliveryModel, ChannelModel } from '../modules/channels/channel.model';
import { companyCurrency } from '../modules/company/company.service';
import { PartnerModel } from '../modules/partners/partner.model';
import { partnerIdsByEmail } from '../modules/partners/partner.service';
import type { ParsedLine } from '../modules/sales/sale-order.lines';
import { SaleOrderModel } from '../modules/sales/sale-order.model';
import { createSaleOrdersIn } from '../modules/sales/sale-order.create';
import { flagExternalChange, noteExternalTime, updateSaleOrderIn } from '../modules/sales/sale-order.update';

// Orders from shops (sync, webhooks, files) become sale orders, once: an order is unique by (channel,
// external id). A new one lands as a quotation for staff to check; a changed one updates ours while it
// is a quotation, and otherwise flags ours with the shop's change. Every order a customer paid for is
// taken: what cannot be matched or kept (a product not known here, a tax rate we do not have, totals
// that differ from the shop's, a malformed email) flags it "needs attention" with the reason, in a
// chatter note too, and never drops it.

const SHIPPING_SKU = 'SHIPPING';

/** A stable fingerprint of the shop's version of an order: what it says, not when it said it. */
export function fingerprint(ext: ExternalOrder): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...ext, updatedAt: undefined }))
    .digest('hex');
}

/** The shop's time of a version, when it gives one. */
const shopTime = (ext: ExternalOrder) => (ext.updatedAt ? new Date(ext.updatedAt) : null);

// ---------------------------------------------------------------------------------------------------
// Contact details: taken as they come, checked, and what cannot be kept is a reason, not a refusal.

type Contact = { name: string; email: string | null; phone: string | null; address: Address | null; reasons: AttentionReason[] };

// What the partners and order columns hold.
const LIMITS: Record<keyof ExternalAddress, number> = { name: 200, street: 200, street2: 200, city: 100, zip: 20, state: 100, countryCode: 2, phone: 50 };
const LABELS: Record<keyof ExternalAddress, string> = {
  name: 'name',
  street: 'street',
  street2: 'street (2)',
  city: 'city',
  zip: 'ZIP',
  state: 'state',
  countryCode: 'country',
  phone: 'phone',
};

function contactOf(ext: ExternalOrder): Contact {
  const reasons: AttentionReason[] = [];
  const raw = ext.customer.email ?? null;
  let email: string | null = null;
  if (raw) {
    const normal = normalizeEmail(raw);
    if (isEmailAddress(normal)) email = normal;
    else reasons.push({ code: 'invalid_email', message: `The customer's email "${raw}" is not a valid address: the customer was saved without one` });
  }
  const cut = (value: string | null | undefined, max: number, what: string): string | null => {
    if (!value) return null;
    if (value.length <= max) return value;
    reasons.push({ code: 'invalid_contact', message: `The ${what} is longer than ${max} characters and was cut; the shop's: "${value}"` });
    return value.slice(0, max);
  };
  let address: Address | null = null;
  const a = ext.shippingAddress;
  if (a && Object.values(a).some(Boolean)) {
    const country = countryCodeOf(a.countryCode);
    if (a.countryCode && !country) {
      reasons.push({ code: 'invalid_contact', message: `The country "${a.countryCode}" is not one known here: the address was kept without it` });
    }
    address = {
      name: cut(a.name, LIMITS.name, `shipping ${LABELS.name}`),
      street: cut(a.street, LIMITS.street, `shipping ${LABELS.street}`),
      street2: cut(a.street2, LIMITS.street2, `shipping ${LABELS.street2}`),
      city: cut(a.city, LIMITS.city, `shipping ${LABELS.city}`),
      zip: cut(a.zip, LIMITS.zip, `shipping ${LABELS.zip}`),
      state: cut(a.state, LIMITS.state, `shipping ${LABELS.state}`),
      countryCode: country,
      phone: cut(a.phone, LIMITS.phone, `shipping ${LABELS.phone}`),
    };
  }
  const name = ext.customer.name || a?.name || email || raw || `Customer of ${ext.reference ?? ext.externalId}`;
  return {
    name: cut(name, 200, "customer's name")!,
    email,
    phone: cut(ext.customer.phone ?? a?.phone, 50, "customer's phone"),
    address,
    reasons,
  };
}

/** The customer of each new order: a partner with its email (the first one made), else a new partner. */
async function customersFor(t: Tx, contacts: Contact[]): Promise<number[]> {
  const byEmail = await partnerIdsByEmail(
    t,
    contacts.map((c) => c.email).filter((e): e is string => !!e),
  );
  // One new partner per unknown email (orders of the same new customer share it), one per order without.
  const fresh: Contact[] = [];
  const freshByEmail = new Map<string, number>();
  const slot = contacts.map((c) => {
    if (c.email && byEmail.has(c.email)) return { id: byEmail.get(c.email)! };
    if (c.email && freshByEmail.has(c.email)) return { fresh: freshByEmail.get(c.email)! };
    fresh.push(c);
    if (c.email) freshByEmail.set(c.email, fresh.length - 1);
    return { fresh: fresh.length - 1 };
  });
  const created = fresh.length
    ? await PartnerModel.bulkCreate(
        fresh.map((c) => ({
          name: c.name,
          email: c.email,
          phone: c.phone ?? c.address?.phone ?? null,
          isCompany: false,
          street: c.address?.street ?? null,
          city: c.address?.city ?? null,
          zip: c.address?.zip ?? null,
          countryCode: c.address?.countryCode ?? null,
          roles: ['customer'],
        })),
        { transaction: t },
      )
    : [];
  return slot.map((s) => ('id' in s ? s.id! : created[s.fresh]!.id));
}

// ---------------------------------------------------------------------------------------------------
// Lines: products by SKU (by name when the shop gives none), taxes by rate, discounts as the shop gave them.

async function shippingProduct(t: Tx): Promise<ProductModel> {
  const found = await ProductModel.findOne({ where: { sku: SHIPPING_SKU }, transaction: t });
  if (found) return found;
  return ProductModel.create(
    { sku: SHIPPING_SKU, name: 'Shipping', type: 'service', listPrice: 0, cost: 0, taxIds: [], invoicePolicy: 'order', routes: [], active: true },
    { transaction: t },
  );
}

/** What the orders of one intake are matched against, read once for them all. */
type Catalog = {
  bySku: Map<string, ProductModel>;
  byName: Map<string, ProductModel>;
  taxes: TaxModel[];
  shipping: ProductModel | null;
  currency: string;
};

async function catalogFor(t: Tx, exts: ExternalOrder[]): Promise<Catalog> {
  const lines = exts.flatMap((e) => e.lines);
  return {
    bySku: await productsBySku(
      t,
      lines.map((l) => l.sku).filter((s): s is string => !!s),
    ),
    byName: await productsByName(
      t,
      lines.filter((l) => !l.sku).map((l) => l.name),
    ),
    taxes: await TaxModel.findAll({ where: { active: true }, transaction: t }),
    shipping: exts.some((e) => e.shipping && e.shipping.amount > 0) ? await shippingProduct(t) : null,
    currency: await companyCurrency(t),
  };
}

type Resolved = { lines: ParsedLine[]; orderDiscount: number; reasons: AttentionReason[] };

/**
 * Our lines for the shop's: products by SKU (by name when the SKU is empty), taxes by rate, each
 * discount as the shop gave it. A product not known here keeps its line, unmatched, with the shop's
 * name, price and taxes; then the totals are checked against the shop's.
 */
function resolveLines(ext: ExternalOrder, catalog: Catalog): Resolved {
  const { taxes, currency } = catalog;
  const money = (c: number) => formatMoney(c, currency);
  const reasons: AttentionReason[] = [];
  const taxIdsFor = (rates: number[] | undefined, what: string): number[] | undefined => {
    if (!rates) return undefined;
    const ids: number[] = [];
    for (const rate of rates) {
      const tax = taxes.find((x) => Math.abs(x.rate - rate) < 0.0001);
      if (tax) ids.push(tax.id);
      else reasons.push({ code: 'unknown_tax', message: `${what}: the shop charged a ${rate}% tax that has no active tax here (Settings → Taxes)` });
    }
    return ids;
  };
  const lines: ParsedLine[] = [];
  const productOf = new Map<number, ProductModel>();
  for (const l of ext.lines) {
    const product = l.sku ? catalog.bySku.get(l.sku) : catalog.byName.get(nameKey(l.name));
    if (product) productOf.set(product.id, product);
    const gross = lineGross({ quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount });
    lines.push({
      productId: product?.id ?? null,
      externalSku: product ? null : (l.sku ?? null),
      description: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      // A discount beyond the line is the shop's mistake: the totals check below shows it.
      discountAmount: Math.min(l.discountAmount, gross),
      // An unmatched line without the shop's rates has no taxes to take from a product.
      taxIds: taxIdsFor(l.taxRates, l.name) ?? (product ? undefined : []),
    });
  }
  if (ext.shipping && ext.shipping.amount > 0 && catalog.shipping) {
    lines.push({
      productId: catalog.shipping.id,
      description: ext.shipping.name,
      quantity: 1,
      unitPrice: ext.shipping.amount,
      discount: 0,
      discountAmount: Math.min(ext.shipping.discountAmount, ext.shipping.amount),
      taxIds: taxIdsFor(ext.shipping.taxRates, ext.shipping.name) ?? [],
      isShipping: true,
    });
  }
  // The order discount is spread over the lines as the order will spread it (shipping aside).
  const weights = lines.map((l) =>
    l.isShipping ? 0 : lineGross({ quantity: l.quantity, unitPrice: l.unitPrice ?? 0, discount: l.discount }) - (l.discountAmount ?? 0),
  );
  const orderDiscount = Math.min(
    ext.orderDiscount,
    weights.reduce((s, w) => s + w, 0),
  );
  // The shop's totals against ours, computed the same way the order will be.
  if (ext.total != null || ext.taxTotal != null) {
    const rates = new Map(taxes.map((x) => [x.id, x.rate]));
    const shares = allocate(orderDiscount, weights);
    let total = 0;
    let tax = 0;
    lines.forEach((l, i) => {
      const taxIds = l.taxIds ?? (l.productId !== null ? productOf.get(l.productId)?.taxIds : undefined) ?? [];
      const amounts = computeLine(
        {
          quantity: l.quantity,
          unitPrice: l.unitPrice ?? 0,
          discount: l.discount,
          discountAmount: l.discountAmount,
          orderDiscount: shares[i]!,
          taxIds: taxIds.filter((id) => rates.has(id)),
        },
        rates,
      );
      total += amounts.total;
      tax += amounts.amountTax;
    });
    const shipping = ext.shipping ? ext.shipping.amount - ext.shipping.discountAmount : 0;
    if ((ext.total != null && ext.total !== total) || (ext.taxTotal != null && ext.taxTotal !== tax)) {
      const theirs = [ext.total != null ? money(ext.total) : null, ext.taxTotal != null ? `taxes ${money(ext.taxTotal)}` : null, `shipping ${money(shipping)}`];
      reasons.push({
        code: 'total_mismatch',
        message: `The shop's total is ${theirs.filter(Boolean).join(', ')}; ours is ${money(total)}, taxes ${money(tax)}, shipping ${money(shipping)}: check prices, discounts and taxes`,
      });
    }
  }
  return { lines, orderDiscount, reasons };
}

function noteOf(ext: ExternalOrder): string | null {
  const parts = [
    ext.reference ? `Shop order ${ext.reference}${ext.financialStatus ? ` (${ext.financialStatus})` : ''}.` : null,
    ext.note ? `Customer note: ${ext.note}` : null,
  ].filter((p): p is string => !!p);
  return parts.length ? parts.join('\n') : null;
}

const codesOf = (ext: ExternalOrder) => (ext.discountCodes.length ? [...new Set(ext.discountCodes)].join(', ').slice(0, 200) : null);

/** The chatter note that tells staff why an order from a shop needs attention. */
async function noteReasons(t: Tx, channel: ChannelModel, orderId: number, intro: string, reasons: AttentionReason[]): Promise<void> {
  if (!reasons.length) return;
  await createMessage(t, {
    model: 'saleOrder',
    resId: orderId,
    type: 'note',
    body: `<p>${escapeHtml(intro)}</p><ul>${reasons.map((r) => `<li>${escapeHtml(r.message)}</li>`).join('')}</ul>`,
    author: { partnerId: null, name: channel.name, email: '' },
  });
}

/** A shop's new version of an order we have: unchanged, updated while a quotation, else flagged for staff. */
async function changeExisting(
  t: Tx,
  channel: ChannelModel,
  existing: SaleOrderModel,
  ext: ExternalOrder,
  catalog: Catalog,
  noted: AttentionReason[],
): Promise<IntakeResult> {
  const at = shopTime(ext);
  // An older version than the one we hold (a replayed delivery, a late retry) never rolls the order back.
  if (at && existing.externalUpdatedAt && at < existing.externalUpdatedAt) {
    logger.warn(
      { channelId: channel.id, externalId: ext.externalId, theirs: at.toISOString(), ours: existing.externalUpdatedAt.toISOString() },
      'stale shop order ignored: older than the version held',
    );
    return { status: 'stale', orderId: existing.id, name: existing.name, reasons: existing.attentionReasons ?? [] };
  }
  const hash = fingerprint(ext);
  if (existing.externalHash === hash) {
    if (at && (!existing.externalUpdatedAt || at > existing.externalUpdatedAt)) await noteExternalTime(t, existing.id, at);
    return { status: 'unchanged', orderId: existing.id, name: existing.name, reasons: existing.attentionReasons ?? [] };
  }
  const contact = contactOf(ext);
  const { lines, orderDiscount, reasons } = resolveLines(ext, catalog);
  if (existing.state === 'draft' || existing.state === 'sent') {
    const all = [...noted, ...contact.reasons, ...reasons];
    const o = await updateSaleOrderIn(
      t,
      null,
      existing.id,
      {
        version: existing.version,
        partnerId: existing.partnerId,
        shippingAddress: contact.address,
        note: noteOf(ext),
        discountCode: codesOf(ext),
        orderDiscount,
        lines,
      },
      { reasons: all, externalHash: hash, externalUpdatedAt: at },
    );
    await noteReasons(t, channel, o.id, 'The shop changed this order; it needs attention:', all);
    return { status: 'updated', orderId: o.id, name: o.name, reasons: o.attentionReasons ?? [] };
  }
  // Confirmed here already: the shop's change is for staff to act on, not to overwrite what was agreed.
  const money = (c: number) => formatMoney(c, catalog.currency);
  await createMessage(t, {
    model: 'saleOrder',
    resId: existing.id,
    type: 'note',
    body: `<p>The shop changed ${escapeHtml(ext.reference ?? ext.externalId)} after it was confirmed here:</p><ul>${ext.lines
      .map((l) => `<li>${escapeHtml(l.name)} × ${l.quantity} at ${money(l.unitPrice)}${l.discountAmount ? ` less ${money(l.discountAmount)}` : ''}</li>`)
      .join(
        '',
      )}</ul>${ext.note ? `<p>Note: ${escapeHtml(ext.note)}</p>` : ''}${[...noted, ...contact.reasons, ...reasons].map((p) => `<p>⚠ ${escapeHtml(p.message)}</p>`).join('')}`,
    author: { partnerId: null, name: channel.name, email: '' },
  });
  const o = await flagExternalChange(t, existing.id, {
    externalHash: hash,
    externalUpdatedAt: at,
    reason: { code: 'shop_changed', message: `The shop changed ${ext.reference ?? ext.externalId} after it was confirmed here: see the note in the chatter` },
  });
  return { status: 'noted', orderId: o.id, name: o.name, reasons: o.attentionReasons ?? [] };
}

/**
 * Takes orders of a channel in t: the ones we have change (or not), the new ones are created together
 * (customers, products and taxes matched once for them all). An order given twice counts once more,
 * as a change of the first.
 */
async function intakeIn(t: Tx, channel: ChannelModel, exts: ExternalOrder[], noted: AttentionReason[][] = []): Promise<IntakeResult[]> {
  const existing = await SaleOrderModel.findAll({ where: { channelId: channel.id, externalId: [...new Set(exts.map((e) => e.externalId))] }, transaction: t });
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
    const orders = await createSaleOrdersIn(
      t,
      null,
      fresh.map(({ ext }, k) => ({
        partnerId: customers[k]!,
        shippingAddress: contacts[k]!.address,
        channelId: channel.id,
        externalId: ext.externalId,
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
      { fromShop: true },
    );
    for (const [k, { index }] of fresh.entries()) {
      const o = orders[k]!;
      const reasons = o.attentionReasons ?? [];
      await noteReasons(t, channel, o.id, 'This order needs attention:', reasons);
      results[index] = { status: 'created', orderId: o.id, name: o.name, reasons };
    }
  }
  for (const index of again) {
    const o = await SaleOrderModel.findOne({ where: { channelId: channel.id, externalId: exts[index]!.externalId }, transaction: t });
    results[index] = await changeExisting(t, channel, o!, exts[index]!, catalog, noted[index] ?? []);
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
      if (deliveryId) {
        const seen = await ChannelDeliveryModel.findOne({ where: { channelId: channel.id, deliveryId }, transaction: t });
        if (seen) return { status: 'duplicate', orderId: null, name: null, reasons: [] };
        await ChannelDeliveryModel.create({ channelId: channel.id, deliveryId }, { transaction: t });
      }
      const [result] = await intakeIn(t, channel, [ext]);
      return result!;
    }),
  );
}
