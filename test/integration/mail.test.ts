import { describe, expect, it } from 'vitest';
import { rooms } from '../../contracts/events';
import { purgeStaleUploads } from '../../server/modules/chatter/attachments.service';
import { OutboxModel } from '../../server/modules/mail/mail.model';
import { deliverOutboxMail } from '../../server/modules/mail/outbox.service';
import type { ApiClient } from '../support/client';
import { makeOrder, makePartner } from '../factories/data';
import { eventually } from '../support/eventually';
import { useMailgunStandIn } from '../support/mailgun';
import { nextEvent, subscribe, useTestServer } from '../support/server';

type Outbox = {
  id: number;
  key: string;
  to: string;
  subject: string;
  html: string;
  replyTo: string | null;
  messageId: string;
  status: string;
  attempts: number;
  lastError: string | null;
};

describe('mail: outbox, Mailgun transport, templates', () => {
  const mailgun = useMailgunStandIn();
  const srv = useTestServer({ env: () => ({ ...mailgun.env(), ATTACHMENT_MAX_MB: '1' }) });

  const outboxFor = async (resId: number): Promise<Outbox[]> =>
    (await srv.admin.get<{ items: (Outbox & { resId: number })[] }>('/api/mail/outbox?limit=200')).body.items.filter((m) => m.resId === resId);
  const settled = (id: number) =>
    eventually(async () => {
      const row = (await srv.admin.get<Outbox>(`/api/mail/outbox/${id}`)).body;
      return row.status !== 'queued' && row;
    });
  const sentTo = (email: string) => mailgun.sent.filter((m) => String(m.fields.to).includes(email));

  async function upload(c: ApiClient, resId: number, name: string, data: Buffer | string) {
    return c.upload('/api/attachments', { model: 'saleOrder', resId }, [{ name, data }]);
  }

  // Runs first: the templates have never been saved on this database.
  it('ten orders confirmed at once each get their confirmation email', async () => {
    const orders = await Promise.all(Array.from({ length: 10 }, () => makeOrder(srv.admin)));
    const results = await Promise.all(orders.map((o) => srv.admin.post(`/api/sale-orders/${o.id}/confirm`)));
    expect(results.map((r) => r.status)).toEqual(orders.map(() => 200));
    for (const o of orders) expect((await outboxFor(o.id)).map((r) => r.subject)).toEqual([expect.stringContaining(`order confirmation ${o.name}`)]);
  });

  it('reports its setup: Mailgun out, replies in', async () => {
    expect((await srv.admin.get('/api/mail/setup')).body).toEqual({
      transport: 'mailgun',
      from: 'orders@mg.example.test',
      domain: 'mg.example.test',
      inbound: true,
    });
    expect((await (await srv.user('warehouse')).get('/api/mail/setup')).status).toBe(403);
  });

  it('a comment is emailed to the customer through mailgun.js: to, subject, HTML, Reply-To naming the order, Message-ID, attachment', async () => {
    const sales = await srv.user('sales', 'Sam Seller');
    const customer = await makePartner(sales, { name: 'Jane Buyer' });
    const order = await makeOrder(sales, { partnerId: customer.id, lines: [] });
    const file = await upload(sales, order.id, 'packing-list.pdf', '%PDF-1.4 packing list');
    expect(file.status).toBe(201);
    expect(file.body).toMatchObject({ name: 'packing-list.pdf', mimeType: 'application/pdf', size: 21 });

    const posted = await sales.post('/api/messages', {
      model: 'saleOrder',
      resId: order.id,
      type: 'comment',
      body: '<p>Your parcel leaves <b>today</b>.</p>',
      attachmentIds: [file.body.id],
    });
    expect(posted.status).toBe(201);
    expect(posted.body.attachments).toEqual([expect.objectContaining({ id: file.body.id, name: 'packing-list.pdf' })]);

    const rows = (await outboxFor(order.id)).filter((r) => r.key.startsWith(`message:${posted.body.id}:`));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ key: `message:${posted.body.id}:partner:${customer.id}` });
    expect(row.replyTo).toMatch(new RegExp(`^order\\+${order.id}\\.[0-9a-f]{24}@mg\\.example\\.test$`));
    expect(row.messageId).toMatch(/^<[^@\s]+@mg\.example\.test>$/);

    const done = await settled(row.id);
    expect(done).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    const [mail] = sentTo(customer.email!);
    expect(mail).toBeDefined();
    expect(mail!.domain).toBe('mg.example.test');
    expect(mail!.fields.to).toContain(customer.email);
    expect(String(mail!.fields.subject)).toMatch(new RegExp(`^${order.name}: a message from .+`));
    expect(mail!.fields.html).toContain('<p>Your parcel leaves <b>today</b>.</p>');
    expect(mail!.fields.html).toContain('Hello Jane Buyer');
    expect(mail!.fields['h:Reply-To']).toBe(row.replyTo);
    expect(mail!.fields['h:Message-Id']).toBe(row.messageId);
    expect(mail!.fields.from).toContain('orders@mg.example.test');
    expect(mail!.files).toHaveLength(1);
    expect(mail!.files[0]).toMatchObject({ field: 'attachment', filename: 'packing-list.pdf' });
    expect(mail!.files[0]!.data.toString()).toBe('%PDF-1.4 packing list');
  });

  it('a note is never emailed to a partner who is not a user; users who chose email get notes and comments', async () => {
    const alice = await srv.user('sales', 'Alice Mail');
    const bob = await srv.user('sales', 'Bob Mail');
    expect((await bob.patch('/api/auth/me', { notifyByEmail: true })).body.notifyByEmail).toBe(true);
    const order = await makeOrder(alice);
    await bob.post('/api/followers', { model: 'saleOrder', resId: order.id, userId: bob.user!.id });
    const note = await alice.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'Internal: check the address' });
    expect(note.status).toBe(201);
    const rows = (await outboxFor(order.id)).filter((r) => r.key.startsWith(`message:${note.body.id}:`));
    // Only Bob, the user who asked for email; the customer (a partner follower) gets nothing.
    expect(rows.map((r) => r.key)).toEqual([`message:${note.body.id}:user:${bob.user!.id}`]);
    expect(rows[0]!.to).toContain(bob.user!.email);
    await settled(rows[0]!.id);
    expect(mailgun.sent.some((m) => String(m.fields.html).includes('Internal: check the address') && !String(m.fields.to).includes(bob.user!.email))).toBe(
      false,
    );
  });

  it('Mailgun answering 500: retried with backoff, then failed with the error; a resend delivers it', async () => {
    const order = await makeOrder(srv.admin);
    const customer = (await srv.admin.get(`/api/partners/${order.partnerId}`)).body;
    mailgun.failWith = 500;
    try {
      const posted = await srv.admin.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body: 'Delayed, sorry' });
      const row = (await outboxFor(order.id)).find((r) => r.key === `message:${posted.body.id}:partner:${customer.id}`)!;
      const failed = await settled(row.id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
      expect(failed.lastError).toMatch(/500/);
      expect(sentTo(customer.email)).toHaveLength(0);

      const sales = await srv.user('warehouse');
      expect((await sales.post(`/api/mail/outbox/${row.id}/resend`)).status).toBe(403);
      mailgun.failWith = 200;
      const s = await srv.socket(srv.admin);
      await subscribe(s, rooms.mailBoard);
      const sentEvent = nextEvent(s, 'mail.updated', (e) => e.id === row.id && e.status === 'sent');
      const resent = await srv.admin.post(`/api/mail/outbox/${row.id}/resend`);
      expect(resent.status).toBe(200);
      expect(resent.body.status).toBe('queued');
      expect(await sentEvent).toMatchObject({ id: row.id, status: 'sent', attempts: 4 });
      expect(sentTo(customer.email)).toHaveLength(1);
      // A sent email is never sent again.
      expect((await srv.admin.post(`/api/mail/outbox/${row.id}/resend`)).status).toBe(422);
    } finally {
      mailgun.failWith = 200;
    }
  });

  it('a send cut off mid-way (the worker died) asks Mailgun before sending again: never twice, never lost', async () => {
    const order = await makeOrder(srv.admin);
    const customer = (await srv.admin.get(`/api/partners/${order.partnerId}`)).body;
    const posted = await srv.admin.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body: 'Your parcel is on its way' });
    const row = (await outboxFor(order.id)).find((r) => r.key === `message:${posted.body.id}:partner:${customer.id}`)!;
    await settled(row.id);
    expect(sentTo(customer.email)).toHaveLength(1);
    const noFiles = async () => [];
    // As the row looks when its worker was killed after Mailgun accepted the email, before it was marked sent.
    await OutboxModel.update({ status: 'queued', sendingAt: new Date(), sentAt: null }, { where: { id: row.id } });
    expect(await deliverOutboxMail(row.id, { final: false }, noFiles)).toEqual({ status: 'sent' });
    expect(sentTo(customer.email)).toHaveLength(1);
    // Killed before Mailgun had it: Mailgun does not know the Message-ID, so it is sent.
    await OutboxModel.update(
      { status: 'queued', sendingAt: new Date(), sentAt: null, messageIdHeader: '<never-sent@mg.example.test>' },
      { where: { id: row.id } },
    );
    expect(await deliverOutboxMail(row.id, { final: false }, noFiles)).toEqual({ status: 'sent' });
    expect(sentTo(customer.email)).toHaveLength(2);
    expect((await OutboxModel.findByPk(row.id))!.sendingAt).toBeNull();
  });

  it('sending a quotation emails the order confirmation template to the customer and logs it in the chatter', async () => {
    const order = await makeOrder(srv.admin);
    const res = await srv.admin.post(`/api/sale-orders/${order.id}/send`);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('sent');
    const rows = await outboxFor(order.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject).toContain(`quotation ${order.name}`);
    expect(rows[0]!.html).toContain(order.name);
    const messages = (await srv.admin.get(`/api/messages?model=saleOrder&resId=${order.id}`)).body.items;
    expect(messages.filter((m: { type: string }) => m.type === 'comment')).toHaveLength(1);
    expect((await settled(rows[0]!.id)).status).toBe('sent');

    const noEmail = await makePartner(srv.admin, { email: null });
    const other = await makeOrder(srv.admin, { partnerId: noEmail.id });
    const refused = await srv.admin.post(`/api/sale-orders/${other.id}/send`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/no email address/);
    expect((await srv.admin.get(`/api/sale-orders/${other.id}`)).body.state).toBe('draft');
  });

  it('international addresses: the confirmation of a discounted order reaches jürgen@müller.de through Mailgun, discounts shown', async () => {
    const customer = await makePartner(srv.admin, { name: 'Jürgen Groß', email: 'Jürgen@Müller.de' });
    expect(customer.email).toBe('jürgen@müller.de');
    const product = (await srv.admin.post('/api/products', { sku: `MUG-${Date.now()}`, name: 'Mug', listPrice: 2500, taxIds: [] })).body;
    const order = await makeOrder(srv.admin, {
      partnerId: customer.id,
      discountCode: 'NOEL5',
      orderDiscount: 500,
      lines: [{ productId: product.id, quantity: 2, discountAmount: 300 }],
    });
    expect(order).toMatchObject({ amountTotal: 4200, orderDiscount: 500, amountDiscount: 800 });
    expect((await srv.admin.post(`/api/sale-orders/${order.id}/confirm`)).status).toBe(200);
    const [row] = await outboxFor(order.id);
    expect(row!.to).toContain('jürgen@müller.de');
    expect(row!.html).toContain('€25.00');
    expect(row!.html).toContain('-€3.00');
    expect(row!.html).toContain('Discount NOEL5: -€5.00');
    expect(row!.html).toContain('You save €8.00');
    expect(row!.html).toContain('Total €42.00');
    expect((await settled(row!.id)).status).toBe('sent');
    // Mailgun gets the domain in its ASCII form, the accented local part as it is.
    const [mail] = mailgun.sent.filter((m) => String(m.fields.to).includes('xn--mller-kva.de'));
    expect(String(mail!.fields.to)).toContain('jürgen@xn--mller-kva.de');
    expect(String(mail!.fields.to)).toContain('Jürgen Groß');
  });

  describe('templates', () => {
    it('lists, previews for a record, rejects bad syntax and stale versions, and is used for the next email', async () => {
      const list = await srv.admin.get('/api/mail/templates');
      expect(list.body.items.map((t: { key: string }) => t.key)).toEqual([
        'order_confirmation',
        'message_notification',
        'invoice_email',
        'rfq',
        'purchase_order',
        'shipping_confirmation',
        'rfq_declined',
      ]);
      const tpl = (await srv.admin.get('/api/mail/templates/message_notification')).body;

      const order = await makeOrder(srv.admin);
      const preview = await srv.admin.post('/api/mail/templates/order_confirmation/preview', {
        resId: order.id,
        subject: 'Hi {{customer.name}} {{order.name}}',
      });
      expect(preview.status).toBe(200);
      expect(preview.body.subject).toContain(order.name);
      expect(preview.body.html).toContain(order.name);

      const bad = await srv.admin.patch('/api/mail/templates/message_notification', { subject: 'x', body: '{{#if}}', version: tpl.version });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('body');
      const sales = await srv.user('sales');
      expect((await sales.patch('/api/mail/templates/message_notification', { subject: 'x', body: 'y', version: tpl.version })).status).toBe(403);
      expect((await srv.admin.get('/api/mail/templates/nope')).status).toBe(400);

      const saved = await srv.admin.patch('/api/mail/templates/message_notification', {
        subject: 'News about {{record.name}}',
        body: '<p>Dear {{recipient.name}}</p>{{{message.body}}}<p>Team {{company.name}}</p>',
        version: tpl.version,
      });
      expect(saved.status).toBe(200);
      expect(saved.body.version).toBe(tpl.version + 1);
      const stale = await srv.admin.patch('/api/mail/templates/message_notification', { subject: 'x', body: 'y', version: tpl.version });
      expect(stale.status).toBe(409);
      expect(stale.body.error.current.subject).toBe('News about {{record.name}}');

      try {
        const posted = await srv.admin.post('/api/messages', {
          model: 'saleOrder',
          resId: order.id,
          type: 'comment',
          body: '<p>Tracking number <i>XY1</i> & more</p>',
        });
        const row = (await outboxFor(order.id)).find((r) => r.key.startsWith(`message:${posted.body.id}:`))!;
        expect(row.subject).toBe(`News about ${order.name}`);
        expect(row.html).toContain('<p>Tracking number <i>XY1</i> &amp; more</p>');
        expect(row.html).toMatch(/^<p>Dear Customer /);
      } finally {
        const now = (await srv.admin.get('/api/mail/templates/message_notification')).body;
        await srv.admin.patch('/api/mail/templates/message_notification', { subject: tpl.subject, body: tpl.body, version: now.version });
      }
    });
  });

  describe('followers: mute and @mentions', () => {
    it('a muted follower gets no notification or email from the record, but an @mention still reaches them', async () => {
      const alice = await srv.user('sales', 'Alice Mute');
      const bob = await srv.user('sales', 'Bob Mute');
      await bob.patch('/api/auth/me', { notifyByEmail: true });
      const order = await makeOrder(alice);
      const muted = await bob.post('/api/followers/mute', { model: 'saleOrder', resId: order.id, muted: true });
      expect(muted.status).toBe(200);
      expect(muted.body).toMatchObject({ userId: bob.user!.id, muted: true });
      await alice.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'quiet' });
      expect((await bob.get('/api/notifications?unread=true')).body.unread).toBe(0);
      expect((await outboxFor(order.id)).filter((r) => r.key.endsWith(`user:${bob.user!.id}`))).toHaveLength(0);

      const cand = await alice.get(`/api/messages/mentions?model=saleOrder&resId=${order.id}&q=Bob%20Mu`);
      expect(cand.body.items).toEqual([{ id: bob.user!.id, name: 'Bob Mute', email: bob.user!.email }]);
      await alice.post('/api/messages', {
        model: 'saleOrder',
        resId: order.id,
        type: 'note',
        body: `<p><span data-mention="${bob.user!.id}">@Bob Mute</span> look</p>`,
      });
      const inbox = (await bob.get('/api/notifications?unread=true')).body;
      expect(inbox.items.map((n: { reason: string }) => n.reason)).toEqual(['mention']);

      await bob.post('/api/followers/mute', { model: 'saleOrder', resId: order.id, muted: false });
      await alice.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'loud again' });
      expect((await bob.get('/api/notifications?unread=true')).body.unread).toBe(2);
    });
  });

  describe('attachments', () => {
    it('a file name in UTF-8 is kept as it is: on the attachment, in its download, in the outgoing email', async () => {
      const customer = await makePartner(srv.admin, { name: 'Zoë Müller' });
      const order = await makeOrder(srv.admin, { partnerId: customer.id, lines: [] });
      const name = 'résumé ✓ Ærøskøbing.pdf';
      const file = await upload(srv.admin, order.id, name, '%PDF-1.4 accents');
      expect(file.status).toBe(201);
      expect(file.body.name).toBe(name);
      const download = await srv.admin.download(`/api/attachments/${file.body.id}`);
      expect(download.status).toBe(200);
      expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(download.headers.get('content-disposition') ?? '')?.[1] ?? '')).toBe(name);
      const posted = await srv.admin.post('/api/messages', {
        model: 'saleOrder',
        resId: order.id,
        type: 'comment',
        body: 'Attached',
        attachmentIds: [file.body.id],
      });
      expect(posted.status).toBe(201);
      const [row] = (await outboxFor(order.id)).filter((r) => r.key.startsWith(`message:${posted.body.id}:`));
      await settled(row!.id);
      const [mail] = sentTo(customer.email!).filter((m) => m.files.some((f) => f.filename === name));
      expect(mail, 'sent with the attachment named as uploaded').toBeDefined();
    });

    it('size and type limits give a clear error; files are downloadable only by users who may read the record', async () => {
      const sales = await srv.user('sales');
      const order = await makeOrder(sales);
      const big = await upload(sales, order.id, 'scan.pdf', Buffer.alloc(1024 * 1024 + 10, 1));
      expect(big.status).toBe(413);
      expect(big.body.error).toMatchObject({ code: 'payload_too_large' });
      expect(big.body.error.message).toMatch(/1 MB/);
      for (const name of ['run.exe', 'page.html', 'logo.svg', 'noextension']) {
        const bad = await upload(sales, order.id, name, 'data');
        expect(bad.status, name).toBe(415);
        expect(bad.body.error.code).toBe('unsupported_type');
      }
      const huge = await upload(sales, order.id, 'scan.pdf', Buffer.alloc(3 * 1024 * 1024, 1));
      expect(huge.status).toBe(413);
      expect((await srv.anonymous().upload('/api/attachments', { model: 'saleOrder', resId: order.id }, [{ name: 'a.txt', data: 'x' }])).status).toBe(401);
      expect((await upload(sales, 999_999, 'a.txt', 'x')).status).toBe(404);
      expect((await sales.upload('/api/attachments', { model: 'saleOrder', resId: order.id }, [])).status).toBe(400);

      const file = await upload(sales, order.id, '../../etc/notes.txt', 'hello');
      expect(file.status).toBe(201);
      expect(file.body.name).toBe('notes.txt');
      const other = await srv.user('accounting');
      // Not posted yet: the uploader's alone.
      expect((await other.get(file.body.url)).status).toBe(404);
      expect((await sales.get(file.body.url)).body).toBe('hello');
      // Another user cannot post my upload, nor can I post it on another record.
      const elsewhere = await makeOrder(sales);
      const wrong = await sales.post('/api/messages', { model: 'saleOrder', resId: elsewhere.id, type: 'note', body: 'x', attachmentIds: [file.body.id] });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details[0].field).toBe('attachmentIds');
      const stolen = await other.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'x', attachmentIds: [file.body.id] });
      expect(stolen.status).toBe(400);

      const posted = await sales.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'see file', attachmentIds: [file.body.id] });
      expect(posted.status).toBe(201);
      const dl = await other.get(file.body.url);
      expect(dl.status).toBe(200);
      expect(dl.body).toBe('hello');
      expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.txt"/);
      expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await srv.anonymous().get(file.body.url)).status).toBe(401);
      // A posted file stays with its message.
      expect((await sales.delete(`/api/attachments/${file.body.id}`)).status).toBe(400);
    });

    it('an upload never posted can be removed by its uploader, and is purged after a day anyway', async () => {
      const sales = await srv.user('sales');
      const order = await makeOrder(sales);
      const a = (await upload(sales, order.id, 'a.txt', 'a')).body;
      const b = (await upload(sales, order.id, 'b.txt', 'b')).body;
      expect((await srv.admin.delete(`/api/attachments/${a.id}`)).status).toBe(404);
      expect((await sales.delete(`/api/attachments/${a.id}`)).status).toBe(204);
      expect((await sales.get(a.url)).status).toBe(404);
      expect(await purgeStaleUploads(60_000)).toBe(0);
      await new Promise((r) => setTimeout(r, 20));
      expect(await purgeStaleUploads(10)).toBeGreaterThanOrEqual(1);
      expect((await sales.get(b.url)).status).toBe(404);
    });
  });
});
