import { describe, expect, it } from 'vitest';
import { rooms } from '../../contracts/events';
import { expectStatus } from '../support/expect';
import { subscribe, useTestServer, type TestSocket } from '../support/server';

// Socket permissions follow the account (issue 13, finding 4): signing out, revoking a token, changing a
// password or a role ends the sockets opened under the old rights, on every web process; a socket that
// reconnects is authorised again, room by room.
const closed = (s: TestSocket) =>
  new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket was not disconnected')), 5000);
    s.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });

describe('sockets follow the account', () => {
  const srv = useTestServer();

  it("signing out ends that session's sockets, not the user's others", async () => {
    const { email } = await srv.admin
      .post('/api/users', { email: `out-${Date.now()}@example.com`, name: 'Out', role: 'sales', password: 'Quartz-lantern-92' })
      .then((r) => r.body);
    const first = await srv.anonymous().login(email, 'Quartz-lantern-92');
    const second = await srv.anonymous().login(email, 'Quartz-lantern-92');
    const a = await srv.socket(first);
    const b = await srv.socket(second);
    const gone = closed(a);
    expectStatus(await first.post('/api/auth/logout'), 204);
    expect(await gone).toBe('io server disconnect');
    expect(b.connected).toBe(true);
  });

  it("revoking an API token ends the token's sockets", async () => {
    const token = (await srv.admin.post('/api/auth/tokens', { name: 'socket' })).body as { id: number; token: string };
    const s = await srv.socket(null, { token: token.token });
    const gone = closed(s);
    expectStatus(await srv.admin.delete(`/api/auth/tokens/${token.id}`), 204);
    expect(await gone).toBe('io server disconnect');
  });

  it("a password change ends the user's sockets and revokes their API tokens", async () => {
    const u = (await srv.admin.post('/api/users', { email: `pw-${Date.now()}@example.com`, name: 'Pw', role: 'sales', password: 'Quartz-lantern-92' })).body;
    const c = await srv.anonymous().login(u.email, 'Quartz-lantern-92');
    const token = (await c.post('/api/auth/tokens', { name: 'integration' })).body.token as string;
    const s = await srv.socket(c);
    const t = await srv.socket(null, { token });
    const gone = Promise.all([closed(s), closed(t)]);
    expectStatus(await srv.admin.patch(`/api/users/${u.id}`, { version: u.version, password: 'Velvet-orbit-carton-7' }), 200);
    await gone;
    expect((await srv.anonymous().withToken(token).get('/api/auth/me')).status).toBe(401);
  });

  it('a user moved from accounting to warehouse stops hearing board:invoices: the socket is ended, and a new one may not join it', async () => {
    const u = (await srv.admin.post('/api/users', { email: `acc-${Date.now()}@example.com`, name: 'Acc', role: 'accounting', password: 'Quartz-lantern-92' }))
      .body;
    const c = await srv.anonymous().login(u.email, 'Quartz-lantern-92');
    const s = await srv.socket(c);
    expect(await subscribe(s, rooms.invoicesBoard)).toEqual({ ok: true });
    const gone = closed(s);
    expectStatus(await srv.admin.patch(`/api/users/${u.id}`, { version: u.version, role: 'warehouse' }), 200);
    await gone;
    // The session itself still stands (a role change is no sign-out): its new socket is authorised again.
    const again = await srv.socket(c);
    expect(await subscribe(again, rooms.invoicesBoard)).toMatchObject({ error: { code: 'forbidden' } });
  });
});
