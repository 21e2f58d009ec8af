import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../contracts/schemas/invoices';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { confirmedOrder, deliver, invoiceOrder, itemTotals, makeAccountedTax, postInvoice } from '../factories/invoicing';
import { rooms } from '../../contracts/events';
import { nextEvent, subscribe, useTestServer } from '../support/server';

// Invoices from orders: amounts to the cent, the journal entry of posting, gapless numbers, payments,
// credit notes, and the order's invoiced quantities under both invoicing policies.
describe('invoicing', () => {
  const srv = useTestServer();
  const accounting = () => srv.user('accounting');
  const receivableCode = '1200';
  const incomeCode = '4000';

  it('a two-line invoice, one product with two taxes: untaxed, each tax, total and every journal item to the cent', async () => {
    const acc = await accounting();
    const vat = await makeAccountedTax(srv.admin, 20);
    const eco = await makeAccountedTax(srv.admin, 0.5);
    const order = await confirmedOrder(srv.admin, [
      { quantity: 3, unitPrice: 1999, taxIds: [vat.id, eco.id] },
      { quantity: 2, unitPrice: 1250, discount: 10, taxIds: [vat.id] },
    ]);
    expect(order.invoiceStatus).toBe('to_invoice');
    const draft = await invoiceOrder(acc, order.id);
    expect(draft).toMatchObject({ state: 'draft', moveType: 'out_invoice', name: null, saleOrderId: order.id, partnerId: order.partnerId });
    // 3 × 19.99 = 59.97: VAT 20% 11.994 → 11.99, eco 0.5% 0.29985 → 0.30; 2 × 12.50 − 10% = 22.50: VAT 4.50.
    expect(draft.lines.map((l) => [l.quantity, l.subtotal, l.taxes.map((x) => x.amount), l.total])).toEqual([
      [3, 5997, [1199, 30], 7226],
      [2, 2250, [450], 2700],
    ]);
    expect(draft.taxTotals.map((x) => [x.taxId, x.base, x.amount])).toEqual([
      [vat.id, 8247, 1649],
      [eco.id, 5997, 30],
    ]);
    expect([draft.amountUntaxed, draft.amountTax, draft.amountTotal]).toEqual([8247, 1679, 9926]);
    expect(draft.journalItems).toEqual([]);
    expect((await srv.admin.get(`/api/sale-orders/${order.id}`)).body).toMatchObject({ invoiceStatus: 'invoiced' });

    const posted = await postInvoice(acc, draft.id);
    expect(posted.state).toBe('posted');
    expect(posted.name).toMatch(new RegExp(`^INV/${new Date().getUTCFullYear()}/\\d{5}$`));
    expect(posted).toMatchObject({ paymentState: 'not_paid', amountResidual: 9926, paymentReference: posted.name });
    const items = posted.journalItems.map((i) => [i.accountCode, i.accountType, i.debit, i.credit, i.taxId]);
    expect(items).toEqual([
      [incomeCode, 'income', 0, 5997, null],
      [incomeCode, 'income', 0, 2250, null],
      [vat.accountCode, 'tax', 0, 1649, vat.id],
      [eco.accountCode, 'tax', 0, 30, eco.id],
      [receivableCode, 'receivable', 9926, 0, null],
    ]);
    expect(itemTotals(posted)).toEqual({ debit: 9926, credit: 9926 });
    expect(posted.journalItems.every((i) => i.partnerId === order.partnerId)).toBe(true);

    // A posted invoice is locked.
    const edit = await acc.patch(`/api/invoices/${posted.id}`, { version: posted.version, note: 'x' });
    expect(edit.status).toBe(422);
    expect((await acc.post(`/api/invoices/${posted.id}/post`, {})).status).toBe(422);
    expect((await acc.post(`/api/invoices/${posted.id}/cancel`, {})).status).toBe(422);
  });

  it('nothing invoiceable is a 422 with a reason; a draft counts as invoiced, a cancelled one does not', async () => {
    const acc = await accounting();
    const order = await confirmedOrder(srv.admin, [{ quantity: 2, unitPrice: 1000 }]);
    const draft = await invoiceOrder(acc, order.id);
    const again = await acc.post(`/api/sale-orders/${order.id}/invoice`);
    expect(again.status).toBe(422);
    expect(again.body.error.message).toMatch(/fully invoiced/);
    const cancelled = await acc.post(`/api/invoices/${draft.id}/cancel`, { version: draft.version });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancel');
    const o = (await srv.admin.get(`/api/sale-orders/${order.id}`)).body as SaleOrder;
    expect(o.invoiceStatus).toBe('to_invoice');
    expect(o.lines[0]).toMatchObject({ qtyInvoiced: 0, qtyToInvoice: 2 });

    const quote = (await srv.admin.post('/api/sale-orders', { partnerId: order.partnerId, lines: [{ productId: order.lines[0]!.productId, quantity: 1 }] }))
      .body;
    const notConfirmed = await acc.post(`/api/sale-orders/${quote.id}/invoice`);
    expect(notConfirmed.status).toBe(422);
    expect(notConfirmed.body.error.message).toMatch(/not confirmed/);
    expect((await (await srv.user('warehouse')).post(`/api/sale-orders/${order.id}/invoice`)).status).toBe(403);
  });

  it('a draft can be edited (quantity, price, new line), never beyond what is due', async () => {
    const acc = await accounting();
    const order = await confirmedOrder(srv.admin, [{ quantity: 5, unitPrice: 1000 }]);
    const draft = await invoiceOrder(acc, order.id);
    const line = draft.lines[0]!;
    const less = await acc.patch(`/api/invoices/${draft.id}`, {
      version: draft.version,
      lines: [
        { id: line.id, quantity: 3, unitPrice: 900 },
        { description: 'Gift wrapping', quantity: 1, unitPrice: 350 },
      ],
    });
    expect(less.status, JSON.stringify(less.body)).toBe(200);
    expect(less.body.lines.map((l: Invoice['lines'][number]) => [l.quantity, l.subtotal])).toEqual([
      [3, 2700],
      [1, 350],
    ]);
    expect(less.body.amountTotal).toBe(3050);
    const o = (await srv.admin.get(`/api/sale-orders/${order.id}`)).body as SaleOrder;
    expect(o.lines[0]).toMatchObject({ qtyInvoiced: 3, qtyToInvoice: 2 });
    expect(o.invoiceStatus).toBe('to_invoice');
    const more = await acc.patch(`/api/invoices/${draft.id}`, { version: less.body.version, lines: [{ id: line.id, quantity: 6 }] });
    expect(more.status).toBe(400);
    expect(more.body.error.details[0].message).toMatch(/only 5 is ordered/);
    const stale = await acc.patch(`/api/invoices/${draft.id}`, { version: draft.version, note: 'late' });
    expect(stale.status).toBe(409);
  });

  it('posting numbers are consecutive and gapless under 20 concurrent posts', async () => {
    const acc = await accounting();
    const drafts: Invoice[] = [];
    for (let i = 0; i < 20; i++) drafts.push(await invoiceOrder(acc, (await confirmedOrder(srv.admin, [{ quantity: 1, unitPrice: 500 + i }])).id));
    // One draft fails to post mid-way (a rolled-back post must give its number back).
    const results = await Promise.all(drafts.map((d) => acc.post(`/api/invoices/${d.id}/post`, {})));
    expect(results.map((r) => r.status)).toEqual(drafts.map(() => 200));
    const numbers = results.map((r) => Number(String(r.body.name).split('/')[2])).sort((a, b) => a - b);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
    const all = (await acc.get('/api/invoices?moveType=out_invoice&state=posted&limit=500')).body.items as Invoice[];
    const everyNumber = all.map((i) => Number(i.name!.split('/')[2])).sort((a, b) => a - b);
    expect(everyNumber).toEqual(everyNumber.map((_, i) => i + 1));
  });

  it('payments: partial then full; more than due only as customer credit', async () => {
    const acc = await accounting();
    const order = await confirmedOrder(srv.admin, [{ quantity: 1, unitPrice: 10000 }]);
    const inv = await postInvoice(acc, (await invoiceOrder(acc, order.id)).id);
    const draftPay = await acc.post(
      `/api/invoices/${(await invoiceOrder(acc, (await confirmedOrder(srv.admin, [{ quantity: 1, unitPrice: 1 }])).id)).id}/payments`,
      { amount: 1 },
    );
    expect(draftPay.status).toBe(422);

    const part = await acc.post(`/api/invoices/${inv.id}/payments`, { amount: 4000, method: 'bank', date: '2026-11-20' });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ paymentState: 'partial', amountResidual: 6000 });
    const entry = part.body.journalItems.filter((i: Invoice['journalItems'][number]) => i.entryId !== inv.journalItems[0]!.entryId);
    expect(entry.map((i: Invoice['journalItems'][number]) => [i.accountCode, i.debit, i.credit])).toEqual([
      ['1010', 4000, 0],
      [receivableCode, 0, 4000],
    ]);
    const over = await acc.post(`/api/invoices/${inv.id}/payments`, { amount: 7000 });
    expect(over.status).toBe(400);
    expect(over.body.error.details[0].message).toMatch(/more than the .*60\.00 due/);
    const rest = await acc.post(`/api/invoices/${inv.id}/payments`, { amount: 7000, method: 'cash', customerCredit: true });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ paymentState: 'paid', amountResidual: 0, customerCredit: 1000 });
    expect(itemTotals(rest.body)).toEqual({ debit: 10000 + 4000 + 7000, credit: 10000 + 4000 + 7000 });
    const nothingLeft = await acc.post(`/api/invoices/${inv.id}/payments`, { amount: 1 });
    expect(nothingLeft.status).toBe(422);
    const report = (await acc.get(`/api/reports/receivables?partnerId=${order.partnerId}`)).body;
    expect(report.items[0]).toMatchObject({ balance: -1000, credit: 1000, notDue: 0 });
  });

  it('a credit note for part of an invoice, then one for the rest: the invoice ends reversed, every entry balances', async () => {
    const acc = await accounting();
    const vat = await makeAccountedTax(srv.admin, 19.6);
    const order = await confirmedOrder(srv.admin, [
      { quantity: 3, unitPrice: 333, taxIds: [vat.id] },
      { quantity: 1, unitPrice: 5000, taxIds: [vat.id] },
    ]);
    const inv = await postInvoice(acc, (await invoiceOrder(acc, order.id)).id);
    // 3 × 3.33 = 9.99, VAT 1.958 → 1.96; 50.00, VAT 9.80. Total 71.75.
    expect(inv.amountTotal).toBe(999 + 196 + 5000 + 980);
    const productA = order.lines[0]!.productId;
    const tooMuch = await acc.post(`/api/invoices/${inv.id}/credit-note`, { lines: [{ productId: productA, quantity: 4 }] });
    expect(tooMuch.status).toBe(400);
    const part = await acc.post(`/api/invoices/${inv.id}/credit-note`, { lines: [{ productId: productA, quantity: 1 }], reason: 'damaged' });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ moveType: 'out_refund', state: 'draft', reversedInvoiceId: inv.id, reason: 'damaged' });
    // 1 × 3.33, VAT 0.65268 → 0.65.
    expect([part.body.amountUntaxed, part.body.amountTax, part.body.amountTotal]).toEqual([333, 65, 398]);
    const o1 = (await srv.admin.get(`/api/sale-orders/${order.id}`)).body as SaleOrder;
    expect(o1.lines[0]).toMatchObject({ qtyInvoiced: 2, qtyToInvoice: 1 });
    const postedPart = await postInvoice(acc, part.body.id);
    expect(postedPart.name).toMatch(/^RINV\/\d{4}\/\d{5}$/);
    expect(postedPart.journalItems.map((i) => [i.accountType, i.debit, i.credit])).toEqual([
      ['income', 333, 0],
      ['tax', 65, 0],
      ['receivable', 0, 398],
    ]);
    const afterPart = (await acc.get(`/api/invoices/${inv.id}`)).body as Invoice;
    expect(afterPart).toMatchObject({ paymentState: 'partial', amountResidual: inv.amountTotal - 398 });
    expect(postedPart).toMatchObject({ paymentState: 'paid', amountResidual: 0 });

    // The rest: all that is left, to the cent (1.96 − 0.65 = 1.31 of VAT on the first line, not 1.30).
    const rest = await acc.post(`/api/invoices/${inv.id}/credit-note`, {});
    expect(rest.status).toBe(201);
    expect(rest.body.lines.map((l: Invoice['lines'][number]) => [l.quantity, l.subtotal, l.amountTax])).toEqual([
      [2, 666, 131],
      [1, 5000, 980],
    ]);
    await postInvoice(acc, rest.body.id);
    const reversed = (await acc.get(`/api/invoices/${inv.id}`)).body as Invoice;
    expect(reversed).toMatchObject({ paymentState: 'reversed', amountResidual: 0 });
    expect(reversed.creditNotes).toHaveLength(2);
    expect((await acc.post(`/api/invoices/${inv.id}/credit-note`, {})).status).toBe(422);
    const all = (await acc.get(`/api/reports/journal-items?partnerId=${order.partnerId}&limit=500`)).body;
    expect(all.debit).toBe(all.credit);
    expect(all.totals.find((t: { accountCode: string }) => t.accountCode === receivableCode).balance).toBe(0);
  });

  it('a full credit note of an unpaid invoice makes it reversed; of a paid one, a refund can be paid back', async () => {
    const acc = await accounting();
    const order = await confirmedOrder(srv.admin, [{ quantity: 2, unitPrice: 2500 }]);
    const inv = await postInvoice(acc, (await invoiceOrder(acc, order.id)).id);
    const credit = await acc.post(`/api/invoices/${inv.id}/credit-note`, {});
    const posted = await postInvoice(acc, credit.body.id);
    expect(posted).toMatchObject({ amountTotal: 5000, paymentState: 'paid', amountResidual: 0 });
    expect((await acc.get(`/api/invoices/${inv.id}`)).body).toMatchObject({ paymentState: 'reversed', amountResidual: 0 });
    expect((await srv.admin.get(`/api/sale-orders/${order.id}`)).body).toMatchObject({ invoiceStatus: 'to_invoice' });

    const order2 = await confirmedOrder(srv.admin, [{ quantity: 1, unitPrice: 8000 }]);
    const paid = await postInvoice(acc, (await invoiceOrder(acc, order2.id)).id);
    await acc.post(`/api/invoices/${paid.id}/payments`, { amount: 8000 });
    const refund = await postInvoice(acc, (await acc.post(`/api/invoices/${paid.id}/credit-note`, {})).body.id);
    expect(refund).toMatchObject({ paymentState: 'not_paid', amountResidual: 8000 });
    expect((await acc.get(`/api/invoices/${paid.id}`)).body.paymentState).toBe('paid');
    const back = await acc.post(`/api/invoices/${refund.id}/payments`, { amount: 8000, method: 'bank' });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ paymentState: 'paid', amountResidual: 0 });
    expect(back.body.journalItems.slice(-2).map((i: Invoice['journalItems'][number]) => [i.accountType, i.debit, i.credit])).toEqual([
      ['bank', 0, 8000],
      ['receivable', 8000, 0],
    ]);
    const report = (await acc.get(`/api/reports/receivables?partnerId=${order2.partnerId}`)).body;
    expect(report.items).toEqual([]);
  });

  it('order and delivery policies over partial deliveries, invoices and a return', async () => {
    const acc = await accounting();
    const warehouse = await srv.user('warehouse');
    const order = await confirmedOrder(srv.admin, [
      { quantity: 4, unitPrice: 1000, invoicePolicy: 'order' },
      { quantity: 5, unitPrice: 2000, invoicePolicy: 'delivery' },
    ]);
    const [byOrder, byDelivery] = [order.lines[0]!, order.lines[1]!];
    const state = async () => {
      const o = (await srv.admin.get(`/api/sale-orders/${order.id}`)).body as SaleOrder;
      return { status: o.invoiceStatus, lines: o.lines.map((l) => [l.qtyDelivered, l.qtyInvoiced, l.qtyToInvoice]) };
    };
    expect(await state()).toEqual({
      status: 'to_invoice',
      lines: [
        [0, 0, 4],
        [0, 0, 0],
      ],
    });

    // First invoice: all of the order-policy line, nothing of the delivery one.
    let inv = await invoiceOrder(acc, order.id);
    expect(inv.lines.map((l) => [l.productId, l.quantity])).toEqual([[byOrder.productId, 4]]);
    await postInvoice(acc, inv.id);
    expect(await state()).toEqual({
      status: 'no',
      lines: [
        [0, 4, 0],
        [0, 0, 0],
      ],
    });

    // A partial delivery: 2 of 4 and 3 of 5.
    await deliver(warehouse, order.id, { [byOrder.productId!]: 2, [byDelivery.productId!]: 3 });
    expect(await state()).toEqual({
      status: 'to_invoice',
      lines: [
        [2, 4, 0],
        [3, 0, 3],
      ],
    });
    inv = await invoiceOrder(acc, order.id);
    expect(inv.lines.map((l) => [l.productId, l.quantity])).toEqual([[byDelivery.productId, 3]]);
    expect(await state()).toEqual({
      status: 'no',
      lines: [
        [2, 4, 0],
        [3, 3, 0],
      ],
    });
    await postInvoice(acc, inv.id);

    // The rest is delivered, and invoiced.
    await deliver(warehouse, order.id, { [byOrder.productId!]: 2, [byDelivery.productId!]: 2 });
    expect(await state()).toEqual({
      status: 'to_invoice',
      lines: [
        [4, 4, 0],
        [5, 3, 2],
      ],
    });
    await postInvoice(acc, (await invoiceOrder(acc, order.id)).id);
    expect(await state()).toEqual({
      status: 'invoiced',
      lines: [
        [4, 4, 0],
        [5, 5, 0],
      ],
    });

    // A return of 2 of the delivery-policy product: invoiced beyond what is delivered, to be credited.
    const done = (await srv.admin.get(`/api/pickings?saleOrderId=${order.id}&type=outgoing&state=done`)).body.items as { id: number }[];
    const ret = await warehouse.post(`/api/pickings/${done[done.length - 1]!.id}/return`, {
      lines: [{ productId: byDelivery.productId, quantity: 2 }],
      reason: 'too big',
    });
    expect(ret.status).toBe(201);
    expect((await acc.post(`/api/pickings/${ret.body.id}/credit-note`, {})).status).toBe(422);
    expect((await warehouse.post(`/api/pickings/${ret.body.id}/validate`, {})).status).toBe(200);
    expect(await state()).toEqual({
      status: 'to_invoice',
      lines: [
        [4, 4, 0],
        [3, 5, -2],
      ],
    });
    const credit = await acc.post(`/api/pickings/${ret.body.id}/credit-note`, {});
    expect(credit.status, JSON.stringify(credit.body)).toBe(201);
    expect(credit.body.invoiceIds).toHaveLength(1);
    const note = (await acc.get(`/api/invoices/${credit.body.invoiceIds[0]}`)).body as Invoice;
    expect(note).toMatchObject({ moveType: 'out_refund', pickingId: ret.body.id, amountTotal: 4000 });
    expect(note.lines.map((l) => [l.productId, l.quantity])).toEqual([[byDelivery.productId, 2]]);
    expect(await state()).toEqual({
      status: 'no',
      lines: [
        [4, 4, 0],
        [3, 3, 0],
      ],
    });
    expect((await acc.post(`/api/pickings/${ret.body.id}/credit-note`, {})).status).toBe(409);
  });

  it('invoice.updated reaches the invoice room and the invoice lists live; rooms and records follow the roles', async () => {
    const acc = await accounting();
    const order = await confirmedOrder(srv.admin, [{ quantity: 1, unitPrice: 2000 }]);
    const draft = await invoiceOrder(acc, order.id);
    const watcher = await srv.socket(acc);
    await subscribe(watcher, rooms.record('invoice', draft.id));
    await subscribe(watcher, rooms.invoicesBoard);
    const onRecord = nextEvent(watcher, 'invoice.updated', (e) => e.id === draft.id && e.invoice.state === 'posted');
    await postInvoice(acc, draft.id);
    const event = await onRecord;
    expect(event).toMatchObject({ model: 'invoice', invoice: { id: draft.id, state: 'posted', paymentState: 'not_paid', partnerId: order.partnerId } });
    expect(event.invoice.name).toMatch(/^INV\//);

    const warehouse = await srv.socket(await srv.user('warehouse'));
    const denied = await new Promise((resolve) => warehouse.emit('subscribe', { room: rooms.invoicesBoard }, resolve));
    expect(denied).toMatchObject({ error: { code: 'forbidden' } });
    expect((await (await srv.user('warehouse')).get(`/api/invoices/${draft.id}`)).status).toBe(403);

    // A salesperson limited to their own orders sees the invoices of those only.
    const own = await srv.user('sales');
    const me = (await own.get('/api/auth/me')).body;
    expect((await srv.admin.patch(`/api/users/${me.id}`, { orderAccess: 'own' })).status).toBe(200);
    expect((await own.get(`/api/invoices/${draft.id}`)).status).toBe(403);
    expect((await own.get('/api/invoices')).body.total).toBe(0);
    const sales = (await own.post('/api/sale-orders', { partnerId: order.partnerId, lines: [{ productId: order.lines[0]!.productId, quantity: 1 }] })).body;
    await own.post(`/api/sale-orders/${sales.id}/confirm`);
    const mine = await own.post(`/api/sale-orders/${sales.id}/invoice`);
    expect(mine.status).toBe(201);
    expect((await own.get('/api/invoices')).body.items.map((i: Invoice) => i.id)).toEqual(mine.body.invoiceIds);
    expect((await own.post(`/api/invoices/${mine.body.invoiceIds[0]}/post`, {})).status).toBe(403);
    // The email preview of an invoice shows it: the same rule.
    expect((await own.post('/api/mail/templates/invoice_email/preview', { resId: draft.id })).status).toBe(403);
    const preview = await own.post('/api/mail/templates/invoice_email/preview', { resId: mine.body.invoiceIds[0] });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toMatch(/invoice Draft invoice/);

    // A credit note lists the invoice it credits among its related documents.
    const credit = await acc.post(`/api/invoices/${draft.id}/credit-note`, {});
    expect(credit.body.creditNotes).toEqual([expect.objectContaining({ id: draft.id, displayName: event.invoice.name })]);
  });
});
