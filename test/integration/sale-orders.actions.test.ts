import { describe, expect, it } from 'vitest';
import { saleOrderKit, type State } from '../factories/sale-orders';
import { expectError, expectStatus } from '../support/expect';
import { useTestServer } from '../support/server';

// POST /api/sale-orders/:id/<action>: the state transitions (send, confirm, cancel, lock, unlock, draft).

const srv = useTestServer();
const { fixtures, create, plainOrder, act, acted, orderIn, read } = saleOrderKit(srv);

describe('sale order actions', () => {
  const STATES: State[] = ['draft', 'sent', 'sale', 'done', 'cancel'];
  // The state machine, written out here independently of contracts/states.ts.
  const ALLOWED: Record<string, State[]> = {
    send: ['draft', 'sent'],
    confirm: ['draft', 'sent'],
    cancel: ['draft', 'sent', 'sale'],
    lock: ['sale'],
    unlock: ['done'],
    draft: ['cancel'],
  };
  const TARGET: Record<string, State> = { send: 'sent', confirm: 'sale', cancel: 'cancel', lock: 'done', unlock: 'sale', draft: 'draft' };
  const INVOICE_STATUS: Record<State, string> = { draft: 'no', sent: 'no', sale: 'to_invoice', done: 'to_invoice', cancel: 'no' };

  it.each(STATES)('from %s: allowed actions move the order, every other one is 422 invalid_state', async (from) => {
    for (const action of Object.keys(ALLOWED)) {
      const o = await orderIn(from);
      expect(o.state).toBe(from);
      const res = await act(o.id, action);
      if (ALLOWED[action]!.includes(from)) {
        expectStatus(res, 200);
        const to = TARGET[action]!;
        expect(res.body).toMatchObject({ id: o.id, state: to, invoiceStatus: INVOICE_STATUS[to], version: o.version + 1 });
        expect(await read(o.id)).toEqual(res.body);
      } else {
        expectError(res, 422, 'invalid_state');
        expect(res.body.error.message).toContain(o.name);
        expect(await read(o.id)).toEqual(o);
      }
    }
  });

  it('POST /:id/confirm: the lines become invoiceable (qtyToInvoice), amounts unchanged', async () => {
    const f = await fixtures();
    const o = await create(srv.admin, {
      partnerId: f.customer.id,
      lines: [
        { productId: f.lamp.id, quantity: 3, discount: 15 },
        { productId: f.chair.id, quantity: 1.5 },
      ],
    });
    const c = await acted(o.id, 'confirm');
    expect(c).toMatchObject({ state: 'sale', invoiceStatus: 'to_invoice', deliveryStatus: 'pending', amountUntaxed: 8096, amountTax: 1899, amountTotal: 9995 });
    expect(c.lines.map((l) => l.qtyToInvoice)).toEqual([3, 1.5]);
    const cancelled = await acted(o.id, 'cancel');
    expect(cancelled).toMatchObject({ state: 'cancel', invoiceStatus: 'no' });
    expect(cancelled.lines.map((l) => l.qtyToInvoice)).toEqual([0, 0]);
    const back = await acted(o.id, 'draft');
    expect(back).toMatchObject({ state: 'draft', invoiceStatus: 'no', amountTotal: 9995 });
  });

  it('two confirmations at once: one confirms, the other gets 422', async () => {
    const o = await plainOrder();
    const results = await Promise.all([act(o.id, 'confirm'), act(o.id, 'confirm')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const after = await read(o.id);
    expect(after).toMatchObject({ state: 'sale', version: o.version + 1 });
  });

  it('POST /:id/confirm: 422 for an order without lines', async () => {
    const f = await fixtures();
    const o = await create(srv.admin, { partnerId: f.customer.id });
    const res = await act(o.id, 'confirm');
    expectError(res, 422, 'invalid_state');
    expect(res.body.error.message).toContain('no lines');
    expect(await read(o.id)).toEqual(o);
  });

  it('an optional version in the body: 409 with error.current when stale, 200 when current', async () => {
    const o = await plainOrder();
    const edited = await srv.admin.patch(`/api/sale-orders/${o.id}`, { version: o.version, note: 'moved on' });
    for (const action of ['send', 'confirm', 'cancel']) {
      const stale = await act(o.id, action, { version: o.version });
      expectError(stale, 409, 'conflict');
      expect(stale.body.error.current).toEqual(edited.body);
    }
    expect(await read(o.id)).toEqual(edited.body);
    const ok = await act(o.id, 'confirm', { version: edited.body.version });
    expectStatus(ok, 200);
    expect(ok.body.state).toBe('sale');
    expectError(await act(o.id, 'lock', { version: 'latest' }), 400, 'validation', 'version');
  });

  it('404 for a missing order; 403 for warehouse and accounting users', async () => {
    for (const action of Object.keys(ALLOWED)) expectError(await act(999999, action), 404, 'not_found');
    const o = await plainOrder();
    const wh = await srv.user('warehouse');
    const acc = await srv.user('accounting');
    for (const action of ['send', 'confirm', 'cancel']) {
      expectError(await act(o.id, action, undefined, wh), 403, 'forbidden');
      expectError(await act(o.id, action, undefined, acc), 403, 'forbidden');
    }
    expect(await read(o.id)).toEqual(o);
  });
});
