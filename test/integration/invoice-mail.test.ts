import { describe, expect, it } from 'vitest';
import type { BatchResult, Invoice } from '../../contracts/schemas/invoices';
import type { SaleOrder } from '../../contracts/schemas/sales';
import { makePartner } from '../factories/data';
import { confirmedOrder, deliver, invoiceOrder, makeAccountedTax, postInvoice } from '../factories/invoicing';
import { eventually } from '../support/eventually';
import { useMailgunStandIn } from '../support/mailgun';
import { pdfText } from '../support/pdf';
import { useTestServer } from '../support/server';

// The invoice as a document and as an email, and invoicing without a click: batches and the automation rule.
describe('invoice documents, email, batches and automation', () => {
  const mailgun = useMailgunStandIn();
  const srv = useTestServer({ env: () => mailgun.env() });
  const sentTo = (email: string) => mailgun.sent.filter((m) => String(m.fields.to).includes(email));
  const invoicesSentTo = (email: string) => sentTo(email).filter((m) => /: invoice INV\//.test(String(m.fields.subject)));

  it('the PDF holds the number, every line and the total; the DOCX is a Word file', async () => {
    const vat = await makeAccountedTax(srv.admin, 20, 'VAT 20%');
    const order = await confirmedOrder(srv.admin, [
      { quantity: 3, unitPrice: 1999, taxIds: [vat.id] },
      { quantity: 1, unitPrice: 4500, taxIds: [vat.id] },
    ]);
    const inv = await postInvoice(srv.admin, (await invoiceOrder(srv.admin, order.id)).id);
    const pdf = await srv.admin.download(`/api/invoices/${inv.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(pdf.body);
    expect(text).toContain(inv.name!);
    for (const l of inv.lines) expect(text).toContain(l.description.replace(/^\[[^\]]+\] /, ''));
    // 59.97 + 45.00 = 104.97, VAT 20.99: total 125.96.
    expect(inv.amountTotal).toBe(12596);
    expect(text).toContain('€125.96');
    expect(text).toContain('VAT 20% on €104.97');
    expect(text).toContain(order.name);
    const docx = await srv.admin.download(`/api/invoices/${inv.id}/docx`);
    expect(docx.status).toBe(200);
    expect(docx.body.subarray(0, 2).toString()).toBe('PK');
    expect((await (await srv.user('warehouse')).download(`/api/invoices/${inv.id}/pdf`)).status).toBe(403);
  });

  it('Send: one email to the customer with the PDF attached, a copy to each follower, logged in the chatter', async () => {
    const acc = await srv.user('accounting', 'Alex Accounts');
    const customer = await makePartner(srv.admin, { name: 'Carla Customer', email: 'carla@example.com' });
    const accountant = await makePartner(srv.admin, { name: 'Ben Bookkeeper', email: 'ben@example.com' });
    const order = await confirmedOrder(srv.admin, [{ quantity: 2, unitPrice: 1500 }], customer.id);
    const draft = await invoiceOrder(acc, order.id);
    expect((await acc.post(`/api/invoices/${draft.id}/send`, {})).status).toBe(422);
    const inv = await postInvoice(acc, draft.id);
    const colleague = await srv.user('sales', 'Sue Sales');
    const colleagueId = (await colleague.get('/api/auth/me')).body.id;
    expect((await acc.post('/api/followers', { model: 'invoice', resId: inv.id, partnerId: accountant.id })).status).toBe(201);
    expect((await acc.post('/api/followers', { model: 'invoice', resId: inv.id, userId: colleagueId })).status).toBe(201);

    const before = mailgun.sent.length;
    const sent = await acc.post(`/api/invoices/${inv.id}/send`, {});
    expect(sent.status).toBe(200);
    expect(sent.body.sentAt).toBeTruthy();
    await eventually(async () => mailgun.sent.length >= before + 3);
    await new Promise((r) => setTimeout(r, 200));
    const mails = mailgun.sent.slice(before);
    expect(mails).toHaveLength(3);
    const toCustomer = mails.filter((m) => String(m.fields.to).includes('carla@example.com'));
    expect(toCustomer).toHaveLength(1);
    expect(String(toCustomer[0]!.fields.subject)).toContain(`invoice ${inv.name}`);
    expect(String(toCustomer[0]!.fields['h:Reply-To'])).toMatch(new RegExp(`^invoice\\+${inv.id}\\.[0-9a-f]{24}@mg\\.example\\.test$`));
    const pdf = toCustomer[0]!.files.find((f) => f.field === 'attachment')!;
    expect(pdf).toMatchObject({ filename: `${inv.name!.replace(/\//g, '-')}.pdf`, contentType: 'application/pdf' });
    expect(await pdfText(pdf.data)).toContain(inv.name!);
    for (const email of ['ben@example.com', (await colleague.get('/api/auth/me')).body.email]) {
      const copies = mails.filter((m) => String(m.fields.to).includes(email));
      expect(copies).toHaveLength(1);
      expect(String(copies[0]!.fields.subject)).toMatch(/^Copy: /);
      expect(copies[0]!.files.map((f) => f.filename)).toEqual([pdf.filename]);
    }
    const messages = (await acc.get(`/api/messages?model=invoice&resId=${inv.id}`)).body.items as {
      type: string;
      body: string;
      attachments: { name: string }[];
    }[];
    const logged = messages.find((m) => m.type === 'comment');
    expect(logged?.body).toContain(inv.name!);
    expect(logged?.attachments.map((a) => a.name)).toEqual([pdf.filename]);
  });

  it('a batch invoices, posts and sends per order; orders with nothing to invoice are skipped; a re-run creates nothing', async () => {
    const acc = await srv.user('accounting');
    const customer = await makePartner(srv.admin);
    const a = await confirmedOrder(srv.admin, [{ quantity: 1, unitPrice: 1000 }], customer.id);
    const b = await confirmedOrder(srv.admin, [{ quantity: 2, unitPrice: 1000 }], customer.id);
    const waiting = await confirmedOrder(srv.admin, [{ quantity: 1, unitPrice: 1000, invoicePolicy: 'delivery' }]);
    const run = async (body: object) => {
      const res = await acc.post('/api/invoices/batch', body);
      expect(res.status).toBe(202);
      return eventually(async () => {
        const job = (await acc.get(`/api/jobs/${res.body.jobId}`)).body;
        if (job.state === 'failed') throw new Error(job.failedReason);
        return job.state === 'completed' && (job.result as BatchResult);
      }, 30_000);
    };
    const ids = [a.id, b.id, waiting.id];
    const first = await run({ saleOrderIds: ids, group: 'customer', post: true, send: true });
    expect(first).toMatchObject({ created: 1, posted: 1, sent: 1, skipped: 1, failed: 0 });
    expect(first.results.map((r) => [r.saleOrderId, r.status])).toEqual([
      [a.id, 'invoiced'],
      [b.id, 'invoiced'],
      [waiting.id, 'skipped'],
    ]);
    expect(first.results[2]!.message).toMatch(/wait for their delivery/);
    const grouped = (await acc.get(`/api/invoices/${first.invoiceIds[0]}`)).body as Invoice;
    expect(grouped).toMatchObject({ state: 'posted', saleOrderId: null, amountTotal: 3000, partnerId: customer.id });
    expect((await acc.get(`/api/invoices?saleOrderId=${b.id}`)).body.items.map((i: Invoice) => i.id)).toEqual([grouped.id]);
    await eventually(async () => invoicesSentTo(customer.email!).length === 1);

    const again = await run({ saleOrderIds: ids, group: 'order', post: true, send: true });
    expect(again).toMatchObject({ created: 0, posted: 0, sent: 0, skipped: 3, failed: 0 });
    expect((await acc.get(`/api/invoices?partnerId=${customer.id}`)).body.total).toBe(1);
    expect((await acc.post('/api/invoices/batch', { saleOrderIds: [999999] })).status).toBe(400);
    expect((await acc.post('/api/invoices/batch', { saleOrderIds: ids, send: true })).status).toBe(400);
    expect((await (await srv.user('warehouse')).post('/api/invoices/batch', { saleOrderIds: ids })).status).toBe(403);
  });

  it('the automation rule: a validated delivery is invoiced, posted and sent without a click', async () => {
    const company = (await srv.admin.get('/api/company')).body;
    expect((await srv.admin.patch('/api/company', { version: company.version, autoInvoiceDeliveries: true })).status).toBe(200);
    try {
      const customer = await makePartner(srv.admin, { email: 'auto@example.com' });
      const order = await confirmedOrder(srv.admin, [{ quantity: 3, unitPrice: 700, invoicePolicy: 'delivery' }], customer.id);
      await deliver(await srv.user('warehouse'), order.id, { [order.lines[0]!.productId!]: 2 });
      const inv = await eventually(async () => {
        const list = (await srv.admin.get(`/api/invoices?saleOrderId=${order.id}`)).body.items as Invoice[];
        return list[0]?.sentAt && list[0];
      }, 20_000);
      expect(inv).toMatchObject({ state: 'posted', amountTotal: 1400 });
      expect(((await srv.admin.get(`/api/sale-orders/${order.id}`)).body as SaleOrder).lines[0]).toMatchObject({ qtyDelivered: 2, qtyInvoiced: 2 });
      await eventually(async () => invoicesSentTo('auto@example.com').length === 1);
    } finally {
      const now = (await srv.admin.get('/api/company')).body;
      await srv.admin.patch('/api/company', { version: now.version, autoInvoiceDeliveries: false });
    }
  });
});
