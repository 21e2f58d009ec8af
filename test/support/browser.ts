import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Role } from '../../contracts/states';
import type { ApiClient } from './client';
import type { TestServer } from './server';

/** Headless Chromium for a test file; `signIn` opens a fresh context signed in through the login page. */
export function useBrowser(srv: TestServer) {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
  });

  return {
    /** A page in a fresh context with no session (a vendor with a portal link). */
    async anonymous(): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      contexts.push(context);
      return context.newPage();
    },
    async signIn(email: string, password = 'user-password-1'): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${srv.url}/login`);
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      return page;
    },
  };
}

/** A user of a browser test: their API client, and pages signed in as them. */
export type BrowserUser = {
  /** Their signed-in API client (set in a beforeAll, before the file's tests run). */
  api: ApiClient;
  /** A new browser context signed in as them through the login page. */
  page(): Promise<Page>;
};

/**
 * The two colleagues of the browser tests, Alice Martin (A) and Bob Keller (B), created before the
 * file's tests with these roles (sales unless given), and the file's browser: `signIn` opens a page
 * for anyone else (an admin).
 */
export function twoUsers(srv: TestServer, roles: { alice?: Role; bob?: Role } = {}) {
  const { signIn, anonymous } = useBrowser(srv);
  const user = (): BrowserUser => {
    const u: BrowserUser = { api: undefined as unknown as ApiClient, page: () => signIn(u.api.user!.email) };
    return u;
  };
  const alice = user();
  const bob = user();
  beforeAll(async () => {
    alice.api = await srv.user(roles.alice ?? 'sales', 'Alice Martin');
    bob.api = await srv.user(roles.bob ?? 'sales', 'Bob Keller');
  });
  return { alice, bob, signIn, anonymous };
}
