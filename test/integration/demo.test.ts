import { describe, expect, it } from 'vitest';
import { PURCHASE_ORDER_STATES, SALE_ORDER_STATES } from '../../contracts/states';
import { useTestServer } from '../support/server';
import { expectStockInvariants } from '../support/stock-invariants';

// What `npm start` shows a first-time user: the demo data, with correspondence in the chatter and inbox.
describe('demo data (SEED_DEMO=1)', () => {
  const srv = useTestServer({ env: () => ({ SEED_DEMO: '1' }) });

  it('holds orders in every state, customer replies in the inbox, and the emails in the outbox', async () => {
    const counts = (await srv.admin.get('/api/sale-orders/counts')).body;
    for (const s of SALE_ORDER_STATES) expect(counts[s], s).toBeGreaterThan(0);
    // The 42 of the board, the make-to-order sale and the drop-shipped one (seed-purchasing).
    expect(Object.values(counts).reduce((a: number, b) => a + (b as number), 0)).toBe(44);

    const inbox = (await srv.admin.get('/api/notifications')).body;
    expect(inbox.unread).toBeGreaterThan(0);
    const reply = inbox.items[0].message;
    expect(reply).toMatchObject({ type: 'comment', authorId: null, model: 'saleOrder' });
    expect(reply.authorPartnerId).toEqual(expect.any(Number));
    const order = (await srv.admin.get(`/api/sale-orders/${reply.resId}`)).body;
    expect(inbox.items[0].recordName).toBe(order.name);

    // Stock on hand, deliveries ready, waiting and done.
    const report = (await srv.admin.get('/api/stock/report?limit=1000')).body.items;
    expect(report.filter((r: { onHand: number }) => r.onHand > 0).length).toBeGreaterThan(5);
    const deliveries = (await srv.admin.get('/api/pickings?type=outgoing&limit=200')).body.items;
    for (const s of ['assigned', 'done']) {
      expect(
        deliveries.some((d: { state: string }) => d.state === s),
        s,
      ).toBe(true);
    }

    // Invoices: drafts, posted ones paid, in part and not at all; the receivables report has them.
    const invoices = (await srv.admin.get('/api/invoices?limit=200')).body.items as { state: string; paymentState: string }[];
    expect(invoices.some((i) => i.state === 'draft')).toBe(true);
    for (const p of ['paid', 'partial', 'not_paid']) {
      expect(
        invoices.some((i) => i.state === 'posted' && i.paymentState === p),
        p,
      ).toBe(true);
    }
    const receivables = (await srv.admin.get('/api/reports/receivables')).body;
    expect(receivables.totals.balance).toBeGreaterThan(0);
    const journal = (await srv.admin.get('/api/reports/journal-items?limit=1')).body;
    expect(journal.debit).toBe(journal.credit);

    const outbox = (await srv.admin.get('/api/mail/outbox?status=queued')).body;
    expect(outbox.total).toBeGreaterThan(0);
    expect(outbox.items.every((m: { replyTo: string }) => /^(order|po)\+\d+\.[0-9a-f]{24}@localhost$/.test(m.replyTo))).toBe(true);
    expect(outbox.items.some((m: { replyTo: string }) => m.replyTo.startsWith('po+'))).toBe(true);
    await expectStockInvariants();
  });

  it('buys too: purchase orders in every state, a make-to-order sale waiting on its RFQ, a drop-shipped sale, a call for tenders with quotes, a late receipt, a paid bill, reorder rules', async () => {
    const counts = (await srv.admin.get('/api/purchase-orders/counts')).body;
    for (const s of PURCHASE_ORDER_STATES) expect(counts[s], s).toBeGreaterThan(0);

    // The reorder rules, two of them below their minimum: their run filled the vendors' draft RFQs.
    expect((await srv.admin.get('/api/reorder-rules')).body.total).toBe(4);
    const drafts = (await srv.admin.get('/api/purchase-orders?state=draft')).body.items as { origin: string | null }[];
    expect(drafts.filter((d) => d.origin?.startsWith('Reorder [')).length).toBe(2);
    const again = await srv.admin.post('/api/replenishment/run', {});
    expect(again.body.purchaseOrderIds).toEqual([]);

    // The sent RFQs: the make-to-order sale's, the drop-shipped sale's, the call for tenders' three.
    const sent = (await srv.admin.get('/api/purchase-orders?state=sent')).body.items as { id: number }[];
    type Rfq = { saleOrders: { name: string }[]; saleOrderIds: number[]; origin: string; dropshipAddress: { name: string } | null; tenderId: number | null };
    const rfqs = (await Promise.all(sent.map((o) => srv.admin.get(`/api/purchase-orders/${o.id}`)))).map((r) => r.body as Rfq);
    expect(rfqs).toHaveLength(5);

    // The confirmed make-to-order sale (espresso machines) made its RFQ, since sent; its delivery waits for it.
    const rfq = rfqs.find((o) => o.saleOrders.length === 1 && !o.dropshipAddress)!;
    expect(rfq.origin).toBe(rfq.saleOrders[0]!.name);
    const delivery = (await srv.admin.get(`/api/pickings?saleOrderId=${rfq.saleOrderIds[0]}&type=outgoing`)).body.items[0];
    expect(delivery.state).toBe('waiting');

    // The drop-shipped gift boxes: the vendor ships to the hotel; no delivery leaves our warehouse.
    const dropship = rfqs.find((o) => o.dropshipAddress)!;
    expect(dropship.dropshipAddress!.name).toBe('Hotel Belvedere');
    expect((await srv.admin.get(`/api/pickings?saleOrderId=${dropship.saleOrderIds[0]}&type=outgoing`)).body.items).toEqual([]);

    // The call for tenders: open, asked of the three vendors, two of whom quoted; the comparison names a best price per line.
    const [tender] = (await srv.admin.get('/api/tenders')).body.items as { id: number; state: string; asked: number; answered: number }[];
    expect(tender).toMatchObject({ state: 'open', asked: 3, answered: 2 });
    expect(rfqs.filter((o) => o.tenderId === tender!.id)).toHaveLength(3);
    const comparison = (await srv.admin.get(`/api/tenders/${tender!.id}/comparison`)).body;
    expect(comparison.lines).toHaveLength(2);
    for (const line of comparison.lines as { offers: { quoted: boolean; bestPrice: boolean }[] }[]) {
      expect(line.offers.filter((o) => o.quoted)).toHaveLength(2);
      expect(line.offers.filter((o) => o.bestPrice)).toHaveLength(1);
    }

    // Receipts on the wall: the late one first; the partial one's backorder.
    const wall = (await srv.admin.get('/api/shipments/pending')).body;
    expect(wall.inbound.length).toBeGreaterThanOrEqual(2);
    expect(wall.inbound[0]).toMatchObject({ type: 'incoming', late: true, purchaseOrderId: expect.any(Number) });
    expect(wall.inbound.some((p: { backorderOfId: number | null }) => p.backorderOfId !== null)).toBe(true);

    // The done PO: received in full, its bill posted and paid; the journal still balances.
    const done = (await srv.admin.get('/api/purchase-orders?state=done')).body.items[0];
    const bills = (await srv.admin.get(`/api/invoices?moveType=in_invoice&purchaseOrderId=${done.id}`)).body.items;
    expect(bills).toEqual([expect.objectContaining({ state: 'posted', paymentState: 'paid', amountTotal: done.amountTotal })]);
    expect(bills[0].name).toMatch(/^BILL\/\d{4}\/00001$/);
    const journal = (await srv.admin.get('/api/reports/journal-items?limit=1')).body;
    expect(journal.debit).toBe(journal.credit);
    await expectStockInvariants();
  });
});
