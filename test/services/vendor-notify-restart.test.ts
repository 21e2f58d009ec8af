import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PurchaseOrder } from '../../contracts/schemas/purchasing';
import { makePartner, makeProduct } from '../factories/data';
import { ApiClient } from '../support/client';
import { freshDatabase, type TestDb } from '../support/env';
import { eventually } from '../support/eventually';
import { expectStatus } from '../support/expect';
import { useMailgunStandIn } from '../support/mailgun';
import { portOf, startProcess, type Proc } from '../support/processes';
import { useVendorEndpoint } from '../support/vendor-endpoint';

// Services mode as deployed: the vendor's order notification is POSTed by a Bull worker, which is
// killed (SIGKILL) while the vendor's endpoint has the request but has not answered. A new worker sends
// it again, with the same Idempotency-Key and body, freshly signed: the vendor acts on the order once.
describe('a vendor order notification reaches the vendor exactly once across a killed worker', () => {
  const mailgun = useMailgunStandIn();
  const endpoint = useVendorEndpoint();
  let db: TestDb;
  let web: Proc;
  const workers: Proc[] = [];
  let admin: ApiClient;
  const env = () => ({ ...db.env, ...mailgun.env(), JOB_LOCK_MS: '2000', MAIL_RETRY_DELAY_MS: '200' });

  beforeAll(async () => {
    db = await freshDatabase('mysql');
    web = await startProcess('server/main.ts', { ...env(), PORT: '0' }, /Console: http/);
    workers.push(await startProcess('jobs/worker.ts', env(), /worker ready|processing/i));
    admin = await new ApiClient(`http://127.0.0.1:${portOf(web.output())}`).login('admin@example.com', 'admin-password-1');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([web?.stop(), ...workers.map((w) => w.stop())]);
    await db?.drop();
  });

  it('held, worker killed, sent again by the next worker: one order at the vendor', { timeout: 120_000 }, async () => {
    const vendor = await makePartner(admin, {
      name: 'Endpoint Vendor',
      roles: ['vendor'],
      email: 'orders@endpoint-vendor.example',
      orderEndpoint: { url: endpoint.url, secret: endpoint.secret },
    });
    const product = await makeProduct(admin, { routes: ['dropship'], vendors: [{ partnerId: vendor.id, price: 700, minQty: 1, leadDays: 2 }] });
    const customer = await makePartner(admin, {
      name: 'Ana Núñez',
      email: 'ana@example.com',
      street: 'Calle Mayor 1',
      city: 'Madrid',
      zip: '28013',
      countryCode: 'ES',
    });
    const sale = await admin.post('/api/sale-orders', { partnerId: customer.id, lines: [{ productId: product.id, quantity: 2 }] });
    expectStatus(await admin.post(`/api/sale-orders/${sale.body.id}/confirm`, {}), 200);
    const rfq = ((await admin.get(`/api/purchase-orders?partnerId=${vendor.id}`)).body.items as PurchaseOrder[])[0]!;

    endpoint.holdNext = true;
    expectStatus(await admin.post(`/api/purchase-orders/${rfq.id}/confirm`, {}), 200);
    // The worker's request is at the vendor, unanswered: the worker dies.
    await eventually(async () => endpoint.held === 1, 30_000);
    workers[0]!.child.kill('SIGKILL');
    await new Promise((r) => workers[0]!.child.once('exit', r));
    const po = async () => (await admin.get(`/api/purchase-orders/${rfq.id}`)).body as PurchaseOrder;
    expect((await po()).vendorNotifications[0]).toMatchObject({ status: 'queued' });

    workers.push(await startProcess('jobs/worker.ts', env(), /worker ready|processing/i));
    const sent = await eventually(async () => {
      const n = (await po()).vendorNotifications[0];
      return n?.status === 'sent' && n;
    }, 60_000);
    const tries = endpoint.requests.filter((r) => r.key === sent.key);
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(tries.every((r) => r.signatureValid && r.body === tries[0]!.body)).toBe(true);
    expect(endpoint.processed.filter((p) => p.key === sent.key)).toHaveLength(1);
    expect(endpoint.processed).toHaveLength(1);

    // Another restart sends nothing more: a sent notification is never sent again.
    await workers[1]!.stop();
    workers.push(await startProcess('jobs/worker.ts', env(), /worker ready|processing/i));
    await new Promise((r) => setTimeout(r, 3000));
    expect(endpoint.requests.filter((r) => r.key === sent.key)).toHaveLength(tries.length);
  });
});
