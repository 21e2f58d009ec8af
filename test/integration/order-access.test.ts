import { describe, expect, it } from 'vitest';
import { rooms } from '../../contracts/events';
import type { ApiClient } from '../support/client';
import { makeOrder } from '../factories/data';
import { eventually } from '../support/eventually';
import { collect, nextEvent, subscribe, useTestServer } from '../support/server';

// "Own orders only": a user who may not see an order cannot reach it through any door: REST, its
// chatter, its files, its room, the board's events, @mentions, the export.
describe('own orders only (orderAccess: own)', () => {
  const srv = useTestServer();

  async function restricted(name: string): Promise<ApiClient> {
    const c = await srv.user('sales', name);
    const res = await srv.admin.patch(`/api/users/${c.user!.id}`, { orderAccess: 'own' });
    expect(res.status).toBe(200);
    expect(res.body.orderAccess).toBe('own');
    return c;
  }

  it('lists, counts and opens only their own orders; another order is 403 for every action', async () => {
    const ann = await restricted('Ann Own');
    const mine = await makeOrder(ann);
    const theirs = await makeOrder(srv.admin);
    const list = (await ann.get('/api/sale-orders?limit=200')).body;
    expect(list.items.map((o: { id: number }) => o.id)).toEqual([mine.id]);
    expect(list.total).toBe(1);
    const counts = (await ann.get('/api/sale-orders/counts')).body;
    expect(Object.values(counts).reduce((a: number, b) => a + (b as number), 0)).toBe(1);
    expect((await ann.get(`/api/sale-orders/${mine.id}`)).status).toBe(200);

    const get = await ann.get(`/api/sale-orders/${theirs.id}`);
    expect(get.status).toBe(403);
    expect(get.body.error.message).toMatch(/your own orders/);
    expect((await ann.patch(`/api/sale-orders/${theirs.id}`, { version: theirs.version, note: 'x' })).status).toBe(403);
    expect((await ann.post(`/api/sale-orders/${theirs.id}/confirm`)).status).toBe(403);
    expect((await srv.admin.get(`/api/sale-orders/${theirs.id}`)).body).toMatchObject({ state: 'draft', note: null, version: theirs.version });

    // The export holds what the list holds.
    const job = await ann.post('/api/sale-orders/export', {});
    const done = await eventually(async () => {
      const j = (await ann.get(`/api/jobs/${encodeURIComponent(job.body.jobId)}`)).body;
      return j.state === 'completed' && j;
    });
    expect(done.result.rows).toBe(1);
  });

  it("cannot read another order's messages, followers or attachments, post there, or join its room", async () => {
    const ann = await restricted('Ann Chatter');
    const bob = await srv.user('sales', 'Bob All');
    const order = await makeOrder(bob);
    const file = await bob.upload('/api/attachments', { model: 'saleOrder', resId: order.id }, [{ name: 'quote.pdf', data: '%PDF' }]);
    await bob.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'secret margin', attachmentIds: [file.body.id] });

    const q = `model=saleOrder&resId=${order.id}`;
    for (const res of [
      await ann.get(`/api/messages?${q}`),
      await ann.get(`/api/followers?${q}`),
      await ann.get(`/api/messages/mentions?${q}`),
      await ann.get(file.body.url),
      await ann.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'hi' }),
      await ann.post('/api/followers', { model: 'saleOrder', resId: order.id, userId: ann.user!.id }),
      await ann.post('/api/followers/mute', { model: 'saleOrder', resId: order.id, muted: true }),
      await ann.upload('/api/attachments', { model: 'saleOrder', resId: order.id }, [{ name: 'x.txt', data: 'x' }]),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const s = await srv.socket(ann);
    expect(await subscribe(s, rooms.record('saleOrder', order.id))).toMatchObject({ error: { code: 'forbidden' } });
    // The same checks let an unrestricted colleague in.
    const carol = await srv.user('accounting');
    expect((await carol.get(`/api/messages?${q}`)).body.total).toBeGreaterThan(0);
    expect((await carol.get(file.body.url)).status).toBe(200);
    expect(await subscribe(await srv.socket(carol), rooms.record('saleOrder', order.id))).toEqual({ ok: true });
  });

  it('is not offered for @mentions there, and an @mention does not notify them', async () => {
    const ann = await restricted('Ann Mention');
    const bob = await srv.user('sales', 'Bob Mentioner');
    const order = await makeOrder(bob);
    const cand = (await bob.get(`/api/messages/mentions?model=saleOrder&resId=${order.id}&q=Ann%20Mention`)).body.items;
    expect(cand).toEqual([]);
    await bob.post('/api/messages', {
      model: 'saleOrder',
      resId: order.id,
      type: 'note',
      body: `<span data-mention="${ann.user!.id}">@Ann Mention</span> fyi`,
    });
    expect((await ann.get('/api/notifications')).body.total).toBe(0);
    expect(
      (await srv.admin.get(`/api/followers?model=saleOrder&resId=${order.id}`)).body.items.some((f: { userId: number }) => f.userId === ann.user!.id),
    ).toBe(false);
  });

  it('the live board carries their own orders only', async () => {
    const ann = await restricted('Ann Board');
    const s = await srv.socket(ann);
    expect(await subscribe(s, rooms.ordersBoard)).toEqual({ ok: true });
    const seen = collect(s, 'order.created');
    const others = await makeOrder(srv.admin);
    const mineEvent = nextEvent(s, 'order.created');
    const mine = await makeOrder(ann);
    expect((await mineEvent).id).toBe(mine.id);
    const updated = collect(s, 'order.updated');
    await srv.admin.post(`/api/sale-orders/${others.id}/confirm`);
    const ownUpdate = nextEvent(s, 'order.updated');
    await ann.post(`/api/sale-orders/${mine.id}/confirm`);
    expect((await ownUpdate).id).toBe(mine.id);
    expect(seen.map((e) => e.id)).toEqual([mine.id]);
    expect(updated.map((e) => e.id)).toEqual([mine.id]);
  });

  it('narrowing a user to own orders drops their sockets so they rejoin under the new rule', async () => {
    const dan = await srv.user('sales', 'Dan Narrowed');
    const s = await srv.socket(dan);
    await subscribe(s, rooms.ordersBoard);
    const gone = new Promise<void>((resolve) => s.once('disconnect', () => resolve()));
    expect((await srv.admin.patch(`/api/users/${dan.user!.id}`, { orderAccess: 'own' })).status).toBe(200);
    await gone;
  });
});
