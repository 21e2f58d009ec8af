import { describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { rooms } from '../../contracts/events';
import { withTransaction } from '../../server/db/transaction';
import { publish } from '../../server/realtime/publisher';
import { makeOrder, makePartner, makeProduct } from '../factories/data';
import { collect, nextEvent, subscribe, useTestServer } from '../support/server';

describe('Socket.IO realtime', () => {
  const srv = useTestServer();

  it('a second user sees another user edit and confirm an order, with the new version', async () => {
    const alice = await srv.user('sales', 'Alice');
    const bob = await srv.user('warehouse', 'Bob');
    const order = await makeOrder(alice);
    const bobSocket = await srv.socket(bob);
    expect(await subscribe(bobSocket, rooms.ordersBoard)).toEqual({ ok: true });
    expect(await subscribe(bobSocket, rooms.record('saleOrder', order.id))).toEqual({ ok: true });

    const edited = nextEvent(bobSocket, 'order.updated', (e) => e.id === order.id && e.version === order.version + 1);
    const patch = await alice.patch(`/api/sale-orders/${order.id}`, { version: order.version, note: 'Gift wrap please' });
    expect(patch.status).toBe(200);
    const e1 = await edited;
    expect(e1.version).toBe(patch.body.version);
    expect(e1.by).toEqual({ id: alice.user!.id, name: 'Alice' });

    const confirmed = nextEvent(bobSocket, 'order.updated', (e) => e.id === order.id && e.order.state === 'sale');
    const res = await alice.post(`/api/sale-orders/${order.id}/confirm`);
    expect(res.status).toBe(200);
    const e2 = await confirmed;
    expect(e2.version).toBe(res.body.version);
    expect(e2.before).toEqual({ state: 'draft', version: patch.body.version });
    expect(e2.order).toMatchObject({ id: order.id, name: order.name, state: 'sale', amountTotal: res.body.amountTotal });
  });

  it('announces new orders on the board', async () => {
    const viewer = await srv.user('accounting');
    const s = await srv.socket(viewer);
    await subscribe(s, rooms.ordersBoard);
    const created = nextEvent(s, 'order.created');
    const order = await makeOrder(srv.admin);
    const e = await created;
    expect(e).toMatchObject({ id: order.id, version: order.version, order: { name: order.name, state: 'draft' } });
  });

  it('refuses a socket without a session', async () => {
    await expect(srv.socket(null)).rejects.toThrow(/unauthorized/);
    await expect(srv.socket(null, { token: 'cc_not-a-real-token' })).rejects.toThrow(/unauthorized/);
    const forged = srv.anonymous();
    forged.cookie = 'cc_session=forged';
    await expect(srv.socket(forged)).rejects.toThrow(/unauthorized/);
  });

  it('accepts an API token in the handshake', async () => {
    const token = await srv.admin.post('/api/auth/tokens', { name: 'socket test' });
    expect(token.status).toBe(201);
    const s = await srv.socket(null, { token: token.body.token });
    expect(await subscribe(s, rooms.ordersBoard)).toEqual({ ok: true });
  });

  it('refuses rooms the user may not read', async () => {
    const sales = await srv.user('sales');
    const s = await srv.socket(sales);
    const other = await subscribe(s, rooms.user(srv.admin.user!.id));
    expect(other).toMatchObject({ error: { code: 'forbidden' } });
    expect(await subscribe(s, rooms.record('saleOrder', 999_999))).toMatchObject({ error: { code: 'not_found' } });
    expect(await subscribe(s, 'board:secret')).toMatchObject({ error: { code: 'not_found' } });
    expect(await subscribe(s, rooms.user(sales.user!.id))).toEqual({ ok: true });
    // A room it was refused sends it nothing.
    const seen = collect(s, 'order.updated');
    const order = await makeOrder(srv.admin);
    const res = await srv.admin.post(`/api/sale-orders/${order.id}/send`);
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
  });

  it('publishes nothing for a rolled-back change', async () => {
    const s = await srv.socket(srv.admin);
    await subscribe(s, rooms.ordersBoard);
    const seen = collect(s, 'order.updated');
    const order = await makeOrder(srv.admin);

    // Through the API: the second line names an unknown product, after the first was written.
    const product = await makeProduct(srv.admin);
    const bad = await srv.admin.patch(`/api/sale-orders/${order.id}`, {
      version: order.version,
      note: 'should not stick',
      lines: [
        { productId: product.id, quantity: 5 },
        { productId: 999_999, quantity: 1 },
      ],
    });
    expect(bad.status).toBe(400);

    // Directly: an event queued inside a transaction that then throws.
    await expect(
      withTransaction(async (t) => {
        publish(t, rooms.ordersBoard, 'order.updated', {
          id: order.id,
          version: 999,
          order: { ...order, version: 999, partnerName: 'x' },
          before: { state: 'draft', version: order.version },
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    // A committed change after both arrives, and is the only event.
    const ok = nextEvent(s, 'order.updated', (e) => e.id === order.id);
    expect((await srv.admin.post(`/api/sale-orders/${order.id}/send`)).status).toBe(200);
    await ok;
    expect(seen.map((e) => e.version)).toEqual([order.version + 1]);
    const current = await srv.admin.get(`/api/sale-orders/${order.id}`);
    expect(current.body.note).toBeNull();
    expect(current.body.lines).toHaveLength(1);
  });

  it('shows who else is viewing an order', async () => {
    const alice = await srv.user('sales', 'Alice P');
    const bob = await srv.user('sales', 'Bob P');
    const order = await makeOrder(alice);
    const room = rooms.record('saleOrder', order.id);
    const a = await srv.socket(alice);
    await subscribe(a, room);
    const b = await srv.socket(bob);
    const both = nextEvent(a, 'presence.changed', (e) => e.room === room && e.users.length === 2);
    await subscribe(b, room);
    expect((await both).users.map((u) => u.name).sort()).toEqual(['Alice P', 'Bob P']);
    const left = nextEvent(a, 'presence.changed', (e) => e.room === room && e.users.length === 1);
    b.disconnect();
    expect((await left).users).toEqual([{ id: alice.user!.id, name: 'Alice P' }]);
  });

  it('disconnects the sockets of a deactivated user', async () => {
    const carol = await srv.user('sales', 'Carol');
    const s = await srv.socket(carol);
    const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
    const u = await srv.admin.get(`/api/users/${carol.user!.id}`);
    const res = await srv.admin.patch(`/api/users/${carol.user!.id}`, { active: false, version: u.body.version });
    expect(res.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    // And the session no longer opens a socket.
    await expect(srv.socket(carol)).rejects.toThrow(/unauthorized/);
  });

  it('reports job progress to the owner only', async () => {
    const owner = await srv.user('sales');
    const other = await srv.user('sales');
    const partner = await makePartner(owner);
    for (let i = 0; i < 3; i++) await makeOrder(owner, { partnerId: partner.id, lines: [] });
    const s = await srv.socket(owner);
    const o = await srv.socket(other);
    const otherSaw = collect(o, 'job.progress');
    const res = await owner.post('/api/sale-orders/export', { partnerId: partner.id });
    expect(res.status).toBe(202);
    const done = await nextEvent(s, 'job.progress', (e) => e.id === res.body.jobId && e.state === 'completed', 15_000);
    expect(done.result).toMatchObject({ rows: 3 });
    expect(otherSaw).toEqual([]);
  });

  it('a plain client connects over WebSocket only (no sticky sessions needed)', async () => {
    const c = ioClient(srv.url, { transports: ['websocket'], extraHeaders: { cookie: srv.admin.cookie! }, forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    });
    expect(c.io.engine.transport.name).toBe('websocket');
    c.disconnect();
  });
});
