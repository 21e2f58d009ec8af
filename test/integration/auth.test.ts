import { describe, expect, it } from 'vitest';
import { routes, type Route } from '../../contracts/api';
import { ApiClient } from '../support/client';
import { makePartner } from '../factories/data';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

const srv = useTestServer();
const PASSWORD = 'user-password-1';

/** Creates a user through the admin API and returns its e-mail and id (not signed in). */
async function newUser(role: 'sales' | 'warehouse' | 'accounting' | 'admin' = 'sales') {
  const email = `${uniqueTag(role)}@example.com`;
  const res = await srv.admin.post('/api/users', { email, name: `User ${email}`, role, password: PASSWORD });
  expectStatus(res, 201);
  return { email, id: res.body.id as number };
}

/** A client carrying only a raw session cookie (as a browser would after logout, or a stolen cookie). */
function withCookie(cookie: string | undefined, csrfToken?: string): ApiClient {
  const c = srv.anonymous();
  c.cookie = cookie;
  c.csrfToken = csrfToken;
  return c;
}

describe('POST /api/auth/login', () => {
  it('signs in with the right password: 200 {user, csrfToken} and a session cookie', async () => {
    const { email, id } = await newUser('sales');
    const c = srv.anonymous();
    const res = await c.post('/api/auth/login', { email, password: PASSWORD });
    expectStatus(res, 200);
    expect(res.body.user).toMatchObject({ id, email, role: 'sales', active: true });
    expect(res.body.user).not.toHaveProperty('passwordHash');
    expect(res.body.csrfToken).toEqual(expect.any(String));
    expect(res.body.csrfToken.length).toBeGreaterThanOrEqual(20);
    expect(c.cookie).toMatch(/^cc_session=.{20,}/);
  });

  it('accepts the e-mail in any case and with spaces around it', async () => {
    const { email } = await newUser('sales');
    const res = await srv.anonymous().post('/api/auth/login', { email: `  ${email.toUpperCase()} `, password: PASSWORD });
    expectStatus(res, 200);
    expect(res.body.user.email).toBe(email);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ (not Secure over plain http)', async () => {
    const res = await fetch(`${srv.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'admin-password-1' }),
    });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie().filter((c) => c.startsWith('cc_session='));
    expect(cookies).toHaveLength(1);
    const attrs = cookies[0]!.split(';').map((a) => a.trim().toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=lax');
    expect(attrs).toContain('path=/');
    expect(attrs).not.toContain('secure');
    expect(attrs.some((a) => a.startsWith('max-age=') || a.startsWith('expires='))).toBe(true);
  });

  it('401 on a wrong password, and no cookie', async () => {
    const { email } = await newUser('sales');
    const c = srv.anonymous();
    const res = await c.post('/api/auth/login', { email, password: 'wrong-password-1' });
    expectError(res, 401, 'unauthorized');
    expect(res.body.error.message).toBe('Wrong e-mail or password');
    expect(c.cookie).toBeUndefined();
  });

  it('401 with the same message for an unknown e-mail (does not reveal who has an account)', async () => {
    const res = await srv.anonymous().post('/api/auth/login', { email: `${uniqueTag('nobody')}@example.com`, password: PASSWORD });
    expectError(res, 401, 'unauthorized');
    expect(res.body.error.message).toBe('Wrong e-mail or password');
  });

  it('400 naming the field for a malformed e-mail or a missing password', async () => {
    expectError(await srv.anonymous().post('/api/auth/login', { email: 'not-an-email', password: PASSWORD }), 400, 'validation', 'email');
    expectError(await srv.anonymous().post('/api/auth/login', { email: 'admin@example.com' }), 400, 'validation', 'password');
    expectError(await srv.anonymous().post('/api/auth/login', { email: 'admin@example.com', password: '' }), 400, 'validation', 'password');
  });

  it('400 for a body that is not JSON (never a 500)', async () => {
    const res = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation');
  });

  it('429 after LOGIN_RATE_LIMIT (10) wrong passwords for one e-mail, even with the right password then', async () => {
    const { email } = await newUser('sales');
    for (let i = 1; i <= 10; i++) {
      const res = await srv.anonymous().post('/api/auth/login', { email, password: `wrong-password-${i}` });
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const blocked = await srv.anonymous().post('/api/auth/login', { email, password: 'wrong-password-11' });
    expectError(blocked, 429, 'rate_limited');
    expectError(await srv.anonymous().post('/api/auth/login', { email, password: PASSWORD }), 429, 'rate_limited');
    // Counted per e-mail: another account from the same address still signs in.
    const other = await newUser('sales');
    expectStatus(await srv.anonymous().post('/api/auth/login', { email: other.email, password: PASSWORD }), 200);
  });

  it('counts variants of one e-mail (case, spaces around it) as the same account', async () => {
    const { email } = await newUser('sales');
    const variants = [email, email.toUpperCase(), ` ${email}`, `${email}  `, `\t${email}`];
    for (let i = 1; i <= 10; i++) {
      const res = await srv.anonymous().post('/api/auth/login', { email: variants[i % variants.length], password: `wrong-password-${i}` });
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    for (const v of [...variants, `   ${email.toUpperCase()}   `]) {
      expectError(await srv.anonymous().post('/api/auth/login', { email: v, password: 'wrong-password-x' }), 429, 'rate_limited');
    }
  });

  it('does not count successful sign-ins towards the limit', async () => {
    const { email } = await newUser('sales');
    for (let i = 1; i <= 12; i++) {
      const res = await srv.anonymous().post('/api/auth/login', { email, password: PASSWORD });
      expect(res.status, `sign-in ${i}`).toBe(200);
    }
    // The 10 allowed failures are all still available.
    for (let i = 1; i <= 10; i++) {
      expect((await srv.anonymous().post('/api/auth/login', { email, password: 'wrong-password-x' })).status, `failure ${i}`).toBe(401);
    }
    expectError(await srv.anonymous().post('/api/auth/login', { email, password: 'wrong-password-x' }), 429, 'rate_limited');
  });

  it('a deactivated user cannot sign in, and their open session and API token stop working', async () => {
    const { email, id } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    const token = await c.post('/api/auth/tokens', { name: 'integration' });
    expectStatus(token, 201);
    const bearer = srv.anonymous().withToken(token.body.token);
    expectStatus(await c.get('/api/auth/me'), 200);
    expectStatus(await bearer.get('/api/auth/me'), 200);

    const current = await srv.admin.get(`/api/users/${id}`);
    const off = await srv.admin.patch(`/api/users/${id}`, { active: false, version: current.body.version });
    expectStatus(off, 200);
    expect(off.body.active).toBe(false);

    expectError(await c.get('/api/auth/me'), 401, 'unauthorized');
    expectError(await c.get('/api/sale-orders'), 401, 'unauthorized');
    expectError(await bearer.get('/api/auth/me'), 401, 'unauthorized');
    const again = await srv.anonymous().post('/api/auth/login', { email, password: PASSWORD });
    expectError(again, 401, 'unauthorized');
    expect(again.body.error.message).toBe('Wrong e-mail or password');

    // Reactivated: may sign in again, but the old session stays ended.
    const back = await srv.admin.patch(`/api/users/${id}`, { active: true, version: off.body.version });
    expectStatus(back, 200);
    expectError(await c.get('/api/auth/me'), 401, 'unauthorized');
    expectStatus(await srv.anonymous().post('/api/auth/login', { email, password: PASSWORD }), 200);
  });

  it('changing a password signs the user out everywhere', async () => {
    const { email, id } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    const current = await srv.admin.get(`/api/users/${id}`);
    expectStatus(await srv.admin.patch(`/api/users/${id}`, { password: 'another-password-2', version: current.body.version }), 200);
    expectError(await c.get('/api/auth/me'), 401, 'unauthorized');
    expectError(await srv.anonymous().post('/api/auth/login', { email, password: PASSWORD }), 401, 'unauthorized');
    expectStatus(await srv.anonymous().post('/api/auth/login', { email, password: 'another-password-2' }), 200);
  });
});

describe('GET /api/auth/me', () => {
  it('returns the signed-in user', async () => {
    const { email, id } = await newUser('warehouse');
    const c = await srv.anonymous().login(email, PASSWORD);
    const res = await c.get('/api/auth/me');
    expectStatus(res, 200);
    expect(res.body).toEqual({
      id,
      email,
      name: `User ${email}`,
      role: 'warehouse',
      active: true,
      notifyByEmail: false,
      orderAccess: 'all',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.any(String),
      version: expect.any(Number),
    });
  });

  it('401 without a session, with a forged cookie and with an unknown token', async () => {
    expectError(await srv.anonymous().get('/api/auth/me'), 401, 'unauthorized');
    expectError(await withCookie('cc_session=forged-value').get('/api/auth/me'), 401, 'unauthorized');
    expectError(await srv.anonymous().withToken('cc_not-a-real-token').get('/api/auth/me'), 401, 'unauthorized');
  });
});

describe('GET /api/auth/session', () => {
  it('answers 200 {user: null} when nobody is signed in (the console asks it first, so no 401 shows in the browser)', async () => {
    const anon = await srv.anonymous().get('/api/auth/session');
    expectStatus(anon, 200);
    expect(anon.body).toEqual({ user: null });
    expect((await withCookie('cc_session=forged-value').get('/api/auth/session')).body).toEqual({ user: null });
  });

  it('answers the signed-in user, the same as /api/auth/me, and null again after sign-out', async () => {
    const { email, id } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    const res = await c.get('/api/auth/session');
    expectStatus(res, 200);
    expect(res.body.user).toEqual((await c.get('/api/auth/me')).body);
    expect(res.body.user).toMatchObject({ id, email, role: 'sales' });
    expectStatus(await c.post('/api/auth/logout'), 204);
    expect((await withCookie(c.cookie).get('/api/auth/session')).body).toEqual({ user: null });
  });
});

describe('POST /api/auth/logout', () => {
  it('ends the session on the server: the old cookie no longer works', async () => {
    const { email } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    const cookie = c.cookie;
    const csrfToken = c.csrfToken;
    expectStatus(await c.get('/api/auth/me'), 200);

    const res = await c.post('/api/auth/logout');
    expect(res.status).toBe(204);
    expect(c.cookie).toBeUndefined(); // the cookie was cleared
    expectError(await c.get('/api/auth/me'), 401, 'unauthorized');
    // Replaying the old cookie (as a copy of it would) is refused too.
    expectError(await withCookie(cookie, csrfToken).get('/api/auth/me'), 401, 'unauthorized');
    expectError(await withCookie(cookie, csrfToken).post('/api/partners', { name: 'After logout' }), 401, 'unauthorized');
  });

  it('only ends this session: another session of the same user stays signed in', async () => {
    const { email } = await newUser('sales');
    const a = await srv.anonymous().login(email, PASSWORD);
    const b = await srv.anonymous().login(email, PASSWORD);
    expect(a.cookie).not.toBe(b.cookie);
    expect(a.csrfToken).not.toBe(b.csrfToken);
    expect((await a.post('/api/auth/logout')).status).toBe(204);
    expectError(await a.get('/api/auth/me'), 401, 'unauthorized');
    expectStatus(await b.get('/api/auth/me'), 200);
  });

  it('needs the CSRF header when signed in with a cookie', async () => {
    const { email } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    expectError(await c.request('POST', '/api/auth/logout', undefined, { csrf: false }), 403, 'csrf');
    expectStatus(await c.get('/api/auth/me'), 200);
  });

  it('204 for an anonymous caller (nothing to end)', async () => {
    expect((await srv.anonymous().post('/api/auth/logout')).status).toBe(204);
  });
});

describe('GET /api/auth/csrf', () => {
  it("returns the session's token, the same one the login response gave", async () => {
    const { email } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    const res = await c.get('/api/auth/csrf');
    expectStatus(res, 200);
    expect(res.body).toEqual({ csrfToken: c.csrfToken });
  });

  it('null for a Bearer caller, 401 for an anonymous one', async () => {
    const token = await srv.admin.post('/api/auth/tokens', { name: 'csrf check' });
    const res = await srv.anonymous().withToken(token.body.token).get('/api/auth/csrf');
    expectStatus(res, 200);
    expect(res.body).toEqual({ csrfToken: null });
    expectError(await srv.anonymous().get('/api/auth/csrf'), 401, 'unauthorized');
  });
});

describe('CSRF protection of cookie-authenticated requests', () => {
  it('403 code csrf without X-CSRF-Token; the same request with it succeeds', async () => {
    const { email } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    const body = { name: `Csrf ${uniqueTag()}` };

    const refused = await c.request('POST', '/api/partners', body, { csrf: false });
    expectError(refused, 403, 'csrf');
    // Nothing was created.
    const list = await c.get(`/api/partners?q=${encodeURIComponent(body.name)}`);
    expect(list.body.total).toBe(0);

    const ok = await c.post('/api/partners', body);
    expectStatus(ok, 201);
    expect(ok.body.name).toBe(body.name);
  });

  it("403 with a wrong token, or another session's token", async () => {
    const { email } = await newUser('sales');
    const a = await srv.anonymous().login(email, PASSWORD);
    const b = await srv.anonymous().login(email, PASSWORD);
    const partner = await makePartner(a);

    const wrong = withCookie(a.cookie, 'x'.repeat(a.csrfToken!.length));
    expectError(await wrong.patch(`/api/partners/${partner.id}`, { version: partner.version, city: 'Paris' }), 403, 'csrf');
    const crossed = withCookie(a.cookie, b.csrfToken);
    expectError(await crossed.patch(`/api/partners/${partner.id}`, { version: partner.version, city: 'Paris' }), 403, 'csrf');
    expect((await a.get(`/api/partners/${partner.id}`)).body.city).toBe('Lyon');
  });

  it('reads (GET) need no token', async () => {
    const { email } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    c.csrfToken = undefined;
    expectStatus(await c.get('/api/partners'), 200);
    expectError(await c.post('/api/partners', { name: 'x' }), 403, 'csrf');
  });
});

describe('POST /api/auth/tokens', () => {
  it('creates a token shown once; Bearer works without CSRF; the list never shows it again', async () => {
    const { email } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    const res = await c.post('/api/auth/tokens', { name: 'Shop integration' });
    expectStatus(res, 201);
    expect(res.body).toEqual({ id: expect.any(Number), name: 'Shop integration', token: expect.stringMatching(/^cc_[A-Za-z0-9_-]{40,}$/) });

    const bearer = srv.anonymous().withToken(res.body.token);
    const me = await bearer.get('/api/auth/me');
    expectStatus(me, 200);
    expect(me.body.email).toBe(email);
    // A write with no cookie and no CSRF header.
    const created = await bearer.post('/api/partners', { name: `Bearer ${uniqueTag()}` });
    expectStatus(created, 201);
    const patched = await bearer.patch(`/api/partners/${created.body.id}`, { version: created.body.version, city: 'Nantes' });
    expectStatus(patched, 200);
    expect(patched.body.city).toBe('Nantes');

    const list = await c.get('/api/auth/tokens');
    expectStatus(list, 200);
    expect(list.body).toEqual([{ id: res.body.id, name: 'Shop integration', createdAt: expect.any(String), lastUsedAt: expect.any(String) }]);
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
  });

  it("a Bearer token carries its user's role: 403 where that role may not go", async () => {
    const { email } = await newUser('warehouse');
    const c = await srv.anonymous().login(email, PASSWORD);
    const token = await c.post('/api/auth/tokens', { name: 'scanner' });
    const bearer = srv.anonymous().withToken(token.body.token);
    expectStatus(await bearer.get('/api/sale-orders'), 200);
    expectError(await bearer.post('/api/partners', { name: 'Nope' }), 403, 'forbidden');
  });

  it('400 without a name; 401 for an anonymous caller; 403 csrf without the header', async () => {
    const { email } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    expectError(await c.post('/api/auth/tokens', { name: '   ' }), 400, 'validation', 'name');
    expectError(await c.post('/api/auth/tokens', {}), 400, 'validation', 'name');
    expectError(await srv.anonymous().post('/api/auth/tokens', { name: 'x' }), 401, 'unauthorized');
    expectError(await c.request('POST', '/api/auth/tokens', { name: 'x' }, { csrf: false }), 403, 'csrf');
  });
});

describe('DELETE /api/auth/tokens/:id', () => {
  it('revokes a token: the next Bearer request is 401', async () => {
    const { email } = await newUser('sales');
    const c = await srv.anonymous().login(email, PASSWORD);
    const token = await c.post('/api/auth/tokens', { name: 'to revoke' });
    const keep = await c.post('/api/auth/tokens', { name: 'to keep' });
    const bearer = srv.anonymous().withToken(token.body.token);
    expectStatus(await bearer.get('/api/auth/me'), 200);

    expect((await c.delete(`/api/auth/tokens/${token.body.id}`)).status).toBe(204);
    expectError(await bearer.get('/api/auth/me'), 401, 'unauthorized');
    expectError(await bearer.post('/api/partners', { name: 'x' }), 401, 'unauthorized');
    expectStatus(await srv.anonymous().withToken(keep.body.token).get('/api/auth/me'), 200);
    expect((await c.get('/api/auth/tokens')).body.map((t: { id: number }) => t.id)).toEqual([keep.body.id]);
    // Revoking twice: it is gone.
    expectError(await c.delete(`/api/auth/tokens/${token.body.id}`), 404, 'not_found');
  });

  it("404 for another user's token (which keeps working)", async () => {
    const a = await srv.user('sales');
    const b = await srv.user('sales');
    const token = await a.post('/api/auth/tokens', { name: "a's token" });
    expectError(await b.delete(`/api/auth/tokens/${token.body.id}`), 404, 'not_found');
    expectStatus(await srv.anonymous().withToken(token.body.token).get('/api/auth/me'), 200);
  });

  it('400 for an id that is not a positive integer', async () => {
    expectError(await srv.admin.delete('/api/auth/tokens/abc'), 400, 'validation', 'id');
  });
});

describe('anonymous API calls', () => {
  it.each([
    ['GET', '/api/sale-orders'],
    ['GET', '/api/sale-orders/1'],
    ['POST', '/api/sale-orders'],
    ['GET', '/api/partners'],
    ['POST', '/api/partners'],
    ['GET', '/api/products'],
    ['GET', '/api/users'],
    ['GET', '/api/company'],
    ['GET', '/api/jobs/export-orders.1'],
  ])('%s %s → 401', async (method, path) => {
    const res = await srv.anonymous().request(method, path, method === 'GET' ? undefined : {});
    expectError(res, 401, 'unauthorized');
  });

  it('GET /api/health and GET /api/openapi.json stay public', async () => {
    expectStatus(await srv.anonymous().get('/api/health'), 200);
    const doc = await srv.anonymous().get('/api/openapi.json');
    expectStatus(doc, 200);
    expect(doc.body.paths['/api/auth/login'].post).toBeDefined();
  });

  it('GET /api/openapi.json documents the routes of contracts/api, each bound once, and no other', async () => {
    const doc = (await srv.anonymous().get('/api/openapi.json')).body as { paths: Record<string, Record<string, { summary: string }>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => `${method} ${path}: ${op.summary}`));
    const declared = Object.values(routes).flatMap((group) => Object.values(group) as Route[]);
    expect(declared.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}: ${r.summary}`).sort()).toEqual(documented.sort());
  });

  it('404 code not_found for an unknown API route', async () => {
    expectError(await srv.admin.get('/api/no-such-thing'), 404, 'not_found');
  });
});
