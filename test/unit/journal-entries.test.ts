import { describe, expect, it } from 'vitest';
import { PAYMENT_DIRECTION, assertBalanced, invoiceEntryItems, paymentEntryItems, type EntryItem } from '../../server/modules/accounting/journal-entries';

// The double entry of invoices and payments (ARCHITECTURE "Rules": every posted journal entry
// balances). Accounts: 411 receivable, 701 income (fallback), 706 services, 4457x tax per tax, 512 bank;
// on the purchase side 401 payable, 601 expense, 4456x deductible tax.

const accounts = { partner: 411, lineFallback: 701, taxAccount: (taxId: number) => 44570 + taxId };
const taxNames = new Map([
  [1, 'VAT 20%'],
  [2, 'VAT 5.5%'],
]);
const side = (items: EntryItem[]) => items.map((i) => [i.accountId, i.debit, i.credit]);
const sums = (items: EntryItem[]) => ({ debit: items.reduce((s, i) => s + i.debit, 0), credit: items.reduce((s, i) => s + i.credit, 0) });

// Two lines: 50.97 taxed 20% (10.19) and 5.5% (2.80), and 10.00 taxed 20% (2.00); total 75.96.
const invoice = {
  moveType: 'out_invoice' as const,
  partnerId: 7,
  amountTotal: 7596,
  lines: [
    {
      description: 'Desk lamp',
      subtotal: 5097,
      accountId: null,
      taxAmounts: [
        { taxId: 1, amount: 1019 },
        { taxId: 2, amount: 280 },
      ],
    },
    { description: 'Installation', subtotal: 1000, accountId: 706, taxAmounts: [{ taxId: 1, amount: 200 }] },
  ],
};

describe('invoiceEntryItems', () => {
  it('an invoice credits income per line and tax per tax, and debits the receivable with the total', () => {
    const items = invoiceEntryItems(invoice, accounts, taxNames, 'INV/2026/00001');
    expect(side(items)).toEqual([
      [701, 0, 5097], // no account on the line: the fallback income account
      [706, 0, 1000],
      [44571, 0, 1219], // VAT 20% of both lines together
      [44572, 0, 280],
      [411, 7596, 0],
    ]);
    expect(items.map((i) => i.label)).toEqual(['Desk lamp', 'Installation', 'VAT 20%', 'VAT 5.5%', 'INV/2026/00001']);
    expect(items.map((i) => i.taxId)).toEqual([null, null, 1, 2, null]);
    expect(items.every((i) => i.partnerId === 7)).toBe(true);
    expect(sums(items)).toEqual({ debit: 7596, credit: 7596 });
    expect(() => assertBalanced(items, 'INV/2026/00001')).not.toThrow();
  });

  it('a credit note mirrors it: income and tax debited, the receivable credited', () => {
    const items = invoiceEntryItems({ ...invoice, moveType: 'out_refund' }, accounts, taxNames, 'RINV/2026/00001');
    expect(side(items)).toEqual([
      [701, 5097, 0],
      [706, 1000, 0],
      [44571, 1219, 0],
      [44572, 280, 0],
      [411, 0, 7596],
    ]);
  });

  it('a vendor bill debits expense per line and deductible tax per tax, and credits the payable; its credit note mirrors it', () => {
    // 401 payable, 601 the purchase journal's expense account, 4456x deductible tax per tax.
    const vendor = { partner: 401, lineFallback: 601, taxAccount: (taxId: number) => 44560 + taxId };
    const bill = {
      moveType: 'in_invoice' as const,
      partnerId: 9,
      amountTotal: 17250,
      lines: [{ description: 'Widgets', subtotal: 15000, accountId: null, taxAmounts: [{ taxId: 1, amount: 2250 }] }],
    };
    const items = invoiceEntryItems(bill, vendor, taxNames, 'BILL/2026/00001');
    expect(side(items)).toEqual([
      [601, 15000, 0],
      [44561, 2250, 0],
      [401, 0, 17250],
    ]);
    expect(items.every((i) => i.partnerId === 9)).toBe(true);
    expect(items.map((i) => i.taxId)).toEqual([null, 1, null]);
    const refund = invoiceEntryItems({ ...bill, moveType: 'in_refund' }, vendor, taxNames, 'RBILL/2026/00001');
    expect(side(refund)).toEqual([
      [601, 0, 15000],
      [44561, 0, 2250],
      [401, 17250, 0],
    ]);
    expect(sums(refund)).toEqual({ debit: 17250, credit: 17250 });
  });

  it('a negative line (a discount) goes to the other side; lines and taxes of zero write no item', () => {
    const items = invoiceEntryItems(
      {
        moveType: 'out_invoice',
        partnerId: 3,
        amountTotal: 960,
        lines: [
          { description: 'Chair', subtotal: 1000, accountId: 701, taxAmounts: [{ taxId: 1, amount: 200 }] },
          { description: 'Voucher', subtotal: -200, accountId: 701, taxAmounts: [{ taxId: 1, amount: -40 }] },
          { description: 'Free sample', subtotal: 0, accountId: 701, taxAmounts: [{ taxId: 2, amount: 0 }] },
        ],
      },
      accounts,
      taxNames,
      'INV/2026/00002',
    );
    expect(side(items)).toEqual([
      [701, 0, 1000],
      [701, 200, 0],
      [44571, 0, 160],
      [411, 960, 0],
    ]);
    expect(sums(items)).toEqual({ debit: 1160, credit: 1160 });
  });

  it('a tax without a known name is labelled by its id; a long description is cut to 200 characters', () => {
    const items = invoiceEntryItems(
      {
        moveType: 'out_invoice',
        partnerId: 1,
        amountTotal: 110,
        lines: [{ description: 'x'.repeat(300), subtotal: 100, accountId: 701, taxAmounts: [{ taxId: 9, amount: 10 }] }],
      },
      accounts,
      new Map(),
      'INV/2026/00003',
    );
    expect(items[0]!.label).toHaveLength(200);
    expect(items[1]).toMatchObject({ accountId: 44579, taxId: 9, label: 'Tax 9', credit: 10 });
  });

  it('an invoice of zero writes no receivable item', () => {
    const items = invoiceEntryItems(
      { moveType: 'out_invoice', partnerId: 1, amountTotal: 0, lines: [{ description: 'Gift', subtotal: 0, accountId: 701, taxAmounts: [] }] },
      accounts,
      taxNames,
      'INV/2026/00004',
    );
    expect(items).toEqual([]);
  });
});

describe('paymentEntryItems', () => {
  it('a customer payment debits the bank and credits the receivable; a refund paid back the other way round', () => {
    const inbound = paymentEntryItems({ direction: 'inbound', amount: 7596, partnerId: 7 }, { partner: 411, liquidity: 512 }, 'PAY/1');
    expect(side(inbound)).toEqual([
      [512, 7596, 0],
      [411, 0, 7596],
    ]);
    const outbound = paymentEntryItems({ direction: 'outbound', amount: 500, partnerId: 7 }, { partner: 411, liquidity: 530 }, 'PAY/2');
    expect(side(outbound)).toEqual([
      [530, 0, 500],
      [411, 500, 0],
    ]);
    expect(outbound.every((i) => i.label === 'PAY/2' && i.partnerId === 7 && i.taxId === null)).toBe(true);
  });

  it('paying a vendor bill debits the payable and credits the bank; a vendor refund comes back the other way', () => {
    expect([PAYMENT_DIRECTION.in_invoice, PAYMENT_DIRECTION.in_refund, PAYMENT_DIRECTION.out_invoice, PAYMENT_DIRECTION.out_refund]).toEqual([
      'outbound',
      'inbound',
      'inbound',
      'outbound',
    ]);
    const paid = paymentEntryItems({ direction: PAYMENT_DIRECTION.in_invoice, amount: 17250, partnerId: 9 }, { partner: 401, liquidity: 512 }, 'BNK/BILL/1');
    expect(side(paid)).toEqual([
      [512, 0, 17250],
      [401, 17250, 0],
    ]);
  });
});

describe('assertBalanced', () => {
  const item = (debit: number, credit: number): EntryItem => ({ accountId: 1, partnerId: null, taxId: null, label: 'x', debit, credit });

  it('refuses an entry whose debits and credits differ, naming both', () => {
    expect(() => assertBalanced([item(100, 0), item(0, 99)], 'INV/2026/00009')).toThrow('The entry of INV/2026/00009 does not balance: debit 100 ≠ credit 99');
  });

  it('refuses fractions of a cent and negative amounts, even when the sums agree', () => {
    expect(() => assertBalanced([item(100.5, 0), item(0, 100.5)], 'A')).toThrow(/not a whole number of cents/);
    expect(() => assertBalanced([item(-100, 0), item(0, -100)], 'B')).toThrow(/not a whole number of cents/);
  });

  it('accepts a balanced entry, and an empty one', () => {
    expect(() => assertBalanced([item(300, 0), item(0, 100), item(0, 200)], 'C')).not.toThrow();
    expect(() => assertBalanced([], 'D')).not.toThrow();
  });
});
