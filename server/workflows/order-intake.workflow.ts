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
import { findPartnerByEmail } from '../modules/partners/partner.service';
import { SaleOrderModel } from '../modules/sales/sale-order.model';
import { createSaleOrderIn, updateSaleOrderIn } from '../modules/sales/sale-order.service';
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

async function customerFor(t: Tx, ext: ExternalOrder, existingPartnerId: number | null): Promise<number> {
  if (existingPartnerId) return existingPartnerId;
  if (ext.customer.email) {
    const known = await findPartnerByEmail(ext.customer.email, t);
    if (known) return known.id;
  }
  const a = ext.shippingAddress;
  const p = await PartnerModel.create(
    {
      name: ext.customer.name,
      email: ext.customer.email ?? null,
      phone: ext.customer.phone ?? a?.phone ?? null,
      isCompany: false,
      street: a?.street ?? null,
      city: a?.city ?? null,
      zip: a?.zip ?? null,
      countryCode: a?.countryCode ?? null,
      roles: ['customer'],
    },
    { transaction: t },
  );
  return p.id;
}

async function shippingProduct(t: Tx): Promise<ProductModel> {
  const found = await ProductModel.findOne({ where: { sku: SHIPPING_SKU }, transaction: t });
  if (found) return found;
  return ProductModel.create(
    { sku: SHIPPING_SKU, name: 'Shipping', type: 'service', listPrice: 0, cost: 0, taxIds: [], invoicePolicy: 'order', routes: [], active: true },
    { transaction: t },
  );
}

type Resolved = { lines: LineInput[]; problems: string[] };

/** Our lines for the shop's: products by SKU, taxes by rate; what does not match is a problem, not a loss. */
async function resolveLines(t: Tx, ext: ExternalOrder, currency: string): Promise<Resolved> {
  const money = (c: number) => formatMoney(c, currency);
  const skus = [...new Set(ext.lines.map((l) => l.sku).filter((s): s is string => !!s))];
  const products = skus.length ? await ProductModel.findAll({ where: { sku: skus }, transaction: t }) : [];
  const taxes = await TaxModel.findAll({ where: { active: true }, transaction: t });
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
  const lines: LineInput[] = [];
  for (const l of ext.lines) {
    const product = l.sku ? products.find((p) => p.sku === l.sku) : undefined;
    if (!product) {
      problems.push(
        `${l.sku ? `Unknown SKU "${l.sku}"` : 'No SKU'}: ${l.name} × ${l.quantity} at ${money(l.unitPrice)} was not added; add the product, then the line`,
      );
      continue;
    }
    lines.push({
      productId: product.id,
      description: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      taxIds: taxIdsFor(l.taxRates, l.name),
    });
  }
  if (ext.shipping && ext.shipping.amount > 0) {
    const ship = await shippingProduct(t);
    lines.push({
      productId: ship.id,
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
      const taxIds = l.taxIds ?? products.find((p) => p.id === l.productId)?.taxIds ?? [];
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

async function intakeIn(t: Tx, channel: ChannelModel, ext: ExternalOrder): Promise<IntakeResult> {
  const hash = fingerprint(ext);
  const existing = await SaleOrderModel.findOne({ where: { channelId: channel.id, externalId: ext.externalId }, transaction: t });
  if (existing && existing.externalHash === hash) return { status: 'unchanged', orderId: existing.id, name: existing.name };
  const currency = await companyCurrency(t);
  const { lines, problems } = await resolveLines(t, ext, currency);
  const fields = {
    partnerId: await customerFor(t, ext, existing?.partnerId ?? null),
    shippingAddress: ext.shippingAddress ?? null,
    needsAttention: problems.length > 0,
    note: noteOf(ext, problems),
  };
  if (!existing) {
    const o = await createSaleOrderIn(t, null, {
      ...fields,
      channelId: channel.id,
      externalId: ext.externalId,
      dateOrder: ext.date,
      lines: lines.map((l) => ({ ...l, discount: l.discount ?? 0 })),
    });
    await SaleOrderModel.update({ externalHash: hash }, { where: { id: o.id }, transaction: t });
    return { status: 'created', orderId: o.id, name: o.name };
  }
  if (existing.state === 'draft' || existing.state === 'sent') {
    const o = await updateSaleOrderIn(t, null, existing.id, {
      version: existing.version,
      ...fields,
      lines: lines.map((l) => ({ ...l, discount: l.discount ?? 0 })),
    });
    await SaleOrderModel.update({ externalHash: hash }, { where: { id: o.id }, transaction: t });
    return { status: 'updated', orderId: o.id, name: o.name };
  }
  // Confirmed here already: the shop's change is for staff to act on, not to overwrite what was agreed.
  await createMessage(t, {
    model: 'saleOrder',
    resId: existing.id,
    type: 'note',
    body: `<p>The shop changed ${escapeHtml(ext.reference ?? ext.externalId)} after it was confirmed here:</p><ul>${ext.lines
      .map((l) => `<li>${escapeHtml(l.name)} × ${l.quantity} at ${formatMoney(l.unitPrice, currency)}</li>`)
      .join('')}</ul>${ext.note ? `<p>Note: ${escapeHtml(ext.note)}</p>` : ''}${problems.map((p) => `<p>⚠ ${escapeHtml(p)}</p>`).join('')}`,
    author: { partnerId: null, name: channel.name, email: '' },
  });
  await SaleOrderModel.update({ externalHash: hash, needsAttention: true }, { where: { id: existing.id }, transaction: t });
  return { status: 'noted', orderId: existing.id, name: existing.name };
}

/**
 * Takes one order from a channel, in one transaction with the delivery's id when there is one (a
 * repeated webhook delivery changes nothing). Deliveries racing each other wait on the channel; should
 * two still meet on the unique (channel, external id), the second runs again and finds the first's order.
 */
export async function receiveExternalOrder(channel: ChannelModel, ext: ExternalOrder, deliveryId?: string | null): Promise<IntakeResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTransaction(async (t) => {
        // One intake at a time per channel: locking a missing order row would take gap locks that
        // deadlock concurrent deliveries; the channel's row serialises them instead.
        if (!isSqlite()) await ChannelModel.findByPk(channel.id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
        if (deliveryId) {
          const seen = await ChannelDeliveryModel.findOne({ where: { channelId: channel.id, deliveryId }, transaction: t });
          if (seen) return { status: 'duplicate', orderId: null, name: null };
          await ChannelDeliveryModel.create({ channelId: channel.id, deliveryId }, { transaction: t });
        }
        return intakeIn(t, channel, ext);
      });
    } catch (err) {
      if (attempt === 0 && err instanceof UniqueConstraintError) continue;
      throw err;
    }
  }
}
