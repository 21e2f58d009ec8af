import { describe, expect, it } from 'vitest';
import { makePartner } from '../factories/data';
import { expectStatus } from '../support/expect';
import { useBrowser } from '../support/browser';
import { useTestServer } from '../support/server';

// A list screen past its count limit (BOARD_COUNT_LIMIT, 10 here, 10,000 by default), the invoices for
// one: the title and the pager say "25+" while more pages follow, "Next" asks the next page by its
// keyset cursor (after=), and the last page makes the total exact.
describe('the invoices list past the count limit, in Chromium', () => {
  const srv = useTestServer({ env: () => ({ BOARD_COUNT_LIMIT: '10' }) });
  const { signIn } = useBrowser(srv);
  const BILLS = 30;

  it('shows "25+", pages forward by cursor to the exact total, and back', async () => {
    const vendor = await makePartner(srv.admin, { name: 'Cursor Vendor', roles: ['vendor'] });
    for (let i = 0; i < BILLS; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async (_x, k) =>
          expectStatus(
            await srv.admin.post('/api/invoices', { partnerId: vendor.id, lines: [{ description: `Service ${i + k}`, quantity: 1, unitPrice: 1000 }] }),
            201,
          ),
        ),
      );
    }
    const page = await signIn('admin@example.com', 'admin-password-1');
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/invoices?')) asked.push(r.url());
    });
    await page.goto(`${srv.url}/invoices?partnerId=${vendor.id}`);
    const total = page.getByTestId('invoices-total');
    const range = page.getByTestId('pager-range');
    await expect.poll(() => total.textContent(), { timeout: 10_000 }).toBe('25+ documents');
    await expect.poll(() => range.textContent()).toBe('1–25 of 25+');
    await expect.poll(() => page.getByTestId('invoice-row').count()).toBe(25);

    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByTestId('invoice-row').count(), { timeout: 10_000 }).toBe(BILLS - 25);
    await expect.poll(() => total.textContent()).toBe(`${BILLS} documents`);
    await expect.poll(() => range.textContent()).toBe(`26–${BILLS} of ${BILLS}`);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    expect(asked.some((u) => new URL(u).searchParams.has('after'))).toBe(true);

    // Back to the first page: the same rows as before.
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => page.getByTestId('invoice-row').count(), { timeout: 10_000 }).toBe(25);
    await expect.poll(() => range.textContent()).toBe('1–25 of 25+');
  });
});
