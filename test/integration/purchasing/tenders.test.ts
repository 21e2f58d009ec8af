import { describe, expect, it } from 'vitest';
import { rooms } from '../../../contracts/events';
import type { Picking } from '../../../contracts/schemas/inventory';
import type { PurchaseOrder } from '../../../contracts/schemas/purchasing';
import type { Tender, TenderComparison } from '../../../contracts/schemas/tenders';
import type { ApiClient } from '../../support/client';
import { makeOrder, makePartner, makeProduct } from '../../factories/data';
import { setStock } from '../../factories/stock';
import { eventually } from '../../support/eventually';
import { expectError, expectStatus, uniqueTag } from '../../support/expect';
import { useMailgunStandIn } from '../../support/mailgun';
import { nextEvent, subscribe, useTestServer } from '../../support/server';

// Issue 16, acceptance 2: a call for tenders to three vendors. Three RFQs go out through Mailgun, two
// vendors answer in the vendor portal (with the link their email carried), the third not at all; the comparison marks the best price per line and the vendor who has not answered; choosing
// line 1 from A and line 2 from B confirms two purchase orders with only those lines (receipts made),
// the third RFQ is cancelled with a polite email; a second choice, a choice after cancelling and an
// answer to a cancelled RFQ are 422; bad bodies are 400 and write nothing.
describe('calls for tenders', () => {
  const mailgun = useMailgunStandIn();
  const srv = useTestServer({ env: () => mailgun.env() });
  const deadline = () => new Date(Date.now() + 3 * 86_400_000).toISOString();

  /** Three vendors with email, two products each of them sells (A is the preferred vendor of both). */
  async function world() {
    const tag = uniqueTag('cft');
    const vendor = (name: string) =>
      makePartner(srv.admin, { name: `${name} ${tag}`, email: `${name.toLowerCase()}-${tag}@vendor.example.net`, roles: ['vendor'] });
    const [a, b, c] = [await vendor('Alpha'), await vendor('Bravo'), await vendor('Charlie')];
    const vendors = (prices: number[]) => [a, b, c].map((v, i) => ({ partnerId: v.id, price: prices[i]!, minQty: 1, leadDays: 10 + i }));
    const bolt = await makeProduct(srv.admin, { name: `Bolt ${tag}`, vendors: vendors([1000, 1100, 1200]) });
    const nut = await makeProduct(srv.admin, { name: `Nut ${tag}`, vendors: vendors([500, 450, 600]) });
    return { a, b, c, bolt, nut, tag };
  }

  const get = async <T>(c: ApiClient, path: string): Promise<T> => {
    const res = await c.get(path);
    expectStatus(res, 200);
    return res.body as T;
  };
  const po = (id: number) => get<PurchaseOrder>(srv.admin, `/api/purchase-orders/${id}`);
  const rfqOf = (t: Tender, partnerId: number) => t.purchaseOrders.find((p) => p.partnerId === partnerId)!;
  const outboxFor = async (poId: number) =>
    (
      (await srv.admin.get(`/api/mail/outbox?limit=200&q=${(await po(poId)).name}`)).body.items as {
        key?: string;
        model: string | null;
        resId: number | null;
        subject: string;
      }[]
    ).filter((m) => m.model === 'purchaseOrder' && m.resId === poId);

  /** The vendor portal path of the RFQ, from the link in the email the vendor received. */
  async function portalOf(email: string, rfqName: string): Promise<string> {
    const mail = await eventually(async () => mailgun.sent.find((m) => String(m.fields.to).includes(email) && String(m.fields.subject).includes(rfqName)));
    const link = /href="[^"]*\/portal\/([^"]+)"/.exec(String(mail.fields.html))?.[1];
    if (!link) throw new Error(`no portal link in the email to ${email}`);
    return `/api/portal/${link}`;
  }

  async function created(buyer: ApiClient, body: Record<string, unknown>): Promise<Tender> {
    const res = await buyer.post('/api/tenders', body);
    expectStatus(res, 201);
    return res.body as Tender;
  }

  it('acceptance 2: three RFQs sent, two answers, the best price per line, per-line choice → two confirmed POs, the third declined by email', async () => {
    const buyer = await srv.user('purchase', 'Bea Buyer');
    const { a, b, c, bolt, nut } = await world();

    // Vendors default to the products' vendors: one RFQ each, every line on each, linked to the tender's lines.
    const tender = await created(buyer, {
      deadline: deadline(),
      lines: [
        { productId: bolt.id, quantity: 10 },
        { productId: nut.id, quantity: 100 },
      ],
    });
    expect(tender).toMatchObject({ state: 'draft', vendorIds: [a.id, b.id, c.id], asked: 3, answered: 0 });
    expect(tender.name).toMatch(/^T\d{5}$/);
    expect(tender.lines.map((l) => [l.productId, l.quantity])).toEqual([
      [bolt.id, 10],
      [nut.id, 100],
    ]);
    expect(tender.purchaseOrderIds).toHaveLength(3);
    const [lineBolt, lineNut] = tender.lines as [Tender['lines'][0], Tender['lines'][0]];
    for (const id of tender.purchaseOrderIds) {
      const rfq = await po(id);
      expect(rfq).toMatchObject({ state: 'draft', tenderId: tender.id, quotedAt: null });
      expect(rfq.lines.map((l) => l.tenderLineId)).toEqual([lineBolt.id, lineNut.id]);
    }

    // Send: three RFQs by the usual send path, through Mailgun.
    const socket = await srv.socket(buyer);
    await subscribe(socket, rooms.record('tender', tender.id));
    const sent = await buyer.post(`/api/tenders/${tender.id}/send`, { version: tender.version });
    expectStatus(sent, 200);
    expect(sent.body).toMatchObject({ state: 'open' });
    for (const v of [a, b, c]) {
      const rfq = await po(rfqOf(sent.body, v.id).id);
      expect(rfq.state).toBe('sent');
      const mail = await eventually(async () => mailgun.sent.find((m) => String(m.fields.to).includes(v.email!)));
      expect(String(mail.fields.subject)).toContain(`request for quotation ${rfq.name}`);
    }
    expectError(await buyer.post(`/api/tenders/${tender.id}/send`, {}), 422, 'invalid_state');

    // A and B answer (B cheaper on nuts, A cheaper and faster on bolts); C stays silent.
    const rfqA = await po(rfqOf(sent.body, a.id).id);
    const rfqB = await po(rfqOf(sent.body, b.id).id);
    const rfqC = await po(rfqOf(sent.body, c.id).id);
    const lineOf = (rfq: PurchaseOrder, tenderLineId: number) => rfq.lines.find((l) => l.tenderLineId === tenderLineId)!.id;
    const updated = nextEvent(socket, 'tender.updated', (e) => e.id === tender.id);
    // Each answers in the portal, without a login, with the link of its email.
    const anon = srv.anonymous();
    const [portalA, portalB] = [await portalOf(a.email!, rfqA.name), await portalOf(b.email!, rfqB.name)];
    const viewB = await anon.get(portalB);
    expectStatus(viewB, 200);
    expect(viewB.body).toMatchObject({ name: rfqB.name, kind: 'rfq', can: { quote: true }, deadline: expect.any(String) });
    const portalQuoteA = await anon.post(`${portalA}/quote`, {
      lines: [
        { lineId: lineOf(rfqA, lineBolt.id), unitPrice: 900, leadDays: 4 },
        { lineId: lineOf(rfqA, lineNut.id), unitPrice: 480, leadDays: 4 },
      ],
      validUntil: '2030-01-31',
    });
    expectStatus(portalQuoteA, 200);
    expect(portalQuoteA.body.lines.map((l: { leadDays: number }) => l.leadDays)).toEqual([4, 4]);
    const quoteA = { body: await po(rfqA.id) };
    expect(quoteA.body).toMatchObject({ quotedAt: expect.any(String), quotedBy: { kind: 'vendor', name: a.name } });
    expect(quoteA.body.validUntil).toMatch(/^2030-01-31/);
    expect(quoteA.body.lines.map((l) => [l.unitPrice, l.leadDays, l.subtotal])).toEqual([
      [900, 4, 9000],
      [480, 4, 48000],
    ]);
    expect((await updated).tender).toMatchObject({ answered: 1, asked: 3 });
    expectStatus(
      await anon.post(`${portalB}/quote`, {
        lines: [
          { lineId: lineOf(rfqB, lineBolt.id), unitPrice: 950, leadDays: 7 },
          { lineId: lineOf(rfqB, lineNut.id), unitPrice: 400, leadDays: 2 },
        ],
      }),
      200,
    );
    // B's portal shows B's own prices only, never A's; B cannot answer on A's lines.
    const seenByB = JSON.stringify((await anon.get(portalB)).body);
    expect(seenByB).toContain('"unitPrice":950');
    expect(seenByB).not.toContain('"unitPrice":900');
    expect(seenByB).not.toContain('"unitPrice":480');
    expect(seenByB).not.toContain(a.name);
    expectStatus(await anon.post(`${portalB}/quote`, { lines: [{ lineId: lineOf(rfqA, lineBolt.id), unitPrice: 1, leadDays: 1 }] }), 400);
    expect((await po(rfqA.id)).lines.find((l) => l.tenderLineId === lineBolt.id)!.unitPrice).toBe(900);

    // The comparison: best price and fastest per line, totals per vendor, C has not answered.
    const cmp = await get<TenderComparison>(buyer, `/api/tenders/${tender.id}/comparison`);
    expect(cmp.deadlinePassed).toBe(false);
    const vendorRow = (id: number) => cmp.vendors.find((v) => v.partnerId === id)!;
    expect(vendorRow(a.id)).toMatchObject({ answered: true, total: 9000 + 48000, leadDays: 4 });
    expect(vendorRow(b.id)).toMatchObject({ answered: true, total: 9500 + 40000, leadDays: 7 });
    expect(vendorRow(c.id)).toMatchObject({ answered: false, total: null, quotedAt: null });
    const [cmpBolt, cmpNut] = cmp.lines as [TenderComparison['lines'][0], TenderComparison['lines'][0]];
    expect(cmpBolt).toMatchObject({ id: lineBolt.id, bestPricePurchaseOrderId: rfqA.id, fastestPurchaseOrderId: rfqA.id });
    expect(cmpNut).toMatchObject({ id: lineNut.id, bestPricePurchaseOrderId: rfqB.id, fastestPurchaseOrderId: rfqB.id });
    expect(cmpBolt.offers.find((o) => o.partnerId === c.id)).toMatchObject({ quoted: false, unitPrice: null, bestPrice: false });
    expect(cmpNut.offers.filter((o) => o.bestPrice).map((o) => o.partnerId)).toEqual([b.id]);

    // Tender's chatter: created, sent, the answers and the state.
    const log = (
      await get<{ items: { type: string; body: string; tracking: { field: string; newValue: unknown }[] | null }[] }>(
        buyer,
        `/api/messages?model=tender&resId=${tender.id}`,
      )
    ).items;
    expect(log.some((m) => m.type === 'note' && m.body.includes('created'))).toBe(true);
    expect(log.some((m) => m.tracking?.some((x) => x.field === 'state' && x.newValue === 'open'))).toBe(true);
    expect(log.filter((m) => m.tracking?.some((x) => x.field.startsWith('answer:'))).length).toBe(2);

    // Bad choices are 400 and change nothing.
    const current = await get<Tender>(buyer, `/api/tenders/${tender.id}`);
    expectError(
      await buyer.post(`/api/tenders/${tender.id}/choose`, { lines: [{ lineId: 999999, purchaseOrderId: rfqA.id }] }),
      400,
      'validation',
      'lines.0.lineId',
    );
    expectError(await buyer.post(`/api/tenders/${tender.id}/choose`, { lines: [{ lineId: lineBolt.id, purchaseOrderId: 999999 }] }), 400, 'validation');
    expectError(await buyer.post(`/api/tenders/${tender.id}/choose`, { purchaseOrderId: 'A' }), 400, 'validation');
    expectError(await buyer.post(`/api/tenders/${tender.id}/choose`, {}), 400, 'validation');
    expect((await get<Tender>(buyer, `/api/tenders/${tender.id}`)).version).toBe(current.version);

    // Line 1 from A, line 2 from B.
    const chose = await buyer.post(`/api/tenders/${tender.id}/choose`, {
      lines: [
        { lineId: lineBolt.id, purchaseOrderId: rfqA.id },
        { lineId: lineNut.id, purchaseOrderId: rfqB.id },
      ],
    });
    expectStatus(chose, 200);
    expect(chose.body).toMatchObject({ state: 'chosen', chosenAt: expect.any(String) });
    const [poA, poB, poC] = [await po(rfqA.id), await po(rfqB.id), await po(rfqC.id)];
    expect(poA.state).toBe('purchase');
    expect(poA.lines.map((l) => [l.productId, l.quantity, l.unitPrice])).toEqual([[bolt.id, 10, 900]]);
    expect(poB.state).toBe('purchase');
    expect(poB.lines.map((l) => [l.productId, l.quantity, l.unitPrice])).toEqual([[nut.id, 100, 400]]);
    for (const p of [poA, poB]) {
      const receipts = await Promise.all(p.pickingIds.map((id) => get<Picking>(srv.admin, `/api/pickings/${id}`)));
      expect(receipts.filter((r) => r.type === 'incoming' && r.state !== 'cancel')).toHaveLength(1);
    }
    expect(poC.state).toBe('cancel');
    const declined = await eventually(async () =>
      mailgun.sent.find((m) => String(m.fields.to).includes(c.email!) && String(m.fields.html).includes('Thank you')),
    );
    expect(String(declined.fields.html)).toContain(rfqC.name);
    expect((await outboxFor(rfqC.id)).some((m) => m.key === `purchaseOrder:${rfqC.id}:rfq_declined`)).toBe(true);
    // A and B are not sent a decline.
    expect((await outboxFor(rfqA.id)).some((m) => m.key?.includes('rfq_declined'))).toBe(false);
    expect((await outboxFor(rfqB.id)).some((m) => m.key?.includes('rfq_declined'))).toBe(false);

    // After the choice: the comparison shows what was chosen; a second choice and a late answer are 422.
    const after = await get<TenderComparison>(buyer, `/api/tenders/${tender.id}/comparison`);
    expect(after.lines[0]!.offers.find((o) => o.partnerId === a.id)!.chosen).toBe(true);
    expectError(await buyer.post(`/api/tenders/${tender.id}/choose`, { purchaseOrderId: rfqA.id }), 422, 'invalid_state');
    expectError(await buyer.post(`/api/tenders/${tender.id}/cancel`, {}), 422, 'invalid_state');
    const late = await buyer.post(`/api/purchase-orders/${rfqC.id}/quote`, { lines: [{ lineId: rfqC.lines[0]!.id, unitPrice: 1, leadDays: 1 }] });
    expectError(late, 422, 'invalid_state');
    // Nor in the portal: C's cancelled RFQ opens, but takes no answer.
    const portalC = await portalOf(c.email!, rfqC.name);
    expect((await anon.get(portalC)).body.can).toMatchObject({ quote: false, accept: false });
    expectError(await anon.post(`${portalC}/quote`, { lines: [{ lineId: rfqC.lines[0]!.id, unitPrice: 1, leadDays: 1 }] }), 422, 'invalid_state');
    // A chosen RFQ takes no new answer either.
    expectError(await anon.post(`${portalA}/quote`, { lines: [{ lineId: poA.lines[0]!.id, unitPrice: 1, leadDays: 1 }] }), 422, 'invalid_state');
    expect((await po(rfqC.id)).quotedAt).toBeNull();
    const choiceLog = (await get<{ items: { type: string; body: string }[] }>(buyer, `/api/messages?model=tender&resId=${tender.id}`)).items;
    expect(choiceLog.some((m) => m.type === 'note' && m.body.includes('Chosen by'))).toBe(true);
  });

  it('one vendor for all; cancelling a tender declines its sent RFQs; choosing or answering after that is 422', async () => {
    const { a, b, bolt, nut } = await world();
    // Vendors given: only A and B are asked.
    const one = await created(srv.admin, {
      deadline: deadline(),
      vendorIds: [b.id, a.id],
      lines: [
        { productId: bolt.id, quantity: 3 },
        { productId: nut.id, quantity: 5 },
      ],
    });
    expect(one.vendorIds).toEqual([b.id, a.id]);
    expectStatus(await srv.admin.post(`/api/tenders/${one.id}/send`, {}), 200);
    const all = await srv.admin.post(`/api/tenders/${one.id}/choose`, { purchaseOrderId: rfqOf(one, b.id).id });
    expectStatus(all, 200);
    expect((await po(rfqOf(one, b.id).id)).lines.map((l) => l.productId)).toEqual([bolt.id, nut.id]);
    expect((await po(rfqOf(one, b.id).id)).state).toBe('purchase');
    expect((await po(rfqOf(one, a.id).id)).state).toBe('cancel');

    const two = await created(srv.admin, { deadline: deadline(), lines: [{ productId: bolt.id, quantity: 1 }] });
    expectStatus(await srv.admin.post(`/api/tenders/${two.id}/send`, {}), 200);
    const cancelled = await srv.admin.post(`/api/tenders/${two.id}/cancel`, {});
    expectStatus(cancelled, 200);
    expect(cancelled.body.state).toBe('cancel');
    for (const p of two.purchaseOrders) {
      expect((await po(p.id)).state).toBe('cancel');
      expect((await outboxFor(p.id)).some((m) => m.key === `purchaseOrder:${p.id}:rfq_declined`)).toBe(true);
    }
    expectError(await srv.admin.post(`/api/tenders/${two.id}/choose`, { purchaseOrderId: two.purchaseOrderIds[0] }), 422, 'invalid_state');
    const rfq = await po(two.purchaseOrderIds[0]!);
    expectError(
      await srv.admin.post(`/api/purchase-orders/${rfq.id}/quote`, { lines: [{ lineId: rfq.lines[0]!.id, unitPrice: 10, leadDays: 1 }] }),
      422,
      'invalid_state',
    );

    // A draft tender's RFQs take no answers yet (the tender is not open).
    const three = await created(srv.admin, { deadline: deadline(), lines: [{ productId: nut.id, quantity: 2 }] });
    const draftRfq = await po(three.purchaseOrderIds[0]!);
    expectError(
      await srv.admin.post(`/api/purchase-orders/${draftRfq.id}/quote`, { lines: [{ lineId: draftRfq.lines[0]!.id, unitPrice: 10, leadDays: 1 }] }),
      422,
      'invalid_state',
    );
  });

  it('the portal path: a vendor’s answer in the portal writes the RFQ chatter as the vendor and updates the tender live; refused once the tender is cancelled', async () => {
    const { a, b, bolt } = await world();
    const t = await created(srv.admin, { deadline: deadline(), vendorIds: [a.id, b.id], lines: [{ productId: bolt.id, quantity: 4 }] });
    expectStatus(await srv.admin.post(`/api/tenders/${t.id}/send`, {}), 200);
    const rfq = await po(rfqOf(t, a.id).id);
    const socket = await srv.socket(srv.admin);
    await subscribe(socket, rooms.record('tender', t.id));
    const updated = nextEvent(socket, 'tender.updated', (e) => e.id === t.id && e.tender.answered === 1);
    const anon = srv.anonymous();
    const portal = await portalOf(a.email!, rfq.name);
    expectStatus(await anon.post(`${portal}/quote`, { lines: [{ lineId: rfq.lines[0]!.id, unitPrice: 777, leadDays: 9 }], validUntil: '2031-05-01' }), 200);
    await updated;
    const quoted = await po(rfq.id);
    expect(quoted).toMatchObject({
      quotedBy: { kind: 'vendor', name: a.name },
      lines: [expect.objectContaining({ unitPrice: 777, leadDays: 9, subtotal: 3108 })],
    });
    const messages = (await srv.admin.get(`/api/messages?model=purchaseOrder&resId=${rfq.id}`)).body.items as {
      type: string;
      authorPartnerId: number | null;
      body: string;
    }[];
    expect(messages.find((m) => m.type === 'comment' && m.authorPartnerId === a.id)?.body).toContain('7.77');
    const cmp = await get<TenderComparison>(srv.admin, `/api/tenders/${t.id}/comparison`);
    expect(cmp.lines[0]!.bestPricePurchaseOrderId).toBe(rfq.id);

    // A line of another document is a 400; once the tender is cancelled, a 422; nothing is written either way.
    const other = await po(rfqOf(t, b.id).id);
    expectError(await anon.post(`${portal}/quote`, { lines: [{ lineId: other.lines[0]!.id, unitPrice: 1, leadDays: 1 }] }), 400, 'validation');
    expectError(await anon.post(`${portal}/quote`, { lines: [{ lineId: rfq.lines[0]!.id, unitPrice: -1, leadDays: 1 }] }), 400, 'validation');
    expectStatus(await srv.admin.post(`/api/tenders/${t.id}/cancel`, {}), 200);
    expectError(await anon.post(`${portal}/quote`, { lines: [{ lineId: rfq.lines[0]!.id, unitPrice: 1, leadDays: 1 }] }), 422, 'invalid_state');
    expect((await po(rfq.id)).lines[0]!.unitPrice).toBe(777);
  });

  it('bad bodies are 400 and write nothing; a product without vendors and no vendors given is 422', async () => {
    const { a, bolt } = await world();
    const before = (await srv.admin.get('/api/tenders?limit=1')).body.total as number;
    const bad: [Record<string, unknown>, string][] = [
      [{ lines: [{ productId: bolt.id, quantity: 1 }] }, 'deadline'],
      [{ deadline: 'tomorrow', lines: [{ productId: bolt.id, quantity: 1 }] }, 'deadline'],
      [{ deadline: deadline(), lines: [] }, 'lines'],
      [{ deadline: deadline(), lines: [{ productId: bolt.id, quantity: -1 }] }, 'lines.0.quantity'],
      [{ deadline: deadline(), lines: [{ productId: 99999999, quantity: 1 }] }, 'lines.productId'],
      [
        {
          deadline: deadline(),
          lines: [
            { productId: bolt.id, quantity: 1 },
            { productId: bolt.id, quantity: 2 },
          ],
        },
        'lines.1.productId',
      ],
      [{ deadline: deadline(), lines: [{ productId: bolt.id, quantity: 1 }], vendorIds: [99999999] }, 'vendorIds'],
      [{ deadline: deadline(), lines: [{ productId: bolt.id, quantity: 1 }], extra: true }, '(body)'],
    ];
    for (const [body, field] of bad) expectError(await srv.admin.post('/api/tenders', body), 400, 'validation', field);
    const lonely = await makeProduct(srv.admin, { name: 'No vendor' });
    expectError(await srv.admin.post('/api/tenders', { deadline: deadline(), lines: [{ productId: lonely.id, quantity: 1 }] }), 422, 'invalid_state');
    expect((await srv.admin.get('/api/tenders?limit=1')).body.total).toBe(before);

    // Quotes: a line of another RFQ, a negative price, no lines → 400, nothing recorded.
    const t = await created(srv.admin, { deadline: deadline(), vendorIds: [a.id], lines: [{ productId: bolt.id, quantity: 1 }] });
    expectStatus(await srv.admin.post(`/api/tenders/${t.id}/send`, {}), 200);
    const rfq = await po(t.purchaseOrderIds[0]!);
    const other = await created(srv.admin, { deadline: deadline(), vendorIds: [a.id], lines: [{ productId: bolt.id, quantity: 1 }] });
    const foreign = (await po(other.purchaseOrderIds[0]!)).lines[0]!.id;
    const quote = (body: unknown) => srv.admin.post(`/api/purchase-orders/${rfq.id}/quote`, body);
    expectError(await quote({ lines: [{ lineId: foreign, unitPrice: 10, leadDays: 1 }] }), 400, 'validation', 'lines.0.lineId');
    expectError(await quote({ lines: [{ lineId: rfq.lines[0]!.id, unitPrice: -1, leadDays: 1 }] }), 400, 'validation', 'lines.0.unitPrice');
    expectError(await quote({ lines: [{ lineId: rfq.lines[0]!.id, unitPrice: 1.5, leadDays: 1 }] }), 400, 'validation', 'lines.0.unitPrice');
    expectError(await quote({ lines: [] }), 400, 'validation', 'lines');
    expectError(await quote({ lines: [{ lineId: rfq.lines[0]!.id, unitPrice: 1, leadDays: 1 }], validUntil: 'soon' }), 400, 'validation', 'validUntil');
    const unchanged = await po(rfq.id);
    expect(unchanged).toMatchObject({ quotedAt: null, version: rfq.version });
    expect(unchanged.lines[0]!.leadDays).toBeNull();

    // Roles: sales may read tenders but not create them or enter quotes.
    const sales = await srv.user('sales', 'Sam Sales');
    expectStatus(await sales.get(`/api/tenders/${t.id}`), 200);
    expectError(await sales.post('/api/tenders', { deadline: deadline(), lines: [{ productId: bolt.id, quantity: 1 }] }), 403, 'forbidden');
    expectError(
      await sales.post(`/api/purchase-orders/${rfq.id}/quote`, { lines: [{ lineId: rfq.lines[0]!.id, unitPrice: 1, leadDays: 1 }] }),
      403,
      'forbidden',
    );
  });

  it('a tender counts once in the forecast; it can be started from the replenishment report and from a delivery waiting for stock', async () => {
    const { a, b, bolt } = await world();
    // An order for 6 bolts with none on hand: the delivery waits, the report suggests 6.
    await setStock(srv.admin, bolt.id, 0);
    const order = await makeOrder(srv.admin, { lines: [{ productId: bolt.id, quantity: 6 }] });
    expectStatus(await srv.admin.post(`/api/sale-orders/${order.id}/confirm`), 200);
    const report = async () =>
      ((await srv.admin.get('/api/replenishment')).body.items as { productId: number; suggested: number; incoming: number }[]).find(
        (i) => i.productId === bolt.id,
      );
    expect((await report())?.suggested).toBe(6);

    // From the shortage: a draft tender for the 6 short, each RFQ line recorded for the order.
    const delivery = (await srv.admin.get(`/api/pickings?saleOrderId=${order.id}`)).body.items[0] as Picking;
    const fromShortage = await srv.admin.post(`/api/pickings/${delivery.id}/tender`, { deadline: deadline(), vendorIds: [a.id, b.id] });
    expectStatus(fromShortage, 201);
    const tender = fromShortage.body as Tender;
    expect(tender.origin).toBe(`${delivery.name} (${order.name})`);
    expect(tender.lines.map((l) => [l.productId, l.quantity])).toEqual([[bolt.id, 6]]);
    for (const id of tender.purchaseOrderIds) expect((await po(id)).saleOrderIds).toEqual([order.id]);
    // Asked of two vendors, counted once: the report has nothing more to suggest, and the shortage is on order.
    expect(await report()).toBeUndefined();
    expect((await srv.admin.get(`/api/pickings/${delivery.id}/shortage`)).body.toOrder).toBe(0);
    expectError(await srv.admin.post(`/api/pickings/${delivery.id}/tender`, { deadline: deadline() }), 422, 'invalid_state');

    // Cancelled, it counts no more: the replenishment report suggests 6 again, and that starts a tender.
    expectStatus(await srv.admin.post(`/api/tenders/${tender.id}/cancel`, {}), 200);
    const item = await report();
    expect(item?.suggested).toBe(6);
    const fromReport = await created(srv.admin, { deadline: deadline(), origin: 'Replenishment', lines: [{ productId: bolt.id, quantity: item!.suggested }] });
    expect(fromReport).toMatchObject({ origin: 'Replenishment', state: 'draft' });
    expect(fromReport.vendorIds).toHaveLength(3);
    expect(await report()).toBeUndefined();
  });
});
