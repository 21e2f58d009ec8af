import { describe, expect, it } from 'vitest';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

const srv = useTestServer();
const PASSWORD = 'user-password-1';

async function createUser(fields: Record<string, unknown> = {}) {
  const tag = uniqueTag('u');
  const res = await srv.admin.post('/api/users', { email: `${tag}@example.com`, name: `User ${tag}`, role: 'sales', password: PASSWORD, ...fields });
  expectStatus(res, 201);
  return res.body as { id: number; email: string; name: string; role: string; active: boolean; version: number };
}

describe('GET /api/users', () => {
  it('lists users for an admin: {items, total}, with search, sort and pagination', async () => {
    const tag = uniqueTag('list');
    const made = [];
    for (const [name, role] of [
      ['Charlie', 'warehouse'],
      ['Alice', 'sales'],
      ['Bob', 'accounting'],
    ] as const) {
      made.push(await createUser({ email: `${name.toLowerCase()}.${tag}@example.com`, name: `${name} ${tag}`, role }));
    }
    const res = await srv.admin.get(`/api/users?q=${tag}`);
    expectStatus(res, 200);
    expect(res.body.total).toBe(3);
    // Default order: by name.
    expect(res.body.items.map((u: { name: string }) => u.name)).toEqual([`Alice ${tag}`, `Bob ${tag}`, `Charlie ${tag}`]);
    expect(res.body.items[0]).toEqual({
      id: made[1]!.id,
      email: `alice.${tag}@example.com`,
      name: `Alice ${tag}`,
      role: 'sales',
      active: true,
      notifyByEmail: false,
      orderAccess: 'all',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 0,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);

    const byRole = await srv.admin.get(`/api/users?q=${tag}&sort=-role`);
    expect(byRole.body.items.map((u: { role: string }) => u.role)).toEqual(['warehouse', 'sales', 'accounting']);

    const page = await srv.admin.get(`/api/users?q=${tag}&sort=name&limit=2&offset=1`);
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((u: { name: string }) => u.name)).toEqual([`Bob ${tag}`, `Charlie ${tag}`]);

    // Search matches the e-mail too.
    const byEmail = await srv.admin.get(`/api/users?q=${encodeURIComponent(`bob.${tag}@`)}`);
    expect(byEmail.body.items.map((u: { id: number }) => u.id)).toEqual([made[2]!.id]);
  });

  it('includes the first administrator', async () => {
    const res = await srv.admin.get('/api/users?q=admin@example.com');
    expect(res.body.items).toEqual([expect.objectContaining({ email: 'admin@example.com', role: 'admin', active: true, name: 'Administrator' })]);
  });

  it('400 for a bad sort field or paging values', async () => {
    expectError(await srv.admin.get('/api/users?sort=passwordHash'), 400, 'validation', 'sort');
    expectError(await srv.admin.get('/api/users?limit=0'), 400, 'validation', 'limit');
    expectError(await srv.admin.get('/api/users?limit=501'), 400, 'validation', 'limit');
    expectError(await srv.admin.get('/api/users?offset=-1'), 400, 'validation', 'offset');
  });

  it('403 for every role but admin', async () => {
    for (const role of ['sales', 'warehouse', 'accounting'] as const) {
      const c = await srv.user(role);
      expectError(await c.get('/api/users'), 403, 'forbidden');
    }
  });
});

describe('GET /api/users/:id', () => {
  it('reads a user', async () => {
    const u = await createUser({ role: 'accounting' });
    const res = await srv.admin.get(`/api/users/${u.id}`);
    expectStatus(res, 200);
    expect(res.body).toEqual(u);
  });

  it('404 for a missing user, 400 for a bad id, 403 for a sales user', async () => {
    expectError(await srv.admin.get('/api/users/999999'), 404, 'not_found');
    expectError(await srv.admin.get('/api/users/0'), 400, 'validation', 'id');
    expectError(await srv.admin.get('/api/users/abc'), 400, 'validation', 'id');
    const sales = await srv.user('sales');
    expectError(await sales.get(`/api/users/${sales.user!.id}`), 403, 'forbidden');
  });
});

describe('POST /api/users', () => {
  it('creates a user who can then sign in with the role given', async () => {
    const tag = uniqueTag('new');
    const res = await srv.admin.post('/api/users', {
      email: `  ${tag.toUpperCase()}@Example.COM `,
      name: '  New Person ',
      role: 'warehouse',
      password: 'long-enough-pw',
    });
    expectStatus(res, 201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      email: `${tag}@example.com`,
      name: 'New Person',
      role: 'warehouse',
      active: true,
      notifyByEmail: false,
      orderAccess: 'all',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 0,
    });
    const login = await srv.anonymous().post('/api/auth/login', { email: `${tag}@example.com`, password: 'long-enough-pw' });
    expectStatus(login, 200);
    expect(login.body.user.role).toBe('warehouse');
  });

  it('a user with an international e-mail address (José, müller.de) is created and signs in with it, in any case', async () => {
    const tag = uniqueTag('intl');
    const email = `josé.${tag}@müller.de`;
    const res = await srv.admin.post('/api/users', { email: `José.${tag}@Müller.de`, name: 'José', role: 'sales', password: 'long-enough-pw' });
    expectStatus(res, 201);
    expect(res.body.email).toBe(email);
    expectStatus(await srv.anonymous().post('/api/auth/login', { email, password: 'long-enough-pw' }), 200);
    expectStatus(await srv.anonymous().post('/api/auth/login', { email: `JOSÉ.${tag}@MÜLLER.DE`, password: 'long-enough-pw' }), 200);
  });

  it('a password easy to guess is refused with the reason, on creation and on change (NIST 800-63B)', async () => {
    const base = { email: `${uniqueTag('pw')}@example.com`, name: 'Jane Doe', role: 'sales' };
    for (const password of ['          ', '1234567890', 'password123', 'qwertyuiop', 'iloveyou12']) {
      const res = await srv.admin.post('/api/users', { ...base, password });
      expectError(res, 400, 'validation', 'password');
      expect(res.body.error.details[0].message, password).toMatch(/^is too easy to guess/);
    }
    expect((await srv.admin.get(`/api/users?q=${base.email}`)).body.total).toBe(0);
    const made = await srv.admin.post('/api/users', { ...base, password: 'Quartz-lantern-92' });
    expectStatus(made, 201);
    expectError(await srv.admin.patch(`/api/users/${made.body.id}`, { version: made.body.version, password: '1111111111' }), 400, 'validation', 'password');
    expectStatus(await srv.admin.patch(`/api/users/${made.body.id}`, { version: made.body.version, password: 'Velvet-orbit-carton-7' }), 200);
  });

  it('creates an inactive user who cannot sign in', async () => {
    const u = await createUser({ active: false });
    expect(u.active).toBe(false);
    expectError(await srv.anonymous().post('/api/auth/login', { email: u.email, password: PASSWORD }), 401, 'unauthorized');
  });

  it('400 naming the field: short password, bad role, bad e-mail, missing name', async () => {
    const base = { email: `${uniqueTag()}@example.com`, name: 'X', role: 'sales', password: PASSWORD };
    const short = await srv.admin.post('/api/users', { ...base, password: '123456789' });
    expectError(short, 400, 'validation', 'password');
    expect(short.body.error.details).toEqual([{ field: 'password', message: 'at least 10 characters' }]);
    expectError(await srv.admin.post('/api/users', { ...base, role: 'superuser' }), 400, 'validation', 'role');
    expectError(await srv.admin.post('/api/users', { ...base, email: 'nope' }), 400, 'validation', 'email');
    expectError(await srv.admin.post('/api/users', { ...base, email: `${'a'.repeat(180)}@example.com` }), 400, 'validation', 'email');
    expectError(await srv.admin.post('/api/users', { ...base, name: '' }), 400, 'validation', 'name');
    const { name: _n, ...noName } = base;
    expectError(await srv.admin.post('/api/users', noName), 400, 'validation', 'name');
    // Nothing was created by any of these.
    expect((await srv.admin.get(`/api/users?q=${base.email}`)).body.total).toBe(0);
  });

  it('409 for an e-mail already used (in any case)', async () => {
    const u = await createUser();
    const dup = await srv.admin.post('/api/users', { email: u.email.toUpperCase(), name: 'Twin', role: 'sales', password: PASSWORD });
    expectError(dup, 409, 'conflict');
    expect(dup.body.error.message).toContain(u.email);
    expect((await srv.admin.get(`/api/users?q=${u.email}`)).body.total).toBe(1);
  });

  it('403 for a sales user, 401 for an anonymous caller', async () => {
    const sales = await srv.user('sales');
    const body = { email: `${uniqueTag()}@example.com`, name: 'Sneaky', role: 'admin', password: PASSWORD };
    expectError(await sales.post('/api/users', body), 403, 'forbidden');
    expectError(await srv.anonymous().post('/api/users', body), 401, 'unauthorized');
    expect((await srv.admin.get(`/api/users?q=${body.email}`)).body.total).toBe(0);
  });
});

describe('PATCH /api/users/:id', () => {
  it('changes the name and role and bumps the version', async () => {
    const u = await createUser();
    const res = await srv.admin.patch(`/api/users/${u.id}`, { name: 'Renamed', role: 'accounting', version: u.version });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id: u.id, email: u.email, name: 'Renamed', role: 'accounting', active: true, version: u.version + 1 });
    expect((await srv.admin.get(`/api/users/${u.id}`)).body).toEqual(res.body);
  });

  it('a role change applies to the open session at once', async () => {
    const u = await createUser({ role: 'sales' });
    const c = await srv.anonymous().login(u.email, PASSWORD);
    expectStatus(await c.post('/api/partners', { name: `By sales ${uniqueTag()}` }), 201);
    expectStatus(await srv.admin.patch(`/api/users/${u.id}`, { role: 'warehouse', version: u.version }), 200);
    expectError(await c.post('/api/partners', { name: 'By warehouse' }), 403, 'forbidden');
  });

  it('409 for a stale version, with the current user in error.current', async () => {
    const u = await createUser();
    const first = await srv.admin.patch(`/api/users/${u.id}`, { name: 'First', version: u.version });
    expectStatus(first, 200);
    const stale = await srv.admin.patch(`/api/users/${u.id}`, { name: 'Second', version: u.version });
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.current).toEqual(first.body);
    expect((await srv.admin.get(`/api/users/${u.id}`)).body.name).toBe('First');
  });

  it('400 naming the field: short password, bad role, unknown field', async () => {
    const u = await createUser();
    expectError(await srv.admin.patch(`/api/users/${u.id}`, { password: 'short', version: u.version }), 400, 'validation', 'password');
    expectError(await srv.admin.patch(`/api/users/${u.id}`, { role: 'root', version: u.version }), 400, 'validation', 'role');
    expectError(await srv.admin.patch(`/api/users/${u.id}`, { email: 'changed@example.com', version: u.version }), 400, 'validation');
    expectError(await srv.admin.patch(`/api/users/${u.id}`, { version: -1 }), 400, 'validation', 'version');
    expect((await srv.admin.get(`/api/users/${u.id}`)).body).toEqual(u);
  });

  it('404 for a missing user', async () => {
    expectError(await srv.admin.patch('/api/users/999999', { name: 'Ghost', version: 0 }), 404, 'not_found');
  });

  it('403 for a sales user (even on themselves)', async () => {
    const sales = await srv.user('sales');
    expectError(await sales.patch(`/api/users/${sales.user!.id}`, { role: 'admin', version: 0 }), 403, 'forbidden');
    expect((await srv.admin.get(`/api/users/${sales.user!.id}`)).body.role).toBe('sales');
  });

  it('an admin cannot deactivate or demote themselves (400 naming the field); another admin can be', async () => {
    const me = await srv.admin.get('/api/auth/me');
    const off = await srv.admin.patch(`/api/users/${me.body.id}`, { active: false, version: me.body.version });
    expectError(off, 400, 'validation', 'active');
    const demote = await srv.admin.patch(`/api/users/${me.body.id}`, { role: 'sales', version: me.body.version });
    expectError(demote, 400, 'validation', 'role');
    const still = await srv.admin.get('/api/auth/me');
    expect(still.body).toMatchObject({ active: true, role: 'admin', version: me.body.version });

    // A second admin may deactivate the first one's peer, and renaming oneself is fine.
    const other = await createUser({ role: 'admin' });
    const res = await srv.admin.patch(`/api/users/${other.id}`, { active: false, version: other.version });
    expectStatus(res, 200);
    expect(res.body.active).toBe(false);
    const rename = await srv.admin.patch(`/api/users/${me.body.id}`, { name: 'Administrator', version: me.body.version });
    expectStatus(rename, 200);
  });
});
