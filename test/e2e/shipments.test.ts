import { describe, expect, it } from 'vitest';
import { makeOrder, makeProduct } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// The warehouse's wall screen follows the pickings live: A confirms an order and its delivery
// appears on B's screen; the delivery is validated and it leaves the screen, with no reload.
describe('the shipments screen in Chromium', () => {
  const srv = useTestServer();
  const { alice, bob } = twoUsers(srv, { bob: 'warehouse' });

  it('shows a new delivery when A confirms its order, and drops it once validated, without a reload', async () => {
    const product = await makeProduct(srv.admin, { type: 'storable' });
    const adjusted = await srv.admin.post('/api/stock/adjustments', { productId: product.id, quantity: 10 });
    expect(adjusted.status).toBe(200);
    const order = await makeOrder(alice.api, { lines: [{ productId: product.id, quantity: 2 }] });

    // B has the wall screen open; a marker on the window tells a reload apart.
    const b = await bob.page();
    await b.goto(`${srv.url}/shipments`);
    const outbound = b.getByTestId('shipments-outbound');
    await outbound.waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => b.getByTestId('shipments-live').textContent(), { timeout: 10_000 }).toContain('Live');
    expect(await b.getByTestId('shipments-inbound').isVisible()).toBe(true);
    await b.evaluate(() => ((globalThis as unknown as { wallMarker: number }).wallMarker = 42));
    // The room is joined once the socket is up; give the subscription a moment to land.
    await b.waitForTimeout(300);

    // A confirms the order from its page.
    const a = await alice.page();
    await a.goto(`${srv.url}/orders/${order.id}`);
    // The page is live (hydrated, its socket up) before the click: a click on the server-rendered button does nothing.
    await a.locator('.live.online').waitFor({ state: 'visible', timeout: 10_000 });
    await a.getByTestId('action-confirm').click();
    // Confirming reserves stock and raises what the order needs: on a loaded machine it takes more than a second.
    await expect.poll(() => a.getByTestId('order-state').textContent(), { timeout: 15_000 }).toMatch(/sales order/i);

    const list = await bob.api.get(`/api/pickings?saleOrderId=${order.id}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const picking = list.body.items[0];
    expect(picking.type).toBe('outgoing');
    expect(picking.name).toMatch(/^WH\/OUT\//);

    // B's outbound column shows it, without a reload.
    const row = outbound.locator(`[data-testid="shipment-row"][data-name="${picking.name}"]`);
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await row.textContent()).toContain(order.name);
    expect(await b.getByTestId('shipments-inbound').locator(`[data-name="${picking.name}"]`).count()).toBe(0);

    // A's order page leads straight to its delivery.
    await expect.poll(() => a.getByTestId('order-deliveries').getAttribute('data-count'), { timeout: 10_000 }).toBe('1');

    await b.screenshot({ path: 'test-results/e2e-shipments.png' });

    // The warehouse validates the delivery: it leaves B's screen.
    const validated = await bob.api.post(`/api/pickings/${picking.id}/validate`, {});
    expect(validated.status).toBe(200);
    expect(validated.body.picking.state).toBe('done');
    expect(validated.body.backorder).toBeNull();
    await row.waitFor({ state: 'detached', timeout: 10_000 });

    expect(await b.evaluate(() => (globalThis as unknown as { wallMarker?: number }).wallMarker)).toBe(42);
    expect(b.url()).toBe(`${srv.url}/shipments`);
  });
});
