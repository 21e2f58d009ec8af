import { describe, expect, it } from 'vitest';
import { rooms } from '../../contracts/events';
import { makeOrder, makePartner, makeProduct } from '../factories/data';
import { nextEvent, subscribe, useTestServer } from '../support/server';

describe('chatter: /api/messages and /api/followers', () => {
  const srv = useTestServer();
  const messagesOf = async (id: number) => (await srv.admin.get(`/api/messages?model=saleOrder&resId=${id}`)).body;

  describe('POST /api/messages', () => {
    it('posts a comment and a note, newest first, with the author', async () => {
      const sales = await srv.user('sales', 'Sam Seller');
      const order = await makeOrder(sales);
      const c = await sales.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body: '<p>Your parcel leaves <b>today</b>.</p>' });
      expect(c.status).toBe(201);
      expect(c.body).toMatchObject({
        model: 'saleOrder',
        resId: order.id,
        type: 'comment',
        body: '<p>Your parcel leaves <b>today</b>.</p>',
        authorId: sales.user!.id,
        authorName: 'Sam Seller',
        tracking: [],
      });
      const n = await sales.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'Customer sounded upset' });
      expect(n.status).toBe(201);
      const list = await messagesOf(order.id);
      expect(list.total).toBe(2);
      expect(list.items.map((m: { type: string }) => m.type)).toEqual(['note', 'comment']);
    });

    it('strips scripts, event handlers and javascript: links before storing', async () => {
      const order = await makeOrder(srv.admin);
      const res = await srv.admin.post('/api/messages', {
        model: 'saleOrder',
        resId: order.id,
        type: 'note',
        body: '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a></p><script>alert(1)</script><img src=x onerror=alert(1)>',
      });
      expect(res.status).toBe(201);
      expect(res.body.body).not.toMatch(/script|onclick|onerror|javascript:|<img/i);
      expect(res.body.body).toContain('Hi');
      const only = await srv.admin.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: '<script>alert(1)</script>' });
      expect(only.status).toBe(400);
      expect(only.body.error.details[0].field).toBe('body');
    });

    it('400 for a bad type or model, 404 for a missing record; nothing is written', async () => {
      const order = await makeOrder(srv.admin);
      const bad = await srv.admin.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'tracking', body: 'forged' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('type');
      const model = await srv.admin.post('/api/messages', { model: 'spaceship', resId: order.id, type: 'note', body: 'x' });
      expect(model.status).toBe(400);
      expect(model.body.error.details[0].field).toBe('model');
      const missing = await srv.admin.post('/api/messages', { model: 'saleOrder', resId: 999_999, type: 'note', body: 'x' });
      expect(missing.status).toBe(404);
      expect((await messagesOf(order.id)).total).toBe(0);
    });

    it('a message to the followers (emailed, the customer included) needs mail.send: the warehouse may only log notes', async () => {
      const order = await makeOrder(srv.admin);
      const wh = await srv.user('warehouse');
      const refused = await wh.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body: 'Your parcel is lost, call 0900-SCAM' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      expect((await messagesOf(order.id)).total).toBe(0);
      const outbox = (await srv.admin.get('/api/mail/outbox?limit=200')).body.items as { resId: number }[];
      expect(outbox.filter((m) => m.resId === order.id)).toEqual([]);
      expect((await wh.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'Packed' })).status).toBe(201);
      expect((await (await srv.user('sales')).post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body: 'Shipped' })).status).toBe(
        201,
      );
    });

    it('publishes message.posted to the record room', async () => {
      const order = await makeOrder(srv.admin);
      const viewer = await srv.user('warehouse');
      const s = await srv.socket(viewer);
      await subscribe(s, rooms.record('saleOrder', order.id));
      const event = nextEvent(s, 'message.posted', (e) => e.resId === order.id);
      const res = await srv.admin.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'Picked by hand' });
      expect(await event).toEqual({ id: res.body.id, model: 'saleOrder', resId: order.id, type: 'note' });
    });
  });

  describe('mail without Mailgun (outbox only)', () => {
    it('a comment to the customer waits in the outbox as queued; a note writes no mail for them', async () => {
      const order = await makeOrder(srv.admin);
      const setup = await srv.admin.get('/api/mail/setup');
      expect(setup.body).toMatchObject({ transport: 'none', inbound: false, domain: 'localhost' });
      const c = await srv.admin.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body: 'Shipped today' });
      await srv.admin.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'Internal' });
      const rows = (await srv.admin.get('/api/mail/outbox?limit=200')).body.items.filter((r: { resId: number }) => r.resId === order.id);
      expect(rows.map((r: { key: string }) => r.key)).toEqual([`message:${c.body.id}:partner:${order.partnerId}`]);
      expect(rows[0]).toMatchObject({ status: 'queued', attempts: 0 });
      // The reply address is signed (issue 13, finding 10): the order's number alone does not make it.
      expect(rows[0].replyTo).toMatch(new RegExp(`^order\\+${order.id}\\.[0-9a-f]{24}@localhost$`));
      await new Promise((r) => setTimeout(r, 300));
      expect((await srv.admin.get(`/api/mail/outbox/${rows[0].id}`)).body.status).toBe('queued');
      expect((await srv.admin.post('/api/webhooks/mailgun/inbound', { recipient: `order+${order.id}@localhost` })).status).toBe(503);
    });
  });

  describe('tracking', () => {
    it('a status change logs exactly one tracking note, old → new', async () => {
      const order = await makeOrder(srv.admin);
      expect((await srv.admin.post(`/api/sale-orders/${order.id}/confirm`)).status).toBe(200);
      const list = await messagesOf(order.id);
      // The tracking note, and the order confirmation emailed to the customer.
      expect(list.items.map((m: { type: string }) => m.type).sort()).toEqual(['comment', 'tracking']);
      const tracking = list.items.filter((m: { type: string }) => m.type === 'tracking');
      expect(tracking[0]).toMatchObject({
        type: 'tracking',
        authorId: srv.admin.user!.id,
        tracking: [{ field: 'state', oldValue: 'draft', newValue: 'sale' }],
      });
    });

    it('an address correction logs exactly one tracking note with the old and new address', async () => {
      const order = await makeOrder(srv.admin, { shippingAddress: { name: 'Ana', street: '1 Rue A', city: 'Lyon', zip: '69001', countryCode: 'FR' } });
      const res = await srv.admin.patch(`/api/sale-orders/${order.id}`, {
        version: order.version,
        shippingAddress: { name: 'Ana', street: '9 Rue B', city: 'Lyon', zip: '69002', countryCode: 'FR' },
      });
      expect(res.status).toBe(200);
      const list = await messagesOf(order.id);
      expect(list.items).toHaveLength(1);
      expect(list.items[0].tracking).toEqual([
        { field: 'shippingAddress', oldValue: 'Ana, 1 Rue A, 69001 Lyon, FR', newValue: 'Ana, 9 Rue B, 69002 Lyon, FR' },
      ]);
    });

    it('line changes log the line, its quantity and the new total', async () => {
      const product = await makeProduct(srv.admin, { listPrice: 1000, name: 'Mug', sku: `MUG-${Date.now()}` });
      const order = await makeOrder(srv.admin, { lines: [{ productId: product.id, quantity: 1 }], partnerId: (await makePartner(srv.admin)).id });
      const line = order.lines[0]!;
      const res = await srv.admin.patch(`/api/sale-orders/${order.id}`, {
        version: order.version,
        lines: [{ id: line.id, productId: product.id, quantity: 3 }],
      });
      expect(res.status).toBe(200);
      const [entry] = (await messagesOf(order.id)).items;
      expect(entry.tracking).toEqual([
        { field: `quantity: ${line.description}`, oldValue: 1, newValue: 3 },
        { field: 'amountTotal', oldValue: 1000, newValue: 3000 },
      ]);
    });

    it('a rolled-back change logs nothing; an edit of untracked fields logs nothing', async () => {
      const order = await makeOrder(srv.admin);
      const bad = await srv.admin.patch(`/api/sale-orders/${order.id}`, {
        version: order.version,
        shippingAddress: { city: 'Nice' },
        lines: [{ productId: 999_999, quantity: 1 }],
      });
      expect(bad.status).toBe(400);
      const conflict = await srv.admin.patch(`/api/sale-orders/${order.id}`, { version: order.version + 5, shippingAddress: { city: 'Nice' } });
      expect(conflict.status).toBe(409);
      const note = await srv.admin.patch(`/api/sale-orders/${order.id}`, { version: order.version, note: 'internal remark' });
      expect(note.status).toBe(200);
      expect((await messagesOf(order.id)).total).toBe(0);
    });
  });

  describe('/api/followers', () => {
    it('the creator and the customer follow a new order; a poster follows from then on', async () => {
      const sales = await srv.user('sales', 'Creator');
      const partner = await makePartner(sales, { name: 'Follower Customer' });
      const order = await makeOrder(sales, { partnerId: partner.id, lines: [] });
      const list = async () => (await srv.admin.get(`/api/followers?model=saleOrder&resId=${order.id}`)).body;
      expect((await list()).items.map((f: { userId: number | null; partnerId: number | null; name: string }) => [f.userId, f.partnerId, f.name])).toEqual([
        [sales.user!.id, null, 'Creator'],
        [null, partner.id, 'Follower Customer'],
      ]);
      const other = await srv.user('accounting', 'Poster');
      await other.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'Payment pending' });
      await other.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'Still pending' });
      const after = await list();
      expect(after.total).toBe(3);
      expect(after.items[2]).toMatchObject({ userId: other.user!.id, name: 'Poster' });
    });

    it('concurrent follows of the same record by the same user leave one follower row', async () => {
      const order = await makeOrder(srv.admin);
      const bob = await srv.user('sales', 'Bob Twice');
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          i % 2
            ? bob.post('/api/followers', { model: 'saleOrder', resId: order.id, userId: bob.user!.id })
            : bob.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: `note ${i}` }),
        ),
      );
      expect(results.map((r) => [r.status, r.body.error?.message])).toEqual(results.map(() => [201, undefined]));
      const mine = (await srv.admin.get(`/api/followers?model=saleOrder&resId=${order.id}`)).body.items.filter(
        (f: { userId: number }) => f.userId === bob.user!.id,
      );
      expect(mine).toHaveLength(1);
    });

    it('changing the customer moves the customer follower: the former customer gets no more messages', async () => {
      const order = await makeOrder(srv.admin);
      const other = await makePartner(srv.admin);
      const res = await srv.admin.patch(`/api/sale-orders/${order.id}`, { version: order.version, partnerId: other.id });
      expect(res.status).toBe(200);
      const partners = (await srv.admin.get(`/api/followers?model=saleOrder&resId=${order.id}`)).body.items
        .filter((f: { partnerId: number | null }) => f.partnerId !== null)
        .map((f: { partnerId: number }) => f.partnerId);
      expect(partners).toEqual([other.id]);
    });

    it('follow and unfollow; adding someone else needs write access', async () => {
      const order = await makeOrder(srv.admin);
      const wh = await srv.user('warehouse');
      const mine = await wh.post('/api/followers', { model: 'saleOrder', resId: order.id, userId: wh.user!.id });
      expect(mine.status).toBe(201);
      const again = await wh.post('/api/followers', { model: 'saleOrder', resId: order.id, userId: wh.user!.id });
      expect(again.body.id).toBe(mine.body.id);
      const forOther = await wh.post('/api/followers', { model: 'saleOrder', resId: order.id, userId: srv.admin.user!.id });
      expect(forOther.status).toBe(403);
      const both = await srv.admin.post('/api/followers', { model: 'saleOrder', resId: order.id, userId: 1, partnerId: 1 });
      expect(both.status).toBe(400);
      expect((await srv.admin.post('/api/followers', { model: 'saleOrder', resId: 999_999, userId: 1 })).status).toBe(404);
      expect((await wh.delete(`/api/followers/${mine.body.id}`)).status).toBe(204);
      expect((await wh.delete(`/api/followers/${mine.body.id}`)).status).toBe(404);
    });
  });

  describe('/api/notifications', () => {
    it('followers other than the author get one notification each, live on their room', async () => {
      const alice = await srv.user('sales', 'Alice N');
      const bob = await srv.user('accounting', 'Bob N');
      const order = await makeOrder(alice);
      const s = await srv.socket(alice);
      const live = nextEvent(s, 'notification.created');
      const posted = await bob.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'Invoice is overdue' });
      expect(posted.status).toBe(201);
      const inbox = (await alice.get('/api/notifications')).body;
      expect(inbox).toMatchObject({ total: 1, unread: 1 });
      expect(inbox.items[0]).toMatchObject({
        reason: 'follower',
        isRead: false,
        message: { id: posted.body.id, authorName: 'Bob N', body: 'Invoice is overdue' },
      });
      expect(await live).toEqual({ id: inbox.items[0].id });
      // The author is not notified of their own message.
      expect((await bob.get('/api/notifications')).body.total).toBe(0);
    });

    it('an @mention notifies a user who does not follow, who follows from then on', async () => {
      const alice = await srv.user('sales', 'Alice M');
      const carol = await srv.user('warehouse', 'Carol M');
      const order = await makeOrder(alice);
      const res = await alice.post('/api/messages', {
        model: 'saleOrder',
        resId: order.id,
        type: 'note',
        body: `<p>Can you check stock, <span data-mention="${carol.user!.id}">@Carol M</span>?</p>`,
      });
      expect(res.status).toBe(201);
      expect(res.body.body).toContain(`data-mention="${carol.user!.id}"`);
      const inbox = (await carol.get('/api/notifications?unread=true')).body;
      expect(inbox.items.map((n: { reason: string }) => n.reason)).toEqual(['mention']);
      const followers = (await srv.admin.get(`/api/followers?model=saleOrder&resId=${order.id}`)).body.items;
      expect(followers.some((f: { userId: number }) => f.userId === carol.user!.id)).toBe(true);
    });

    it('marks one or all read; another user cannot touch mine', async () => {
      const alice = await srv.user('sales', 'Alice R');
      const bob = await srv.user('sales', 'Bob R');
      const order = await makeOrder(alice);
      for (const body of ['one', 'two']) await bob.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body });
      const inbox = (await alice.get('/api/notifications')).body;
      expect(inbox.unread).toBe(2);
      expect((await bob.post(`/api/notifications/${inbox.items[0].id}/read`)).status).toBe(404);
      expect((await alice.post(`/api/notifications/${inbox.items[0].id}/read`)).status).toBe(204);
      expect((await alice.get('/api/notifications')).body.unread).toBe(1);
      expect((await alice.post('/api/notifications/read-all')).status).toBe(204);
      expect((await alice.get('/api/notifications?unread=true')).body).toMatchObject({ total: 0, unread: 0 });
      expect((await alice.get('/api/notifications')).body.total).toBe(2);
    });
  });
});
