import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { rooms } from '../../../contracts/events';
import type { PurchaseOrder } from '../../../contracts/schemas/purchasing';
import type { ApiClient } from '../../support/client';
import { makePartner, makeProduct, makeTax } from '../../factories/data';
import { eventually } from '../../support/eventually';
import { useMailgunStandIn } from '../../support/mailgun';
import { pdfText } from '../../support/pdf';
import { nextEvent, subscribe, useTestServer } from '../../support/server';

// Issue 15, acceptance 5: an RFQ goes to its vendor through the outbox and Mailgun with its PDF and the
// PO's signed reply address; the vendor's reply comes back into the PO's chatter, live. With the
// documents (PDF, DOCX) and the rfq template's preview.
describe('purchase orders by email and as documents', () => {
  const mailgun = useMailgunStandIn();
  const srv = useTestServer({ env: () => mailgun.env() });

  /** A vendor, two products it sells at 50.00 and 12.50 with 15 % purchase tax, and an RFQ for 3 and 4 of them. */
  async function rfq(buyer: ApiClient, vendorFields: Record<string, unknown> = {}) {
    const suffix = Math.random().toString(36).slice(2, 8);
    const vendor = await makePartner(srv.admin, {
      name: `Vera Vendor ${suffix}`,
      email: `vera-${suffix}@vendor.example.net`,
      street: '5 Supply Lane',
      zip: '1000',
      city: 'Brussels',
      countryCode: 'BE',
      roles: ['vendor'],
      ...vendorFields,
    });
    const tax = await makeTax(srv.admin, 15);
    const lamp = await makeProduct(srv.admin, {
      name: `Brass lamp ${suffix}`,
      purchaseTaxIds: [tax.id],
      vendors: [{ partnerId: vendor.id, price: 5000, minQty: 1, leadDays: 3 }],
    });
    const shade = await makeProduct(srv.admin, {
      name: `Linen shade ${suffix}`,
      purchaseTaxIds: [tax.id],
      vendors: [{ partnerId: vendor.id, price: 1250, minQty: 1, leadDays: 5 }],
    });
    const res = await buyer.post('/api/purchase-orders', {
      partnerId: vendor.id,
      dateOrder: '2026-12-01T10:00:00.000Z',
      note: 'Deliver to the loading dock.',
      lines: [
        { productId: lamp.id, quantity: 3 },
        { productId: shade.id, quantity: 4 },
      ],
    });
    expect(res.status).toBe(201);
    // 150.00 + 50.00 = 200.00, tax 30.00: 230.00.
    expect(res.body).toMatchObject({ amountUntaxed: 20000, amountTax: 3000, amountTotal: 23000 });
    return { vendor, lamp, shade, po: res.body as PurchaseOrder };
  }

  /** The emails about a PO (their subjects name it). */
  const outboxOf = async (po: PurchaseOrder) =>
    ((await srv.admin.get(`/api/mail/outbox?limit=200&q=${po.name}`)).body.items as { model: string | null; resId: number | null; key: string }[]).filter(
      (r) => r.model === 'purchaseOrder' && r.resId === po.id,
    );

  function deliver(fields: Record<string, string>) {
    return srv.anonymous().upload('/api/webhooks/mailgun/inbound', fields, []);
  }

  it('Send emails the RFQ to the vendor through Mailgun with its PDF and Reply-To po+<id>.<mac>@; a signed vendor reply lands in the chatter, live', async () => {
    const buyer = await srv.user('purchase', 'Bea Buyer');
    const { vendor, po } = await rfq(buyer);
    const socket = await srv.socket(buyer);
    await subscribe(socket, rooms.record('purchaseOrder', po.id));

    const sent = await buyer.post(`/api/purchase-orders/${po.id}/send`, { version: po.version });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ id: po.id, state: 'sent', version: po.version + 1 });
    expect(sent.body.sentAt).toBeTruthy();

    const mail = await eventually(async () => mailgun.sent.find((m) => String(m.fields.to).includes(vendor.email!)));
    expect(String(mail.fields.to)).toContain(vendor.name);
    expect(String(mail.fields.subject)).toContain(`request for quotation ${po.name}`);
    expect(String(mail.fields.html)).toContain(`Dear ${vendor.name}`);
    expect(String(mail.fields.html)).toContain(po.lines[0]!.description);
    const replyTo = String(mail.fields['h:Reply-To']);
    expect(replyTo).toMatch(new RegExp(`^po\\+${po.id}\\.[0-9a-f]{24}@mg\\.example\\.test$`));
    const pdf = mail.files.find((f) => f.field === 'attachment')!;
    expect(pdf).toMatchObject({ filename: `${po.name}.pdf`, contentType: 'application/pdf' });
    const text = await pdfText(pdf.data);
    expect(text).toContain('Request for quotation');
    expect(text).toContain(po.name);

    // The email is the chatter message, with the PDF; the vendor follows the order.
    const messages = (await buyer.get(`/api/messages?model=purchaseOrder&resId=${po.id}`)).body.items as {
      type: string;
      body: string;
      attachments: { name: string }[];
    }[];
    const logged = messages.find((m) => m.type === 'comment');
    expect(logged?.body).toContain(po.name);
    expect(logged?.attachments.map((a) => a.name)).toEqual([`${po.name}.pdf`]);
    const followers = (await buyer.get(`/api/followers?model=purchaseOrder&resId=${po.id}`)).body.items as { partnerId: number | null }[];
    expect(followers.map((f) => f.partnerId)).toContain(vendor.id);
    // One email: the vendor is not sent the message again as a notification.
    expect(await outboxOf(po)).toHaveLength(1);

    const posted = nextEvent(socket, 'message.posted', (e) => e.model === 'purchaseOrder' && e.resId === po.id && e.type === 'comment');
    const reply = await deliver({
      recipient: replyTo,
      sender: vendor.email!,
      from: `${vendor.name} <${vendor.email}>`,
      subject: `Re: ${String(mail.fields.subject)}`,
      'body-plain': 'We can deliver on the 4th.\n\n> Please find attached our request for quotation\n',
      'stripped-text': 'We can deliver on the 4th.',
      'Message-Id': `<vendor-reply-${po.id}@vendor.example.net>`,
      ...mailgun.sign(),
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'filed' });
    expect((await posted).id).toBe(reply.body.messageId);
    const filed = ((await buyer.get(`/api/messages?model=purchaseOrder&resId=${po.id}`)).body.items as { id: number }[]).find(
      (m) => m.id === reply.body.messageId,
    );
    expect(filed).toMatchObject({
      type: 'comment',
      authorId: null,
      authorPartnerId: vendor.id,
      authorName: vendor.name,
      body: '<p>We can deliver on the 4th.</p>',
    });

    // The unsigned form names the order but proves nothing: it waits for staff.
    const unsigned = await deliver({
      recipient: `po+${po.id}@mg.example.test`,
      sender: vendor.email!,
      from: vendor.email!,
      subject: 'Re: RFQ',
      'body-plain': 'Unsigned',
      ...mailgun.sign(),
    });
    expect(unsigned.body).toMatchObject({ status: 'unassigned' });
  });

  it('the PDF and the DOCX hold the number, the vendor, every line and the totals; a user limited to own orders gets 403', async () => {
    const { vendor, lamp, shade, po } = await rfq(srv.admin);
    const pdf = await srv.admin.download(`/api/purchase-orders/${po.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="${po.name}.pdf"`);
    const text = await pdfText(pdf.body);
    for (const expected of [
      'Request for quotation',
      po.name,
      vendor.name,
      '5 Supply Lane',
      lamp.name,
      shade.name,
      lamp.sku,
      '2026-12-04', // the lamp's planned date: order date + 3 days
      '2026-12-06',
      '€50.00',
      '€150.00',
      '€230.00',
      'Deliver to the loading dock.',
    ]) {
      expect(text).toContain(expected);
    }

    const docx = await srv.admin.download(`/api/purchase-orders/${po.id}/docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-disposition')).toContain(`${po.name}.docx`);
    const xml = await (await JSZip.loadAsync(docx.body)).file('word/document.xml')!.async('string');
    for (const expected of [po.name, vendor.name, lamp.name, shade.name, '€230.00']) expect(xml).toContain(expected);

    // Everyone with purchase.read may read it; a salesperson limited to their own orders may not.
    expect((await (await srv.user('warehouse')).download(`/api/purchase-orders/${po.id}/pdf`)).status).toBe(200);
    const own = await srv.user('sales');
    const me = (await own.get('/api/auth/me')).body;
    expect((await srv.admin.patch(`/api/users/${me.id}`, { orderAccess: 'own' })).status).toBe(200);
    expect((await own.download(`/api/purchase-orders/${po.id}/pdf`)).status).toBe(403);
    expect((await own.download(`/api/purchase-orders/${po.id}/docx`)).status).toBe(403);
    expect((await own.post('/api/mail/templates/rfq/preview', { resId: po.id })).status).toBe(403);
    expect((await srv.admin.download('/api/purchase-orders/999999/pdf')).status).toBe(404);
  });

  it('the rfq and purchase_order templates are listed and previewed, for sample values and for an order', async () => {
    const { vendor, lamp, po } = await rfq(srv.admin);
    const list = (await srv.admin.get('/api/mail/templates')).body.items as { key: string; placeholders: { name: string }[] }[];
    expect(list.map((t) => t.key)).toEqual(expect.arrayContaining(['rfq', 'purchase_order']));
    expect(list.find((t) => t.key === 'rfq')!.placeholders.map((p) => p.name)).toEqual(expect.arrayContaining(['vendor.name', 'order.name', 'order.lines']));

    const buyer = await srv.user('purchase');
    const preview = await buyer.post('/api/mail/templates/rfq/preview', { resId: po.id });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toContain(`request for quotation ${po.name}`);
    expect(preview.body.html).toContain(vendor.name);
    expect(preview.body.html).toContain(lamp.name);
    expect(preview.body.html).toContain('2026-12-04');

    const edited = await buyer.post('/api/mail/templates/purchase_order/preview', { resId: po.id, subject: 'PO {{order.name}} for {{vendor.name}}' });
    expect(edited.body.subject).toBe(`PO ${po.name} for ${vendor.name}`);
    expect(edited.body.html).toContain('Total €230.00');
    const sample = await buyer.post('/api/mail/templates/rfq/preview', {});
    expect(sample.body.subject).toContain('request for quotation P00042');
    expect((await buyer.post('/api/mail/templates/rfq/preview', { resId: 999999 })).status).toBe(404);
  });

  it('a vendor without an email is a 422 naming it, a stale version a 409: nothing changes and nothing is queued', async () => {
    const buyer = await srv.user('purchase');
    const { vendor, po } = await rfq(buyer, { email: null });
    const refused = await buyer.post(`/api/purchase-orders/${po.id}/send`, { version: po.version });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain(`its vendor ${vendor.name} has no email address`);
    expect((await buyer.get(`/api/purchase-orders/${po.id}`)).body).toMatchObject({ state: 'draft', version: po.version, sentAt: null });
    expect(await outboxOf(po)).toHaveLength(0);
    const comments = (await buyer.get(`/api/messages?model=purchaseOrder&resId=${po.id}`)).body.items.filter((m: { type: string }) => m.type === 'comment');
    expect(comments).toHaveLength(0);

    const other = await rfq(buyer);
    const stale = await buyer.post(`/api/purchase-orders/${other.po.id}/send`, { version: other.po.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ id: other.po.id, version: other.po.version, state: 'draft' });
    expect(await outboxOf(other.po)).toHaveLength(0);
    expect((await (await srv.user('warehouse')).post(`/api/purchase-orders/${other.po.id}/send`, {})).status).toBe(403);

    // A sent RFQ may be sent again, with the template asked for.
    const first = await buyer.post(`/api/purchase-orders/${other.po.id}/send`, {});
    expect(first.body.state).toBe('sent');
    const again = await buyer.post(`/api/purchase-orders/${other.po.id}/send`, { version: first.body.version, template: 'purchase_order' });
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('sent');
    const keys = (await outboxOf(other.po)).map((r) => r.key);
    expect(keys).toHaveLength(2);
    expect(keys.some((k) => k.startsWith(`purchaseOrder:${other.po.id}:purchase_order:`))).toBe(true);
    const subjects = await eventually(async () => {
      const mails = mailgun.sent.filter((m) => String(m.fields.to).includes(other.vendor.email!));
      return mails.length === 2 && mails.map((m) => String(m.fields.subject));
    });
    expect(subjects).toEqual(
      expect.arrayContaining([expect.stringContaining(`request for quotation ${other.po.name}`), expect.stringContaining(`purchase order ${other.po.name}`)]),
    );
    expect((await buyer.post(`/api/purchase-orders/${other.po.id}/send`, { template: 'invoice_email' })).status).toBe(400);
  });
});
