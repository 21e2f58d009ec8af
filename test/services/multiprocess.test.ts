import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { rooms } from '../../contracts/events';
import { ApiClient } from '../support/client';
import { makeOrder } from '../factories/data';
import { freshDatabase, type TestDb } from '../support/env';
import { useMailgunStandIn } from '../support/mailgun';
import { portOf, startProcess, type Proc } from '../support/processes';
import { nextEvent, subscribe, type TestSocket } from '../support/server';

// Services mode as deployed: two web processes and one worker, sharing MariaDB and Redis.
describe('two web processes and a worker on MariaDB + Redis', () => {
  const mailgun = useMailgunStandIn();
  let db: TestDb;
  let webA: Proc;
  let webB: Proc;
  let worker: Proc | undefined;
  let a: ApiClient;
  let b: ApiClient;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    db = await freshDatabase('mysql');
    db.env = { ...db.env, ...mailgun.env() };
    // A starts first and migrates; B and the worker find the schema ready (and the lock would make them wait).
    // Eight sockets per user, counted over both processes (the admin's sockets of these tests stay under it).
    webA = await startProcess('server/main.ts', { ...db.env, PORT: '0', SOCKETS_PER_USER: '8' }, /Console: http/);
    webB = await startProcess('server/main.ts', { ...db.env, PORT: '0', SOCKETS_PER_USER: '8' }, /Console: http/);
    a = await new ApiClient(`http://127.0.0.1:${portOf(webA.output())}`).login('admin@example.com', 'admin-password-1');
    b = new ApiClient(`http://127.0.0.1:${portOf(webB.output())}`);
    // The session lives in Redis: the cookie from A is valid on B.
    b.cookie = a.cookie;
    b.csrfToken = a.csrfToken;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all([webA?.stop(), webB?.stop(), worker?.stop()]);
    await db?.drop();
  });

  async function socketOn(client: ApiClient): Promise<TestSocket> {
    const s: TestSocket = ioClient(client.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { cookie: client.cookie! },
      forceNew: true,
      reconnection: false,
    });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return s;
  }

  it('a session made on one process works on the other', async () => {
    const me = await b.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('admin@example.com');
  });

  it('a change made through A reaches a socket connected to B', async () => {
    const order = await makeOrder(a);
    const s = await socketOn(b);
    expect(await subscribe(s, rooms.record('saleOrder', order.id))).toEqual({ ok: true });
    const event = nextEvent(s, 'order.updated', (e) => e.id === order.id);
    const res = await a.post(`/api/sale-orders/${order.id}/confirm`);
    expect(res.status).toBe(200);
    expect(await event).toMatchObject({ id: order.id, version: res.body.version, order: { state: 'sale' } });
  });

  it('presence spans both processes', async () => {
    const order = await makeOrder(a);
    const room = rooms.record('saleOrder', order.id);
    const sa = await socketOn(a);
    await subscribe(sa, room);
    const sb = await socketOn(b);
    // Both sockets belong to the admin: presence lists each user once.
    const seen = nextEvent(sa, 'presence.changed', (e) => e.room === room);
    await subscribe(sb, room);
    expect((await seen).users).toEqual([{ id: a.user!.id, name: 'Administrator' }]);
  });

  it("a user's sockets are counted over both processes: four on each, the ninth is refused on either until one closes", async () => {
    expect((await a.post('/api/users', { email: 'tabs@example.com', name: 'Many Tabs', role: 'sales', password: 'user-password-1' })).status).toBe(201);
    const onA = await new ApiClient(a.baseUrl).login('tabs@example.com', 'user-password-1');
    const onB = new ApiClient(b.baseUrl);
    onB.cookie = onA.cookie;
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await socketOn(onA), await socketOn(onB));
    for (const client of [onA, onB]) await expect(socketOn(client)).rejects.toThrow(/too many connections: at most 8 per user/);
    held[0]!.disconnect();
    // Process A has let it go once its user room is one socket smaller.
    await expect
      .poll(
        async () =>
          await socketOn(onB).then(
            (s) => (s.disconnect(), 'connected'),
            (e: Error) => e.message,
          ),
        { timeout: 5_000 },
      )
      .toBe('connected');
  });

  it('a job enqueued by a web process is run by the separate worker', async () => {
    await makeOrder(a);
    const s = await socketOn(b);
    const queued = await a.post('/api/sale-orders/export', {});
    expect(queued.status).toBe(202);
    // No worker yet: the web processes never run jobs in services mode.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await a.get(`/api/jobs/${queued.body.jobId}`)).body.state).toBe('waiting');

    const done = nextEvent(s, 'job.progress', (e) => e.id === queued.body.jobId && e.state === 'completed', 30_000);
    worker = await startProcess('jobs/worker.ts', db.env, /worker is processing jobs/);
    const event = await done;
    expect(event.result).toMatchObject({ rows: expect.any(Number) });
    const status = await b.get(`/api/jobs/${queued.body.jobId}`);
    expect(status.body).toMatchObject({ state: 'completed', progress: 100 });
    const file = await b.get(`/api/jobs/${queued.body.jobId}/download`);
    expect(file.status).toBe(200);
    expect(String(file.body).split('\n')[0]).toContain('name,date,customer');
  });

  it('an email written through one web process is sent by the worker, with the file uploaded to the other', async () => {
    const order = await makeOrder(a);
    const customer = (await a.get(`/api/partners/${order.partnerId}`)).body;
    const s = await socketOn(b);
    await subscribe(s, rooms.mailBoard);
    const file = await b.upload('/api/attachments', { model: 'saleOrder', resId: order.id }, [{ name: 'terms.txt', data: 'net 30' }]);
    expect(file.status).toBe(201);
    const sent = nextEvent(s, 'mail.updated', (e) => e.status === 'sent', 30_000);
    const posted = await a.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body: 'Our terms', attachmentIds: [file.body.id] });
    expect(posted.status).toBe(201);
    await sent;
    const mail = mailgun.sent.find((m) => String(m.fields.to).includes(customer.email) && String(m.fields.html).includes('Our terms'));
    expect(mail?.fields['h:Reply-To']).toMatch(new RegExp(`^order\\+${order.id}\\.[0-9a-f]{24}@mg\\.example\\.test$`));
    expect(mail?.files.map((f) => [f.filename, f.data.toString()])).toEqual([['terms.txt', 'net 30']]);
  });
});
