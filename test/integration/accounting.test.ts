import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server';

// The chart of accounts (created at first start, editable) and the journals entries are written to.
describe('chart of accounts and journals', () => {
  const srv = useTestServer();
  const accountByCode = async (code: string) => (await srv.admin.get(`/api/accounts?q=${code}`)).body.items.find((a: { code: string }) => a.code === code);

  it('a Sales, a Purchases, a Bank and a Cash journal exist from the start, each with its default account', async () => {
    const res = await srv.admin.get('/api/journals');
    expect(res.status).toBe(200);
    expect(res.body.items.map((j: { code: string; type: string; defaultAccount: string }) => [j.code, j.type, j.defaultAccount])).toEqual([
      ['SAL', 'sale', '4000'],
      ['PUR', 'purchase', '5000'],
      ['BNK', 'bank', '1010'],
      ['CSH', 'cash', '1000'],
    ]);
    expect((await (await srv.user('warehouse')).get('/api/journals')).status).toBe(200);
  });

  it('accounts can be renamed and renumbered; a type relied upon by a tax or journal stays', async () => {
    const acc = await srv.user('accounting');
    const created = await acc.post('/api/accounts', { code: '4200', name: 'Sales of gift cards', type: 'income' });
    expect(created.status).toBe(201);
    const renamed = await acc.patch(`/api/accounts/${created.body.id}`, { name: 'Gift card sales', code: '4210', type: 'expense' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ code: '4210', name: 'Gift card sales', type: 'expense' });
    expect((await acc.patch(`/api/accounts/${created.body.id}`, { code: '4000' })).status).toBe(409);
    expect((await acc.patch(`/api/accounts/${created.body.id}`, { name: '' })).status).toBe(400);
    expect((await acc.patch('/api/accounts/999999', { name: 'x' })).status).toBe(404);
    expect((await (await srv.user('sales')).patch(`/api/accounts/${created.body.id}`, { name: 'x' })).status).toBe(403);

    const vat = await accountByCode('2400');
    await srv.admin.post('/api/taxes', { name: `VAT 21% ${Date.now()}`, rate: 21, accountId: vat.id });
    const taxType = await acc.patch(`/api/accounts/${vat.id}`, { type: 'income' });
    expect(taxType.status).toBe(422);
    expect(taxType.body.error.message).toMatch(/used by tax/);
    const bank = await accountByCode('1010');
    expect((await acc.patch(`/api/accounts/${bank.id}`, { type: 'cash' })).body.error.message).toMatch(/used by journal Bank/);
    expect((await accountByCode('1010')).type).toBe('bank');
  });

  it("a journal's default account must be of the journal's kind", async () => {
    const acc = await srv.user('accounting');
    const journals = (await acc.get('/api/journals')).body.items;
    const sales = journals.find((j: { code: string }) => j.code === 'SAL');
    const services = await accountByCode('4100');
    const ok = await acc.patch(`/api/journals/${sales.id}`, { defaultAccountId: services.id, name: 'Sales (EU)' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Sales (EU)', defaultAccount: '4100' });
    const bank = await accountByCode('1010');
    const wrong = await acc.patch(`/api/journals/${sales.id}`, { defaultAccountId: bank.id });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0].field).toBe('defaultAccountId');
    expect((await acc.get('/api/journals')).body.items.find((j: { code: string }) => j.code === 'SAL').defaultAccount).toBe('4100');
  });
});
