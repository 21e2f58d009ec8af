import { describe, expect, it } from 'vitest';
import { makePartner, makeProduct } from '../factories/data';
import { twoUsers } from '../support/browser';
import { expectStatus } from '../support/expect';
import { useTestServer } from '../support/server';

// The vendor portal in Chromium: a vendor with the link of a drop-ship purchase order (no sign-in)
// accepts it and reports the shipment in the page; the buyer, with the order open in another browser,
// sees each answer arrive without a reload. A withdrawn link shows a clear page and no data.
describe('the vendor portal in Chromium', () => {
  const srv = useTestServer();
  const { alice, anonymous } = twoUsers(srv, { alice: 'purchase' });

  it('a vendor accepts and ships a drop-ship order in the portal; the buyer sees it live; a withdrawn link shows nothing', async () => {
    const vendor = await makePartner(srv.admin, { name: 'Vera Dropship', roles: ['vendor'], email: 'vera@vendor.example' });
    const product = await makeProduct(srv.admin, { routes: ['dropship'], vendors: [{ partnerId: vendor.id, price: 4200, minQty: 1, leadDays: 3 }] });
    const customer = await makePartner(srv.admin, { name: 'Zoë Dupré', email: 'zoe@example.com' });
    const shippingAddress = { name: 'Zoë Dupré', street: '12 rue des Écoles', zip: '75005', city: 'Paris', countryCode: 'FR' };
    const sale = await srv.admin.post('/api/sale-orders', { partnerId: customer.id, shippingAddress, lines: [{ productId: product.id, quantity: 2 }] });
    expectStatus(await srv.admin.post(`/api/sale-orders/${sale.body.id}/confirm`, {}), 200);
    const po = (await srv.admin.get(`/api/purchase-orders?partnerId=${vendor.id}`)).body.items[0];
    expectStatus(await srv.admin.post(`/api/purchase-orders/${po.id}/confirm`, {}), 200);

    // The buyer watches the order.
    const buyer = await alice.page();
    await buyer.goto(`${srv.url}/purchases/${po.id}`);
    await buyer.getByTestId('purchase-vendor-panel').waitFor();
    await buyer.locator('.live.online').waitFor({ timeout: 10_000 });
    await buyer.evaluate(() => ((globalThis as unknown as { pageMarker: number }).pageMarker = 42));
    // The buyer copies the portal link from the order.
    await buyer.getByTestId('portal-link-show').click();
    const url = await buyer.getByTestId('portal-link').inputValue();
    expect(url).toContain('/portal/');

    // The vendor opens it: its order, the customer's address, no console.
    const v = await anonymous();
    const errors: string[] = [];
    v.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await v.goto(url.replace(/^https?:\/\/[^/]+/, srv.url));
    await expect.poll(() => v.getByTestId('portal-name').textContent()).toContain(po.name);
    expect(await v.getByTestId('portal-deliver-to').textContent()).toContain('12 rue des Écoles');
    expect(await v.locator('.topbar').count()).toBe(0);
    await v.getByTestId('portal-accept').click();
    await v.getByTestId('portal-accepted').waitFor();
    // The buyer sees the acceptance without a reload.
    await buyer.getByTestId('vendor-accepted').waitFor({ timeout: 10_000 });

    await v.getByTestId('portal-carrier').fill('UPS');
    await v.getByTestId('portal-tracking').fill('1Z999');
    await v.getByTestId('portal-ship').click();
    await expect.poll(() => v.getByTestId('portal-notice').textContent()).toContain('shipment was recorded');
    expect(await v.getByTestId('portal-shipments').textContent()).toContain('1Z999');
    expect(await v.getByTestId('portal-ship').count()).toBe(0);
    await v.screenshot({ path: 'docs/vendor-portal.png', fullPage: true });
    // The buyer's chatter shows the vendor's message, live; the page was not reloaded.
    await buyer.locator('[data-testid="chatter"]').getByText('1Z999', { exact: false }).first().waitFor({ timeout: 10_000 });
    expect(await buyer.evaluate(() => (globalThis as unknown as { pageMarker?: number }).pageMarker)).toBe(42);
    expect((await srv.admin.get(`/api/sale-orders/${sale.body.id}`)).body.lines[0].qtyDelivered).toBe(2);

    // The buyer withdraws the link: the vendor's next visit shows a clear page, and no data.
    await buyer.getByTestId('portal-link-revoke').click();
    await buyer.getByTestId('portal-link-revoke-confirm').click();
    await expect.poll(() => buyer.getByTestId('purchase-vendor-panel').textContent()).toContain('withdrawn');
    await v.reload();
    await v.getByTestId('portal-error').waitFor();
    expect(await v.getByTestId('portal-error').textContent()).toContain('withdrawn');
    expect(await v.content()).not.toContain('12 rue des Écoles');
    expect(errors.filter((e) => !/410|Gone/.test(e))).toEqual([]);
  });
});
