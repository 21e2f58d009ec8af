import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PurchaseOrder } from '../../contracts/schemas/purchasing';
import type { Tender } from '../../contracts/schemas/tenders';
import { makePartner, makeProduct } from '../factories/data';
import { twoUsers } from '../support/browser';
import { expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

// Calls for tenders in Chromium: the comparison page follows the answers as they come in (no reload),
// marks the best price and the fastest, and the choice made on it confirms the purchase orders.
describe('calls for tenders in Chromium', () => {
  const srv = useTestServer();
  const { bob, anonymous } = twoUsers(srv, { alice: 'sales', bob: 'purchase' });

  const marked = (p: Page) => p.evaluate(() => ((globalThis as unknown as { pageMarker: number }).pageMarker = 42));
  const notReloaded = (p: Page) => p.evaluate(() => (globalThis as unknown as { pageMarker?: number }).pageMarker);

  /** Two vendors with email and two products both sell. */
  async function world() {
    const tag = uniqueTag('e2e');
    const vendor = (name: string) =>
      makePartner(srv.admin, { name: `${name} ${tag}`, email: `${name.toLowerCase()}-${tag}@vendor.example.net`, roles: ['vendor'] });
    const [a, b] = [await vendor('Alpha'), await vendor('Bravo')];
    const both = (pa: number, pb: number) => [
      { partnerId: a.id, price: pa, minQty: 1, leadDays: 5 },
      { partnerId: b.id, price: pb, minQty: 1, leadDays: 6 },
    ];
    const bolt = await makeProduct(srv.admin, { name: `Bolt ${tag}`, vendors: both(1000, 1100) });
    const nut = await makeProduct(srv.admin, { name: `Nut ${tag}`, vendors: both(500, 450) });
    return { a, b, bolt, nut };
  }

  const cell = (p: Page, lineId: number, vendorId: number) =>
    p.locator(`[data-testid="comparison-row"][data-line-id="${lineId}"] [data-testid="comparison-cell"][data-vendor-id="${vendorId}"]`);

  it('the comparison shows a vendor’s answer from the portal page and one entered by the buyer without a reload, marks the best price and the fastest, and the choice confirms the POs', async () => {
    const { a, b, bolt, nut } = await world();
    const created = await bob.api.post('/api/tenders', {
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
      lines: [
        { productId: bolt.id, quantity: 10 },
        { productId: nut.id, quantity: 20 },
      ],
    });
    expectStatus(created, 201);
    const sent = await bob.api.post(`/api/tenders/${created.body.id}/send`, {});
    expectStatus(sent, 200);
    const tender = sent.body as Tender;
    const [lineBolt, lineNut] = tender.lines as [Tender['lines'][0], Tender['lines'][0]];
    const rfq = async (vendorId: number) =>
      (await bob.api.get(`/api/purchase-orders/${tender.purchaseOrders.find((o) => o.partnerId === vendorId)!.id}`)).body as PurchaseOrder;
    const rfqA = await rfq(a.id);
    const lineOf = (o: PurchaseOrder, tenderLineId: number) => o.lines.find((l) => l.tenderLineId === tenderLineId)!.id;

    const p = await bob.page();
    await p.goto(`${srv.url}/tenders/${tender.id}`);
    await expect.poll(() => p.getByTestId('tender-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('open');
    await p.locator('.live.online').waitFor({ state: 'visible', timeout: 10_000 });
    await marked(p);
    // Nobody answered yet.
    await expect.poll(() => p.getByTestId('vendor-no-answer').count()).toBe(2);

    // The room is joined once a change made elsewhere shows: the note, changed through the API.
    const before = (await bob.api.get(`/api/tenders/${tender.id}`)).body as Tender;
    expectStatus(await srv.admin.patch(`/api/tenders/${tender.id}`, { version: before.version, note: 'Galvanised, please.' }), 200);
    await expect.poll(() => p.getByTestId('tender-note').textContent(), { timeout: 10_000 }).toBe('Galvanised, please.');

    // A answers in the vendor portal, in a browser of its own (no sign-in), with its RFQ's link.
    const link = (await bob.api.get(`/api/purchase-orders/${rfqA.id}/portal-link`)).body.url as string;
    const vendorPage = await anonymous();
    await vendorPage.goto(link.replace(/^https?:\/\/[^/]+/, srv.url));
    await expect.poll(() => vendorPage.getByTestId('portal-name').textContent(), { timeout: 10_000 }).toContain(rfqA.name);
    const priceOf = (lineId: number) => vendorPage.locator(`[data-testid="portal-quote-price"][data-line-id="${lineId}"]`);
    const leadOf = (lineId: number) => vendorPage.locator(`[data-testid="portal-quote-lead"][data-line-id="${lineId}"]`);
    await priceOf(lineOf(rfqA, lineBolt.id)).fill('9.00');
    await leadOf(lineOf(rfqA, lineBolt.id)).fill('3');
    await priceOf(lineOf(rfqA, lineNut.id)).fill('4.80');
    await leadOf(lineOf(rfqA, lineNut.id)).fill('3');
    await vendorPage.getByTestId('portal-quote-send').click();
    await expect.poll(() => vendorPage.getByTestId('portal-notice').textContent(), { timeout: 10_000 }).toContain('prices were sent');
    // The vendor's page shows its own prices and no one else's.
    expect(await vendorPage.content()).not.toContain(b.name);
    await expect.poll(() => cell(p, lineBolt.id, a.id).getByTestId('comparison-price').textContent(), { timeout: 10_000 }).toContain('9.00');
    expect(await cell(p, lineBolt.id, a.id).getAttribute('data-best')).toBe('price fastest');
    expect(await p.getByTestId('vendor-no-answer').count()).toBe(1);

    // B's answer came by email: the buyer enters it on the page. Cheaper on nuts but slower: the best
    // price on that line moves to B, the fastest stays A.
    await p.locator(`[data-testid="tender-enter-quote"][data-vendor-id="${b.id}"]`).click();
    const quoteLines = p.getByTestId('quote-line');
    await expect.poll(() => quoteLines.count()).toBe(2);
    await p.locator(`[data-testid="quote-line"][data-line-id="${lineBolt.id}"] [data-testid="quote-price"]`).fill('9.50');
    await p.locator(`[data-testid="quote-line"][data-line-id="${lineBolt.id}"] [data-testid="quote-lead"]`).fill('8');
    await p.locator(`[data-testid="quote-line"][data-line-id="${lineNut.id}"] [data-testid="quote-price"]`).fill('4.00');
    await p.locator(`[data-testid="quote-line"][data-line-id="${lineNut.id}"] [data-testid="quote-lead"]`).fill('8');
    await p.getByTestId('quote-submit').click();
    await expect
      .poll(async () => (await rfq(b.id)).lines.map((l) => [l.unitPrice, l.leadDays]), { timeout: 10_000 })
      .toEqual([
        [950, 8],
        [400, 8],
      ]);
    await expect.poll(() => cell(p, lineNut.id, b.id).getAttribute('data-best'), { timeout: 10_000 }).toBe('price');
    expect(await cell(p, lineNut.id, a.id).getAttribute('data-best')).toBe('fastest');
    expect(await cell(p, lineBolt.id, b.id).getAttribute('data-best')).toBeNull();
    await expect.poll(() => p.getByTestId('vendor-no-answer').count()).toBe(0);
    expect(await p.locator(`[data-testid="vendor-total"][data-vendor-id="${b.id}"]`).textContent()).toContain('175.00');
    expect(await notReloaded(p)).toBe(42);

    // Each line starts on its best price: bolts from A, nuts from B. Choose.
    expect(await cell(p, lineBolt.id, a.id).getByTestId('comparison-pick').isChecked()).toBe(true);
    expect(await cell(p, lineNut.id, b.id).getByTestId('comparison-pick').isChecked()).toBe(true);
    await p.getByTestId('tender-choose').click();
    await expect.poll(() => p.getByTestId('tender-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('chosen');
    const [poA, poB] = [await rfq(a.id), await rfq(b.id)];
    expect(poA).toMatchObject({ state: 'purchase' });
    expect(poA.lines.map((l) => l.productId)).toEqual([bolt.id]);
    expect(poB).toMatchObject({ state: 'purchase' });
    expect(poB.lines.map((l) => l.productId)).toEqual([nut.id]);
    await expect.poll(() => cell(p, lineBolt.id, a.id).locator('.tag-chosen').count()).toBe(1);
    expect(await p.getByTestId('tender-choose').count()).toBe(0);
  });

  it('a new call for tenders from the form: the products’ vendors are asked by default', async () => {
    const { a, b, bolt } = await world();
    const p = await bob.page();
    await p.goto(`${srv.url}/tenders/new?lines=${bolt.id}:7&origin=Replenishment`);
    await expect.poll(() => p.getByTestId('new-tender-vendor').count(), { timeout: 10_000 }).toBe(2);
    for (const v of [a, b]) expect(await p.locator(`[data-testid="new-tender-vendor"][data-vendor-id="${v.id}"]`).isChecked()).toBe(true);
    expect(await p.getByTestId('new-tender-quantity').inputValue()).toBe('7');
    await p.getByTestId('new-tender-submit').click();
    await p.waitForURL(/\/tenders\/\d+$/, { timeout: 10_000 });
    await expect.poll(() => p.getByTestId('tender-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('draft');
    const id = Number(new URL(p.url()).pathname.split('/').pop());
    const tender = (await bob.api.get(`/api/tenders/${id}`)).body as Tender;
    expect(tender).toMatchObject({ origin: 'Replenishment', vendorIds: [a.id, b.id] });
    expect(tender.lines).toMatchObject([{ productId: bolt.id, quantity: 7 }]);
  });
});
