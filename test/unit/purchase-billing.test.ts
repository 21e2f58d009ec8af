import { describe, expect, it } from 'vitest';
import { billableLines, nothingToBill } from '../../server/modules/purchasing/purchase-order.billing';
import type { PurchaseOrderModel } from '../../server/modules/purchasing/purchase-order.model';

// What a vendor bill drafted now covers of a purchase order (Odoo's bill control): ordered or received
// quantities by the product's bill policy, minus what is billed; the override bills received-policy
// lines up to what was ordered and tells how much of that is not received yet.

type LineSpec = { id: number; policy: 'ordered' | 'received'; quantity: number; received: number; billed: number; sequence?: number };

function order(lines: LineSpec[]): PurchaseOrderModel {
  return {
    name: 'P00042',
    lines: lines.map((l) => ({
      id: l.id,
      sequence: l.sequence ?? 0,
      quantity: l.quantity,
      qtyReceived: l.received,
      qtyBilled: l.billed,
      product: { billPolicy: l.policy },
    })),
  } as unknown as PurchaseOrderModel;
}

const summary = (o: PurchaseOrderModel, override = false) => billableLines(o, override).map((b) => [b.line.id, b.quantity, b.beforeReceipt]);

describe('billableLines', () => {
  it('billed on receipt: what is received and not billed; billed on order: what is ordered and not billed', () => {
    const o = order([
      { id: 1, policy: 'received', quantity: 5, received: 3, billed: 0 },
      { id: 2, policy: 'ordered', quantity: 4, received: 0, billed: 1 },
      { id: 3, policy: 'received', quantity: 2, received: 2, billed: 2 },
    ]);
    expect(summary(o)).toEqual([
      [1, 3, 0],
      [2, 3, 0],
    ]);
  });

  it('the override bills received-policy lines up to the ordered quantity, counting what is not received yet', () => {
    const o = order([
      { id: 1, policy: 'received', quantity: 5, received: 3, billed: 0 },
      { id: 2, policy: 'received', quantity: 5, received: 3, billed: 3 },
      { id: 3, policy: 'ordered', quantity: 2, received: 0, billed: 0 },
    ]);
    expect(summary(o, true)).toEqual([
      [1, 5, 2],
      [2, 2, 2],
      [3, 2, 0],
    ]);
  });

  it('keeps the order of the lines and leaves out what was billed beyond what may be billed (a credit note is by hand)', () => {
    const o = order([
      { id: 7, policy: 'received', quantity: 5, received: 1, billed: 4, sequence: 0 },
      { id: 9, policy: 'ordered', quantity: 1.5, received: 0, billed: 0.25, sequence: 2 },
      { id: 8, policy: 'ordered', quantity: 3, received: 0, billed: 0, sequence: 1 },
    ]);
    expect(summary(o)).toEqual([
      [8, 3, 0],
      [9, 1.25, 0],
    ]);
  });
});

describe('nothingToBill', () => {
  it('says what to wait for, or that the order is fully billed', () => {
    expect(nothingToBill(order([{ id: 1, policy: 'received', quantity: 5, received: 2, billed: 2 }]))).toMatch(
      /^Nothing to bill on P00042: .*wait for their receipt \(bill them before receipt with the override\)$/,
    );
    expect(nothingToBill(order([{ id: 1, policy: 'received', quantity: 5, received: 2, billed: 5 }]))).toBe('Nothing to bill on P00042: it is fully billed');
    expect(nothingToBill(order([{ id: 1, policy: 'ordered', quantity: 5, received: 0, billed: 5 }]))).toBe('Nothing to bill on P00042: it is fully billed');
  });
});
