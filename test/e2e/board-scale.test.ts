import { describe, expect, it } from 'vitest';
import { makePartner, makeProduct } from '../factories/data';
import { expectStatus } from '../support/expect';
import { useBrowser } from '../support/browser';
import { useTestServer } from '../support/server';

// The board past its count limit (BOARD_COUNT_LIMIT, 150 here, 10,000 by default): the total and the
// kanban column say "150+", and scrolling the list to the end loads the next pages by their keyset
// cursor until the real end, where the total becomes exact.
describe('the board past its count limit, in Chromium', () => {
  const srv = useTestServer({ env: () => ({ BOARD_COUNT_LIMIT: '150' }) });
  const { signIn } = useBrowser(srv);
  const ORDERS = 260;

  it('shows "150+", then scrolls page after page (by cursor) to every order, and the exact total at the end', async () => {
    const partner = await makePartner(srv.admin, { name: 'Scale Customer' });
    const product = await makeProduct(srv.admin, { listPrice: 1000 });
    for (let i = 0; i < ORDERS; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async () =>
          expectStatus(await srv.admin.post('/api/sale-orders', { partnerId: partner.id, lines: [{ productId: product.id, quantity: 1 }] }), 201),
        ),
      );
    }
    const page = await signIn('admin@example.com', 'admin-password-1');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${srv.url}/`);
    const total = page.getByTestId('orders-total');
    await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe('150+ orders');

    // Scroll to the end, again and again: each full page at the end adds the next.
    const scroller = page.locator('.scroller');
    for (let i = 0; i < 6; i++) {
      await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(400);
      if ((await total.textContent()) === `${ORDERS} orders`) break;
    }
    await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe(`${ORDERS} orders`);
    // The last row is the oldest order: every order was reached, in order.
    const oldest = (await srv.admin.get(`/api/sale-orders?sort=createdAt&limit=1`)).body.items[0];
    await expect.poll(() => page.locator(`[data-testid="order-row"][data-id="${oldest.id}"]`).count(), { timeout: 10_000 }).toBe(1);

    // The kanban's quotation column counts up to the limit too.
    await page.getByTestId('view-kanban').click();
    const draft = page.locator('[data-testid="kanban-column"][data-state="draft"] .count');
    await expect.poll(() => draft.textContent(), { timeout: 10_000 }).toMatch(/^\s*150\+\s*$/);
    await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe('150+ orders');
  });
});
