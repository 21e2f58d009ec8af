import { describe, expect, it } from 'vitest';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { ApiClient } from '../support/client';
import { makePartner, makeProduct, makeTax } from '../factories/data';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

const srv = useTestServer();

const HEADER =
  'name,date,customer,state,invoice_status,delivery_status,channel_id,external_id,untaxed,tax,total,currency,needs_attention,discount_code,order_discount,attention_reasons';

type Job = {
  id: string;
  name: string;
  state: string;
  progress: number;
  result: { file: string; rows: number; url: string } | null;
  failedReason: string | null;
};

/** Polls the job until it has finished (completed or failed). */
async function finished(c: ApiClient, jobId: string, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await c.get<Job>(`/api/jobs/${encodeURIComponent(jobId)}`);
    expectStatus(res, 200);
    if (res.body.state === 'failed') throw new Error(`job ${jobId} failed: ${String((res.body as { failedReason?: string }).failedReason)}`);
    if (res.body.state === 'completed') return res.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${res.body.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function exportOrders(c: ApiClient, filters: Record<string, unknown>): Promise<string> {
  const res = await c.post('/api/sale-orders/export', filters);
  expectStatus(res, 202);
  expect(res.body).toEqual({ jobId: expect.stringMatching(/^export-orders\./) });
  return res.body.jobId;
}

/** The CSV line the export writes for an order (amounts in major units, two decimals). */
function csvLine(o: SaleOrder): string {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const money = (n: number) => (n / 100).toFixed(2);
  return [
    o.name,
    o.dateOrder,
    quote(o.partnerName),
    o.state,
    o.invoiceStatus,
    o.deliveryStatus,
    o.channelId ?? '',
    o.externalId ?? '',
    money(o.amountUntaxed),
    money(o.amountTax),
    money(o.amountTotal),
    o.currency,
    o.needsAttention ? 'yes' : 'no',
    quote(o.discountCode ?? ''),
    money(o.orderDiscount),
    quote(o.attentionReasons.map((r) => r.message).join('; ')),
  ].join(',');
}

const csvLines = (text: string) => text.split(/\r?\n/).filter((l) => l !== '');

// Orders of two customers whose names carry a tag (one with a comma and quotes, to exercise CSV quoting).
async function dataset() {
  const tag = uniqueTag('exp');
  const tax = await makeTax(srv.admin, 20);
  const product = await makeProduct(srv.admin, { listPrice: 1999, taxIds: [tax.id] });
  const alpha = await makePartner(srv.admin, { name: `Smith, "Jr" ${tag}` });
  const beta = await makePartner(srv.admin, { name: `Beta ${tag}` });
  const mk = async (partnerId: number, quantity: number, extra: Record<string, unknown> = {}) => {
    const res = await srv.admin.post('/api/sale-orders', { partnerId, lines: [{ productId: product.id, quantity, discount: 15 }], ...extra });
    expectStatus(res, 201);
    return res.body as SaleOrder;
  };
  const act = async (o: SaleOrder, action: string) => {
    const res = await srv.admin.post(`/api/sale-orders/${o.id}/${action}`);
    expectStatus(res, 200);
    return res.body as SaleOrder;
  };
  const a1 = await mk(alpha.id, 3, { channelId: 4, externalId: `${tag}-A1` });
  const a2 = await act(await mk(alpha.id, 1.5, { needsAttention: true }), 'send');
  const a3 = await act(await mk(alpha.id, 2), 'confirm');
  const b1 = await mk(beta.id, 1);
  const b2 = await act(await mk(beta.id, 4, { needsAttention: true }), 'cancel');
  return { tag, alpha, beta, a1, a2, a3, b1, b2 };
}

describe('POST /api/sale-orders/export', () => {
  it('202 {jobId}; the job completes; the file holds a header and exactly the matching rows', async () => {
    const d = await dataset();
    const jobId = await exportOrders(srv.admin, { partnerId: d.alpha.id, state: ['draft', 'sent'] });
    const job = await finished(srv.admin, jobId);
    expect(job).toEqual({
      id: jobId,
      name: 'export-orders',
      state: 'completed',
      progress: 100,
      result: { file: expect.stringMatching(/\.csv$/), rows: 2, url: `/api/jobs/${encodeURIComponent(jobId)}/download` },
      failedReason: null,
    });

    const file = await srv.admin.get<string>(job.result!.url);
    expectStatus(file, 200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="?orders-\d{4}-\d\d-\d\d\.csv"?$/);
    // 3 × 19.99 − 15% = 50.97, VAT 10.19; 1.5 × 19.99 − 15% = 25.49, VAT 5.10
    expect(csvLine(d.a1)).toBe(`${d.a1.name},${d.a1.dateOrder},"Smith, ""Jr"" ${d.tag}",draft,no,pending,4,${d.tag}-A1,50.97,10.19,61.16,EUR,no,,0.00,`);
    expect(csvLine(d.a2)).toBe(`${d.a2.name},${d.a2.dateOrder},"Smith, ""Jr"" ${d.tag}",sent,no,pending,,,25.49,5.10,30.59,EUR,yes,,0.00,`);
    expect(csvLines(file.body)).toEqual([HEADER, csvLine(d.a1), csvLine(d.a2)]);
  });

  it('applies the board filters: q on the customer, needsAttention, state, invoice status', async () => {
    const d = await dataset();
    const cases: [Record<string, unknown>, SaleOrder[]][] = [
      [{ q: d.tag }, [d.a1, d.a2, d.a3, d.b1, d.b2]],
      [{ q: `Beta ${d.tag}` }, [d.b1, d.b2]],
      [{ q: d.tag, needsAttention: true }, [d.a2, d.b2]],
      [{ q: d.tag, needsAttention: false }, [d.a1, d.a3, d.b1]],
      [{ q: d.tag, needsAttention: 'true' }, [d.a2, d.b2]],
      [{ q: d.tag, state: ['sale', 'cancel'] }, [d.a3, d.b2]],
      [{ q: d.tag, invoiceStatus: 'to_invoice' }, [d.a3]],
      [{ q: `${d.tag}-A1` }, [d.a1]],
      [{ q: d.tag, channelId: 4 }, [d.a1]],
    ];
    for (const [filters, expected] of cases) {
      const job = await finished(srv.admin, await exportOrders(srv.admin, filters));
      expect(job.state, JSON.stringify(filters)).toBe('completed');
      expect(job.result!.rows).toBe(expected.length);
      const file = await srv.admin.get<string>(job.result!.url);
      expect(csvLines(file.body), JSON.stringify(filters)).toEqual([HEADER, ...expected.map(csvLine)]);
    }
  });

  it('an export that matches nothing is the header alone', async () => {
    const job = await finished(srv.admin, await exportOrders(srv.admin, { q: uniqueTag('nothing') }));
    expect(job).toMatchObject({ state: 'completed', result: { rows: 0 } });
    expect(csvLines((await srv.admin.get<string>(job.result!.url)).body)).toEqual([HEADER]);
  });

  it('sales and accounting users may export; 403 for a warehouse user; 401 anonymous', async () => {
    const d = await dataset();
    for (const role of ['sales', 'accounting'] as const) {
      const c = await srv.user(role);
      const job = await finished(c, await exportOrders(c, { q: `Beta ${d.tag}` }));
      expect(job.result!.rows).toBe(2);
      expect(csvLines((await c.get<string>(job.result!.url)).body)).toEqual([HEADER, csvLine(d.b1), csvLine(d.b2)]);
    }
    expectError(await (await srv.user('warehouse')).post('/api/sale-orders/export', { q: d.tag }), 403, 'forbidden');
    expectError(await srv.anonymous().post('/api/sale-orders/export', { q: d.tag }), 401, 'unauthorized');
  });

  it('400 naming the field for bad filters', async () => {
    expectError(await srv.admin.post('/api/sale-orders/export', { state: ['shipped'] }), 400, 'validation', 'state.0');
    expectError(await srv.admin.post('/api/sale-orders/export', { state: 'draft' }), 400, 'validation', 'state');
    expectError(await srv.admin.post('/api/sale-orders/export', { partnerId: 'abc' }), 400, 'validation', 'partnerId');
    expectError(await srv.admin.post('/api/sale-orders/export', { needsAttention: 'sometimes' }), 400, 'validation', 'needsAttention');
    expectError(await srv.admin.post('/api/sale-orders/export', { dateFrom: '2026-13-45' }), 400, 'validation', 'dateFrom');
  });
});

describe('GET /api/jobs/:id', () => {
  it('the owner and admins see a job; another non-admin user gets 403 on it and on its file', async () => {
    const owner = await srv.user('sales');
    const jobId = await exportOrders(owner, { q: uniqueTag('own') });
    const job = await finished(owner, jobId);
    expect(job.state).toBe('completed');
    expect(job).not.toHaveProperty('data');

    const other = await srv.user('sales');
    const accounting = await srv.user('accounting');
    for (const c of [other, accounting]) {
      expectError(await c.get(`/api/jobs/${encodeURIComponent(jobId)}`), 403, 'forbidden');
      expectError(await c.get(`/api/jobs/${encodeURIComponent(jobId)}/download`), 403, 'forbidden');
    }
    const asAdmin = await srv.admin.get(`/api/jobs/${encodeURIComponent(jobId)}`);
    expectStatus(asAdmin, 200);
    expect(asAdmin.body).toEqual(job);
    expectStatus(await srv.admin.get(`/api/jobs/${encodeURIComponent(jobId)}/download`), 200);
  });

  it('404 for an unknown job and for its download', async () => {
    for (const id of ['export-orders.does-not-exist', 'no-such-queue.1', 'garbage']) {
      expectError(await srv.admin.get(`/api/jobs/${encodeURIComponent(id)}`), 404, 'not_found');
      expectError(await srv.admin.get(`/api/jobs/${encodeURIComponent(id)}/download`), 404, 'not_found');
    }
  });

  it('401 anonymous', async () => {
    const jobId = await exportOrders(srv.admin, { q: uniqueTag('anon') });
    expectError(await srv.anonymous().get(`/api/jobs/${encodeURIComponent(jobId)}`), 401, 'unauthorized');
    expectError(await srv.anonymous().get(`/api/jobs/${encodeURIComponent(jobId)}/download`), 401, 'unauthorized');
  });
});
