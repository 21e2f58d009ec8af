import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server';
import { makeOrder } from '../factories/data';

describe('GET /api/health', () => {
  const srv = useTestServer();
  it('reports the database and redis', async () => {
    const res = await srv.anonymous().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'ok', redis: srv.mode === 'mysql' ? 'ok' : 'disabled' });
  });
  it('creates and confirms an order', async () => {
    const o = await makeOrder(srv.admin);
    expect(o.name).toMatch(/^S\d{5}$/);
    const res = await srv.admin.post(`/api/sale-orders/${o.id}/confirm`);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('sale');
  });
});
