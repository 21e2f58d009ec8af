import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server';

// The sign-in limit counts per client address and e-mail; the address comes from X-Forwarded-For only
// when the deployment says which proxies to believe (TRUST_PROXY, issue 13 finding 12). Here no proxy
// is trusted: a client rotating X-Forwarded-For stays one address and is limited.
describe('TRUST_PROXY', () => {
  const srv = useTestServer({ env: () => ({ TRUST_PROXY: '0' }) });

  it('a rotating X-Forwarded-For does not get round the sign-in limit', async () => {
    const email = 'nobody-proxy@example.com';
    const attempt = (n: number) =>
      fetch(`${srv.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${n}` },
        body: JSON.stringify({ email, password: `wrong-password-${n}` }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }));
    for (let n = 1; n <= 10; n++) expect((await attempt(n)).status, `attempt ${n}`).toBe(401);
    const blocked = await attempt(11);
    expect([blocked.status, blocked.body.error?.code]).toEqual([429, 'rate_limited']);
  });
});
