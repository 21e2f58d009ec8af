import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedAddress } from '../../server/lib/outbound';
import { useTestServer } from '../support/server';

// Requests to addresses an administrator typed (issue 13, finding 16): a shop's URL on the loopback, the
// private network or the cloud's metadata address is not called unless the installation allows it, and
// what a shop answers is shown as a short status line, never its body.
describe('outbound requests to shops', () => {
  it('public addresses only: loopback, private, link-local, unique-local and reserved ranges are refused', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(refusedAddress(a), a).not.toBeNull();
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']) expect(refusedAddress(a), a).toBeNull();
  });

  describe('with the private network closed (the default)', () => {
    const srv = useTestServer({ env: () => ({ CHANNEL_PRIVATE_NETWORK: '0' }) });

    it('Test connection to the loopback, the metadata address or a private one is refused without a request', async () => {
      let hits = 0;
      const local = createServer((_req, res) => {
        hits++;
        res.end('{}');
      });
      await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
      const port = (local.address() as AddressInfo).port;
      try {
        for (const shopUrl of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'http://169.254.169.254', 'http://[::1]:1', 'http://10.0.0.1']) {
          const res = await srv.admin.post('/api/channels/test', { kind: 'shopify', settings: { shopUrl }, credentials: { accessToken: 'x' } });
          expect(res.status, shopUrl).toBe(200);
          expect(res.body.ok, shopUrl).toBe(false);
          expect(res.body.message, shopUrl).toMatch(/was not called: .*(loopback|linkLocal|private) address/);
        }
        expect(hits).toBe(0);
      } finally {
        local.close();
      }
    });
  });

  describe('what a shop answers is a status line, never its body', () => {
    const srv = useTestServer();
    let page: Server;
    let url = '';
    beforeAll(async () => {
      page = createServer((req, res) => {
        if (req.url?.includes('count')) {
          res.writeHead(404, { 'content-type': 'text/html' });
          return void res.end('<html><body>INTERNAL ADMIN PAGE secret=hunter2</body></html>');
        }
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>INTERNAL DASHBOARD secret=hunter2</html>');
      });
      await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => page.close(() => r())));

    it('an error page and a web page in place of the API: the status and the content type, not the body', async () => {
      const shopify = await srv.admin.post('/api/channels/test', { kind: 'shopify', settings: { shopUrl: url }, credentials: { accessToken: 'x' } });
      expect(shopify.body.ok).toBe(false);
      expect(shopify.body.message).toMatch(/answered 404 Not Found/);
      const woo = await srv.admin.post('/api/channels/test', {
        kind: 'woocommerce',
        settings: { siteUrl: url },
        credentials: { consumerKey: 'ck', consumerSecret: 'cs' },
      });
      expect(woo.body.ok).toBe(false);
      expect(woo.body.message).toMatch(/other than JSON \(text\/html\)/);
      for (const r of [shopify, woo]) expect(JSON.stringify(r.body)).not.toMatch(/hunter2|INTERNAL/);
    });
  });
});
