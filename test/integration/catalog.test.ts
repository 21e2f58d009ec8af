import { describe, expect, it } from 'vitest';
import { makePartner, makeProduct, makeTax } from '../factories/data';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

const srv = useTestServer();

const skus = (items: { sku: string }[]) => items.map((p) => p.sku);

// The default chart of accounts created at first start (migration 0001), by code.
const DEFAULT_CHART = [
  { code: '1000', name: 'Cash', type: 'cash' },
  { code: '1010', name: 'Bank', type: 'bank' },
  { code: '1200', name: 'Accounts receivable', type: 'receivable' },
  { code: '1400', name: 'VAT deductible', type: 'tax' },
  { code: '2000', name: 'Accounts payable', type: 'payable' },
  { code: '2400', name: 'VAT collected', type: 'tax' },
  { code: '4000', name: 'Sales of goods', type: 'income' },
  { code: '4100', name: 'Sales of services', type: 'income' },
  { code: '5000', name: 'Cost of goods sold', type: 'expense' },
];

async function accountId(code: string): Promise<number> {
  const res = await srv.admin.get(`/api/accounts?q=${code}`);
  const a = res.body.items.find((x: { code: string }) => x.code === code);
  if (!a) throw new Error(`no account ${code}`);
  return a.id;
}

describe('GET /api/products', () => {
  it('searches name and SKU, filters by type and route, sorts and pages with total', async () => {
    const tag = uniqueTag('P').toUpperCase();
    const a = await makeProduct(srv.admin, { sku: `${tag}-A`, name: `Desk lamp ${tag}`, listPrice: 4500, type: 'storable', routes: ['buy'] });
    const b = await makeProduct(srv.admin, { sku: `${tag}-B`, name: `Assembly service ${tag}`, listPrice: 1500, type: 'service' });
    const c = await makeProduct(srv.admin, { sku: `${tag}-C`, name: `Cable ${tag}`, listPrice: 999, type: 'consumable', routes: ['buy', 'dropship'] });

    const all = await srv.admin.get(`/api/products?q=${tag}`);
    expectStatus(all, 200);
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((p: { id: number }) => p.id)).toEqual([b.id, c.id, a.id]); // default: by name
    expect(all.body.items[2]).toEqual(a);

    // q on the name alone (no SKU carries "lamp") and on the SKU alone.
    expect(skus((await srv.admin.get(`/api/products?q=${encodeURIComponent(`lamp ${tag}`)}`)).body.items)).toEqual([a.sku]);
    expect(skus((await srv.admin.get(`/api/products?q=${tag}-C`)).body.items)).toEqual([c.sku]);

    expect(skus((await srv.admin.get(`/api/products?q=${tag}&type=service`)).body.items)).toEqual([b.sku]);
    expect(skus((await srv.admin.get(`/api/products?q=${tag}&route=buy&sort=sku`)).body.items)).toEqual([a.sku, c.sku]);
    expect(skus((await srv.admin.get(`/api/products?q=${tag}&route=dropship`)).body.items)).toEqual([c.sku]);
    expect(skus((await srv.admin.get(`/api/products?q=${tag}&route=mto`)).body.items)).toEqual([]);

    expect(skus((await srv.admin.get(`/api/products?q=${tag}&sort=listPrice`)).body.items)).toEqual([c.sku, b.sku, a.sku]);
    expect(skus((await srv.admin.get(`/api/products?q=${tag}&sort=-listPrice`)).body.items)).toEqual([a.sku, b.sku, c.sku]);
    expect(skus((await srv.admin.get(`/api/products?q=${tag}&sort=-sku`)).body.items)).toEqual([c.sku, b.sku, a.sku]);

    const page = await srv.admin.get(`/api/products?q=${tag}&sort=sku&limit=2&offset=1`);
    expect(page.body.total).toBe(3);
    expect(skus(page.body.items)).toEqual([b.sku, c.sku]);
  });

  it('leaves archived (inactive) products out of the list, but they can still be read', async () => {
    const tag = uniqueTag('ARCH').toUpperCase();
    const p = await makeProduct(srv.admin, { sku: `${tag}-1`, active: false });
    expect((await srv.admin.get(`/api/products?q=${tag}`)).body).toEqual({ items: [], total: 0 });
    expectStatus(await srv.admin.get(`/api/products/${p.id}`), 200);
  });

  it('400 for a bad sort field, type or route', async () => {
    expectError(await srv.admin.get('/api/products?sort=cost'), 400, 'validation', 'sort');
    expectError(await srv.admin.get('/api/products?sort=-version'), 400, 'validation', 'sort');
    expectError(await srv.admin.get('/api/products?type=kit'), 400, 'validation', 'type');
    expectError(await srv.admin.get('/api/products?route=stock'), 400, 'validation', 'route');
    expectError(await srv.admin.get('/api/products?offset=x'), 400, 'validation', 'offset');
  });

  it('every role may read', async () => {
    for (const role of ['sales', 'warehouse', 'accounting'] as const) {
      expectStatus(await (await srv.user(role)).get('/api/products'), 200);
    }
  });
});

describe('GET /api/products/:id', () => {
  it('reads a product', async () => {
    const p = await makeProduct(srv.admin);
    expect((await srv.admin.get(`/api/products/${p.id}`)).body).toEqual(p);
  });
  it('404 for a missing product, 400 for a bad id', async () => {
    expectError(await srv.admin.get('/api/products/999999'), 404, 'not_found');
    expectError(await srv.admin.get('/api/products/zero'), 400, 'validation', 'id');
  });
});

describe('POST /api/products', () => {
  it('creates a product with taxes, routes, vendors, purchase taxes and bill policy', async () => {
    const tax = await makeTax(srv.admin, 20);
    const purchaseTax = await makeTax(srv.admin, 15);
    const vendor = await makePartner(srv.admin, { roles: ['vendor'] });
    const sku = `${uniqueTag('NEW').toUpperCase()}/x_1.2`;
    const res = await srv.admin.post('/api/products', {
      sku: ` ${sku} `,
      name: ' Standing desk ',
      type: 'storable',
      listPrice: 49900,
      cost: 21050,
      taxIds: [tax.id],
      invoicePolicy: 'delivery',
      routes: ['buy', 'mto'],
      vendors: [
        { partnerId: vendor.id, price: 20000, minQty: 5, leadDays: 7 },
        { partnerId: vendor.id, price: 21000 },
      ],
      purchaseTaxIds: [purchaseTax.id],
      billPolicy: 'ordered',
    });
    expectStatus(res, 201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      sku,
      name: 'Standing desk',
      type: 'storable',
      listPrice: 49900,
      cost: 21050,
      taxIds: [tax.id],
      invoicePolicy: 'delivery',
      routes: ['buy', 'mto'],
      vendors: [
        { partnerId: vendor.id, price: 20000, minQty: 5, leadDays: 7 },
        { partnerId: vendor.id, price: 21000, minQty: 1, leadDays: 0 },
      ],
      purchaseTaxIds: [purchaseTax.id],
      billPolicy: 'ordered',
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 0,
    });
    expect((await srv.admin.get(`/api/products/${res.body.id}`)).body).toEqual(res.body);
  });

  it('applies the defaults', async () => {
    const sku = uniqueTag('DEF').toUpperCase();
    const res = await srv.admin.post('/api/products', { sku, name: 'Bare' });
    expectStatus(res, 201);
    expect(res.body).toMatchObject({
      sku,
      type: 'storable',
      listPrice: 0,
      cost: 0,
      taxIds: [],
      invoicePolicy: 'order',
      routes: [],
      vendors: [],
      purchaseTaxIds: [],
      billPolicy: 'received',
      active: true,
    });
  });

  it('400 naming the field, and nothing is created', async () => {
    const tag = uniqueTag('BAD').toUpperCase();
    const ok = { sku: tag, name: 'Valid name' };
    expectError(await srv.admin.post('/api/products', { ...ok, sku: 'has space' }), 400, 'validation', 'sku');
    expectError(await srv.admin.post('/api/products', { ...ok, sku: '' }), 400, 'validation', 'sku');
    expectError(await srv.admin.post('/api/products', { ...ok, name: '' }), 400, 'validation', 'name');
    expectError(await srv.admin.post('/api/products', { ...ok, listPrice: 19.99 }), 400, 'validation', 'listPrice');
    expectError(await srv.admin.post('/api/products', { ...ok, cost: -1 }), 400, 'validation', 'cost');
    expectError(await srv.admin.post('/api/products', { ...ok, type: 'kit' }), 400, 'validation', 'type');
    expectError(await srv.admin.post('/api/products', { ...ok, invoicePolicy: 'never' }), 400, 'validation', 'invoicePolicy');
    expectError(await srv.admin.post('/api/products', { ...ok, routes: ['teleport'] }), 400, 'validation', 'routes.0');
    expectError(await srv.admin.post('/api/products', { ...ok, taxIds: [999999] }), 400, 'validation', 'taxIds');
    expectError(await srv.admin.post('/api/products', { ...ok, vendors: [{ partnerId: 999999, price: 100 }] }), 400, 'validation', 'vendors');
    expectError(await srv.admin.post('/api/products', { ...ok, vendors: [{ partnerId: 1, price: -5 }] }), 400, 'validation', 'vendors.0.price');
    // Beyond what the columns hold: a 400, never a database error.
    expectError(await srv.admin.post('/api/products', { ...ok, listPrice: 1e20 }), 400, 'validation', 'listPrice');
    expectError(await srv.admin.post('/api/products', { ...ok, vendors: [{ partnerId: 1, price: 1, minQty: 1e12 }] }), 400, 'validation', 'vendors.0.minQty');
    expectError(
      await srv.admin.post('/api/products', { ...ok, vendors: [{ partnerId: 1, price: 1, leadDays: 3e9 }] }),
      400,
      'validation',
      'vendors.0.leadDays',
    );
    expectError(await srv.admin.post('/api/products', { ...ok, routes: Array(12).fill('dropship') }), 400, 'validation', 'routes');
    const inactive = await makeTax(srv.admin, 3);
    expectStatus(await srv.admin.patch(`/api/taxes/${inactive.id}`, { active: false, version: inactive.version }), 200);
    expectError(await srv.admin.post('/api/products', { ...ok, taxIds: [inactive.id] }), 400, 'validation', 'taxIds');
    expect((await srv.admin.get(`/api/products?q=${tag}`)).body.total).toBe(0);
  });

  it('409 for a SKU already used', async () => {
    const p = await makeProduct(srv.admin);
    const dup = await srv.admin.post('/api/products', { sku: p.sku, name: 'Copy' });
    expectError(dup, 409, 'conflict');
    expect(dup.body.error.message).toContain(p.sku);
    expect((await srv.admin.get(`/api/products?q=${p.sku}`)).body.total).toBe(1);
  });

  it('403 for a warehouse or accounting user; sales may create', async () => {
    const tag = uniqueTag('RBAC').toUpperCase();
    expectError(await (await srv.user('warehouse')).post('/api/products', { sku: `${tag}-W`, name: 'x' }), 403, 'forbidden');
    expectError(await (await srv.user('accounting')).post('/api/products', { sku: `${tag}-A`, name: 'x' }), 403, 'forbidden');
    expect((await srv.admin.get(`/api/products?q=${tag}`)).body.total).toBe(0);
    expectStatus(await (await srv.user('sales')).post('/api/products', { sku: `${tag}-S`, name: 'x' }), 201);
  });
});

describe('PATCH /api/products/:id', () => {
  it('changes fields, replaces the vendors, bumps the version', async () => {
    const v1 = await makePartner(srv.admin, { roles: ['vendor'] });
    const v2 = await makePartner(srv.admin, { roles: ['vendor'] });
    const tax = await makeTax(srv.admin, 7.5);
    const p = await makeProduct(srv.admin, { vendors: [{ partnerId: v1.id, price: 300 }] });
    const res = await srv.admin.patch(`/api/products/${p.id}`, {
      version: p.version,
      listPrice: 1299,
      taxIds: [tax.id],
      vendors: [{ partnerId: v2.id, price: 350, minQty: 2 }],
    });
    expectStatus(res, 200);
    expect(res.body).toEqual({
      ...p,
      listPrice: 1299,
      taxIds: [tax.id],
      vendors: [{ partnerId: v2.id, price: 350, minQty: 2, leadDays: 0 }],
      version: p.version + 1,
      updatedAt: expect.any(String),
    });

    // Only the vendors: still a new version.
    const again = await srv.admin.patch(`/api/products/${p.id}`, { version: res.body.version, vendors: [] });
    expectStatus(again, 200);
    expect(again.body.vendors).toEqual([]);
    expect(again.body.version).toBe(res.body.version + 1);
  });

  it('409 for a stale version, with the current product in error.current', async () => {
    const p = await makeProduct(srv.admin);
    const first = await srv.admin.patch(`/api/products/${p.id}`, { version: p.version, name: 'First' });
    expectStatus(first, 200);
    const stale = await srv.admin.patch(`/api/products/${p.id}`, { version: p.version, name: 'Second' });
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.current).toEqual(first.body);
  });

  it('409 when changing the SKU to one already used', async () => {
    const a = await makeProduct(srv.admin);
    const b = await makeProduct(srv.admin);
    expectError(await srv.admin.patch(`/api/products/${b.id}`, { version: b.version, sku: a.sku }), 409, 'conflict');
    expect((await srv.admin.get(`/api/products/${b.id}`)).body.sku).toBe(b.sku);
    // Its own SKU is fine.
    expectStatus(await srv.admin.patch(`/api/products/${b.id}`, { version: b.version, sku: b.sku, name: 'Same SKU' }), 200);
  });

  it('400 naming the field; 404 for a missing product; 403 for a warehouse user', async () => {
    const p = await makeProduct(srv.admin);
    expectError(await srv.admin.patch(`/api/products/${p.id}`, { version: p.version, listPrice: -1 }), 400, 'validation', 'listPrice');
    expectError(await srv.admin.patch(`/api/products/${p.id}`, { version: p.version, taxIds: [999999] }), 400, 'validation', 'taxIds');
    expectError(await srv.admin.patch(`/api/products/${p.id}`, { listPrice: 5 }), 400, 'validation', 'version');
    expectError(await srv.admin.patch(`/api/products/${p.id}`, { version: p.version, colour: 'red' }), 400, 'validation');
    expectError(await srv.admin.patch('/api/products/999999', { version: 0, name: 'Ghost' }), 404, 'not_found');
    expectError(await (await srv.user('warehouse')).patch(`/api/products/${p.id}`, { version: p.version, listPrice: 1 }), 403, 'forbidden');
    expect((await srv.admin.get(`/api/products/${p.id}`)).body).toEqual(p);
  });
});

describe('GET /api/taxes', () => {
  it('searches by name, sorts by name or rate, pages with total', async () => {
    const tag = uniqueTag('tax');
    const a = await makeTax(srv.admin, 20, `VAT 20 ${tag}`);
    const b = await makeTax(srv.admin, 5.5, `VAT 5.5 ${tag}`);
    const c = await makeTax(srv.admin, 19.6, `Eco ${tag}`);
    const all = await srv.admin.get(`/api/taxes?q=${tag}`);
    expectStatus(all, 200);
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((t: { id: number }) => t.id)).toEqual([c.id, a.id, b.id]);
    expect(all.body.items[1]).toEqual(a);
    expect((await srv.admin.get(`/api/taxes?q=${tag}&sort=rate`)).body.items.map((t: { rate: number }) => t.rate)).toEqual([5.5, 19.6, 20]);
    expect((await srv.admin.get(`/api/taxes?q=${tag}&sort=-rate`)).body.items.map((t: { rate: number }) => t.rate)).toEqual([20, 19.6, 5.5]);
    const page = await srv.admin.get(`/api/taxes?q=${tag}&sort=rate&limit=1&offset=2`);
    expect(page.body).toEqual({ items: [a], total: 3 });
  });
  it('400 for a bad sort field', async () => {
    expectError(await srv.admin.get('/api/taxes?sort=accountId'), 400, 'validation', 'sort');
  });
});

describe('GET /api/taxes/:id', () => {
  it('reads a tax; 404 for a missing one', async () => {
    const t = await makeTax(srv.admin, 10);
    expect((await srv.admin.get(`/api/taxes/${t.id}`)).body).toEqual(t);
    expectError(await srv.admin.get('/api/taxes/999999'), 404, 'not_found');
  });
});

describe('POST /api/taxes', () => {
  it('creates a tax with a fractional rate and a tax account', async () => {
    const acc = await accountId('2400');
    const res = await srv.admin.post('/api/taxes', { name: ' VAT 7.75% ', rate: 7.75, accountId: acc });
    expectStatus(res, 201);
    expect(res.body).toEqual({ id: expect.any(Number), name: 'VAT 7.75%', rate: 7.75, accountId: acc, account: '2400', active: true, version: 0 });
    const fine = await srv.admin.post('/api/taxes', { name: 'Four decimals', rate: 19.1234 });
    expectStatus(fine, 201);
    expect(fine.body.rate).toBe(19.1234);
    expect(fine.body.account).toBeNull();
  });

  it('an accounting user may create taxes', async () => {
    expectStatus(await (await srv.user('accounting')).post('/api/taxes', { name: 'By accounting', rate: 0 }), 201);
  });

  it('400 naming the field', async () => {
    expectError(await srv.admin.post('/api/taxes', { name: 'Too much', rate: 100.5 }), 400, 'validation', 'rate');
    expectError(await srv.admin.post('/api/taxes', { name: 'Negative', rate: -1 }), 400, 'validation', 'rate');
    expectError(await srv.admin.post('/api/taxes', { name: 'Too precise', rate: 7.12345 }), 400, 'validation', 'rate');
    expectError(await srv.admin.post('/api/taxes', { name: 'Text', rate: '20' }), 400, 'validation', 'rate');
    expectError(await srv.admin.post('/api/taxes', { rate: 20 }), 400, 'validation', 'name');
    expectError(await srv.admin.post('/api/taxes', { name: 'Bad account', rate: 20, accountId: await accountId('4000') }), 400, 'validation', 'accountId');
    expectError(await srv.admin.post('/api/taxes', { name: 'Missing account', rate: 20, accountId: 999999 }), 400, 'validation', 'accountId');
  });

  it('403 for a sales or warehouse user', async () => {
    expectError(await (await srv.user('sales')).post('/api/taxes', { name: 'x', rate: 1 }), 403, 'forbidden');
    expectError(await (await srv.user('warehouse')).post('/api/taxes', { name: 'x', rate: 1 }), 403, 'forbidden');
  });
});

describe('PATCH /api/taxes/:id', () => {
  it('changes the rate and deactivates; the list still shows it', async () => {
    const tag = uniqueTag('tp');
    const t = await makeTax(srv.admin, 10, `Patch ${tag}`);
    const res = await srv.admin.patch(`/api/taxes/${t.id}`, { version: t.version, rate: 12.5, active: false });
    expectStatus(res, 200);
    expect(res.body).toEqual({ ...t, rate: 12.5, active: false, version: t.version + 1 });
    expect((await srv.admin.get(`/api/taxes?q=${tag}`)).body.items).toEqual([res.body]);
  });

  it('409 for a stale version with error.current; 404 missing; 400 bad rate; 403 sales', async () => {
    const t = await makeTax(srv.admin, 10);
    const first = await srv.admin.patch(`/api/taxes/${t.id}`, { version: t.version, name: 'Renamed tax' });
    expectStatus(first, 200);
    const stale = await srv.admin.patch(`/api/taxes/${t.id}`, { version: t.version, rate: 11 });
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.current).toEqual(first.body);
    expectError(await srv.admin.patch('/api/taxes/999999', { version: 0, rate: 1 }), 404, 'not_found');
    expectError(await srv.admin.patch(`/api/taxes/${t.id}`, { version: first.body.version, rate: 101 }), 400, 'validation', 'rate');
    expectError(await (await srv.user('sales')).patch(`/api/taxes/${t.id}`, { version: first.body.version, rate: 1 }), 403, 'forbidden');
    expect((await srv.admin.get(`/api/taxes/${t.id}`)).body).toEqual(first.body);
  });
});

describe('GET /api/accounts', () => {
  it('holds the default chart of accounts, ordered by code', async () => {
    const res = await srv.admin.get('/api/accounts?limit=500');
    expectStatus(res, 200);
    const defaults = res.body.items.filter((a: { code: string }) => DEFAULT_CHART.some((d) => d.code === a.code));
    expect(defaults.map(({ id: _id, ...rest }: { id: number }) => rest)).toEqual(DEFAULT_CHART);
    expect(res.body.total).toBe(res.body.items.length);
  });

  it('searches code and name, sorts and pages', async () => {
    const vat = await srv.admin.get('/api/accounts?q=VAT&sort=-code');
    expect(vat.body.items.map((a: { code: string }) => a.code)).toEqual(['2400', '1400']);
    expect((await srv.admin.get('/api/accounts?q=1200')).body.items.map((a: { name: string }) => a.name)).toEqual(['Accounts receivable']);
    const byName = await srv.admin.get('/api/accounts?q=Accounts&sort=name');
    expect(byName.body.items.map((a: { code: string }) => a.code)).toEqual(['2000', '1200']);
    const page = await srv.admin.get('/api/accounts?q=Accounts&sort=name&limit=1&offset=1');
    expect(page.body.total).toBe(2);
    expect(page.body.items.map((a: { code: string }) => a.code)).toEqual(['1200']);
    expectError(await srv.admin.get('/api/accounts?sort=createdAt'), 400, 'validation', 'sort');
  });
});

describe('POST /api/accounts', () => {
  it('adds an account (admin or accounting)', async () => {
    const code = `9${Math.floor(Math.random() * 1e6)}`;
    const res = await (await srv.user('accounting')).post('/api/accounts', { code, name: 'Suspense', type: 'expense' });
    expectStatus(res, 201);
    expect(res.body).toEqual({ id: expect.any(Number), code, name: 'Suspense', type: 'expense' });
    expect((await srv.admin.get(`/api/accounts?q=${code}`)).body.items).toEqual([res.body]);
  });

  it('400 naming the field, 409 for a code already used, 403 for a sales user', async () => {
    expectError(await srv.admin.post('/api/accounts', { code: '9999', name: 'x', type: 'equity' }), 400, 'validation', 'type');
    expectError(await srv.admin.post('/api/accounts', { code: '', name: 'x', type: 'bank' }), 400, 'validation', 'code');
    expectError(await srv.admin.post('/api/accounts', { code: '1010', name: 'Second bank', type: 'bank' }), 409, 'conflict');
    expectError(await (await srv.user('sales')).post('/api/accounts', { code: '9998', name: 'x', type: 'bank' }), 403, 'forbidden');
    expect((await srv.admin.get('/api/accounts?q=Second bank')).body.total).toBe(0);
  });
});

describe('GET /api/company', () => {
  it('the company record, readable by every role', async () => {
    const res = await (await srv.user('warehouse')).get('/api/company');
    expectStatus(res, 200);
    expect(Object.keys(res.body).sort()).toEqual([
      'autoInvoiceDeliveries',
      'city',
      'countryCode',
      'currency',
      'email',
      'logo',
      'name',
      'paymentTermDays',
      'phone',
      'street',
      'vatId',
      'version',
      'zip',
    ]);
    expect(res.body).toMatchObject({ currency: 'EUR', paymentTermDays: 30, autoInvoiceDeliveries: false });
  });
});

describe('PATCH /api/company', () => {
  it('changes fields with normalisation and bumps the version', async () => {
    const before = (await srv.admin.get('/api/company')).body;
    const res = await srv.admin.patch('/api/company', {
      version: before.version,
      name: 'Acme GmbH',
      countryCode: 'de',
      vatId: 'DE123456789',
      city: 'Berlin',
      email: 'info@acme.example',
    });
    expectStatus(res, 200);
    expect(res.body).toEqual({
      ...before,
      name: 'Acme GmbH',
      countryCode: 'DE',
      vatId: 'DE123456789',
      city: 'Berlin',
      email: 'info@acme.example',
      version: before.version + 1,
    });
    expect((await srv.admin.get('/api/company')).body).toEqual(res.body);
  });

  it('409 for a stale version with the current company in error.current', async () => {
    const before = (await srv.admin.get('/api/company')).body;
    const first = await srv.admin.patch('/api/company', { version: before.version, phone: '+49 30 1234' });
    expectStatus(first, 200);
    const stale = await srv.admin.patch('/api/company', { version: before.version, phone: '+49 30 9999' });
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.current).toEqual(first.body);
  });

  it('400 naming the field; 403 for a non-admin', async () => {
    const before = (await srv.admin.get('/api/company')).body;
    expectError(await srv.admin.patch('/api/company', { version: before.version, countryCode: 'Germany' }), 400, 'validation', 'countryCode');
    expectError(await srv.admin.patch('/api/company', { version: before.version, currency: 'EURO' }), 400, 'validation', 'currency');
    expectError(await srv.admin.patch('/api/company', { version: before.version, email: 'nope' }), 400, 'validation', 'email');
    expectError(await srv.admin.patch('/api/company', { version: before.version, email: `${'a'.repeat(180)}@example.com` }), 400, 'validation', 'email');
    expectError(await srv.admin.patch('/api/company', { version: before.version, name: '' }), 400, 'validation', 'name');
    expectError(await srv.admin.patch('/api/company', { name: 'No version' }), 400, 'validation', 'version');
    expectError(await (await srv.user('accounting')).patch('/api/company', { version: before.version, name: 'Hijack' }), 403, 'forbidden');
    expect((await srv.admin.get('/api/company')).body).toEqual(before);
  });
});

describe('GET /api/warehouses', () => {
  it('lists the main warehouse', async () => {
    const res = await (await srv.user('sales')).get('/api/warehouses');
    expectStatus(res, 200);
    expect(res.body).toEqual({ items: [{ id: 1, name: 'Main warehouse', code: 'WH' }], total: 1 });
  });

  it('searches, sorts and pages like every list', async () => {
    expect((await srv.admin.get('/api/warehouses?q=main')).body.total).toBe(1);
    expect((await srv.admin.get('/api/warehouses?q=nowhere')).body).toEqual({ items: [], total: 0 });
    expect((await srv.admin.get('/api/warehouses?limit=1&offset=1')).body).toEqual({ items: [], total: 1 });
    expectError(await srv.admin.get('/api/warehouses?sort=secret'), 400, 'validation', 'sort');
    expectError(await srv.admin.get('/api/warehouses?limit=0'), 400, 'validation', 'limit');
  });
});

describe('GET /api/locations', () => {
  const ALL = [
    { id: 1, name: 'WH/Stock', kind: 'internal', warehouseId: 1, isReturns: false },
    { id: 2, name: 'WH/Returns', kind: 'internal', warehouseId: 1, isReturns: true },
    { id: 3, name: 'Partners/Vendors', kind: 'vendor', warehouseId: null, isReturns: false },
    { id: 4, name: 'Partners/Customers', kind: 'customer', warehouseId: null, isReturns: false },
    { id: 5, name: 'Virtual/Inventory adjustment', kind: 'adjustment', warehouseId: null, isReturns: false },
  ];

  it('lists every location; filters by warehouse and kind', async () => {
    const res = await (await srv.user('warehouse')).get('/api/locations');
    expectStatus(res, 200);
    expect(res.body).toEqual({ items: ALL, total: 5 });
    expect((await srv.admin.get('/api/locations?warehouseId=1')).body).toEqual({ items: ALL.slice(0, 2), total: 2 });
    expect((await srv.admin.get('/api/locations?kind=customer')).body).toEqual({ items: [ALL[3]], total: 1 });
    expect((await srv.admin.get('/api/locations?warehouseId=999')).body).toEqual({ items: [], total: 0 });
  });

  it('searches, sorts and pages like every list', async () => {
    expect((await srv.admin.get('/api/locations?q=WH/')).body.items.map((l: { id: number }) => l.id)).toEqual([1, 2]);
    expect((await srv.admin.get('/api/locations?sort=-name&limit=2')).body).toEqual({ items: [ALL[0], ALL[1]], total: 5 });
    expect((await srv.admin.get('/api/locations?sort=name&limit=2&offset=2')).body).toEqual({ items: [ALL[4], ALL[1]], total: 5 });
  });

  it('400 for a bad filter or sort', async () => {
    expectError(await srv.admin.get('/api/locations?warehouseId=abc'), 400, 'validation', 'warehouseId');
    expectError(await srv.admin.get('/api/locations?kind=moon'), 400, 'validation', 'kind');
    expectError(await srv.admin.get('/api/locations?sort=kindness'), 400, 'validation', 'sort');
  });
});
