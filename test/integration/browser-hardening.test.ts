import { io as ioClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server';

// Browser hardening (issue 13, finding 14): the console's page carries a Content-Security-Policy and is
// framed by no one; every response forbids sniffing and foreign framing, keeps referrers strict and
// powerful features off; a WebSocket handshake from another site's page, with the session cookie, is refused.
describe('browser hardening', () => {
  const srv = useTestServer();

  it("the console's page: a CSP that runs only its own scripts, connects only to itself and is framed by no one", async () => {
    const res = await fetch(`${srv.url}/orders/1`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    // The one inline script of index.html is allowed by its hash.
    const html = await res.text();
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const { createHash } = await import('node:crypto');
    for (const s of inline) expect(csp).toContain(`'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  });

  it('every response: no sniffing, framed by its own origin only, strict referrer, no powerful features', async () => {
    for (const path of ['/api/health', '/api/openapi.json', '/']) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('permissions-policy'), path).toMatch(/camera=\(\)/);
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('a WebSocket handshake with the session cookie from another origin is refused; from the console it connects', async () => {
    const connect = (origin: string) =>
      new Promise<string>((resolve) => {
        const s = ioClient(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: srv.admin.cookie!, origin } });
        s.once('connect', () => {
          s.disconnect();
          resolve('connected');
        });
        s.once('connect_error', (err) => resolve(`refused: ${err.message}`));
      });
    expect(await connect('https://evil.example')).toMatch(/^refused/);
    expect(await connect(srv.url)).toBe('connected');
  });
});
