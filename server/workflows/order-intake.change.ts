import type { ExternalOrder, IntakeResult } from '../../contracts/schemas/channels';
import type { AttentionReason } from '../../contracts/schemas/sales';
import type { Tx } from '../db/transaction';
import { escapeHtml } from '../lib/html';
import { logger } from '../lib/logger';
import { formatMoney } from '../lib/money';
import { createMessage } from '../modules/chatter/chatter.service';
import type { ChannelModel } from '../modules/channels/channel.model';
import type { SaleOrderModel } from '../modules/sales/sale-order.model';
import { flagExternalChange, noteExternalTime, updateSaleOrderIn } from '../modules/sales/sale-order.update';
import { resolveLines, type Catalog } from './order-intake.lines';
import { codesOf, contactOf, fingerprint, noteOf, shopTime } from './order-intake.mapping';

// An order we have, as the shop changes it: unchanged, updated while a quotation, else flagged for staff.

/** The body of the chatter note that tells staff why an order from a shop needs attention. */
export const reasonsNote = (intro: string, reasons: AttentionReason[]) =>
  `<p>${escapeHtml(intro)}</p><ul>${reasons.map((r) => `<li>${escapeHtml(r.message)}</li>`).join('')}</ul>`;

/** The chatter note that tells staff why an order from a shop needs attention. */
export async function noteReasons(t: Tx, channel: ChannelModel, orderId: number, intro: string, reasons: AttentionReason[]): Promise<void> {
  if (!reasons.length) return;
  await createMessage(t, {
    model: 'saleOrder',
    resId: orderId,
    type: 'note',
    body: reasonsNote(intro, reasons),
    author: { partnerId: null, name: channel.name, email: '' },
  });
}

/** A shop's new version of an order we have: unchanged, updated while a quotation, else flagged for staff. */
export async function changeExisting(
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
