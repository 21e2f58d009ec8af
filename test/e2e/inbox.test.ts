import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeOrder } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// The inbox in two browsers: A @mentions B from the chatter's autocomplete, and B's header badge counts
// it without a reload; B's inbox lists it. A hostile body posted through the API stays inert there.
describe('the inbox in Chromium, two signed-in users', () => {
  const srv = useTestServer();
  const { alice, bob } = twoUsers(srv);

  const badge = (p: Page) => p.getByTestId('inbox-badge');
  // Events sent before the page's socket is connected would be missed.
  const waitLive = (p: Page) => expect.poll(() => p.getByTitle('Live updates').textContent(), { timeout: 10_000 }).toContain('Live');

  it('A mentions B in a note picked from the autocomplete; B sees the badge go from 0 to 1 live, and the inbox lists it', async () => {
    const order = await makeOrder(alice.api);
    const a = await alice.page();
    const b = await bob.page();

    // B sits on the board, the header's badge showing nothing unread.
    await b.goto(`${srv.url}/`);
    await badge(b).waitFor({ state: 'attached' });
    await waitLive(b);
    await expect.poll(() => badge(b).textContent()).toBe('0');
    expect(await badge(b).isHidden()).toBe(true);

    // A types @ and the start of B's name in the note composer, and picks B from the list.
    await a.goto(`${srv.url}/orders/${order.id}`);
    await a.getByTestId('chatter').waitFor();
    await a.getByTestId('chatter-mode-note').click();
    const input = a.getByTestId('chatter-input');
    await input.click();
    await input.pressSequentially('Please check the address @Bo', { delay: 20 });
    const option = a.getByTestId('mention-option').filter({ hasText: 'Bob Keller' });
    await option.waitFor({ timeout: 10_000 });
    expect(await input.getAttribute('aria-activedescendant')).toBeTruthy();
    await option.click();
    expect(await input.inputValue()).toBe('Please check the address @Bob Keller ');
    expect(await a.getByTestId('mention-option').count()).toBe(0);
    await input.pressSequentially('before shipping');
    await a.getByTestId('chatter-submit').click();
    await a.locator('[data-testid="chatter-message"][data-type="note"]').first().waitFor({ timeout: 10_000 });
    expect(await a.getByTestId('chatter-input').inputValue()).toBe('');

    // The picked name went out as the mention span, the rest as escaped text.
    const stored = await alice.api.get(`/api/messages?model=saleOrder&resId=${order.id}`);
    expect(stored.status).toBe(200);
    const note = stored.body.items.find((m: { type: string }) => m.type === 'note');
    expect(note.body).toBe(`<p>Please check the address <span data-mention="${bob.api.user!.id}">@Bob Keller</span> before shipping</p>`);

    // B's badge counts it without a reload.
    await expect.poll(() => badge(b).textContent(), { timeout: 10_000 }).toBe('1');
    expect(await badge(b).isVisible()).toBe(true);

    // B's inbox lists it: a mention, unread, by A, linking to the order.
    await b.getByTestId('inbox-link').click();
    await b.waitForURL((u) => u.pathname === '/inbox');
    const items = b.getByTestId('inbox-item');
    await items.first().waitFor({ timeout: 10_000 });
    expect(await items.count()).toBe(1);
    const item = items.first();
    expect(await item.getAttribute('data-reason')).toBe('mention');
    expect(await item.getAttribute('data-read')).toBe('false');
    const text = await item.innerText();
    expect(text).toContain('Mentioned you');
    expect(text).toContain('Alice Martin');
    expect(text).toContain('@Bob Keller before shipping');
    expect(await item.getByTestId('inbox-record').getAttribute('href')).toBe(`/orders/${order.id}`);

    await b.screenshot({ path: 'test-results/e2e-inbox.png' });

    // Marking it read empties the badge.
    await b.getByTestId('inbox-read-all').click();
    await expect.poll(() => item.getAttribute('data-read')).toBe('true');
    await expect.poll(() => badge(b).textContent()).toBe('0');
    expect(await badge(b).isHidden()).toBe(true);
  });

  it('a message with script and event-handler markup, posted through the API, is inert in the inbox', async () => {
    const order = await makeOrder(alice.api);
    const b = await bob.page();
    const dialogs: string[] = [];
    b.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    // B has the inbox open first, so the notification has to arrive live.
    await b.goto(`${srv.url}/inbox`);
    await expect.poll(() => b.getByText('Loading…').count()).toBe(0);
    await waitLive(b);

    const posted = await alice.api.post('/api/messages', {
      model: 'saleOrder',
      resId: order.id,
      type: 'comment',
      body:
        `<p>Hello <span data-mention="${bob.api.user!.id}">@Bob Keller</span> <img src=x onerror="window.__pwned=1"> there</p>` +
        '<script>window.__pwned=1</script>',
    });
    expect(posted.status).toBe(201);

    const item = b.getByTestId('inbox-item').filter({ has: b.locator(`[data-testid="inbox-message"][data-id="${posted.body.id}"]`) });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.innerText()).toContain('Hello @Bob Keller');
    // Give a broken image every chance to fire its handler.
    await b.waitForTimeout(500);
    expect(await b.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await item.locator('script').count()).toBe(0);
    expect(await item.locator('[onerror]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
