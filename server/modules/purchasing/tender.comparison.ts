import type { TenderComparison, TenderOffer } from '../../../contracts/schemas/tenders';
import { iso } from '../../db/columns';
import { requireAccess, type Auth } from '../auth/access';
import { assertTenderAccess, isDeadlinePassed, loadTender, tenderRfqs } from './tender.service';

// The comparison of a call for tenders: per line, each vendor's quoted unit price, amount and lead
// time; the best price and the fastest among the answers (cancelled RFQs aside, unless chosen lines
// were kept on them); per vendor whether they answered, their total and their longest lead time.

export async function tenderComparison(auth: Auth, id: number): Promise<TenderComparison> {
  requireAccess(auth, 'purchase.read');
  const tender = await loadTender(null, id);
  assertTenderAccess(auth, tender);
  const rfqs = await tenderRfqs(null, [tender.id]);
  const vendors = rfqs.map((o) => {
    const quoted = (o.lines ?? []).filter((l) => o.quotedAt && l.leadDays !== null);
    return {
      purchaseOrderId: o.id,
      purchaseOrderName: o.name,
      partnerId: o.partnerId,
      partnerName: o.partner?.name ?? '',
      state: o.state,
      answered: !!o.quotedAt,
      quotedAt: o.quotedAt ? iso(o.quotedAt) : null,
      validUntil: o.validUntil ? iso(o.validUntil) : null,
      total: quoted.length ? quoted.reduce((s, l) => s + l.subtotal, 0) : null,
      leadDays: quoted.length ? Math.max(...quoted.map((l) => l.leadDays!)) : null,
      quotedLines: quoted.length,
    };
  });
  const lines = (tender.lines ?? []).map((tl) => {
    const offers: TenderOffer[] = rfqs.map((o) => {
      const pl = (o.lines ?? []).find((l) => l.tenderLineId === tl.id);
      const quoted = !!o.quotedAt && !!pl && pl.leadDays !== null;
      return {
        purchaseOrderId: o.id,
        partnerId: o.partnerId,
        purchaseLineId: pl?.id ?? null,
        quoted,
        unitPrice: quoted ? pl.unitPrice : null,
        subtotal: quoted ? pl.subtotal : null,
        leadDays: quoted ? pl.leadDays : null,
        bestPrice: false,
        fastest: false,
        chosen: !!pl && (o.state === 'purchase' || o.state === 'done'),
      };
    });
    // Only answers still in the running compete: a cancelled RFQ's old quote is history.
    const running = offers.filter((f) => f.quoted && rfqs.find((o) => o.id === f.purchaseOrderId)!.state !== 'cancel');
    const best = running.reduce<TenderOffer | null>((b, f) => (b === null || f.unitPrice! < b.unitPrice! ? f : b), null);
    const fastest = running.reduce<TenderOffer | null>((b, f) => (b === null || f.leadDays! < b.leadDays! ? f : b), null);
    // Ties: every offer as good as the best is marked.
    for (const f of running) {
      f.bestPrice = best !== null && f.unitPrice === best.unitPrice;
      f.fastest = fastest !== null && f.leadDays === fastest.leadDays;
    }
    return {
      id: tl.id,
      productId: tl.productId,
      sku: tl.product?.sku ?? '',
      productName: tl.product?.name ?? '',
      quantity: tl.quantity,
      offers,
      bestPricePurchaseOrderId: best?.purchaseOrderId ?? null,
      fastestPurchaseOrderId: fastest?.purchaseOrderId ?? null,
    };
  });
  return {
    tenderId: tender.id,
    state: tender.state,
    deadline: iso(tender.deadline),
    deadlinePassed: isDeadlinePassed(tender),
    currency: tender.currency,
    vendors,
    lines,
  };
}
