import { describe, expect, it } from 'vitest';
import { rooms } from '../../../contracts/events';
import type { Invoice } from '../../../contracts/schemas/invoices';
import type { PurchaseOrder } from '../../../contracts/schemas/purchasing';
import type { ApiClient } from '../../support/client';
import { makeDeductibleTax, vendorProduct } from '../../factories/purchasing';
import { expectError, expectStatus } from '../../support/expect';
import { nextEvent, subscribe, useTestServer } from '../../support/server';

// Bills of purchase orders (issue 15, acceptance 4): what may be billed by bill policy (ordered or
// received), the visible override, qtyBilled following bills, edits, cancels and vendor credit notes,
// the PO done once everything is received and billed, and gapless BILL numbers under concurrency.
describe('vendor bills from purchase orders', () => {
  const srv = useTestServer();
  const year = new Date().getUTCFullYear();

  async function confirmedPo(c: ApiClient, partnerId: number, productId: number, quantity: number): Promise<PurchaseOrder> {
    const rfq = await c.post('/api/purchase-orders', { partnerId, lines: [{ productId, quantity }] });
    expectStatus(rfq, 201);
    const confirmed = await c.post(`/api/purchase-orders/${rfq.body.id}/confirm`, { version: rfq.body.version });
    expectStatus(confirmed, 200);
    return confirmed.body as PurchaseOrder;
  }

  /** Validates `quantity` of the PO's open receipt (a backorder for the rest). */
  async function receive(c: ApiClient, poId: number, quantity: number): Promise<PurchaseOrder> {
    const po = (await c.get(`/api/purchase-orders/${poId}`)).body as PurchaseOrder;
    const pickings = await Promise.all(po.pickingIds.map(async (id) => (await c.get(`/api/pickings/${id}`)).body));
    const receipt = pickings.find((p) => p.type === 'incoming' && p.state !== 'done' && p.state !== 'cancel');
    expect(receipt, 'an open receipt').toBeDefined();
    const res = await c.post(`/api/pickings/${receipt.id}/validate`, { moves: [{ id: receipt.moves[0].id, quantityDone: quantity }], backorder: true });
    expectStatus(res, 200);
    return (await c.get(`/api/purchase-orders/${poId}`)).body as PurchaseOrder;
  }

  async function bill(c: ApiClient, poId: number, body: Record<string, unknown> = {}): Promise<Invoice> {
    const res = await c.post(`/api/purchase-orders/${poId}/bill`, body);
    expectStatus(res, 201);
    expect(res.body.invoiceIds).toHaveLength(1);
    return (await c.get(`/api/invoices/${res.body.invoiceIds[0]}`)).body as Invoice;
  }

  it('acceptance 4: 5 × 50.00 at 15 %, 3 received, billed on receipt → 172.50; BILL/<year>/00001 and its entry; paid; done once the rest is received and billed', async () => {
    const accounting = await srv.user('accounting');
    const warehouse = await srv.user('warehouse');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 5000, taxId: tax.id, billPolicy: 'received' });
    const po = await confirmedPo(srv.admin, vendor.id, product.id, 5);
    const received = await receive(warehouse, po.id, 3);
    expect(received.lines[0]).toMatchObject({ qtyReceived: 3, qtyBilled: 0, qtyToBill: 3 });

    const socket = await srv.socket(srv.admin);
    await subscribe(socket, rooms.record('purchaseOrder', po.id));
    const poEvent = nextEvent(socket, 'purchaseOrder.updated');
    const billEvent = nextEvent(socket, 'invoice.updated');
    const draft = await bill(srv.admin, po.id);
    expect(draft).toMatchObject({
      moveType: 'in_invoice',
      state: 'draft',
      partnerId: vendor.id,
      purchaseOrderId: po.id,
      purchaseOrderName: po.name,
      note: null,
    });
    expect(draft.lines.map((l) => [l.purchaseLineId, l.description, l.quantity, l.unitPrice, l.taxIds])).toEqual([
      [po.lines[0]!.id, po.lines[0]!.description, 3, 5000, [tax.id]],
    ]);
    expect([draft.amountUntaxed, draft.amountTax, draft.amountTotal]).toEqual([15000, 2250, 17250]);
    expect((await billEvent).invoice).toMatchObject({ id: draft.id, purchaseOrderId: po.id, purchaseOrderName: po.name });
    expect((await poEvent).purchaseOrder).toMatchObject({ id: po.id, state: 'purchase' });
    const billed = (await srv.admin.get(`/api/purchase-orders/${po.id}`)).body as PurchaseOrder;
    expect(billed.lines[0]).toMatchObject({ qtyBilled: 3, qtyToBill: 0 });
    expect(billed.invoiceIds).toEqual([draft.id]);
    expect((await srv.admin.get(`/api/invoices?purchaseOrderId=${po.id}`)).body).toMatchObject({
      total: 1,
      items: [{ id: draft.id, purchaseOrderName: po.name }],
    });

    // Nothing more is billable until the rest arrives.
    const again = await srv.admin.post(`/api/purchase-orders/${po.id}/bill`, {});
    expectError(again, 422, 'invalid_state');
    expect(again.body.error.message).toMatch(/wait for their receipt/);

    const posted = await accounting.post(`/api/invoices/${draft.id}/post`, {});
    expectStatus(posted, 200);
    expect(posted.body.name).toBe(`BILL/${year}/00001`);
    expect(posted.body.journalItems.map((i: Invoice['journalItems'][number]) => [i.accountCode, i.debit, i.credit, i.partnerId])).toEqual([
      ['5000', 15000, 0, vendor.id],
      ['1400', 2250, 0, vendor.id],
      ['2000', 0, 17250, vendor.id],
    ]);
    const paid = await accounting.post(`/api/invoices/${draft.id}/payments`, { amount: 17250, method: 'bank' });
    expectStatus(paid, 201);
    expect(paid.body).toMatchObject({ paymentState: 'paid', amountResidual: 0 });
    expect((await srv.admin.get(`/api/purchase-orders/${po.id}`)).body.state).toBe('purchase');

    // The rest arrives: received, not yet billed, so not done; billing it makes it done.
    const all = await receive(warehouse, po.id, 2);
    expect(all).toMatchObject({ state: 'purchase', received: true });
    expect(all.lines[0]).toMatchObject({ qtyReceived: 5, qtyBilled: 3, qtyToBill: 2 });
    const second = await bill(srv.admin, po.id);
    expect([second.lines[0]!.quantity, second.amountTotal]).toEqual([2, 11500]);
    const done = (await srv.admin.get(`/api/purchase-orders/${po.id}`)).body as PurchaseOrder;
    expect(done.state).toBe('done');
    expect(done.lines[0]).toMatchObject({ qtyReceived: 5, qtyBilled: 5, qtyToBill: 0 });
    expectError(await srv.admin.post(`/api/purchase-orders/${po.id}/bill`, {}), 422, 'invalid_state');
  });

  it('billed on order: the whole ordered quantity before any receipt, without a note', async () => {
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 5000, taxId: tax.id, billPolicy: 'ordered' });
    const po = await confirmedPo(srv.admin, vendor.id, product.id, 5);
    expect(po.lines[0]).toMatchObject({ qtyReceived: 0, qtyToBill: 5 });
    const draft = await bill(srv.admin, po.id);
    expect([draft.lines[0]!.quantity, draft.amountTotal, draft.note]).toEqual([5, 28750, null]);
    const after = (await srv.admin.get(`/api/purchase-orders/${po.id}`)).body as PurchaseOrder;
    expect(after).toMatchObject({ state: 'purchase' });
    expect(after.lines[0]).toMatchObject({ qtyBilled: 5, qtyToBill: 0 });
    expect((await srv.admin.post(`/api/purchase-orders/${po.id}/bill`, {})).body.error.message).toMatch(/fully billed/);
  });

  it('the override bills what is not received yet, and says so in the bill and its chatter; edits never raise it further; cancelling gives it back', async () => {
    const buyer = await srv.user('purchase');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 5000, taxId: tax.id, billPolicy: 'received' });
    const po = await confirmedPo(srv.admin, vendor.id, product.id, 5);
    const refused = await buyer.post(`/api/purchase-orders/${po.id}/bill`, {});
    expectError(refused, 422, 'invalid_state');
    expect(refused.body.error.message).toMatch(/wait for their receipt/);

    const early = await bill(buyer, po.id, { override: true });
    expect(early.lines[0]).toMatchObject({ quantity: 5 });
    expect(early.note).toMatch(/^Billed before receipt: .*5 of the 5 billed not received yet/);
    const notes = (await buyer.get(`/api/messages?model=invoice&resId=${early.id}`)).body.items as { type: string; body: string }[];
    expect(notes.some((m) => m.type === 'note' && /Billed before receipt/.test(m.body) && m.body.includes(po.name))).toBe(true);
    expect(((await buyer.get(`/api/purchase-orders/${po.id}`)).body as PurchaseOrder).lines[0]).toMatchObject({ qtyBilled: 5, qtyToBill: 0 });

    // Lowering is fine; raising beyond what may be billed is not.
    const line = early.lines[0]!;
    const raised = await buyer.patch(`/api/invoices/${early.id}`, { version: early.version, lines: [{ id: line.id, quantity: 6 }] });
    expectError(raised, 400, 'validation', 'lines');
    const lowered = await buyer.patch(`/api/invoices/${early.id}`, { version: early.version, lines: [{ id: line.id, quantity: 4 }] });
    expectStatus(lowered, 200);
    expect(((await buyer.get(`/api/purchase-orders/${po.id}`)).body as PurchaseOrder).lines[0]).toMatchObject({ qtyBilled: 4 });
    const cancelled = await buyer.post(`/api/invoices/${early.id}/cancel`, { version: lowered.body.version });
    expectStatus(cancelled, 200);
    expect(((await buyer.get(`/api/purchase-orders/${po.id}`)).body as PurchaseOrder).lines[0]).toMatchObject({ qtyBilled: 0 });
  });

  it('a vendor credit note for returned goods lowers qtyBilled: a done PO is no longer done', async () => {
    const accounting = await srv.user('accounting');
    const warehouse = await srv.user('warehouse');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 5000, taxId: tax.id, billPolicy: 'received' });
    const po = await confirmedPo(srv.admin, vendor.id, product.id, 5);
    await receive(warehouse, po.id, 5);
    const draft = await bill(srv.admin, po.id);
    expectStatus(await accounting.post(`/api/invoices/${draft.id}/post`, {}), 200);
    expect((await srv.admin.get(`/api/purchase-orders/${po.id}`)).body.state).toBe('done');

    const refund = await accounting.post(`/api/invoices/${draft.id}/credit-note`, { lines: [{ productId: product.id, quantity: 2 }], reason: 'Sent back' });
    expectStatus(refund, 201);
    expect(refund.body).toMatchObject({ moveType: 'in_refund', purchaseOrderId: po.id, amountTotal: 11500 });
    expect(refund.body.lines[0]).toMatchObject({ purchaseLineId: po.lines[0]!.id, quantity: 2 });
    const after = (await srv.admin.get(`/api/purchase-orders/${po.id}`)).body as PurchaseOrder;
    expect(after.state).toBe('purchase');
    expect(after.lines[0]).toMatchObject({ qtyBilled: 3, qtyToBill: 2 });
    expect(after.invoiceIds).toEqual([draft.id, refund.body.id]);
    const posted = await accounting.post(`/api/invoices/${refund.body.id}/post`, {});
    expect(posted.body.name).toMatch(new RegExp(`^RBILL/${year}/\\d{5}$`));
  });

  it('20 concurrent postings of purchase order bills give consecutive numbers', async () => {
    const accounting = await srv.user('accounting');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 1000, taxId: tax.id, billPolicy: 'ordered' });
    const drafts: Invoice[] = [];
    for (let i = 0; i < 20; i++) drafts.push(await bill(srv.admin, (await confirmedPo(srv.admin, vendor.id, product.id, i + 1)).id));
    const results = await Promise.all(drafts.map((d) => accounting.post(`/api/invoices/${d.id}/post`, {})));
    expect(results.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const numbers = results.map((r) => Number(String(r.body.name).split('/')[2])).sort((a, b) => a - b);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
  });
});
