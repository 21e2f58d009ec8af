import { purchaseQuoteInput, type PurchaseOrder, type PurchaseQuoteInput } from '../../../contracts/schemas/purchasing';
import { withTransaction, type Tx } from '../../db/transaction';
import { InvalidStateError, ValidationError } from '../../http/errors';
import { escapeHtml } from '../../lib/html';
import { formatMoney } from '../../lib/money';
import { requireAccess, type Auth } from '../auth/access';
import { taxRates } from '../catalog/tax.service';
import { createMessage } from '../chatter/chatter.service';
import { formatQuantity } from '../documents';
import { assertPurchaseAccess } from './purchase-order.access';
import { plannedDate, priceLine } from './purchase-order.lines';
import { loadPurchase, publishPurchase, purchaseOrderDto, savePurchase } from './purchase-order.service';
import { snapshotPurchase, trackPurchase } from './purchase-order.tracking';
import { loadTender, saveAndPublishTender, trackTender, snapshotTender } from './tender.service';

// A vendor's answer to an RFQ: a unit price and a lead time per line, and how long the prices hold.
// It comes through the vendor portal (the vendor, whose token the portal checked) or is entered by a
// buyer from the vendor's email. The RFQ's lines take the quoted prices (amounts recomputed) and their
// planned dates the lead times; the answer is written in the RFQ's chatter as its author, and, for an
// RFQ of a call for tenders, logged on the tender, whose comparison follows live.

export type QuoteAuthor = { kind: 'user'; auth: Auth } | { kind: 'vendor'; partnerId: number; name: string; email: string | null };

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Records a vendor's answer on an RFQ (price per line, lead days, validity); writes the PO's chatter as
 * the author, publishes purchaseOrder.updated (and the tender's update when it belongs to one) after
 * commit. Refused (InvalidStateError → 422) unless the RFQ is draft/sent and, for a tender's RFQ, the
 * tender is open.
 */
export async function recordQuote(t: Tx, purchaseOrderId: number, input: PurchaseQuoteInput, by: QuoteAuthor): Promise<void> {
  if (by.kind === 'user') requireAccess(by.auth, 'purchase.write');
  const parsed = purchaseQuoteInput.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const quote = parsed.data;
  const o = await loadPurchase(t, purchaseOrderId, true);
  if (by.kind === 'user') assertPurchaseAccess(by.auth, o);
  if (o.state !== 'draft' && o.state !== 'sent') throw new InvalidStateError(`${o.name} is ${o.state}: only an RFQ (draft or sent) takes a quote`);
  const tender = o.tenderId ? await loadTender(t, o.tenderId, true) : null;
  if (tender && tender.state !== 'open') {
    throw new InvalidStateError(`${o.name} belongs to ${tender.name}, which is ${tender.state}: answers are taken while it is open`);
  }
  const lines = o.lines ?? [];
  const seen = new Set<number>();
  quote.lines.forEach((q, i) => {
    if (!lines.some((l) => l.id === q.lineId)) throw ValidationError.field(`lines.${i}.lineId`, `line ${q.lineId} is not a line of ${o.name}`);
    if (seen.has(q.lineId)) throw ValidationError.field(`lines.${i}.lineId`, `line ${q.lineId} is listed more than once`);
    seen.add(q.lineId);
  });
  const before = { state: o.state, version: o.version };
  const tracked = snapshotPurchase(o);
  const now = new Date();
  const rates = await taxRates(
    t,
    lines.flatMap((l) => l.taxIds),
    'lines',
  );
  for (const [i, q] of quote.lines.entries()) {
    const line = lines.find((l) => l.id === q.lineId)!;
    line.set({ unitPrice: q.unitPrice, leadDays: q.leadDays, datePlanned: plannedDate(now, q.leadDays) });
    line.set(priceLine({ quantity: line.quantity, unitPrice: q.unitPrice, taxIds: line.taxIds }, rates, `lines.${i}.unitPrice`));
    await line.save({ transaction: t });
  }
  const authorName = by.kind === 'user' ? by.auth.user.name : by.name;
  o.set({ quotedAt: now, validUntil: quote.validUntil ? new Date(quote.validUntil) : null, quotedByKind: by.kind, quotedByName: authorName.slice(0, 200) });
  await savePurchase(t, o, lines);
  await trackPurchase(t, tracked, o, by.kind === 'user' ? by.auth.user.id : null);

  const money = (cents: number) => formatMoney(cents, o.currency);
  const items = quote.lines.map((q) => {
    const l = lines.find((x) => x.id === q.lineId)!;
    return `<li>${escapeHtml(l.description)}: ${escapeHtml(money(q.unitPrice))} × ${escapeHtml(formatQuantity(l.quantity))}, ${q.leadDays} day${q.leadDays === 1 ? '' : 's'}</li>`;
  });
  const validity = quote.validUntil ? ` Valid until ${escapeHtml(day(new Date(quote.validUntil)))}.` : '';
  const body =
    by.kind === 'user'
      ? `<p>Quote entered by ${escapeHtml(by.auth.user.name)} from the vendor's answer.${validity}</p><ul>${items.join('')}</ul>`
      : `<p>Our quote for ${escapeHtml(o.name)}.${validity}</p><ul>${items.join('')}</ul>`;
  await createMessage(
    t,
    by.kind === 'user'
      ? { model: 'purchaseOrder', resId: o.id, type: 'note', body, author: { userId: by.auth.user.id, name: by.auth.user.name } }
      : {
          model: 'purchaseOrder',
          resId: o.id,
          type: 'comment',
          body,
          author: { partnerId: by.partnerId, name: by.name, email: by.email ?? '' },
          excludePartnerIds: [by.partnerId],
        },
  );
  publishPurchase(t, o, by.kind === 'user' ? by.auth : null, before);

  if (tender) {
    const tenderBefore = { state: tender.state, version: tender.version };
    const vendor = o.partner?.name ?? `#${o.partnerId}`;
    await trackTender(t, snapshotTender(tender), tender, by.kind === 'user' ? by.auth.user.id : null, [
      { field: `answer: ${vendor}`, newValue: `${o.name}: ${money(o.amountUntaxed)} untaxed${by.kind === 'user' ? ` (entered by ${by.auth.user.name})` : ''}` },
    ]);
    await saveAndPublishTender(t, tender, by.kind === 'user' ? by.auth : null, tenderBefore);
  }
}

/** POST /api/purchase-orders/:id/quote: a buyer enters the vendor's answer from their email. */
export function quotePurchaseOrder(auth: Auth, id: number, input: PurchaseQuoteInput): Promise<PurchaseOrder> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    await recordQuote(t, id, input, { kind: 'user', auth });
    return purchaseOrderDto(t, await loadPurchase(t, id));
  });
}
