import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makePartner, makeProduct } from '../factories/data';
import { useTestServer } from '../support/server';
import { twoUsers } from '../support/browser';

// The pages of a partner and of a product: the record's form and its chatter. A logs a note on a
// partner that B (who has the partner open) sees without a reload; the form saves with its version
// and a stale save offers the current one; a product's page shows its chatter, and the inbox links
// partners and products to their pages.
describe('the partner and product pages in Chromium, two signed-in users', () => {
  const srv = useTestServer();
  const { alice, bob } = twoUsers(srv);

  const messages = (p: Page) => p.getByTestId('chatter-message');
  const loaded = (p: Page) => expect.poll(() => p.getByText('Loading messages…').count()).toBe(0);
  // Events sent before the page's socket is connected would be missed.
  const waitLive = (p: Page) => expect.poll(() => p.getByTitle('Live updates').textContent(), { timeout: 10_000 }).toContain('Live');

  it('A opens a partner from the list and logs a note; B, with the partner page open, sees it live', async () => {
    const partner = await makePartner(alice.api, { name: `Atelier Durand ${Date.now()}` });
    const a = await alice.page();
    const b = await bob.page();

    // B opens the partner by its address, as on a reload: the form is filled, the chatter is there.
    await b.goto(`${srv.url}/partners/${partner.id}`);
    await b.getByTestId('chatter').waitFor();
    expect(await b.getByTestId('record-title').textContent()).toBe(partner.name);
    expect(await b.getByTestId('partner-name').inputValue()).toBe(partner.name);
    expect(await b.getByTestId('partner-city').inputValue()).toBe('Lyon');
    await loaded(b);
    await waitLive(b);
    const bBefore = await messages(b).count();

    // A finds the partner in the list and follows its name to its page.
    await a.goto(`${srv.url}/partners`);
    await a.getByTestId('partner-search').fill(partner.name);
    await a.getByTestId('partner-search').press('Enter');
    const link = a.locator(`[data-testid="partner-row"][data-id="${partner.id}"]`).getByTestId('partner-link');
    await link.waitFor({ timeout: 10_000 });
    expect(await link.getAttribute('href')).toBe(`/partners/${partner.id}`);
    await link.click();
    await a.waitForURL((u) => u.pathname === `/partners/${partner.id}`);
    await a.getByTestId('chatter').waitFor();
    await loaded(a);

    // A logs a note from the composer.
    await a.getByTestId('chatter-mode-note').click();
    expect(await a.getByTestId('chatter-mode-note').getAttribute('aria-pressed')).toBe('true');
    await a.getByTestId('chatter-input').fill('Prefers deliveries <before> noon');
    await a.getByTestId('chatter-submit').click();
    await a.locator('[data-testid="chatter-message"][data-type="note"]').first().waitFor({ timeout: 10_000 });
    expect(await a.getByTestId('chatter-input').inputValue()).toBe('');

    // It is stored on the partner.
    const stored = await alice.api.get(`/api/messages?model=partner&resId=${partner.id}`);
    expect(stored.status).toBe(200);
    const note = stored.body.items.find((m: { type: string }) => m.type === 'note');
    expect(note.body).toBe('<p>Prefers deliveries &lt;before&gt; noon</p>');

    // B sees it without a reload, marked as a note with A's name; A follows the partner now.
    const bNote = b.locator(`[data-testid="chatter-message"][data-id="${note.id}"]`);
    await bNote.waitFor({ timeout: 10_000 });
    expect(await bNote.getAttribute('data-type')).toBe('note');
    expect(await messages(b).count()).toBe(bBefore + 1);
    const text = await bNote.innerText();
    expect(text).toContain('Alice Martin');
    expect(text).toContain('Prefers deliveries <before> noon');
    await expect.poll(() => b.getByTestId('chatter-followers').textContent(), { timeout: 10_000 }).toContain('Alice Martin');
    await b.screenshot({ path: 'test-results/e2e-partner-chatter.png' });

    // A reload of the page's address shows the same partner and its note.
    await b.reload();
    await b.locator(`[data-testid="chatter-message"][data-id="${note.id}"]`).waitFor({ timeout: 10_000 });
    expect(await b.getByTestId('partner-name').inputValue()).toBe(partner.name);
  });

  it('the partner page saves with the version it was filled from; a stale save offers the current version', async () => {
    const partner = await makePartner(alice.api);
    const a = await alice.page();
    const b = await bob.page();
    for (const p of [a, b]) {
      await p.goto(`${srv.url}/partners/${partner.id}`);
      await p.getByTestId('partner-form').waitFor();
    }

    // A saves twice: the second save goes out with the version the first one returned.
    await a.getByTestId('partner-city').fill('Grenoble');
    await a.getByTestId('partner-save').click();
    await expect.poll(() => a.getByTestId('record-notice').textContent(), { timeout: 10_000 }).toBe(`${partner.name} saved.`);
    await a.getByTestId('partner-phone').fill('+33 4 76 00 00 00');
    await a.getByTestId('partner-save').click();
    await expect.poll(async () => (await alice.api.get(`/api/partners/${partner.id}`)).body.phone, { timeout: 10_000 }).toBe('+33 4 76 00 00 00');
    expect((await alice.api.get(`/api/partners/${partner.id}`)).body.city).toBe('Grenoble');
    expect(await a.getByTestId('conflict').count()).toBe(0);

    // B's form is of the first version: the save is refused and the current version offered.
    await b.getByTestId('partner-zip').fill('38000');
    await b.getByTestId('partner-save').click();
    await b.getByTestId('conflict').waitFor({ timeout: 10_000 });
    expect((await alice.api.get(`/api/partners/${partner.id}`)).body.zip).toBeNull();
    await b.getByTestId('conflict-reload').click();
    await expect.poll(() => b.getByTestId('partner-city').inputValue()).toBe('Grenoble');
    expect(await b.getByTestId('conflict').count()).toBe(0);

    // Made again on the current version, B's change is saved.
    await b.getByTestId('partner-zip').fill('38000');
    await b.getByTestId('partner-save').click();
    await expect.poll(async () => (await alice.api.get(`/api/partners/${partner.id}`)).body.zip, { timeout: 10_000 }).toBe('38000');
    const after = (await alice.api.get(`/api/partners/${partner.id}`)).body;
    expect(after.city).toBe('Grenoble');
    expect(after.phone).toBe('+33 4 76 00 00 00');
  });

  it('the product page shows its form and its chatter; the inbox links a product and a partner to their pages', async () => {
    const product = await makeProduct(alice.api);
    const partner = await makePartner(alice.api);
    const a = await alice.page();

    // A finds the product in the list and follows its name to its page.
    await a.goto(`${srv.url}/products`);
    await a.getByTestId('product-search').fill(product.sku);
    await a.getByTestId('product-search').press('Enter');
    const link = a.locator(`[data-testid="product-row"][data-id="${product.id}"]`).getByTestId('product-link');
    await link.waitFor({ timeout: 10_000 });
    expect(await link.getAttribute('href')).toBe(`/products/${product.id}`);
    await link.click();
    await a.waitForURL((u) => u.pathname === `/products/${product.id}`);
    await a.getByTestId('chatter').waitFor();
    await loaded(a);
    expect(await a.getByTestId('record-title').textContent()).toBe(product.name);
    expect(await a.getByTestId('product-sku').inputValue()).toBe(product.sku);
    expect(await a.getByTestId('product-name').inputValue()).toBe(product.name);

    // A logs a note there; it is the product's.
    await a.getByTestId('chatter-mode-note').click();
    await a.getByTestId('chatter-input').fill('Supplier changes the packaging in May');
    await a.getByTestId('chatter-submit').click();
    await a.locator('[data-testid="chatter-message"][data-type="note"]').first().waitFor({ timeout: 10_000 });
    const stored = await alice.api.get(`/api/messages?model=product&resId=${product.id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.items.some((m: { type: string; body: string }) => m.type === 'note' && m.body.includes('packaging in May'))).toBe(true);
    await a.screenshot({ path: 'test-results/e2e-product-page.png' });

    // Notes mentioning B on the product and on the partner: B's inbox links each to its page.
    const onProduct = await alice.api.post('/api/messages', {
      model: 'product',
      resId: product.id,
      type: 'note',
      body: `<p>Stock check please <span data-mention="${bob.api.user!.id}">@Bob Keller</span></p>`,
    });
    expect(onProduct.status).toBe(201);
    const onPartner = await alice.api.post('/api/messages', {
      model: 'partner',
      resId: partner.id,
      type: 'note',
      body: `<p>New billing contact <span data-mention="${bob.api.user!.id}">@Bob Keller</span></p>`,
    });
    expect(onPartner.status).toBe(201);

    const b = await bob.page();
    await b.goto(`${srv.url}/inbox`);
    const item = (id: number) => b.getByTestId('inbox-item').filter({ has: b.locator(`[data-testid="inbox-message"][data-id="${id}"]`) });
    await item(onProduct.body.id).waitFor({ timeout: 10_000 });
    await item(onPartner.body.id).waitFor({ timeout: 10_000 });
    expect(await item(onPartner.body.id).getByTestId('inbox-record').getAttribute('href')).toBe(`/partners/${partner.id}`);
    const productLink = item(onProduct.body.id).getByTestId('inbox-record');
    expect(await productLink.getAttribute('href')).toBe(`/products/${product.id}`);

    // Following it opens the product's page, its chatter showing the note.
    await productLink.click();
    await b.waitForURL((u) => u.pathname === `/products/${product.id}`);
    await b.locator(`[data-testid="chatter-message"][data-id="${onProduct.body.id}"]`).waitFor({ timeout: 10_000 });
    expect(await b.getByTestId('product-name').inputValue()).toBe(product.name);
  });
});
