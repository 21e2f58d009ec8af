import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import type { Picking } from '../../../contracts/schemas/inventory';
import type { PortalDocument, PurchaseOrder } from '../../../contracts/schemas/purchasing';
import { db } from '../../../server/db/sequelize';
import { tokenOf } from '../../../server/modules/purchasing/portal.tokens';
import { PortalTokenModel } from '../../../server/modules/purchasing/vendor.model';
import { makePartner, makeProduct } from '../../factories/data';
import { purchase, purchasesOf } from '../../factories/purchasing';
import { eventually } from '../../support/eventually';
import { expectStatus } from '../../support/expect';
import { useMailgunStandIn } from '../../support/mailgun';
import { useTestServer } from '../../support/server';
import { useVendorEndpoint } from '../../support/vendor-endpoint';

// Vendors in the loop: a drop-ship vendor with an order endpoint gets each confirmed PO as signed JSON
// (once per idempotency key, retried until it answers), and every RFQ/PO email carries a portal link
// with which the vendor, without a staff login, sees that one document, accepts it and reports its
// shipment; a drop-ship shipment reported there delivers the customer's order.

describe('vendor notifications and the vendor portal', () => {
  const mailgun = useMailgunStandIn();
  const endpoint = useVendorEndpoint();
  const srv = useTestServer({ env: () => ({ ...mailgun.env(), PORTAL_RATE_LIMIT: '40' }) });

  const quantCount = async (productId: number) =>
    Number(
      (
        await db().query<{ n: number }>('SELECT COUNT(*) AS n FROM stock_quants WHERE productId = ?', { replacements: [productId], type: QueryTypes.SELECT })
      )[0]!.n,
    );
  const count = async (table: string) => Number((await db().query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT }))[0]!.n);

  async function vendor(opts: { endpoint?: boolean } = {}) {
    const suffix = Math.random().toString(36).slice(2, 8);
    return makePartner(srv.admin, {
      name: `Drop Vendor ${suffix}`,
      roles: ['vendor'],
      email: `orders-${suffix}@dropvendor.example`,
      ...(opts.endpoint && { orderEndpoint: { url: endpoint.url, secret: endpoint.secret } }),
    });
  }

  async function dropshipSale(vendorId: number, quantity = 2) {
    const product = await makeProduct(srv.admin, {
      routes: ['dropship'],
      invoicePolicy: 'delivery',
      vendors: [{ partnerId: vendorId, price: 5000, minQty: 1, leadDays: 4 }],
    });
    const customer = await makePartner(srv.admin, { name: 'Zoë Dupré', email: `zoe-${Date.now()}@example.com` });
    const shippingAddress = { name: 'Zoë Dupré', street: '12 rue des Écoles', zip: '75005', city: 'Paris', countryCode: 'FR' };
    const created = await srv.admin.post('/api/sale-orders', { partnerId: customer.id, shippingAddress, lines: [{ productId: product.id, quantity }] });
    expectStatus(created, 201);
    const order = (await srv.admin.post(`/api/sale-orders/${created.body.id}/confirm`, {})).body;
    const [rfq] = await purchasesOf(srv.admin, vendorId);
    return { product, customer, order, rfq: rfq! };
  }

  const portalPath = (url: string) => `/api/portal/${url.split('/portal/')[1]}`;
  const linkOf = async (poId: number) => {
    const r = await srv.admin.get(`/api/purchase-orders/${poId}/portal-link`);
    expectStatus(r, 200);
    return r.body as { url: string; expiresAt: string };
  };

  it('acceptance: a drop-ship PO reaches the vendor by email (portal link) and signed JSON once; the vendor ships 1Z999 in the portal; the order is delivered, the customer told, invoiceable for 2; no quant moves', async () => {
    const v = await vendor({ endpoint: true });
    // The secret is write-only.
    const shown = (await srv.admin.get(`/api/partners/${v.id}`)).body;
    expect(shown.orderEndpoint).toEqual({ url: endpoint.url, active: true, hasSecret: true });
    expect(JSON.stringify(shown)).not.toContain(endpoint.secret);

    const { product, customer, order, rfq } = await dropshipSale(v.id);
    expect(rfq.dropshipAddress).toMatchObject({ street: '12 rue des Écoles', city: 'Paris' });
    const confirmed = await srv.admin.post(`/api/purchase-orders/${rfq.id}/confirm`, {});
    expectStatus(confirmed, 200);
    const ds = (await srv.admin.get(`/api/pickings/${confirmed.body.pickingIds[0]}`)).body as Picking;
    expect(ds.name).toMatch(/^WH\/DS\/\d{5}$/);

    // The email: the purchase order, the customer's address, and the portal link.
    const mail = await eventually(async () => mailgun.sent.find((m) => String(m.fields.to).includes(v.email!)));
    const html = String(mail.fields.html).replaceAll('&#x3D;', '=');
    const link = /href="([^"]*\/portal\/[^"]+)"/.exec(html)?.[1];
    expect(link).toBeTruthy();
    expect(html).toContain('12 rue des Écoles');

    // The signed JSON: once, with the delivery address and the same portal link.
    await eventually(async () => (await purchase(srv.admin, rfq.id)).vendorNotifications[0]?.status === 'sent');
    expect(endpoint.processed.filter((p) => (p.payload.purchaseOrder as { name: string }).name === rfq.name)).toHaveLength(1);
    const sent = endpoint.requests.filter((r) => r.body.includes(`"name":"${rfq.name}"`));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.signatureValid).toBe(true);
    expect(sent[0]!.headers['x-commercecore-event']).toBe('purchase_order.confirmed');
    const payload = JSON.parse(sent[0]!.body);
    expect(payload.idempotencyKey).toBe(sent[0]!.key);
    expect(payload.purchaseOrder).toMatchObject({ dropship: true, deliverTo: expect.objectContaining({ street: '12 rue des Écoles', zip: '75005' }) });
    expect(payload.purchaseOrder.lines).toEqual([expect.objectContaining({ sku: product.sku, quantity: 2 })]);
    expect(payload.portalUrl).toBe(link);
    const po = await purchase(srv.admin, rfq.id);
    expect(po.vendorNotifications).toEqual([expect.objectContaining({ event: 'purchase_order.confirmed', status: 'sent', attempts: 1, responseStatus: 200 })]);

    // The vendor opens the link (no login): its document, the customer's address, what is to ship.
    const anon = srv.anonymous();
    const view = await anon.get(portalPath(link!));
    expectStatus(view, 200);
    const doc = view.body as PortalDocument;
    expect(doc).toMatchObject({ name: rfq.name, kind: 'purchase_order', dropship: true, can: { ship: true, accept: true, quote: false } });
    expect(doc.deliverTo.addressLines.join(' ')).toContain('12 rue des Écoles');
    expect(doc.lines).toEqual([expect.objectContaining({ quantity: 2, qtyOpen: 2, qtyDone: 0, unitPrice: 5000 })]);

    // It accepts, then ships everything with UPS 1Z999.
    expectStatus(await anon.post(`${portalPath(link!)}/accept`, {}), 200);
    const shipped = await anon.post(`${portalPath(link!)}/ship`, { carrier: 'UPS', trackingRef: '1Z999' });
    expectStatus(shipped, 200);
    expect(shipped.body.shipments).toEqual([expect.objectContaining({ name: ds.name, state: 'done', carrier: 'UPS', trackingRef: '1Z999' })]);
    expect(shipped.body.can.ship).toBe(false);
    const picking = (await srv.admin.get(`/api/pickings/${ds.id}`)).body as Picking;
    expect(picking).toMatchObject({ state: 'done', trackingRef: '1Z999', carrier: 'UPS' });
    expect((await srv.admin.get(`/api/sale-orders/${order.id}`)).body.lines[0].qtyDelivered).toBe(2);
    const customerMail = await eventually(async () =>
      mailgun.sent.find((m) => String(m.fields.to).includes(customer.email!) && String(m.fields.subject).includes('has shipped')),
    );
    expect(String(customerMail.fields.html).replaceAll('&#x3D;', '=')).toContain('https://www.ups.com/track?tracknum=1Z999');
    const invoiced = await srv.admin.post(`/api/sale-orders/${order.id}/invoice`, {});
    expectStatus(invoiced, 201);
    expect((await srv.admin.get(`/api/invoices/${invoiced.body.invoiceIds[0]}`)).body.lines).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 2 }),
    ]);
    expect(await quantCount(product.id)).toBe(0);

    // Both portal actions are in the PO's chatter, written as by the vendor.
    const chatter = (await srv.admin.get(`/api/messages?model=purchaseOrder&resId=${rfq.id}`)).body.items as { authorPartnerId: number | null; body: string }[];
    expect(chatter.filter((m) => m.authorPartnerId === v.id).map((m) => m.body)).toEqual(
      expect.arrayContaining([expect.stringContaining('accepted'), expect.stringContaining('1Z999')]),
    );
    // Done: nothing more can be shipped or accepted.
    expectStatus(await anon.post(`${portalPath(link!)}/ship`, { carrier: 'UPS', trackingRef: '1Z998' }), 422);
    expectStatus(await anon.post(`${portalPath(link!)}/accept`, {}), 422);
  });

  it('a failing endpoint is retried, then marked failed with a note on the PO; sent again by hand, it is delivered with the same key', async () => {
    const v = await vendor({ endpoint: true });
    const { rfq } = await dropshipSale(v.id);
    endpoint.failWith = 503;
    try {
      expectStatus(await srv.admin.post(`/api/purchase-orders/${rfq.id}/confirm`, {}), 200);
      const failed = await eventually(async () => {
        const n = (await purchase(srv.admin, rfq.id)).vendorNotifications[0];
        return n?.status === 'failed' && n;
      });
      expect(failed).toMatchObject({ attempts: 3, responseStatus: 503 });
      expect(failed.lastError).toContain('503');
      const notes = (await srv.admin.get(`/api/messages?model=purchaseOrder&resId=${rfq.id}`)).body.items as { type: string; body: string }[];
      expect(notes.some((m) => m.type === 'note' && m.body.includes('failed after 3 attempts'))).toBe(true);
      // Retrying a notification that did not fail is refused.
      expectStatus(await srv.admin.post(`/api/purchase-orders/${rfq.id}/notifications/999999/retry`, {}), 404);
    } finally {
      endpoint.failWith = 200;
    }
    const before = (await purchase(srv.admin, rfq.id)).vendorNotifications[0]!;
    const retried = await srv.admin.post(`/api/purchase-orders/${rfq.id}/notifications/${before.id}/retry`, {});
    expectStatus(retried, 200);
    await eventually(async () => (await purchase(srv.admin, rfq.id)).vendorNotifications[0]?.status === 'sent');
    expectStatus(await srv.admin.post(`/api/purchase-orders/${rfq.id}/notifications/${before.id}/retry`, {}), 422);
    const tries = endpoint.requests.filter((r) => r.key === before.key);
    expect(tries.length).toBe(4);
    expect(endpoint.processed.filter((p) => p.key === before.key)).toHaveLength(1);

    // A vendor without an endpoint gets no notification; removing the endpoint stops them.
    const plain = await vendor();
    const other = await dropshipSale(plain.id);
    expectStatus(await srv.admin.post(`/api/purchase-orders/${other.rfq.id}/confirm`, {}), 200);
    expect((await purchase(srv.admin, other.rfq.id)).vendorNotifications).toEqual([]);
    // A new endpoint needs its secret; bad URLs are a 400.
    const p = (await srv.admin.get(`/api/partners/${plain.id}`)).body;
    expectStatus(await srv.admin.patch(`/api/partners/${plain.id}`, { version: p.version, orderEndpoint: { url: endpoint.url } }), 400);
    expectStatus(await srv.admin.patch(`/api/partners/${plain.id}`, { version: p.version, orderEndpoint: { url: 'ftp://x', secret: 'x'.repeat(20) } }), 400);
  });

  it('portal security: a tampered link, another document’s id, an expired or revoked link are refused and change nothing; states refuse what they no longer allow', async () => {
    const v = await vendor();
    const { rfq } = await dropshipSale(v.id);
    const { rfq: otherRfq } = await dropshipSale((await vendor()).id);
    const link = await linkOf(rfq.id);
    const token = link.url.split('/portal/')[1]!;
    const anon = srv.anonymous();
    expectStatus(await anon.get(`/api/portal/${token}`), 200);
    // The same link again for the same document (it is the one its emails carry).
    expect((await linkOf(rfq.id)).url).toBe(link.url);

    const [body, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    // Another document's id in a validly signed link's payload: the signature no longer matches.
    const otherDoc = Buffer.from(JSON.stringify({ ...claims, d: otherRfq.id })).toString('base64url');
    for (const bad of [`${otherDoc}.${sig}`, `${body}.${sig!.slice(0, -2)}AA`, `${body}x.${sig}`, 'nonsense', `${body}.${sig}.extra`]) {
      const r = await anon.get(`/api/portal/${bad}`);
      expect([403, 400]).toContain(r.status);
      expect(JSON.stringify(r.body)).not.toContain(rfq.name);
      expectStatus(await anon.post(`/api/portal/${bad}/accept`, {}), r.status);
    }
    // Another document's line in a shipment: refused, nothing written.
    const [po] = await Promise.all([srv.admin.post(`/api/purchase-orders/${rfq.id}/confirm`, {})]);
    expectStatus(po, 200);
    const messages = await count('messages');
    const otherLine = otherRfq.lines[0]!.id;
    const wrongLine = await anon.post(`/api/portal/${token}/ship`, { carrier: 'UPS', trackingRef: '1Z1', lines: [{ lineId: otherLine, quantity: 1 }] });
    expectStatus(wrongLine, 400);
    expect(((await purchase(srv.admin, rfq.id)) as PurchaseOrder).lines[0]!.qtyReceived).toBe(0);
    expectStatus(await anon.post(`/api/portal/${token}/ship`, { carrier: 'UPS', trackingRef: '1Z1', lines: [{ lineId: rfq.lines[0]!.id, quantity: 3 }] }), 400);
    expectStatus(await anon.post(`/api/portal/${token}/ship`, { carrier: '', trackingRef: '1Z1' }), 400);

    // Expired: the row's expiry passed (its link, made again for that expiry, is refused).
    const row = (await PortalTokenModel.findOne({ where: { purchaseOrderId: rfq.id } }))!;
    const past = new Date(Date.now() - 60_000);
    await PortalTokenModel.update({ expiresAt: past }, { where: { id: row.id } });
    const expired = await anon.get(`/api/portal/${tokenOf({ id: row.id, purchaseOrderId: rfq.id, expiresAt: past })}`);
    expectStatus(expired, 410);
    expect(expired.body.error.code).toBe('link_expired');
    // The old text of the same row no longer matches its expiry.
    expectStatus(await anon.get(`/api/portal/${token}`), 403);

    // Revoked: a fresh link works until the buyer withdraws it.
    const fresh = (await linkOf(rfq.id)).url.split('/portal/')[1]!;
    expect(fresh).not.toBe(token);
    expectStatus(await anon.get(`/api/portal/${fresh}`), 200);
    const revoked = await srv.admin.post(`/api/purchase-orders/${rfq.id}/portal-link/revoke`, {});
    expectStatus(revoked, 200);
    expect(revoked.body.revoked).toBeGreaterThanOrEqual(1);
    const gone = await anon.post(`/api/portal/${fresh}/ship`, { carrier: 'UPS', trackingRef: '1Z2' });
    expectStatus(gone, 410);
    expect(gone.body.error.message).toContain('withdrawn');
    const ds = (await purchase(srv.admin, rfq.id)).pickingIds[0]!;
    expect(((await srv.admin.get(`/api/pickings/${ds}`)).body as Picking).state).toBe('assigned');
    // Only the buyer's revocation note was written meanwhile.
    expect((await count('messages')) - messages).toBe(1);

    // A cancelled RFQ: its link opens it, but it can no longer be accepted.
    const cancelled = await dropshipSale((await vendor()).id);
    const cancelLink = (await linkOf(cancelled.rfq.id)).url.split('/portal/')[1]!;
    expectStatus(await srv.admin.post(`/api/purchase-orders/${cancelled.rfq.id}/cancel`, { force: true }), 200);
    const cview = await anon.get(`/api/portal/${cancelLink}`);
    expect(cview.body.can).toEqual({ quote: false, accept: false, ship: false });
    expectStatus(await anon.post(`/api/portal/${cancelLink}/accept`, {}), 422);
    expectStatus(await anon.post(`/api/portal/${cancelLink}/ship`, { carrier: 'UPS', trackingRef: '1Z3' }), 422);

    // Staff routes for links need purchase rights.
    const sales = await srv.user('sales');
    expectStatus(await sales.get(`/api/purchase-orders/${rfq.id}/portal-link`), 403);
    expectStatus(await sales.post(`/api/purchase-orders/${rfq.id}/portal-link/revoke`, {}), 403);
  });

  it('a vendor shipping to our warehouse: the tracking number goes on the open receipt, for the warehouse to validate on arrival; a partial drop-ship leaves a backorder', async () => {
    const v = await vendor();
    const product = await makeProduct(srv.admin, { routes: ['buy'], vendors: [{ partnerId: v.id, price: 900, minQty: 1, leadDays: 2 }] });
    const created = await srv.admin.post('/api/purchase-orders', { partnerId: v.id, lines: [{ productId: product.id, quantity: 5 }] });
    expectStatus(created, 201);
    const token = (await linkOf(created.body.id)).url.split('/portal/')[1]!;
    const anon = srv.anonymous();
    // Not confirmed yet: nothing to ship.
    expectStatus(await anon.post(`/api/portal/${token}/ship`, { carrier: 'DHL', trackingRef: 'JD0001' }), 422);
    const confirmed = await srv.admin.post(`/api/purchase-orders/${created.body.id}/confirm`, {});
    expectStatus(confirmed, 200);
    const shipped = await anon.post(`/api/portal/${token}/ship`, { carrier: 'DHL', trackingRef: 'JD0001' });
    expectStatus(shipped, 200);
    const receipt = (await srv.admin.get(`/api/pickings/${confirmed.body.pickingIds[0]}`)).body as Picking;
    expect(receipt).toMatchObject({ type: 'incoming', state: 'assigned', carrier: 'DHL', trackingRef: 'JD0001' });
    expect(await quantCount(product.id)).toBe(0);

    // Drop-ship in part: 1 of 3 now, the rest in a backorder the vendor ships later.
    const ds = await dropshipSale(v.id, 3);
    expectStatus(await srv.admin.post(`/api/purchase-orders/${ds.rfq.id}/confirm`, {}), 200);
    const dsToken = (await linkOf(ds.rfq.id)).url.split('/portal/')[1]!;
    const part = await anon.post(`/api/portal/${dsToken}/ship`, { carrier: 'UPS', trackingRef: '1ZA', lines: [{ lineId: ds.rfq.lines[0]!.id, quantity: 1 }] });
    expectStatus(part, 200);
    expect(part.body.lines[0]).toMatchObject({ qtyDone: 1, qtyOpen: 2 });
    expect(part.body.can.ship).toBe(true);
    expect((await srv.admin.get(`/api/sale-orders/${ds.order.id}`)).body.lines[0].qtyDelivered).toBe(1);
    const rest = await anon.post(`/api/portal/${dsToken}/ship`, { carrier: 'UPS', trackingRef: '1ZB' });
    expectStatus(rest, 200);
    expect(rest.body.lines[0]).toMatchObject({ qtyDone: 3, qtyOpen: 0 });
    expect(rest.body.shipments.map((s: { trackingRef: string }) => s.trackingRef).sort()).toEqual(['1ZA', '1ZB']);
    expect((await srv.admin.get(`/api/sale-orders/${ds.order.id}`)).body.lines[0].qtyDelivered).toBe(3);
  });

  it('the portal is rate-limited per link', async () => {
    const v = await vendor();
    const { rfq } = await dropshipSale(v.id);
    const token = (await linkOf(rfq.id)).url.split('/portal/')[1]!;
    const anon = srv.anonymous();
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await anon.get(`/api/portal/${token}`)).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(40)).toContain(429);
  });
});
