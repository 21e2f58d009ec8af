import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeOrder } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// The chatter of an order in two browsers: A logs a note, B (who has the order open) sees it without a
// reload, and a hostile body posted through the API is shown as inert text, never run.
describe('the order chatter in Chromium, two signed-in users', () => {
  const srv = useTestServer();
  const { alice, bob } = twoUsers(srv);

  const messages = (p: Page) => p.getByTestId('chatter-message');

  it('A logs a note that B sees live; an HTML body posted through the API does not run', async () => {
    const order = await makeOrder(alice.api);
    const a = await alice.page();
    const b = await bob.page();
    const dialogs: string[] = [];
    b.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    // B has the order open first, so the note has to arrive live.
    await b.goto(`${srv.url}/orders/${order.id}`);
    await b.getByTestId('chatter').waitFor();
    await expect.poll(() => b.getByText('Loading messages…').count()).toBe(0);
    const bBefore = await messages(b).count();

    // A logs a note from the composer (Ctrl+Enter submits).
    await a.goto(`${srv.url}/orders/${order.id}`);
    await a.getByTestId('chatter').waitFor();
    await a.getByTestId('chatter-mode-note').click();
    expect(await a.getByTestId('chatter-mode-note').getAttribute('aria-pressed')).toBe('true');
    await a.getByTestId('chatter-input').fill('Customer asked for <fast> delivery\nCall before noon');
    await a.getByTestId('chatter-input').press('Control+Enter');
    const aNote = a.locator('[data-testid="chatter-message"][data-type="note"]');
    await aNote.first().waitFor({ timeout: 10_000 });
    expect(await a.getByTestId('chatter-input').inputValue()).toBe('');

    // The body was escaped on the way: the angle brackets are text, the line break a <br>.
    const stored = await alice.api.get(`/api/messages?model=saleOrder&resId=${order.id}`);
    expect(stored.status).toBe(200);
    const note = stored.body.items.find((m: { type: string }) => m.type === 'note');
    expect(note.body).toMatch(/^<p>Customer asked for &lt;fast&gt; delivery<br ?\/?>Call before noon<\/p>$/);

    // B sees it without a reload, marked as a note with A's name.
    const bNote = b.locator('[data-testid="chatter-message"][data-type="note"]');
    await bNote.first().waitFor({ timeout: 10_000 });
    expect(await messages(b).count()).toBe(bBefore + 1);
    const text = await bNote.first().innerText();
    expect(text).toContain('Alice Martin');
    expect(text).toContain('Customer asked for <fast> delivery');
    // A follows the order now that A posted on it.
    await expect.poll(() => b.getByTestId('chatter-followers').textContent(), { timeout: 10_000 }).toContain('Alice Martin');

    // A message with an event-handler payload, posted through the API, arrives live and stays inert.
    const posted = await alice.api.post('/api/messages', {
      model: 'saleOrder',
      resId: order.id,
      type: 'comment',
      body: '<p>Hello <img src=x onerror="window.__xss=1"> there</p>',
    });
    expect(posted.status).toBe(201);
    const bComment = b.locator(`[data-testid="chatter-message"][data-id="${posted.body.id}"]`);
    await bComment.waitFor({ timeout: 10_000 });
    expect(await bComment.getAttribute('data-type')).toBe('comment');
    expect(await bComment.innerText()).toContain('Hello');
    // Give a broken image every chance to fire its handler.
    await b.waitForTimeout(500);
    expect(await b.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await bComment.locator('[onerror]').count()).toBe(0);
    expect(dialogs).toEqual([]);

    await b.getByTestId('chatter').screenshot({ path: 'test-results/e2e-chatter.png' });
  });
});
