import { describe, expect, it } from 'vitest';
import type { SaleOrderSummary } from '../../contracts/schemas/sales';
import { makePartner } from '../factories/data';
import { saleOrderKit } from '../factories/sale-orders';
import type { ApiClient } from '../support/client';
import { expectError, expectStatus, uniqueTag } from '../support/expect';
import { useTestServer } from '../support/server';

// The board at scale (issue 18): the one indexed search (numbers, references, customers through the
// partners' full-text index kept in sync), the keyset cursor of every sort, and the counts that stop at
// BOARD_COUNT_LIMIT (3 here) with their estimate flags.

const LIMIT = 3;
const srv = useTestServer({ env: () => ({ BOARD_COUNT_LIMIT: String(LIMIT) }) });
const { fixtures, create, acted } = saleOrderKit(srv);

type Page = { items: SaleOrderSummary[]; total: number; totalIsEstimate?: boolean; nextCursor?: string | null };
const ids = (res: { body: Page }) => res.body.items.map((o) => o.id);

async function list(c: ApiClient, query: string): Promise<Page> {
  const res = await c.get(`/api/sale-orders?${query}`);
  expectStatus(res, 200);
  return res.body;
}

async function order(c: ApiClient, partnerId: number, extra: Record<string, unknown> = {}) {
  const f = await fixtures();
  return create(c, { partnerId, lines: [{ productId: f.plain.id, quantity: 1 }], ...extra });
}

describe('GET /api/sale-orders?q= (the one search)', () => {
  it('finds orders by number, digits, reference, shop order id, customer name (accents folded) and email', async () => {
    const tag = uniqueTag('fts');
    const muller = await makePartner(srv.admin, { name: `Jürgen Müller ${tag}`, email: `jurgen.${tag.toLowerCase()}@example.com` });
    const zoe = await makePartner(srv.admin, { name: `Zoë Ærø ${tag}` });
    const a = await order(srv.admin, muller.id, { reference: `#${tag}-1002` });
    const b = await order(srv.admin, zoe.id, { channelId: 77, externalId: `shop-${tag}` });
    const found = async (q: string) => ids({ body: await list(srv.admin, `q=${encodeURIComponent(q)}&limit=100`) });

    expect(await found(a.name)).toEqual([a.id]);
    expect(await found(a.name.toLowerCase())).toEqual([a.id]);
    expect(await found(String(Number(a.name.slice(1))))).toContain(a.id); // "42" is S00042
    expect(await found(a.name.slice(0, -1))).toContain(a.id); // a number's prefix
    expect(await found(`#${tag}-1002`)).toEqual([a.id]);
    expect(await found(`#${tag}`)).toContain(a.id); // a reference's prefix (and both customers, whose names carry the tag)
    expect(await found(`shop-${tag}`)).toEqual([b.id]);
    expect(await found(`Müller ${tag}`)).toEqual([a.id]);
    expect(await found(`muller ${tag}`)).toEqual([a.id]); // accents folded on both databases
    expect(await found(`MULL ${tag}`)).toEqual([a.id]); // words' prefixes, any case
    expect(await found(`zoe aero ${tag}`.replace('aero', 'Ærø'))).toEqual([b.id]);
    expect(await found(`zoe ${tag}`)).toEqual([b.id]);
    expect(await found(`jurgen.${tag.toLowerCase()}@example.com`)).toEqual([a.id]);
    // The counts and the dashboard's figures read the same search.
    const counts = (await srv.admin.get(`/api/sale-orders/counts?q=${encodeURIComponent(`muller ${tag}`)}`)).body;
    expect(counts).toEqual({ draft: 1, sent: 0, sale: 0, done: 0, cancel: 0 });
  });

  it('keeps the customers index in sync: a new partner, a rename, a new email', async () => {
    const tag = uniqueTag('sync');
    const p = await makePartner(srv.admin, { name: `Amélie Dupont ${tag}` });
    const o = await order(srv.admin, p.id);
    const found = async (q: string) => ids({ body: await list(srv.admin, `q=${encodeURIComponent(q)}`) });
    expect(await found(`amelie ${tag}`)).toEqual([o.id]);

    const renamed = await srv.admin.patch(`/api/partners/${p.id}`, {
      name: `Béatrice Durand ${tag}`,
      email: `bea.${tag.toLowerCase()}@example.org`,
      version: p.version,
    });
    expectStatus(renamed, 200);
    expect(await found(`amelie ${tag}`)).toEqual([]);
    expect(await found(`beatrice durand ${tag}`)).toEqual([o.id]);
    expect(await found(`bea.${tag.toLowerCase()}@example.org`)).toEqual([o.id]);
  });
});

describe('GET /api/sale-orders?after= (keyset cursor)', () => {
  const SORTS = [
    '-createdAt',
    'createdAt',
    '-dateOrder',
    'dateOrder',
    '-name',
    'name',
    '-amountTotal',
    'amountTotal',
    '-updatedAt',
    'updatedAt',
    'state',
    '-state',
  ];

  /** Every page by cursor, two at a time, until nextCursor is null. */
  async function walk(c: ApiClient, query: string): Promise<number[]> {
    const seen: number[] = [];
    let cursor: string | null | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await list(c, `${query}&limit=2${cursor ? `&after=${cursor}` : ''}`);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('the cursor never ended');
  }

  it('walks every sort in the order of the offset pages: ties broken by id, no duplicate, no gap', async () => {
    const tag = uniqueTag('keys');
    const p = await makePartner(srv.admin, { name: `Keyset ${tag}` });
    const f = await fixtures();
    // Equal totals and dates (ties), several states.
    for (let i = 0; i < 7; i++) {
      const o = await create(srv.admin, {
        partnerId: p.id,
        dateOrder: `2024-03-0${1 + (i % 2)}T10:00:00Z`,
        lines: [{ productId: f.plain.id, quantity: 1 + (i % 3) }],
      });
      if (i % 3 === 1) await acted(o.id, 'send');
      if (i % 3 === 2) await acted(o.id, 'cancel');
    }
    for (const sort of SORTS) {
      const all = await list(srv.admin, `partnerId=${p.id}&sort=${sort}&limit=100`);
      expect(all.items).toHaveLength(7);
      expect(all.nextCursor).toBeNull();
      const walked = await walk(srv.admin, `partnerId=${p.id}&sort=${sort}`);
      expect(walked, sort).toEqual(all.items.map((o) => o.id));
      expect(new Set(walked).size).toBe(7);
    }
    // With a filter and a search too.
    const sent = await list(srv.admin, `partnerId=${p.id}&state=sent&sort=-amountTotal&limit=100`);
    expect(await walk(srv.admin, `partnerId=${p.id}&state=sent&sort=-amountTotal`)).toEqual(sent.items.map((o) => o.id));
    const searched = await list(srv.admin, `q=${encodeURIComponent(`Keyset ${tag}`)}&sort=name&limit=100`);
    expect(searched.items).toHaveLength(7);
    expect(await walk(srv.admin, `q=${encodeURIComponent(`Keyset ${tag}`)}&sort=name`)).toEqual(searched.items.map((o) => o.id));
  });

  it('respects the record rule: a user limited to their own orders walks only theirs', async () => {
    const tag = uniqueTag('own');
    const p = await makePartner(srv.admin, { name: `Own ${tag}` });
    const ann = await srv.user('sales', 'Ann Keyset');
    expectStatus(await srv.admin.patch(`/api/users/${ann.user!.id}`, { orderAccess: 'own' }), 200);
    const mine = [];
    for (let i = 0; i < 3; i++) {
      mine.push((await order(ann, p.id)).id);
      await order(srv.admin, p.id);
    }
    expect(await walk(ann, `partnerId=${p.id}&sort=-createdAt`)).toEqual([...mine].reverse());
    expect(await walk(ann, `partnerId=${p.id}&sort=name`)).toEqual(mine);
    expect(await walk(srv.admin, `partnerId=${p.id}&sort=name`)).toHaveLength(6);
  });

  it('a deep offset (100 on: the ids along the index first, then their rows) gives the page the shallow read gives', async () => {
    const tag = uniqueTag('deep');
    const p = await makePartner(srv.admin, { name: `Deep ${tag}` });
    const f = await fixtures();
    for (let i = 0; i < 104; i += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, 104 - i) }, (_, k) =>
          create(srv.admin, {
            partnerId: p.id,
            dateOrder: `2024-04-0${1 + ((i + k) % 3)}T10:00:00Z`,
            lines: [{ productId: f.plain.id, quantity: 1 + ((i + k) % 4) }],
          }),
        ),
      );
    }
    for (const query of [`partnerId=${p.id}`, `q=${encodeURIComponent(`Deep ${tag}`)}`]) {
      for (const sort of ['-createdAt', 'amountTotal', '-dateOrder', 'name']) {
        const all = await list(srv.admin, `${query}&sort=${sort}&limit=200`);
        expect(all.items).toHaveLength(104);
        const deep = await list(srv.admin, `${query}&sort=${sort}&offset=100&limit=10`);
        expect(
          deep.items.map((o) => o.id),
          `${query} ${sort}`,
        ).toEqual(all.items.slice(100).map((o) => o.id));
        expect(deep.items[0]).toEqual(all.items[100]);
        expect((await list(srv.admin, `${query}&sort=${sort}&offset=104&limit=10`)).items).toEqual([]);
      }
    }
  });

  it('400 for a cursor that is not one, or not of this sort', async () => {
    expectError(await srv.admin.get('/api/sale-orders?after=nonsense'), 400, 'validation', 'after');
    const page = await list(srv.admin, 'sort=-createdAt&limit=1');
    expectError(await srv.admin.get(`/api/sale-orders?sort=-amountTotal&after=${page.nextCursor}`), 400, 'validation', 'after');
  });
});

describe('counts up to BOARD_COUNT_LIMIT', () => {
  it('exact up to the limit; beyond, the limit with totalIsEstimate and the estimated states', async () => {
    const tag = uniqueTag('count');
    const p = await makePartner(srv.admin, { name: `Counted ${tag}` });
    for (let i = 0; i < LIMIT; i++) await order(srv.admin, p.id);
    const exact = await list(srv.admin, `partnerId=${p.id}`);
    expect(exact.total).toBe(LIMIT);
    expect(exact.totalIsEstimate).toBeUndefined();
    expect((await srv.admin.get(`/api/sale-orders/counts?partnerId=${p.id}`)).body).toEqual({ draft: LIMIT, sent: 0, sale: 0, done: 0, cancel: 0 });

    const extra = await order(srv.admin, p.id);
    await acted(extra.id, 'send');
    await order(srv.admin, p.id);
    const over = await list(srv.admin, `partnerId=${p.id}&limit=2`);
    expect(over).toMatchObject({ total: LIMIT, totalIsEstimate: true });
    expect(over.nextCursor).toEqual(expect.any(String));
    // Every order is still reachable page by page.
    const rest = await list(srv.admin, `partnerId=${p.id}&limit=10&after=${over.nextCursor}`);
    expect(rest.items).toHaveLength(3);
    expect((await srv.admin.get(`/api/sale-orders/counts?partnerId=${p.id}`)).body).toEqual({
      draft: LIMIT,
      sent: 1,
      sale: 0,
      done: 0,
      cancel: 0,
      estimated: ['draft'],
    });
    // Under the limit for a narrower filter: exact again.
    const sent = await list(srv.admin, `partnerId=${p.id}&state=sent`);
    expect(sent.total).toBe(1);
    expect(sent.totalIsEstimate).toBeUndefined();
  });
});
