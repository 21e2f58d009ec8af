import { describe, expect, it } from 'vitest';
import { externalOrder } from '../../contracts/schemas/channels';
import { plainOrder } from '../../server/modules/imports/import.check';

// The import's check without zod: where it says an order is plainly valid, it returns exactly what the
// schema returns (the fingerprint of an order, hence a re-import's idempotency, depends on it); where
// it is not sure, it leaves the order to the schema.

type Candidate = Parameters<typeof plainOrder>[0];

const base = (): Candidate => ({
  externalId: '#1001',
  reference: '#1001',
  date: '2026-11-20T09:15:00.000Z',
  customer: { name: 'Zoë Müller', email: 'zoe@example.com', phone: null },
  shippingAddress: { name: 'Zoë', street: '1 Rue de l’Église', street2: null, city: 'Genève', zip: '1201', state: null, countryCode: 'CH', phone: null },
  lines: [
    { sku: 'A-1', name: 'Café', quantity: 2, unitPrice: 1999, discount: 0, discountAmount: 0 },
    { sku: null, name: 'Thé', quantity: 0.125, unitPrice: 0, discount: 12.5, discountAmount: 100, taxRates: [20] },
  ],
  shipping: { name: 'Post', amount: 490, taxRates: [20] },
  discountCodes: ['WELCOME'],
  orderDiscount: 0,
  note: 'Shop order #1001.\nleave at the door',
  financialStatus: 'paid',
  total: 4488,
  taxTotal: null,
});

const variants: [string, (c: Candidate) => void][] = [
  ['as it is', () => undefined],
  ['no address, no shipping', (c) => ((c.shippingAddress = null), (c.shipping = null))],
  ['shipping without taxes', (c) => delete c.shipping!.taxRates],
  ['an id to trim', (c) => (c.externalId = ' #1001')],
  ['an empty id', (c) => (c.externalId = '')],
  ['a long id', (c) => (c.externalId = 'x'.repeat(101))],
  ['a long reference', (c) => (c.reference = 'x'.repeat(101))],
  ['a date with an offset', (c) => (c.date = '2026-11-20T10:15:00+01:00')],
  ['not a date', (c) => (c.date = '2026-11-20')],
  ['an empty customer name', (c) => (c.customer.name = '')],
  ['a long email', (c) => (c.customer.email = `${'x'.repeat(500)}@example.com`)],
  ['a long zip', (c) => (c.shippingAddress!.zip = '1'.repeat(101))],
  ['a city to trim', (c) => (c.shippingAddress!.city = 'Genève ')],
  ['no lines', (c) => (c.lines = [])],
  ['a long sku', (c) => (c.lines[0]!.sku = 'S'.repeat(65))],
  ['a zero quantity', (c) => (c.lines[0]!.quantity = 0)],
  ['four decimals of quantity', (c) => (c.lines[0]!.quantity = 1.0001)],
  ['a price in fractions of a cent', (c) => (c.lines[0]!.unitPrice = 10.5)],
  ['a huge price', (c) => (c.lines[0]!.unitPrice = 1_000_000_000_01)],
  ['three decimals of discount', (c) => (c.lines[0]!.discount = 1.125)],
  ['a tax rate over 100', (c) => (c.lines[1]!.taxRates = [120])],
  ['eleven tax rates', (c) => (c.lines[1]!.taxRates = Array.from({ length: 11 }, () => 1))],
  ['a negative shipping', (c) => (c.shipping!.amount = -1)],
  ['a long shipping name', (c) => (c.shipping!.name = 'S'.repeat(201))],
  ['21 codes', (c) => (c.discountCodes = Array.from({ length: 21 }, (_, i) => `C${i}`))],
  ['a negative total', (c) => (c.total = -5)],
  ['a long note', (c) => (c.note = 'n'.repeat(10_001))],
  ['a long financial status', (c) => (c.financialStatus = 'f'.repeat(41))],
];

describe('the import check without the schema', () => {
  for (const [name, change] of variants) {
    it(`agrees with the schema: ${name}`, () => {
      const c = base();
      change(c);
      const plain = plainOrder(c);
      const parsed = externalOrder.safeParse(structuredClone(c));
      if (plain) {
        expect(parsed.success).toBe(true);
        expect(plain).toEqual(parsed.data);
        // The same keys in the same order: the order's fingerprint is its JSON.
        expect(JSON.stringify(plain)).toBe(JSON.stringify(parsed.data));
      }
    });
  }

  it('takes the plainly valid orders itself', () => {
    expect(plainOrder(base())).not.toBeNull();
    const c = base();
    c.shippingAddress = null;
    c.shipping = null;
    expect(plainOrder(c)).not.toBeNull();
  });

  it('leaves every invalid order to the schema', () => {
    for (const [name, change] of variants) {
      const c = base();
      change(c);
      if (!externalOrder.safeParse(structuredClone(c)).success) expect(plainOrder(c), name).toBeNull();
    }
  });
});
