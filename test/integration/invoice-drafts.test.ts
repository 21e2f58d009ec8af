import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../contracts/schemas/invoices';
import { expectError, expectStatus } from '../support/expect';
import { confirmedOrder, invoiceOrder, postInvoice } from '../factories/invoicing';
import { useTestServer } from '../support/server';

// Who may change a draft invoice or credit note, and how far (issue 13, finding 1): a credit note is
// edited only by who may issue one, never beyond what it credits (quantity, unit price, taxes, amounts,
// no new lines); a negative price only on an invoice, by who may post it.
describe('PATCH /api/invoices/:id (drafts)', () => {
  const srv = useTestServer();

  /** A posted invoice of 2 × 50.00 (untaxed), and a draft credit note of one of them (50.00) by accounting. */
  async function creditNoteDraft() {
    const accounting = await srv.user('accounting');
    const order = await confirmedOrder(srv.admin, [{ quantity: 2, unitPrice: 5000, type: 'consumable' }]);
    const invoice = await postInvoice(accounting, (await invoiceOrder(accounting, order.id)).id);
    const res = await accounting.post(`/api/invoices/${invoice.id}/credit-note`, { lines: [{ productId: order.lines[0]!.productId, quantity: 1 }] });
    expectStatus(res, 201);
    return { accounting, invoice, refund: res.body as Invoice };
  }
  const line = (l: Invoice['lines'][number], extra: Record<string, unknown> = {}) => ({ id: l.id, quantity: l.quantity, ...extra });

  it('a sales user may neither edit nor cancel a credit note (403); nothing changes', async () => {
    const { refund } = await creditNoteDraft();
    const sales = await srv.user('sales');
    const inflated = {
      version: refund.version,
      lines: [line(refund.lines[0]!, { unitPrice: 100_000_000 }), { description: 'Extra', quantity: 1, unitPrice: 500_000 }],
    };
    expectError(await sales.patch(`/api/invoices/${refund.id}`, inflated), 403, 'forbidden');
    expectError(await sales.post(`/api/invoices/${refund.id}/cancel`, { version: refund.version }), 403, 'forbidden');
    expect((await srv.admin.get(`/api/invoices/${refund.id}`)).body).toMatchObject({ state: 'draft', amountTotal: 5000, version: refund.version });
  });

  it('a credit note never credits more than its invoice line: unit price, quantity, taxes, amounts, no new lines', async () => {
    const { accounting, refund } = await creditNoteDraft();
    const l = refund.lines[0]!;
    const patch = (lines: unknown[]) => accounting.patch(`/api/invoices/${refund.id}`, { version: refund.version, lines });
    expectError(await patch([line(l, { unitPrice: 5001 })]), 400, 'validation', 'lines.0.unitPrice');
    expectError(await patch([line(l, { quantity: 3 })]), 400, 'validation', 'lines');
    expectError(await patch([line(l, { discount: 0, quantity: 2 }), { description: 'Goodwill', quantity: 1, unitPrice: 100 }]), 400, 'validation', 'lines.1');
    expectError(await patch([line(l, { unitPrice: -100 })]), 400, 'validation', 'lines.0.unitPrice');
    // Within bounds it is fine: the whole rest of the line (2 × 50.00), or a lower price.
    const whole = await patch([line(l, { quantity: 2 })]);
    expectStatus(whole, 200);
    expect(whole.body.amountTotal).toBe(10_000);
    const lower = await accounting.patch(`/api/invoices/${refund.id}`, { version: whole.body.version, lines: [line(l, { quantity: 1, unitPrice: 4000 })] });
    expectStatus(lower, 200);
    expect(lower.body.amountTotal).toBe(4000);
  });

  it('a negative price on an invoice only by who may post it; sales still edit their invoice drafts', async () => {
    const sales = await srv.user('sales');
    const order = await confirmedOrder(sales, [{ quantity: 3, unitPrice: 1000, type: 'consumable' }]);
    const draft = await invoiceOrder(sales, order.id);
    const goodwill = { description: 'Goodwill', quantity: 1, unitPrice: -500 };
    const lines = [line(draft.lines[0]!), goodwill];
    expectError(await sales.patch(`/api/invoices/${draft.id}`, { version: draft.version, lines }), 403, 'forbidden');
    const fewer = await sales.patch(`/api/invoices/${draft.id}`, { version: draft.version, lines: [line(draft.lines[0]!, { quantity: 2 })] });
    expectStatus(fewer, 200);
    expect(fewer.body.amountTotal).toBe(2000);
    const accounting = await srv.user('accounting');
    const ok = await accounting.patch(`/api/invoices/${draft.id}`, { version: fewer.body.version, lines: [line(fewer.body.lines[0]!), goodwill] });
    expectStatus(ok, 200);
    expect(ok.body.amountTotal).toBe(1500);
  });
});
