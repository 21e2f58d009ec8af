import { describe, expect, it } from 'vitest';
import { makeOrder } from '../factories/data';
import { expectError } from '../support/expect';
import { useTestServer } from '../support/server';

// Bad input gets a 400 with the error shape, never a 500 (issue 13, finding 7): a malformed multipart
// body (anonymously too, on the Mailgun webhook), a NUL byte in a text field.
describe('bad input is a 400', () => {
  const srv = useTestServer();

  const multipart = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${srv.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=----broken', ...headers },
      body: '------broken\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nName,Email\r\n#1,a@b.c',
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };

  it('a malformed multipart body: on an import (signed in) and on the Mailgun webhook (anonymous)', async () => {
    const token = (await srv.admin.post('/api/auth/tokens', { name: 'bad-input' })).body.token as string;
    for (const [path, headers] of [
      ['/api/imports', { authorization: `Bearer ${token}` }],
      ['/api/imports/preview', { authorization: `Bearer ${token}` }],
      ['/api/attachments', { authorization: `Bearer ${token}` }],
      ['/api/webhooks/mailgun/inbound', {}],
    ] as const) {
      const res = await multipart(path, headers);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 400, 'validation']);
    }
  });

  it('a NUL byte in a note, a line description or a name', async () => {
    const order = await makeOrder(srv.admin);
    expectError(await srv.admin.patch(`/api/sale-orders/${order.id}`, { version: order.version, note: 'before\u0000after' }), 400, 'validation', 'note');
    expectError(await srv.admin.post('/api/partners', { name: 'Nul\u0000Name' }), 400, 'validation', 'name');
    expectError(await srv.admin.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'note', body: 'x\u0000y' }), 400, 'validation', 'body');
    expect((await srv.admin.get(`/api/sale-orders/${order.id}`)).body.version).toBe(order.version);
    // In a path key too (a job's id: found by the fuzz test on SQLite).
    expectError(await srv.admin.get('/api/jobs/%00'), 400, 'validation', 'jobId');
    expectError(await srv.admin.get('/api/jobs/export-orders.%00/download'), 400, 'validation', 'jobId');
    expectError(await srv.admin.get('/api/imports/import-orders.a%00b'), 400, 'validation', 'jobId');
  });

  it('amounts beyond what lines and documents may hold are a 400 naming the field, on orders and invoices', async () => {
    const product = (await srv.admin.post('/api/products', { sku: `BIG-${Date.now()}`, name: 'Big', listPrice: 100, taxIds: [] })).body;
    const partnerId = (await makeOrder(srv.admin)).partnerId;
    // 1,000,000 × 1,000,000,000.00: 10^17 cents, beyond the 10^15 a line may come to.
    const huge = { productId: product.id, quantity: 1_000_000, unitPrice: 100_000_000_000 };
    expectError(await srv.admin.post('/api/sale-orders', { partnerId, lines: [huge] }), 400, 'validation', 'lines.0.quantity');
    // 500 lines each within bounds, together beyond them.
    const many = Array.from({ length: 500 }, () => ({ productId: product.id, quantity: 100, unitPrice: 100_000_000_000 }));
    expectError(await srv.admin.post('/api/sale-orders', { partnerId, lines: many }), 400, 'validation', 'lines');
    // On an invoice draft too.
    const order = await makeOrder(srv.admin, { partnerId, lines: [{ productId: product.id, quantity: 1 }] });
    await srv.admin.post(`/api/sale-orders/${order.id}/confirm`);
    const { invoiceIds } = (await srv.admin.post(`/api/sale-orders/${order.id}/invoice`)).body;
    const inv = (await srv.admin.get(`/api/invoices/${invoiceIds[0]}`)).body;
    const res = await srv.admin.patch(`/api/invoices/${inv.id}`, {
      version: inv.version,
      lines: [
        { id: inv.lines[0].id, quantity: 1 },
        { description: 'Huge fee', quantity: 1_000_000, unitPrice: 100_000_000_000 },
      ],
    });
    expectError(res, 400, 'validation', 'lines.1.quantity');
    // The largest amount itself is fine, and posts.
    const fine = await srv.admin.post('/api/sale-orders', { partnerId, lines: [{ productId: product.id, quantity: 10_000, unitPrice: 100_000_000_000 }] });
    expect(fine.status).toBe(201);
    expect(fine.body.amountTotal).toBe(1_000_000_000_000_000);
    expect((await srv.admin.post(`/api/sale-orders/${fine.body.id}/confirm`)).status).toBe(200);
    const big = (await srv.admin.post(`/api/sale-orders/${fine.body.id}/invoice`)).body.invoiceIds[0];
    const posted = await srv.admin.post(`/api/invoices/${big}/post`, {});
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(posted.body.journalItems.reduce((s: number, i: { debit: number }) => s + i.debit, 0)).toBe(1_000_000_000_000_000);
  });

  it("a shop's order is not refused over a NUL character: it is dropped", async () => {
    const secret = 'generic-nul-secret-0123456789abcdef';
    const channel = (await srv.admin.post('/api/channels', { kind: 'webhook', name: 'Nul shop', credentials: { secret } })).body;
    const p = (await srv.admin.post('/api/products', { sku: 'NUL-1', name: 'Nul', listPrice: 100, taxIds: [] })).body;
    const raw = JSON.stringify({
      externalId: 'N-1',
      date: '2026-11-25T08:00:00Z',
      customer: { name: 'Ada\u0000 Lovelace' },
      note: 'Leave\u0000 it',
      lines: [{ sku: p.sku, name: 'Nul\u0000', quantity: 1, unitPrice: 100 }],
    });
    const { createHmac } = await import('node:crypto');
    const res = await fetch(`${srv.url}/api/webhooks/channels/${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-commercecore-signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
      body: raw,
    });
    const body = (await res.json()) as { status: string; orderId: number };
    expect([res.status, body.status]).toEqual([200, 'created']);
    const o = (await srv.admin.get(`/api/sale-orders/${body.orderId}`)).body;
    expect(o.note).toContain('Customer note: Leave it');
    expect(o.partnerName).toBe('Ada Lovelace');
  });
});
