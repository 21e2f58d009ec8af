import { describe, expect, it } from 'vitest';
import { makePartner } from '../factories/data';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

const srv = useTestServer();

type P = { id: number; name: string; city: string | null; email: string | null; isCompany: boolean; roles: string[]; version: number };
const names = (items: P[]) => items.map((p) => p.name);

describe('GET /api/partners', () => {
  it('searches name, e-mail and city; filters by role and isCompany; sorts; pages with total', async () => {
    const tag = uniqueTag('pl');
    const a = await makePartner(srv.admin, { name: `Alpha ${tag}`, email: `alpha@${tag}.example.com`, city: 'Berlin', isCompany: true, roles: ['customer'] });
    const b = await makePartner(srv.admin, { name: `Bravo ${tag}`, email: `bravo@${tag}.example.com`, city: 'Zurich', isCompany: false, roles: ['vendor'] });
    const c = await makePartner(srv.admin, {
      name: `Charlie ${tag}`,
      email: `charlie@${tag}.example.com`,
      city: 'Amsterdam',
      isCompany: true,
      roles: ['customer', 'vendor'],
    });

    const all = await srv.admin.get(`/api/partners?q=${tag}`);
    expectStatus(all, 200);
    expect(all.body.total).toBe(3);
    expect(names(all.body.items)).toEqual([a.name, b.name, c.name]); // default: by name
    expect(all.body.items[0]).toEqual(a);

    // q matches the e-mail (whose domain carries the tag) and the city.
    expect(names((await srv.admin.get(`/api/partners?q=bravo@${tag}`)).body.items)).toEqual([b.name]);
    const zurich = await srv.admin.get(`/api/partners?q=Zurich`);
    expect(names(zurich.body.items)).toContain(b.name);
    expect(names(zurich.body.items)).not.toContain(a.name);

    expect(names((await srv.admin.get(`/api/partners?q=${tag}&role=vendor`)).body.items)).toEqual([b.name, c.name]);
    expect(names((await srv.admin.get(`/api/partners?q=${tag}&role=customer`)).body.items)).toEqual([a.name, c.name]);
    expect(names((await srv.admin.get(`/api/partners?q=${tag}&isCompany=true`)).body.items)).toEqual([a.name, c.name]);
    expect(names((await srv.admin.get(`/api/partners?q=${tag}&isCompany=0`)).body.items)).toEqual([b.name]);

    expect(names((await srv.admin.get(`/api/partners?q=${tag}&sort=-name`)).body.items)).toEqual([c.name, b.name, a.name]);
    expect(names((await srv.admin.get(`/api/partners?q=${tag}&sort=city`)).body.items)).toEqual([c.name, a.name, b.name]);
    expect(names((await srv.admin.get(`/api/partners?q=${tag}&sort=-createdAt`)).body.items)).toEqual([c.name, b.name, a.name]);

    const page = await srv.admin.get(`/api/partners?q=${tag}&limit=1&offset=1`);
    expect(page.body).toEqual({ items: [b], total: 3 });
    const beyond = await srv.admin.get(`/api/partners?q=${tag}&limit=10&offset=3`);
    expect(beyond.body).toEqual({ items: [], total: 3 });
  });

  it('treats % and _ in the search as text on MySQL, and never fails on them', async () => {
    const tag = uniqueTag('pct');
    await makePartner(srv.admin, { name: `100% ${tag}` });
    await makePartner(srv.admin, { name: `100x ${tag}` });
    const res = await srv.admin.get(`/api/partners?q=${encodeURIComponent('100%')}`);
    expectStatus(res, 200);
    expect(names(res.body.items)).toContain(`100% ${tag}`);
    if (srv.mode === 'mysql') expect(names(res.body.items)).not.toContain(`100x ${tag}`);
  });

  it('400 for a bad sort field, role, isCompany or limit', async () => {
    expectError(await srv.admin.get('/api/partners?sort=version'), 400, 'validation', 'sort');
    expectError(await srv.admin.get('/api/partners?sort=-active'), 400, 'validation', 'sort');
    expectError(await srv.admin.get('/api/partners?role=supplier'), 400, 'validation', 'role');
    expectError(await srv.admin.get('/api/partners?isCompany=yes'), 400, 'validation', 'isCompany');
    expectError(await srv.admin.get('/api/partners?limit=abc'), 400, 'validation', 'limit');
    expectError(await srv.admin.get('/api/partners?offset=99999999999999999999'), 400, 'validation', 'offset');
  });

  it('every role may read', async () => {
    for (const role of ['sales', 'warehouse', 'accounting'] as const) {
      expectStatus(await (await srv.user(role)).get('/api/partners'), 200);
    }
  });
});

describe('GET /api/partners/:id', () => {
  it('reads a partner', async () => {
    const p = await makePartner(srv.admin);
    const res = await srv.admin.get(`/api/partners/${p.id}`);
    expectStatus(res, 200);
    expect(res.body).toEqual(p);
  });

  it('404 for a missing partner, 400 for a bad id', async () => {
    expectError(await srv.admin.get('/api/partners/999999'), 404, 'not_found');
    expectError(await srv.admin.get('/api/partners/-3'), 400, 'validation', 'id');
    expectError(await srv.admin.get('/api/partners/1.5'), 400, 'validation', 'id');
  });
});

describe('POST /api/partners', () => {
  it('creates a partner with normalised fields and defaults', async () => {
    const res = await srv.admin.post('/api/partners', {
      name: '  Dupont SARL ',
      email: ' Contact@Dupont.FR ',
      countryCode: 'fr',
      isCompany: true,
      street: '1 rue de la Paix',
      zip: '75002',
      city: 'Paris',
    });
    expectStatus(res, 201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Dupont SARL',
      email: 'contact@dupont.fr',
      phone: null,
      isCompany: true,
      street: '1 rue de la Paix',
      city: 'Paris',
      zip: '75002',
      countryCode: 'FR',
      roles: ['customer'],
      orderEndpoint: null,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.any(String),
      version: 0,
    });
    expect((await srv.admin.get(`/api/partners/${res.body.id}`)).body).toEqual(res.body);
  });

  it('international e-mail addresses are valid (RFC 6531): accents in the name, international domains', async () => {
    for (const [given, stored] of [
      ['José@Example.com', 'josé@example.com'],
      ['fatima.garcía@example.com', 'fatima.garcía@example.com'],
      ['jürgen@müller.de', 'jürgen@müller.de'],
    ]) {
      const res = await srv.admin.post('/api/partners', { name: given, email: given });
      expectStatus(res, 201);
      expect(res.body.email).toBe(stored);
      const patched = await srv.admin.patch(`/api/partners/${res.body.id}`, { version: res.body.version, email: `new.${stored}` });
      expectStatus(patched, 200);
      expect(patched.body.email).toBe(`new.${stored}`);
    }
  });

  it('an empty e-mail is stored as none', async () => {
    const res = await srv.admin.post('/api/partners', { name: 'No mail', email: '' });
    expectStatus(res, 201);
    expect(res.body.email).toBeNull();
  });

  it('sales and accounting users may create partners', async () => {
    expectStatus(await (await srv.user('sales')).post('/api/partners', { name: 'By sales' }), 201);
    expectStatus(await (await srv.user('accounting')).post('/api/partners', { name: 'By accounting', roles: ['vendor'] }), 201);
  });

  it('400 naming the field, and nothing is created', async () => {
    const tag = uniqueTag('bad');
    expectError(await srv.admin.post('/api/partners', { name: '' }), 400, 'validation', 'name');
    expectError(await srv.admin.post('/api/partners', {}), 400, 'validation', 'name');
    expectError(await srv.admin.post('/api/partners', { name: tag, email: 'not-an-email' }), 400, 'validation', 'email');
    expectError(await srv.admin.post('/api/partners', { name: tag, email: 'two@@example.com' }), 400, 'validation', 'email');
    expectError(await srv.admin.post('/api/partners', { name: tag, countryCode: 'FRA' }), 400, 'validation', 'countryCode');
    expectError(await srv.admin.post('/api/partners', { name: tag, roles: ['supplier'] }), 400, 'validation', 'roles.0');
    expectError(await srv.admin.post('/api/partners', { name: tag, isCompany: 'yes' }), 400, 'validation', 'isCompany');
    expectError(await srv.admin.post('/api/partners', { name: 'x'.repeat(201) }), 400, 'validation', 'name');
    // Longer than the column, or a set with repeats: a 400, never a database error.
    expectError(await srv.admin.post('/api/partners', { name: tag, email: `${'a'.repeat(180)}@example.com` }), 400, 'validation', 'email');
    expectError(await srv.admin.post('/api/partners', { name: tag, roles: Array(10).fill('customer') }), 400, 'validation', 'roles');
    expect((await srv.admin.get(`/api/partners?q=${tag}`)).body.total).toBe(0);
  });

  it('403 for a warehouse user', async () => {
    const tag = uniqueTag('wh');
    const wh = await srv.user('warehouse');
    expectError(await wh.post('/api/partners', { name: tag }), 403, 'forbidden');
    expect((await srv.admin.get(`/api/partners?q=${tag}`)).body.total).toBe(0);
  });
});

describe('PATCH /api/partners/:id', () => {
  it('changes fields, keeps the others, bumps the version', async () => {
    const p = await makePartner(srv.admin, { phone: '+33 1 23 45 67 89' });
    const res = await srv.admin.patch(`/api/partners/${p.id}`, { version: p.version, city: 'Marseille', roles: ['customer', 'vendor'], phone: null });
    expectStatus(res, 200);
    expect(res.body).toEqual({ ...p, city: 'Marseille', roles: ['customer', 'vendor'], phone: null, version: p.version + 1, updatedAt: expect.any(String) });
    expect((await srv.admin.get(`/api/partners/${p.id}`)).body).toEqual(res.body);
  });

  it('409 for a stale version, with the current record in error.current', async () => {
    const p = await makePartner(srv.admin);
    const first = await srv.admin.patch(`/api/partners/${p.id}`, { version: p.version, name: 'First edit' });
    expectStatus(first, 200);
    const stale = await srv.admin.patch(`/api/partners/${p.id}`, { version: p.version, name: 'Second edit' });
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.current).toEqual(first.body);
    expect((await srv.admin.get(`/api/partners/${p.id}`)).body.name).toBe('First edit');
  });

  it('400 without a version, with an unknown field, or a bad value', async () => {
    const p = await makePartner(srv.admin);
    expectError(await srv.admin.patch(`/api/partners/${p.id}`, { name: 'No version' }), 400, 'validation', 'version');
    expectError(await srv.admin.patch(`/api/partners/${p.id}`, { version: p.version, active: false }), 400, 'validation');
    expectError(await srv.admin.patch(`/api/partners/${p.id}`, { version: p.version, email: 'bad@' }), 400, 'validation', 'email');
    expectError(await srv.admin.patch(`/api/partners/${p.id}`, { version: p.version, countryCode: '12' }), 400, 'validation', 'countryCode');
    expect((await srv.admin.get(`/api/partners/${p.id}`)).body).toEqual(p);
  });

  it('404 for a missing partner', async () => {
    expectError(await srv.admin.patch('/api/partners/999999', { version: 0, name: 'Ghost' }), 404, 'not_found');
  });

  it('403 for a warehouse user', async () => {
    const p = await makePartner(srv.admin);
    const wh = await srv.user('warehouse');
    expectError(await wh.patch(`/api/partners/${p.id}`, { version: p.version, name: 'Hijacked' }), 403, 'forbidden');
    expect((await srv.admin.get(`/api/partners/${p.id}`)).body).toEqual(p);
  });
});
