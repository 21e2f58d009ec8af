import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makePartner, makeProduct } from '../factories/data';
import { confirmedOrder, deliveryOf } from '../factories/purchasing';
import { setStock } from '../factories/stock';
import { useBrowser } from '../support/browser';
import { useTestServer } from '../support/server';

// The console on a wall screen, a tablet and a phone, and in the dark: the shipments wall fits 1024×768
// and a portrait tablet and turns its pages by itself; on a phone the board shows cards, the kanban one
// column at a time, the bar folds behind a menu button and a delivery is validated with a finger-sized button; the theme follows the
// system until toggled in the bar, which the browser remembers.
describe('layouts and themes in Chromium', () => {
  const srv = useTestServer();
  const { signIn } = useBrowser(srv);
  const ORDERS = 24;
  let deliveryIds: number[] = [];

  beforeAll(async () => {
    const product = await makeProduct(srv.admin, { type: 'storable' });
    await setStock(srv.admin, product.id, 1000);
    const customer = await makePartner(srv.admin, { name: 'Wall & Co' });
    for (let i = 0; i < ORDERS; i++) {
      const order = await confirmedOrder(srv.admin, product.id, 1, customer.id);
      deliveryIds.push((await deliveryOf(srv.admin, order.id)).id);
    }
    deliveryIds = deliveryIds.sort((a, b) => a - b);
  });

  const admin = () => signIn('admin@example.com', 'admin-password-1');
  const box = async (page: Page, selector: string) => {
    const b = await page.locator(selector).first().boundingBox();
    if (!b) throw new Error(`${selector} is not shown`);
    return b;
  };
  const pageOf = (page: Page, testid: string) => page.getByTestId(testid).getAttribute('data-page');

  it('the shipments wall fits 1024×768, its clock on one line, and turns the pages of a long column by itself', async () => {
    const page = await admin();
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${srv.url}/shipments?flip=1`);
    const outbound = page.getByTestId('shipments-outbound');
    await outbound.locator('[data-testid="shipment-row"]').first().waitFor();
    await expect.poll(() => page.getByTestId('shipments-live').textContent(), { timeout: 10_000 }).toContain('Live');

    // The clock (time and day) is one line: no taller than its time; the header is one line too.
    const clock = await box(page, '[data-testid="wall-clock"]');
    const time = await box(page, '[data-testid="wall-clock"] .time');
    expect(clock.height).toBeLessThanOrEqual(time.height * 1.15);
    expect(clock.x + clock.width).toBeLessThanOrEqual(1024);
    expect((await box(page, '[data-testid="wall-large"]')).y).toBeLessThan(clock.y + clock.height);

    // Nothing spills off the screen: no page scroll, the last row shown ends above the bottom.
    expect(await page.evaluate<number>('document.documentElement.scrollHeight')).toBeLessThanOrEqual(768);
    const rows = outbound.locator('[data-testid="shipment-row"]');
    const shown = await rows.count();
    expect(shown).toBeGreaterThanOrEqual(6);
    expect(shown).toBeLessThan(ORDERS);
    const last = await rows.nth(shown - 1).boundingBox();
    expect(last!.y + last!.height).toBeLessThanOrEqual(768);

    // More than fit: pages, with their indicator, turning by themselves (every second here).
    const pages = Number(await outbound.getAttribute('data-pages'));
    expect(pages).toBe(Math.ceil(ORDERS / shown));
    expect(await outbound.getByTestId('wall-page').textContent()).toMatch(new RegExp(`Page \\d of ${pages}`));
    const first = await rows.first().getAttribute('data-name');
    const startPage = await pageOf(page, 'shipments-outbound');
    await expect.poll(() => pageOf(page, 'shipments-outbound'), { timeout: 5_000 }).not.toBe(startPage);
    await expect.poll(() => rows.first().getAttribute('data-name'), { timeout: 5_000 }).not.toBe(first);
    // Back to the first page after the last.
    await expect.poll(() => pageOf(page, 'shipments-outbound'), { timeout: 3_000 * pages }).toBe('1');
    expect(await outbound.getByTestId('wall-page').textContent()).toContain(`Page 1 of ${pages}`);

    // The screenshot between two turns, without the slide.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await expect.poll(() => pageOf(page, 'shipments-outbound'), { timeout: 3_000 * pages }).toBe('1');
    await page.screenshot({ path: 'docs/wall-1024x768.png' });
  });

  it('the wall fits a portrait tablet; large text is a switch on the wall, remembered, and ?large=1; reduced motion turns pages without sliding', async () => {
    const page = await admin();
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${srv.url}/shipments?flip=1`);
    const outbound = page.getByTestId('shipments-outbound');
    await outbound.locator('[data-testid="shipment-row"]').first().waitFor();
    const clock = await box(page, '[data-testid="wall-clock"]');
    const time = await box(page, '[data-testid="wall-clock"] .time');
    expect(clock.height).toBeLessThanOrEqual(time.height * 1.15);
    expect(await page.evaluate<number>('document.documentElement.scrollHeight')).toBeLessThanOrEqual(1024);
    // Portrait: the columns one above the other.
    const out = await box(page, '[data-testid="shipments-outbound"]');
    const inb = await box(page, '[data-testid="shipments-inbound"]');
    expect(inb.y).toBeGreaterThanOrEqual(out.y + out.height);
    expect(inb.y + inb.height).toBeLessThanOrEqual(1024);
    const slide = `getComputedStyle(document.querySelector('[data-testid="shipments-outbound"] ol')).animationName`;
    expect(await page.evaluate<string>(slide)).toBe('none');
    await expect.poll(() => pageOf(page, 'shipments-outbound'), { timeout: 5_000 }).toBe('2');

    // Large text: fewer, bigger rows; the switch is remembered by this browser.
    const rows = outbound.locator('[data-testid="shipment-row"]');
    const normalHeight = (await rows.first().boundingBox())!.height;
    const large = page.getByTestId('wall-large');
    expect(await large.getAttribute('aria-pressed')).toBe('false');
    await large.click();
    expect(await large.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await rows.first().boundingBox())!.height).toBeGreaterThan(normalHeight * 1.2);
    await page.reload();
    await page.getByTestId('shipments-wall').waitFor();
    expect(await page.getByTestId('shipments-wall').getAttribute('data-large')).toBe('true');
    await page.getByTestId('wall-large').click();
    expect(await page.getByTestId('shipments-wall').getAttribute('data-large')).toBe('false');

    // ?large=1 in the address, as a wall's kiosk browser is set up.
    await page.goto(`${srv.url}/shipments?large=1`);
    await page.getByTestId('shipments-wall').waitFor();
    expect(await page.getByTestId('shipments-wall').getAttribute('data-large')).toBe('true');
  });

  it('on a phone the board shows cards and the bar a menu button that opens the navigation', async () => {
    const page = await admin();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${srv.url}/`);
    const row = page.getByTestId('order-row').first();
    await row.waitFor();

    // A card: taller than a table row, its number and customer one above the other, no sideways scroll.
    const card = (await row.boundingBox())!;
    expect(card.height).toBeGreaterThanOrEqual(100);
    expect(card.width).toBeLessThanOrEqual(390);
    const name = (await row.locator('.c-name').boundingBox())!;
    const customer = (await row.locator('.c-customer').boundingBox())!;
    expect(customer.y).toBeGreaterThanOrEqual(name.y + name.height - 1);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // The first cards are on the first screen: the filters wait behind their button.
    expect(card.y + card.height).toBeLessThanOrEqual(844);
    expect(await page.getByTestId('order-search').isVisible()).toBe(false);
    await page.screenshot({ path: 'docs/board-phone.png' });
    await page.getByTestId('filters-toggle').click();
    expect(await page.getByTestId('filters-toggle').getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('order-search').isVisible()).toBe(true);

    // The links fold behind the menu button (a disclosure), which opens and closes them.
    const toggle = page.getByTestId('nav-toggle');
    const nav = page.getByTestId('main-nav');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await nav.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await nav.isVisible()).toBe(false);
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid')")).toBe('nav-toggle');
    // Keyboard: Enter opens it, and a link in it leads on (and folds it).
    await page.keyboard.press('Enter');
    const deliveries = nav.getByRole('link', { name: 'Deliveries' });
    expect((await deliveries.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await deliveries.click();
    await page.waitForURL(`${srv.url}/deliveries`);
    expect(await nav.isVisible()).toBe(false);

    // Wide enough (a landscape tablet and up): the links are in the bar, no menu button.
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await toggle.isVisible()).toBe(false);
    expect(await nav.isVisible()).toBe(true);
  });

  it('on a phone the kanban shows one column at a time, the next one peeking in, and a swipe snaps to it', async () => {
    const page = await admin();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${srv.url}/?view=kanban`);
    const columns = page.getByTestId('kanban-column');
    await page.getByTestId('order-row').first().waitFor();
    const [first, second] = [(await columns.nth(0).boundingBox())!, (await columns.nth(1).boundingBox())!];
    // The first column takes most of the screen; the second starts on it, cut off at its edge.
    expect(first.width).toBeGreaterThan(390 * 0.7);
    expect(first.x + first.width).toBeLessThanOrEqual(390);
    expect(second.x).toBeLessThan(390);
    expect(second.x + second.width).toBeGreaterThan(390);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // The board scrolls sideways by itself, snapping to a column's start.
    const board = page.locator('.kanban');
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.kanban')).scrollSnapType")).toBe('x mandatory');
    await page.evaluate("document.querySelector('.kanban').scrollBy({ left: 60, behavior: 'instant' })");
    await expect.poll(async () => Math.round((await columns.nth(1).boundingBox())!.x - (await board.boundingBox())!.x)).toBeLessThanOrEqual(1);
  });

  it("on a phone a delivery's Validate button is finger-sized (44 px or more) and validates it", async () => {
    const page = await admin();
    await page.setViewportSize({ width: 390, height: 844 });
    const id = deliveryIds[deliveryIds.length - 1]!;
    await page.goto(`${srv.url}/pickings/${id}`);
    await page.locator('.live.online').waitFor({ state: 'visible', timeout: 10_000 });
    const validate = page.getByTestId('picking-validate');
    const b = (await validate.boundingBox())!;
    expect(b.height).toBeGreaterThanOrEqual(44);
    expect(b.x + b.width).toBeLessThanOrEqual(390);
    // The columns stack: the chatter is under the products, not beside them.
    const products = await box(page, '[data-testid="move-row"]');
    const chatter = await box(page, '[data-testid="chatter"]');
    expect(chatter.y).toBeGreaterThan(products.y + products.height);
    expect(chatter.x + chatter.width).toBeLessThanOrEqual(390);
    const done = page.getByTestId('move-done').first();
    expect((await done.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await done.fill('1');
    await validate.click();
    await expect.poll(() => page.getByTestId('picking-state').textContent(), { timeout: 10_000 }).toBe('Done');
    const res = await srv.admin.get(`/api/pickings/${id}`);
    expect(res.body.state).toBe('done');
  });

  it('the theme follows the system until the bar toggles it; the choice is remembered, and the inline theme script passes the page policy', async () => {
    const policyErrors: string[] = [];
    const page = await admin();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) policyErrors.push(m.text());
    });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${srv.url}/`);
    await page.getByTestId('theme-toggle').waitFor();
    const theme = () => page.evaluate<string | undefined>('document.documentElement.dataset.theme');
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(await theme()).toBe('light');
    const lightBackground = await background();

    await page.getByTestId('theme-toggle').click();
    expect(await theme()).toBe('dark');
    expect(await page.getByTestId('theme-toggle').getAttribute('aria-pressed')).toBe('true');
    const darkBackground = await background();
    expect(darkBackground).not.toBe(lightBackground);
    expect(await page.evaluate<string>('getComputedStyle(document.documentElement).colorScheme')).toBe('dark');

    // Remembered: a reload starts dark, though the system is light.
    await page.reload();
    await page.getByTestId('theme-toggle').waitFor();
    expect(await theme()).toBe('dark');
    expect(await background()).toBe(darkBackground);

    // Back to light, which is the system's: the console follows the system again.
    await page.getByTestId('theme-toggle').click();
    expect(await theme()).toBe('light');
    expect(await page.evaluate<string | null>("localStorage.getItem('commercecore.theme')")).toBeNull();
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');
    expect(policyErrors).toEqual([]);
  });

  it('with a dark system the console starts dark, from the first paint', async () => {
    const page = await admin();
    await page.emulateMedia({ colorScheme: 'dark' });
    // The theme is set by the page's inline script before the console's own scripts run.
    await page.addInitScript(`document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive') window.themeAtParse = document.documentElement.dataset.theme;
    })`);
    await page.goto(`${srv.url}/`);
    await page.getByTestId('order-row').first().waitFor();
    expect(await page.evaluate<string | undefined>('window.themeAtParse')).toBe('dark');
    expect(await page.evaluate<string | undefined>('document.documentElement.dataset.theme')).toBe('dark');
    const [bg, fg] = await page.evaluate<string[]>('[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]');
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    expect(luminance(bg!)).toBeLessThan(60);
    expect(luminance(fg!)).toBeGreaterThan(180);
  });
});
