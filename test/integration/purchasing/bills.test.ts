import { describe, expect, it } from 'vitest';
import { rooms } from '../../../contracts/events';
import type { Invoice } from '../../../contracts/schemas/invoices';
import { makeProduct } from '../../factories/data';
import { draftBill, makeDeductibleTax, vendorProduct } from '../../factories/purchasing';
import { expectError, expectStatus } from '../../support/expect';
import { nextEvent, subscribe, useTestServer } from '../../support/server';

// Vendor bills (in_invoice) and vendor credit notes (in_refund): the purchase journal, BILL/RBILL numbers,
// the entry (expense and deductible tax debited, payable credited), outgoing payments, credit notes
// offsetting their bill, who may do what. Bills here are drafted by hand; bills of purchase orders
// (which need confirmed and received POs) are in bills-from-purchase-orders.test.ts.
describe('vendor bills', () => {
  const srv = useTestServer();
  const year = new Date().getUTCFullYear();
  const items = (inv: Invoice, entryId?: number) =>
    inv.journalItems.filter((i) => entryId === undefined || i.entryId === entryId).map((i) => [i.accountCode, i.accountType, i.debit, i.credit]);

  it('a bill of 3 × 50.00 at 15 % deductible tax: 172.50; posting gives BILL/<year>/00001 and the entry; outgoing payments pay it', async () => {
    const accounting = await srv.user('accounting');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 5000, taxId: tax.id, billPolicy: 'received' });

    // The line takes the vendor's price and the purchase taxes; the bill is in the purchase journal.
    const draft = await draftBill(accounting, vendor.id, [{ productId: product.id, quantity: 3 }]);
    expect(draft).toMatchObject({ moveType: 'in_invoice', state: 'draft', name: null, displayName: `Draft bill #${draft.id}`, partnerId: vendor.id });
    expect(draft.lines.map((l) => [l.quantity, l.unitPrice, l.taxIds, l.subtotal, l.amountTax, l.total])).toEqual([[3, 5000, [tax.id], 15000, 2250, 17250]]);
    expect([draft.amountUntaxed, draft.amountTax, draft.amountTotal]).toEqual([15000, 2250, 17250]);
    const journals = (await accounting.get('/api/journals')).body.items as { id: number; code: string }[];
    expect(draft.journalId).toBe(journals.find((j) => j.code === 'PUR')!.id);

    const posted = await accounting.post(`/api/invoices/${draft.id}/post`, {});
    expectStatus(posted, 200);
    expect(posted.body.name).toBe(`BILL/${year}/00001`);
    expect(posted.body).toMatchObject({ state: 'posted', paymentState: 'not_paid', amountResidual: 17250 });
    expect(items(posted.body)).toEqual([
      ['5000', 'expense', 15000, 0],
      ['1400', 'tax', 2250, 0],
      ['2000', 'payable', 0, 17250],
    ]);
    expect(posted.body.journalItems.every((i: Invoice['journalItems'][number]) => i.partnerId === vendor.id)).toBe(true);
    expect(posted.body.journalItems.find((i: Invoice['journalItems'][number]) => i.accountType === 'tax').taxId).toBe(tax.id);

    // Paying: outbound, the payable debited against the bank; partial, then the rest; never more than due.
    const postedEntry = posted.body.journalItems[0].entryId as number;
    const part = await accounting.post(`/api/invoices/${draft.id}/payments`, { amount: 7250, method: 'bank' });
    expectStatus(part, 201);
    expect(part.body).toMatchObject({ paymentState: 'partial', amountResidual: 10000 });
    expect(part.body.payments[0]).toMatchObject({ direction: 'outbound', amount: 7250, amountApplied: 7250 });
    const paymentEntry = part.body.journalItems.find((i: Invoice['journalItems'][number]) => i.entryId !== postedEntry).entryId;
    expect(items(part.body, paymentEntry)).toEqual([
      ['1010', 'bank', 0, 7250],
      ['2000', 'payable', 7250, 0],
    ]);
    expectError(await accounting.post(`/api/invoices/${draft.id}/payments`, { amount: 10001 }), 400, 'validation', 'amount');
    expectError(await accounting.post(`/api/invoices/${draft.id}/payments`, { amount: 10001, customerCredit: true }), 400, 'validation', 'amount');
    const rest = await accounting.post(`/api/invoices/${draft.id}/payments`, { amount: 10000, method: 'cash' });
    expectStatus(rest, 201);
    expect(rest.body).toMatchObject({ paymentState: 'paid', amountResidual: 0, customerCredit: 0 });
    expectError(await accounting.post(`/api/invoices/${draft.id}/payments`, { amount: 1 }), 422, 'invalid_state');

    const messages = (await accounting.get(`/api/messages?model=invoice&resId=${draft.id}`)).body.items as { body: string }[];
    expect(messages.some((m) => /Payment sent/.test(m.body))).toBe(true);
    // A vendor's document is not emailed back.
    expectError(await accounting.post(`/api/invoices/${draft.id}/send`, {}), 422, 'invalid_state');
  });

  it('a vendor credit note of part of a posted bill: RBILL, the mirrored entry, offsets the bill; a full one reverses an unpaid bill', async () => {
    const accounting = await srv.user('accounting');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 5000, taxId: tax.id, billPolicy: 'ordered' });
    const bill = await draftBill(accounting, vendor.id, [{ productId: product.id, quantity: 5 }]);
    expectError(await accounting.post(`/api/invoices/${bill.id}/credit-note`, {}), 422, 'invalid_state');
    expectStatus(await accounting.post(`/api/invoices/${bill.id}/post`, {}), 200);

    const res = await accounting.post(`/api/invoices/${bill.id}/credit-note`, { lines: [{ productId: product.id, quantity: 2 }], reason: 'Two came broken' });
    expectStatus(res, 201);
    const refund = res.body as Invoice;
    expect(refund).toMatchObject({ moveType: 'in_refund', state: 'draft', reversedInvoiceId: bill.id, partnerId: vendor.id, amountTotal: 11500 });
    expect(refund.displayName).toBe(`Draft vendor credit note #${refund.id}`);
    expect(refund.lines[0]).toMatchObject({ quantity: 2, reversedLineId: bill.lines[0]!.id, taxIds: [tax.id] });
    // Not more than is left of the bill.
    const tooMuch = await accounting.post(`/api/invoices/${bill.id}/credit-note`, { lines: [{ productId: product.id, quantity: 4 }] });
    expectError(tooMuch, 400, 'validation', 'lines.0.quantity');

    const postedRefund = await accounting.post(`/api/invoices/${refund.id}/post`, {});
    expectStatus(postedRefund, 200);
    expect(postedRefund.body.name).toMatch(new RegExp(`^RBILL/${year}/\\d{5}$`));
    expect(items(postedRefund.body)).toEqual([
      ['5000', 'expense', 0, 10000],
      ['1400', 'tax', 0, 1500],
      ['2000', 'payable', 11500, 0],
    ]);
    expect(postedRefund.body).toMatchObject({ amountResidual: 0, paymentState: 'paid' });
    const after = (await accounting.get(`/api/invoices/${bill.id}`)).body as Invoice;
    expect(after).toMatchObject({ amountResidual: 28750 - 11500, paymentState: 'partial' });
    expect(after.creditNotes).toEqual([expect.objectContaining({ id: refund.id, state: 'posted', amountTotal: 11500 })]);

    // The rest credited in full: the bill is reversed, not paid.
    const rest = await accounting.post(`/api/invoices/${bill.id}/credit-note`, {});
    expectStatus(rest, 201);
    expect(rest.body.lines[0]).toMatchObject({ quantity: 3 });
    expectStatus(await accounting.post(`/api/invoices/${rest.body.id}/post`, {}), 200);
    expect((await accounting.get(`/api/invoices/${bill.id}`)).body).toMatchObject({ amountResidual: 0, paymentState: 'reversed' });
  });

  it('a vendor credit note of a paid bill: the vendor refunds it (inbound payment, the bank debited)', async () => {
    const accounting = await srv.user('accounting');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 2000, taxId: tax.id, billPolicy: 'ordered' });
    const bill = await draftBill(accounting, vendor.id, [{ productId: product.id, quantity: 1 }]);
    expectStatus(await accounting.post(`/api/invoices/${bill.id}/post`, {}), 200);
    expectStatus(await accounting.post(`/api/invoices/${bill.id}/payments`, { amount: 2300 }), 201);
    const refund = (await accounting.post(`/api/invoices/${bill.id}/credit-note`, {})).body as Invoice;
    const posted = (await accounting.post(`/api/invoices/${refund.id}/post`, {})).body as Invoice;
    expect(posted).toMatchObject({ paymentState: 'not_paid', amountResidual: 2300 });
    expectError(await accounting.post(`/api/invoices/${refund.id}/payments`, { amount: 2301 }), 400, 'validation', 'amount');
    const paid = await accounting.post(`/api/invoices/${refund.id}/payments`, { amount: 2300 });
    expectStatus(paid, 201);
    expect(paid.body).toMatchObject({ paymentState: 'paid', amountResidual: 0 });
    expect(paid.body.payments[0]).toMatchObject({ direction: 'inbound' });
    const entry = paid.body.journalItems.at(-1).entryId;
    expect(items(paid.body, entry)).toEqual([
      ['1010', 'bank', 2300, 0],
      ['2000', 'payable', 0, 2300],
    ]);
  });

  it('20 concurrent bill postings give consecutive numbers; every BILL number of the year is used once', async () => {
    const accounting = await srv.user('accounting');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 1000, taxId: tax.id, billPolicy: 'ordered' });
    const drafts: Invoice[] = [];
    for (let i = 0; i < 20; i++) drafts.push(await draftBill(accounting, vendor.id, [{ productId: product.id, quantity: 1, unitPrice: 1000 + i }]));
    const results = await Promise.all(drafts.map((d) => accounting.post(`/api/invoices/${d.id}/post`, {})));
    expect(results.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const numbers = results.map((r) => Number(String(r.body.name).split('/')[2])).sort((a, b) => a - b);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
    const all = (await accounting.get('/api/invoices?moveType=in_invoice&state=posted&limit=500')).body.items as Invoice[];
    expect(all.every((b) => b.name!.startsWith(`BILL/${year}/`))).toBe(true);
    const every = all.map((b) => Number(b.name!.split('/')[2])).sort((a, b) => a - b);
    expect(every).toEqual(every.map((_, i) => i + 1));
  });

  it('the invoice list filters bills by type and names the vendor; invoice.updated reaches the lists', async () => {
    const accounting = await srv.user('accounting');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 1000, taxId: tax.id, billPolicy: 'ordered' });
    const socket = await srv.socket(accounting);
    await subscribe(socket, rooms.invoicesBoard);
    const event = nextEvent(socket, 'invoice.updated');
    const bill = await draftBill(accounting, vendor.id, [{ productId: product.id, quantity: 2 }]);
    expect((await event).invoice).toMatchObject({ id: bill.id, moveType: 'in_invoice', partnerName: vendor.name });

    const bills = (await accounting.get(`/api/invoices?moveType=in_invoice&partnerId=${vendor.id}`)).body;
    expect(bills).toMatchObject({
      total: 1,
      items: [expect.objectContaining({ id: bill.id, partnerName: vendor.name, purchaseOrderId: null, purchaseOrderName: null })],
    });
    const customerInvoices = (await accounting.get(`/api/invoices?moveType=out_invoice&partnerId=${vendor.id}`)).body;
    expect(customerInvoices.total).toBe(0);
    expect((await accounting.get(`/api/invoices?q=${encodeURIComponent(vendor.name)}&moveType=in_invoice`)).body.total).toBe(1);
  });

  it('roles: buyers draft, edit and cancel bills; accounting posts and pays them; sales and warehouse may not draft one', async () => {
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 1000, taxId: tax.id, billPolicy: 'ordered' });
    const buyer = await srv.user('purchase');
    const bill = await draftBill(buyer, vendor.id, [{ productId: product.id, quantity: 2 }]);
    const edited = await buyer.patch(`/api/invoices/${bill.id}`, {
      version: bill.version,
      lines: [
        { id: bill.lines[0]!.id, quantity: 4 },
        { description: 'Freight', quantity: 1, unitPrice: 1500 },
      ],
    });
    expectStatus(edited, 200);
    expect(edited.body.lines.map((l: Invoice['lines'][number]) => [l.quantity, l.subtotal, l.taxIds])).toEqual([
      [4, 4000, [tax.id]],
      [1, 1500, []],
    ]);
    expectError(await buyer.post(`/api/invoices/${bill.id}/post`, {}), 403, 'forbidden');
    // A negative line is for who may post it.
    const negative = await buyer.patch(`/api/invoices/${bill.id}`, {
      version: edited.body.version,
      lines: [{ description: 'Rebate', quantity: 1, unitPrice: -100 }],
    });
    expectError(negative, 403, 'forbidden');
    expectStatus(await buyer.post(`/api/invoices/${bill.id}/cancel`, { version: edited.body.version }), 200);

    for (const role of ['sales', 'warehouse'] as const) {
      const c = await srv.user(role);
      expectError(await c.post('/api/invoices', { partnerId: vendor.id, lines: [{ productId: product.id, quantity: 1 }] }), 403, 'forbidden');
    }
    // A sales user, who drafts customer invoices, may not touch a draft bill.
    const other = await draftBill(buyer, vendor.id, [{ productId: product.id, quantity: 1 }]);
    const sales = await srv.user('sales');
    expectError(await sales.patch(`/api/invoices/${other.id}`, { version: other.version, note: 'x' }), 403, 'forbidden');
    expectError(await sales.post(`/api/invoices/${other.id}/cancel`, {}), 403, 'forbidden');
  });

  it('bad input for a bill by hand is a 400 naming the field, and makes nothing', async () => {
    const accounting = await srv.user('accounting');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 1000, taxId: tax.id, billPolicy: 'ordered' });
    const before = (await accounting.get('/api/invoices?moveType=in_invoice&limit=1')).body.total;
    expectError(await accounting.post('/api/invoices', { partnerId: 999999, lines: [{ productId: product.id, quantity: 1 }] }), 400, 'validation', 'partnerId');
    expectError(await accounting.post('/api/invoices', { partnerId: vendor.id, lines: [] }), 400, 'validation', 'lines');
    expectError(
      await accounting.post('/api/invoices', { partnerId: vendor.id, lines: [{ productId: 999999, quantity: 1 }] }),
      400,
      'validation',
      'lines.productId',
    );
    expectError(
      await accounting.post('/api/invoices', { partnerId: vendor.id, lines: [{ quantity: 1, unitPrice: 100 }] }),
      400,
      'validation',
      'lines.0.description',
    );
    expectError(
      await accounting.post('/api/invoices', { partnerId: vendor.id, moveType: 'out_invoice', lines: [{ productId: product.id, quantity: 1 }] }),
      400,
      'validation',
      'moveType',
    );
    expect((await accounting.get('/api/invoices?moveType=in_invoice&limit=1')).body.total).toBe(before);
  });

  it('billing a purchase order: only a confirmed one (422 for an RFQ), 404 for none, 403 for who may not bill', async () => {
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor, product } = await vendorProduct(srv.admin, { price: 5000, taxId: tax.id, billPolicy: 'ordered' });
    const rfq = (await srv.admin.post('/api/purchase-orders', { partnerId: vendor.id, lines: [{ productId: product.id, quantity: 5 }] })).body;
    const buyer = await srv.user('purchase');
    const res = await buyer.post(`/api/purchase-orders/${rfq.id}/bill`, {});
    expectError(res, 422, 'invalid_state');
    expect(res.body.error.message).toMatch(/not confirmed/);
    expectError(await buyer.post('/api/purchase-orders/999999/bill', {}), 404, 'not_found');
    expectError(await (await srv.user('warehouse')).post(`/api/purchase-orders/${rfq.id}/bill`, {}), 403, 'forbidden');
    expectError(await buyer.post(`/api/purchase-orders/${rfq.id}/bill`, { override: 'yes' }), 400, 'validation', 'override');
    expect((await srv.admin.get(`/api/purchase-orders/${rfq.id}`)).body).toMatchObject({ invoiceIds: [] });
  });

  it('a product without a vendor price is billed at its cost; a service without taxes too', async () => {
    const accounting = await srv.user('accounting');
    const tax = await makeDeductibleTax(srv.admin, 15);
    const { vendor } = await vendorProduct(srv.admin, { price: 1000, taxId: tax.id, billPolicy: 'ordered' });
    const service = await makeProduct(srv.admin, { type: 'service', cost: 12345, purchaseTaxIds: [] });
    const bill = await draftBill(accounting, vendor.id, [{ productId: service.id, quantity: 2 }]);
    expect(bill.lines[0]).toMatchObject({ unitPrice: 12345, taxIds: [], subtotal: 24690, total: 24690 });
    const posted = (await accounting.post(`/api/invoices/${bill.id}/post`, {})).body as Invoice;
    expect(items(posted)).toEqual([
      ['5000', 'expense', 24690, 0],
      ['2000', 'payable', 0, 24690],
    ]);
  });
});
