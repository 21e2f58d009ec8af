import { describe, expect, it } from 'vitest';
import { rooms } from '../../contracts/events';
import { MAX_ROOMS_PER_SOCKET } from '../../server/realtime/socket';
import { makeOrder } from '../factories/data';
import { subscribe, useTestServer } from '../support/server';

// Limits (issue 13, finding 17): a socket holds a bounded number of rooms, a user a bounded number of sockets.
describe('socket limits', () => {
  const srv = useTestServer();

  it(`a socket subscribes to at most ${MAX_ROOMS_PER_SOCKET} rooms; leaving one makes room for another`, { timeout: 120_000 }, async () => {
    const orders: { id: number }[] = [];
    for (let i = 0; i <= MAX_ROOMS_PER_SOCKET; i++) orders.push(await makeOrder(srv.admin, { lines: [] }));
    const s = await srv.socket(srv.admin);
    // Its own rooms (its id, its user, its session) do not count against the limit.
    const results = [];
    for (const o of orders) results.push(await subscribe(s, rooms.record('saleOrder', o.id)));
    expect(results.filter((r) => 'ok' in r)).toHaveLength(MAX_ROOMS_PER_SOCKET);
    expect(results.at(-1)).toMatchObject({ error: { code: 'limit' } });
    // Joining a room it is in already is fine; leaving one makes room.
    expect(await subscribe(s, rooms.record('saleOrder', orders[0]!.id))).toEqual({ ok: true });
    await new Promise<void>((resolve) => s.emit('unsubscribe', { room: rooms.record('saleOrder', orders[0]!.id) }, () => resolve()));
    expect(await subscribe(s, rooms.record('saleOrder', orders.at(-1)!.id))).toEqual({ ok: true });
  });

  it('a user holds at most SOCKETS_PER_USER (30) sockets', { timeout: 60_000 }, async () => {
    const sales = await srv.user('sales');
    for (let i = 0; i < 30; i++) await srv.socket(sales);
    await expect(srv.socket(sales)).rejects.toThrow(/too many connections/);
    // Another user is not affected.
    await expect(srv.socket(await srv.user('sales'))).resolves.toBeDefined();
  });
});
