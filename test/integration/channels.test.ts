import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { db } from '../../server/db/sequelize';
import { useTestServer } from '../support/server';

// Channels: the shops orders come from, their settings shown, their credentials sealed and never returned.
describe('channels', () => {
  const srv = useTestServer();

  it('a channel is created with sealed credentials that the API never returns', async () => {
    const res = await srv.admin.post('/api/channels', {
      kind: 'shopify',
      name: 'Main Shopify store',
      settings: { shopUrl: 'https://acme.myshopify.com' },
      credentials: { accessToken: 'shpat_secret_token_123', webhookSecret: 'whsec-abc' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'shopify',
      name: 'Main Shopify store',
      settings: { shopUrl: 'https://acme.myshopify.com', apiVersion: '2024-10' },
      hasCredentials: true,
      syncIntervalMinutes: 15,
      active: true,
      cursor: null,
      orderCount: 0,
    });
    expect(JSON.stringify(res.body)).not.toContain('shpat_secret_token_123');
    expect(JSON.stringify((await srv.admin.get('/api/channels')).body)).not.toContain('shpat_secret');
    // At rest: sealed, not the token.
    const [row] = await db().query<{ credentials: string }>('SELECT credentials FROM channels WHERE id = ?', {
      replacements: [res.body.id],
      type: QueryTypes.SELECT,
    });
    expect(row!.credentials).toMatch(/^v1\./);
    expect(row!.credentials).not.toContain('shpat');
    const { channelSecrets } = await import('../../server/modules/channels/channel.service');
    expect(channelSecrets(row!)).toEqual({ accessToken: 'shpat_secret_token_123', webhookSecret: 'whsec-abc' });
  });

  it('bad settings or credentials name the field; names are unique; only admins change channels', async () => {
    const bad = await srv.admin.post('/api/channels', { kind: 'woocommerce', name: 'Woo', settings: { siteUrl: 'ftp://x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('settings.siteUrl');
    const noSecret = await srv.admin.post('/api/channels', {
      kind: 'woocommerce',
      name: 'Woo',
      settings: { siteUrl: 'https://shop.example.com' },
      credentials: { consumerKey: 'ck' },
    });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error.details[0].field).toBe('credentials.consumerSecret');
    expect((await srv.admin.get('/api/channels')).body.items.some((c: { name: string }) => c.name === 'Woo')).toBe(false);

    const woo = await srv.admin.post('/api/channels', {
      kind: 'woocommerce',
      name: 'Woo',
      settings: { siteUrl: 'https://shop.example.com' },
      credentials: { consumerKey: 'ck_1', consumerSecret: 'cs_1' },
    });
    expect(woo.status).toBe(201);
    expect((await srv.admin.post('/api/channels', { kind: 'csv', name: 'Woo' })).status).toBe(409);
    const renamed = await srv.admin.patch(`/api/channels/${woo.body.id}`, { version: woo.body.version, name: 'WooCommerce EU', syncIntervalMinutes: 5 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'WooCommerce EU', syncIntervalMinutes: 5, hasCredentials: true });
    expect((await srv.admin.patch(`/api/channels/${woo.body.id}`, { version: woo.body.version, name: 'x' })).status).toBe(409);
    const sales = await srv.user('sales');
    expect((await sales.get('/api/channels')).status).toBe(200);
    expect((await sales.post('/api/channels', { kind: 'csv', name: 'Mine' })).status).toBe(403);
    expect((await sales.patch(`/api/channels/${woo.body.id}`, { version: renamed.body.version, name: 'x' })).status).toBe(403);
  });
});
