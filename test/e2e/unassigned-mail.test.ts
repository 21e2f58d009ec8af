import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOrder, makePartner } from '../factories/data';
import { eventually } from '../support/eventually';
import { useMailgunStandIn } from '../support/mailgun';
import { useTestServer } from '../support/server';
import { useBrowser } from '../support/browser';
import type { ApiClient } from '../support/client';

// Issue 13, finding 10: replies that name an order without proof wait in Inbox → Unassigned email, and
// the console says why: a sender who is not among the order's partners, or an unsigned reply address.
describe('the unassigned inbox in Chromium', () => {
  const mailgun = useMailgunStandIn();
  const srv = useTestServer({ env: mailgun.env });
  const { signIn } = useBrowser(srv);
  let sales: ApiClient;

  beforeAll(async () => {
    sales = await srv.user('sales', 'Sam Seller');
  });

  const deliver = (to: string, sender: string, text: string) =>
    srv
      .anonymous()
      .upload(
        '/api/webhooks/mailgun/inbound',
        { recipient: to, sender, from: sender, subject: text, 'body-plain': text, 'stripped-text': text, ...mailgun.sign() },
        [],
      );

  it('flags an unverified sender and an unsigned address, names the order, and files the email under it', async () => {
    const customer = await makePartner(sales, { name: 'Jane Buyer', email: 'jane.e2e@example.net' });
    const order = await makeOrder(sales, { partnerId: customer.id });
    const marker = `Alias ${randomBytes(4).toString('hex')}`;
    expect((await sales.post('/api/messages', { model: 'saleOrder', resId: order.id, type: 'comment', body: marker })).status).toBe(201);
    const sent = await eventually(async () => mailgun.sent.find((m) => String(m.fields.html).includes(marker)));
    const alias = String(sent.fields['h:Reply-To']);

    const stranger = await deliver(alias, 'stranger@example.org', 'Send it to my address instead');
    expect(stranger.body.status).toBe('unassigned');
    const unsigned = await deliver(`order+${order.id}@mg.example.test`, customer.email!, 'Old address');
    expect(unsigned.body.status).toBe('unassigned');

    const page = await signIn(sales.user!.email);
    await page.goto(`${srv.url}/inbox`);
    await page.getByTestId('inbox-tab-unassigned').click();
    const strangerItem = page.locator(`[data-testid="inbound-item"][data-id="${stranger.body.inboundId}"]`);
    await strangerItem.waitFor({ timeout: 10_000 });
    expect(await strangerItem.getByTestId('inbound-unverified').innerText()).toMatch(/unverified sender/i);
    expect(await strangerItem.getByTestId('inbound-suggestion').getAttribute('href')).toBe(`/orders/${order.id}`);
    const unsignedItem = page.locator(`[data-testid="inbound-item"][data-id="${unsigned.body.inboundId}"]`);
    expect(await unsignedItem.getByTestId('inbound-unsigned').innerText()).toMatch(/unsigned reply address/i);
    expect(await unsignedItem.getByTestId('inbound-unverified').count()).toBe(0);
    await page.screenshot({ path: 'test-results/e2e-unassigned-mail.png' });

    // Staff file the stranger's email under the order by hand.
    await strangerItem.getByTestId('inbound-assign').click();
    await strangerItem.getByTestId('inbound-order').fill(order.name);
    await strangerItem.getByRole('option').filter({ hasText: order.name }).first().dispatchEvent('mousedown');
    await strangerItem.getByTestId('inbound-assign-confirm').click();
    await expect.poll(() => page.locator(`[data-testid="inbound-item"][data-id="${stranger.body.inboundId}"]`).count(), { timeout: 10_000 }).toBe(0);
    const messages = (await sales.get(`/api/messages?model=saleOrder&resId=${order.id}`)).body.items;
    expect(messages[0]).toMatchObject({ type: 'comment', body: '<p>Send it to my address instead</p>', emailFrom: 'stranger@example.org' });
  });
});
