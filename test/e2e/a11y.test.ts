import { beforeAll, describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import { confirmedOrder, invoiceOrder, postInvoice } from '../factories/invoicing';
import { deliveryOf } from '../factories/purchasing';
import { expectNoSeriousA11yViolations } from '../support/a11y';
import { useBrowser } from '../support/browser';
import { useTestServer } from '../support/server';

// axe-core on the console's main screens, in the light and the dark theme: no serious or critical
// violation (contrast, names, labels, landmarks…) on the order board (list and kanban), an order, a
// transfer, an invoice, the shipments wall, the dashboard and the sales analysis.
describe('accessibility of the console in Chromium', () => {
  const srv = useTestServer();
  const { signIn } = useBrowser(srv);
  let orderId: number;
  let pickingId: number;
  let invoiceId: number;

  beforeAll(async () => {
    const order = await confirmedOrder(srv.admin, [
      { quantity: 2, unitPrice: 1250 },
      { quantity: 1, unitPrice: 999 },
    ]);
    orderId = order.id;
    pickingId = (await deliveryOf(srv.admin, order.id)).id;
    invoiceId = (await postInvoice(srv.admin, (await invoiceOrder(srv.admin, order.id)).id)).id;
  });

  type Screen = { name: string; path: () => string; ready: (page: Page) => Promise<unknown> };
  const screens: Screen[] = [
    { name: 'dashboard', path: () => '/dashboard', ready: (p) => p.getByTestId('tile').first().waitFor() },
    { name: 'sales analysis', path: () => '/reports?tab=sales', ready: (p) => p.getByTestId('sales-total').first().waitFor() },
    { name: 'order board (list)', path: () => '/', ready: (p) => p.getByTestId('order-row').first().waitFor() },
    { name: 'order board (nothing found)', path: () => '/?q=no-such-order', ready: (p) => p.getByText('No orders match these filters.').waitFor() },
    { name: 'order board (kanban)', path: () => '/?view=kanban', ready: (p) => p.getByTestId('kanban-column').first().waitFor() },
    { name: 'order page', path: () => `/orders/${orderId}`, ready: (p) => p.getByTestId('order-state').waitFor() },
    { name: 'picking page', path: () => `/pickings/${pickingId}`, ready: (p) => p.getByTestId('picking-name').waitFor() },
    { name: 'invoice page', path: () => `/invoices/${invoiceId}`, ready: (p) => p.getByTestId('invoice-state').waitFor() },
    { name: 'shipments wall', path: () => '/shipments', ready: (p) => p.locator('[data-testid="shipment-row"]').first().waitFor() },
  ];

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no serious or critical violation in the ${scheme} theme`, async () => {
      const page = await signIn('admin@example.com', 'admin-password-1');
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      for (const screen of screens) {
        await page.goto(`${srv.url}${screen.path()}`);
        await screen.ready(page);
        await page.locator(`html[data-theme="${scheme}"]`).waitFor({ state: 'attached' });
        // Live data settled (the socket is up, flashes and transitions done).
        await page.waitForTimeout(300);
        await expectNoSeriousA11yViolations(page, `${screen.name}, ${scheme}`);
      }
    });
  }

  it('has no serious or critical violation on a phone: the board as cards, the open menu, a transfer', async () => {
    const page = await signIn('admin@example.com', 'admin-password-1');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${srv.url}/`);
    await page.getByTestId('order-row').first().waitFor();
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('main-nav').waitFor();
    await expectNoSeriousA11yViolations(page, 'order board on a phone, menu and filters open');
    await page.goto(`${srv.url}/pickings/${pickingId}`);
    await page.getByTestId('picking-name').waitFor();
    await expectNoSeriousA11yViolations(page, 'picking page on a phone');
  });
});
