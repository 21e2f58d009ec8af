import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import type { Picking } from '../../../contracts/schemas/inventory';
import { db } from '../../../server/db/sequelize';
import { makePartner, makeProduct } from '../../factories/data';
import { purchase, purchasesOf } from '../../factories/purchasing';
import { setStock } from '../../factories/stock';
import { eventually } from '../../support/eventually';
import { expectStatus } from '../../support/expect';
import { useMailgunStandIn } from '../../support/mailgun';
import { pdfText } from '../../support/pdf';
import { useTestServer } from '../../support/server';

// The drop-ship route (Odoo's stock_dropshipping): a sale of a drop-ship product is bought from its
// vendor on an RFQ of that order's own, with the customer's address; the confirmed PO's picking goes
// from Vendors straight to Customers (WH/DS/…), and shipping it delivers the order. Stock never moves.

describe('drop-ship: the vendor ships straight to the customer', () => {
  const mailgun = useMailgunStandIn();
  const srv = useTestServer({ env: () => mailgun.env() });

  const quantCount = async (productId: number) =>
    Number(
      (
        await db().query<{ n: number }>('SELECT COUNT(*) AS n FROM stock_quants WHERE productId = ?', { replacements: [productId], type: QueryTypes.SELECT })
      )[0]!.n,
    );

  async function dropshipProduct(fields: Record<string, unknown> = {}) {
    const suffix = Math.random().toString(36).slice(2, 8);
    const vendor = await makePartner(srv.admin, { name: `Drop Vendor ${suffix}`, roles: ['vendor'], email: `orders-${suffix}@dropvendor.example` });
    const product = await makeProduct(srv.admin, {
      routes: ['dropship'],
      invoicePolicy: 'delivery',
      vendors: [{ partnerId: vendor.id, price: 5000, minQty: 1, leadDays: 4 }],
      ...fields,
    });
    return { vendor, product };
  }

  async function confirmedSale(lines: { productId: number; quantity: number }[]) {
    const customer = await makePartner(srv.admin, { name: 'Zoë Dupré', email: 'zoe@example.com' });
    const shippingAddress = { name: 'Zoë Dupré', street: '12 rue des Écoles', zip: '75005', city: 'Paris', countryCode: 'FR' };
    const created = await srv.admin.post('/api/sale-orders', { partnerId: customer.id, shippingAddress, lines });
    expectStatus(created, 201);
    const confirmed = await srv.admin.post(`/api/sale-orders/${created.body.id}/confirm`, {});
    expectStatus(confirmed, 200);
    return { order: confirmed.body, customer, shippingAddress };
  }

  const pickingsOf = async (saleOrderId: number) =>
    Promise.all(
      ((await srv.admin.get(`/api/pickings?saleOrderId=${saleOrderId}`)).body.items as { id: number }[]).map(
        async (p) => (await srv.admin.get(`/api/pickings/${p.id}`)).body as Picking,
      ),
    );

  it('a sale of 2 drop-ship units: an RFQ to the vendor with the customer’s address; its PO’s WH/DS picking, shipped, delivers the order; no quant changes', async () => {
    const { vendor, product } = await dropshipProduct();
    const { order, customer, shippingAddress } = await confirmedSale([{ productId: product.id, quantity: 2 }]);
    // Nothing for the warehouse to deliver.
    expect(await pickingsOf(order.id)).toEqual([]);
    const [rfq, ...others] = await purchasesOf(srv.admin, vendor.id);
    expect(others).toEqual([]);
    expect(rfq).toMatchObject({ state: 'draft', origin: order.name, dropshipAddress: expect.objectContaining(shippingAddress), saleOrderIds: [order.id] });
    expect(rfq!.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 2, unitPrice: 5000, saleLineIds: [order.lines[0].id] })]);

    const confirmed = await srv.admin.post(`/api/purchase-orders/${rfq!.id}/confirm`, {});
    expectStatus(confirmed, 200);
    const [ds, ...more] = await pickingsOf(order.id);
    expect(more).toEqual([]);
    expect(ds).toMatchObject({ type: 'dropship', state: 'assigned', partnerId: customer.id, purchaseOrderId: rfq!.id, saleOrderId: order.id });
    expect(ds!.name).toMatch(/^WH\/DS\/\d{5}$/);
    expect(ds!.shippingAddress).toMatchObject(shippingAddress);
    expect(ds!.moves).toEqual([expect.objectContaining({ productId: product.id, quantity: 2, quantityReserved: 2, saleLineId: order.lines[0].id })]);
    expect(confirmed.body.pickingIds).toEqual([ds!.id]);
    // The vendor is told at once, through the outbox and Mailgun: the purchase order, to ship to the customer.
    const mail = await eventually(async () => mailgun.sent.find((m) => String(m.fields.to).includes(vendor.email!)));
    expect(String(mail.fields.subject)).toContain(rfq!.name);
    expect(String(mail.fields.html)).toContain('12 rue des Écoles');
    expect(String(mail.fields.html)).toContain('75005 Paris');
    const pdf = mail.files.find((f) => f.field === 'attachment')!;
    const text = await pdfText(pdf.data);
    expect(text).toContain('Zoë Dupré (drop-ship)');
    expect(text).toContain('12 rue des Écoles');

    // The vendor reports the shipment (staff enter it here): carrier, tracking number, all shipped.
    const shipped = await srv.admin.post(`/api/pickings/${ds!.id}/validate`, { carrier: 'UPS', trackingRef: '1Z999' });
    expectStatus(shipped, 200);
    expect(shipped.body.picking).toMatchObject({ state: 'done', carrier: 'UPS', trackingRef: '1Z999' });
    // The customer is told, with the carrier's tracking link; the email is in the order's chatter.
    const shippedMail = await eventually(async () =>
      mailgun.sent.find((m) => String(m.fields.to).includes('zoe@example.com') && String(m.fields.subject).includes(`${order.name} has shipped`)),
    );
    // Handlebars escapes "=" in the link as &#x3D;, which the mail reader decodes.
    expect(String(shippedMail.fields.html).replaceAll('&#x3D;', '=')).toContain('href="https://www.ups.com/track?tracknum=1Z999"');
    expect(String(shippedMail.fields.html)).toContain(product.name);
    expect(String(shippedMail.fields['h:Reply-To'])).toMatch(new RegExp(`^order\\+${order.id}\\.`));
    const chatter = (await srv.admin.get(`/api/messages?model=saleOrder&resId=${order.id}`)).body.items as { type: string; body: string }[];
    expect(chatter.some((m) => m.type === 'comment' && m.body.includes('1Z999'))).toBe(true);
    const delivered = (await srv.admin.get(`/api/sale-orders/${order.id}`)).body;
    expect(delivered.lines[0].qtyDelivered).toBe(2);
    const po = await purchase(srv.admin, rfq!.id);
    expect(po.lines[0]).toMatchObject({ qtyReceived: 2 });
    expect(await quantCount(product.id)).toBe(0);

    // The delivery-policy line can be invoiced for 2, and the vendor bill created.
    const invoiced = await srv.admin.post(`/api/sale-orders/${order.id}/invoice`, {});
    expectStatus(invoiced, 201);
    const invoice = (await srv.admin.get(`/api/invoices/${invoiced.body.invoiceIds[0]}`)).body;
    expect(invoice.lines).toEqual([expect.objectContaining({ productId: product.id, quantity: 2 })]);
    const bill = await srv.admin.post(`/api/purchase-orders/${rfq!.id}/bill`, {});
    expectStatus(bill, 201);
  });

  it('a mixed order gets one delivery from stock and one drop-ship picking; each drop-ship order has an RFQ of its own', async () => {
    const { vendor, product } = await dropshipProduct();
    const stocked = await makeProduct(srv.admin);
    await setStock(srv.admin, stocked.id, 5);
    const { order } = await confirmedSale([
      { productId: stocked.id, quantity: 1 },
      { productId: product.id, quantity: 3 },
    ]);
    const deliveries = await pickingsOf(order.id);
    expect(deliveries).toEqual([expect.objectContaining({ type: 'outgoing', state: 'assigned' })]);
    expect(deliveries[0]!.moves).toEqual([expect.objectContaining({ productId: stocked.id, quantity: 1 })]);

    const { order: second } = await confirmedSale([{ productId: product.id, quantity: 1 }]);
    const rfqs = await purchasesOf(srv.admin, vendor.id);
    expect(rfqs.map((o) => [o.origin, o.lines.map((l) => l.quantity)]).sort()).toEqual(
      [
        [order.name, [3]],
        [second.name, [1]],
      ].sort(),
    );
    const mine = rfqs.find((o) => o.origin === order.name)!;
    expectStatus(await srv.admin.post(`/api/purchase-orders/${mine.id}/confirm`, {}), 200);
    const all = await pickingsOf(order.id);
    expect(all.map((p) => p.type).sort()).toEqual(['dropship', 'outgoing']);
    expect(await quantCount(product.id)).toBe(0);
  });

  it('changing and cancelling the order follows on its drop-ship RFQ: raised, lowered, emptied', async () => {
    const { vendor, product } = await dropshipProduct();
    const { order } = await confirmedSale([{ productId: product.id, quantity: 2 }]);
    const patchQty = async (quantity: number) => {
      const o = (await srv.admin.get(`/api/sale-orders/${order.id}`)).body;
      expectStatus(
        await srv.admin.patch(`/api/sale-orders/${order.id}`, { version: o.version, lines: [{ id: o.lines[0].id, productId: product.id, quantity }] }),
        200,
      );
    };
    await patchQty(4);
    let [rfq] = await purchasesOf(srv.admin, vendor.id);
    expect(rfq!.lines).toEqual([expect.objectContaining({ quantity: 4 })]);
    await patchQty(1);
    [rfq] = await purchasesOf(srv.admin, vendor.id);
    expect(rfq!.lines).toEqual([expect.objectContaining({ quantity: 1 })]);
    expect(await pickingsOf(order.id)).toEqual([]);
    expectStatus(await srv.admin.post(`/api/sale-orders/${order.id}/cancel`, {}), 200);
    expect((await purchase(srv.admin, rfq!.id)).lines).toEqual([]);
  });
});
