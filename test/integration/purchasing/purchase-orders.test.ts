import { describe, expect, it } from 'vitest';
import { rooms } from '../../../contracts/events';
import { makePartner, makeProduct, makeTax } from '../../factories/data';
import { nextEvent, subscribe, useTestServer } from '../../support/server';

describe('purchase orders: RFQs, lines priced from the vendor, drafts editable, version', () => {
  const srv = useTestServer();

  async function vendorProduct(fields: Record<string, unknown> = {}) {
    const vera = await makePartner(srv.admin, { name: 'Vera Vendor', roles: ['vendor'] });
    const tax = await makeTax(srv.admin, 15);
    const product = await makeProduct(srv.admin, {
      cost: 4000,
      purchaseTaxIds: [tax.id],
      vendors: [
        { partnerId: vera.id, price: 5000, minQty: 1, leadDays: 3 },
        { partnerId: vera.id, price: 4500, minQty: 10, leadDays: 5 },
      ],
      ...fields,
    });
    return { vera, tax, product };
  }

  it('POST /api/purchase-orders: P00001-style number, vendor price by quantity, purchase taxes, planned date, totals', async () => {
    const { vera, tax, product } = await vendorProduct();
    const dateOrder = '2026-12-01T10:00:00.000Z';
    const res = await srv.admin.post('/api/purchase-orders', { partnerId: vera.id, dateOrder, lines: [{ productId: product.id, quantity: 3 }] });
    expect(res.status).toBe(201);
    expect(res.body.name).toMatch(/^P\d{5}$/);
    expect(res.body).toMatchObject({
      state: 'draft',
      partnerId: vera.id,
      partnerName: 'Vera Vendor',
      amountUntaxed: 15000,
      amountTax: 2250,
      amountTotal: 17250,
    });
    expect(res.body.lines[0]).toMatchObject({ quantity: 3, unitPrice: 5000, taxIds: [tax.id], datePlanned: '2026-12-04T10:00:00.000Z', qtyReceived: 0 });
    expect(res.body.datePlanned).toBe('2026-12-04T10:00:00.000Z');

    // Ten reach the second price break; a vendor with no entry pays the cost.
    const patched = await srv.admin.patch(`/api/purchase-orders/${res.body.id}`, {
      version: res.body.version,
      lines: [{ id: res.body.lines[0].id, productId: product.id, quantity: 10 }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.lines[0]).toMatchObject({ quantity: 10, unitPrice: 4500, datePlanned: '2026-12-06T10:00:00.000Z' });
    const other = await makePartner(srv.admin, { name: 'Otto Other', roles: ['vendor'] });
    const moved = await srv.admin.patch(`/api/purchase-orders/${res.body.id}`, { version: patched.body.version, partnerId: other.id });
    expect(moved.body.lines[0]).toMatchObject({ unitPrice: 4000 });

    const stale = await srv.admin.patch(`/api/purchase-orders/${res.body.id}`, { version: res.body.version, note: 'late' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.version).toBe(moved.body.version);

    const messages = (await srv.admin.get(`/api/messages?model=purchaseOrder&resId=${res.body.id}`)).body.items;
    const fields = messages.flatMap((m: { tracking: { field: string }[] }) => m.tracking.map((t) => t.field));
    expect(fields).toEqual(expect.arrayContaining(['vendor', `quantity: [${product.sku}] ${product.name}`]));
  });

  it('lists, filters and counts; bad input is a 400 that changes nothing; events reach board:purchases', async () => {
    const { vera, product } = await vendorProduct();
    const socket = await srv.socket(srv.admin);
    await subscribe(socket, rooms.purchasesBoard);
    const created = nextEvent(socket, 'purchaseOrder.updated');
    const res = await srv.admin.post('/api/purchase-orders', { partnerId: vera.id, lines: [{ productId: product.id, quantity: 2 }] });
    expect((await created).purchaseOrder).toMatchObject({ id: res.body.id, state: 'draft' });
    const list = await srv.admin.get(`/api/purchase-orders?partnerId=${vera.id}`);
    expect(list.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: res.body.id, received: false, late: false })] });
    const counts = await srv.admin.get(`/api/purchase-orders/counts?partnerId=${vera.id}`);
    expect(counts.body).toMatchObject({ draft: 1, purchase: 0 });

    const before = (await srv.admin.get('/api/purchase-orders?limit=1')).body.total;
    for (const body of [
      { partnerId: 999999, lines: [] },
      { partnerId: vera.id, lines: [{ productId: 999999, quantity: 1 }] },
      { partnerId: vera.id, lines: [{ productId: product.id, quantity: -1 }] },
      { partnerId: vera.id, lines: [{ productId: product.id, quantity: 1, taxIds: [999999] }] },
    ]) {
      const bad = await srv.admin.post('/api/purchase-orders', body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation');
    }
    expect((await srv.admin.get('/api/purchase-orders?limit=1')).body.total).toBe(before);
  });

  it('roles: a buyer manages RFQs; sales reads them; warehouse may not create one', async () => {
    const { vera, product } = await vendorProduct();
    const buyer = await srv.user('purchase', 'Bea Buyer');
    const created = await buyer.post('/api/purchase-orders', { partnerId: vera.id, lines: [{ productId: product.id, quantity: 1 }] });
    expect(created.status).toBe(201);
    const wh = await srv.user('warehouse', 'Wanda Warehouse');
    expect((await wh.post('/api/purchase-orders', { partnerId: vera.id })).status).toBe(403);
    const sales = await srv.user('sales', 'Sam Sales');
    expect((await sales.get(`/api/purchase-orders/${created.body.id}`)).status).toBe(200);
  });
});
