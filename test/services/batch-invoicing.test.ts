import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResult, InvoiceSummary } from '../../contracts/schemas/invoices';
import { ApiClient } from '../support/client';
import { makePartner, makeProduct } from '../factories/data';
import { freshDatabase, type TestDb } from '../support/env';
import { eventually } from '../support/eventually';
import { useMailgunStandIn } from '../support/mailgun';
import { portOf, startProcess, type Proc } from '../support/processes';

// BATCH_ORDERS for a bigger batch (CI: 200).
const ORDERS = Number(process.env.BATCH_ORDERS ?? 200);

async function inParallel<T>(count: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < count; i = next++) out[i] = await fn(i);
    }),
  );
  return out;
}

// A batch of orders (200) invoiced, posted and emailed by a Bull worker on the real Redis; the worker
// is killed (SIGKILL) halfway and a new one started: exactly one invoice and one email per order in the end.
describe('batch invoicing survives a killed worker', () => {
  const mailgun = useMailgunStandIn();
  let db: TestDb;
  let web: Proc;
  const workers: Proc[] = [];
  let admin: ApiClient;
  // A dead worker's job is taken over once its lock expires (JOB_LOCK_MS).
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

  it(`${ORDERS} orders: invoiced, posted and sent once each across a worker crash`, { timeout: 300_000 }, async () => {
    const customer = await makePartner(admin, { name: 'Batch Customer', email: 'batch@example.com' });
    const product = await makeProduct(admin, { type: 'service', invoicePolicy: 'order', listPrice: 1234 });
    const ids = await inParallel(ORDERS, 10, async () => {
      const o = await admin.post('/api/sale-orders', { partnerId: customer.id, lines: [{ productId: product.id, quantity: 1 }] });
      const c = await admin.post(`/api/sale-orders/${o.body.id}/confirm`);
      if (c.status !== 200) throw new Error(`confirm: ${c.status} ${JSON.stringify(c.body)}`);
      return o.body.id as number;
    });
    const invoiceMails = () => mailgun.sent.filter((m) => /: invoice INV\//.test(String(m.fields.subject)));

    const started = await admin.post('/api/invoices/batch', { saleOrderIds: ids, group: 'order', post: true, send: true });
    expect(started.status).toBe(202);
    const jobId = started.body.jobId as string;
    await eventually(async () => (await admin.get(`/api/jobs/${jobId}`)).body.progress >= 40, 120_000);
    workers[0]!.child.kill('SIGKILL');
    await new Promise((r) => workers[0]!.child.once('exit', r));
    const atCrash = invoiceMails().length;
    expect(atCrash).toBeLessThan(ORDERS);
    workers.push(await startProcess('jobs/worker.ts', env(), /worker ready|processing/i));

    const job = await eventually(async () => {
      const j = (await admin.get(`/api/jobs/${jobId}`)).body;
      if (j.state === 'failed') throw new Error(`job failed: ${j.failedReason}`);
      return j.state === 'completed' && j;
    }, 240_000);
    const result = job.result as BatchResult;
    expect(result.results).toHaveLength(ORDERS);
    expect(result.results.every((r) => r.status === 'invoiced')).toBe(true);
    expect(new Set(result.invoiceIds).size).toBe(ORDERS);

    const invoices = (await admin.get(`/api/invoices?moveType=out_invoice&limit=${Math.min(ORDERS, 500)}`)).body as { items: InvoiceSummary[]; total: number };
    expect(invoices.total).toBe(ORDERS);
    expect(invoices.items.every((i) => i.state === 'posted' && i.sentAt && i.amountTotal === 1234)).toBe(true);
    const numbers = invoices.items.map((i) => Number(i.name!.split('/')[2])).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    // Every email leaves once: the stand-in received exactly one per invoice.
    await eventually(async () => invoiceMails().length >= ORDERS, 120_000);
    await new Promise((r) => setTimeout(r, 1500));
    const mails = invoiceMails();
    expect(mails).toHaveLength(ORDERS);
    expect(new Set(mails.map((m) => String(m.fields.subject))).size).toBe(ORDERS);
    const outbox = (await admin.get(`/api/mail/outbox?limit=1&q=${encodeURIComponent(': invoice INV/')}`)).body as { total: number };
    expect(outbox.total).toBe(ORDERS);
    await eventually(async () => {
      const queued = (await admin.get('/api/mail/outbox?status=queued&limit=1')).body.total;
      return queued === 0;
    }, 60_000);
    // Every order is invoiced, and a second run of the same selection creates nothing.
    const board = (await admin.get(`/api/sale-orders?invoiceStatus=invoiced&limit=1`)).body.total;
    expect(board).toBe(ORDERS);
  });
});
