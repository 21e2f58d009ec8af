import { describe, expect, it } from 'vitest';
import { mtoShares } from '../../server/modules/purchasing/purchase-order.receipts';

// Units of a purchase line fall to its make-to-order demands in turn, oldest sale order first,
// whichever receipt or backorder brings them; what is beyond them is nobody's (stock).

const demand = (id: number, saleOrderId: number | null, saleLineId: number | null, quantity: number, kind: 'mto' | 'reorder' = 'mto') => ({
  id,
  kind,
  saleOrderId,
  saleLineId,
  quantity,
});

describe('mtoShares', () => {
  const s1 = demand(1, 10, 100, 3);
  const s2 = demand(2, 11, 110, 2);

  it('a receipt of 3 then 2 serves S1 then S2', () => {
    expect(mtoShares([s2, s1], 0, 3)).toEqual([{ saleLineId: 100, saleOrderId: 10, quantity: 3 }]);
    expect(mtoShares([s1, s2], 3, 2)).toEqual([{ saleLineId: 110, saleOrderId: 11, quantity: 2 }]);
  });

  it('a receipt across demands splits, and units beyond every demand are nobody’s', () => {
    expect(mtoShares([s1, s2, demand(3, null, null, 4, 'reorder')], 2, 5)).toEqual([
      { saleLineId: 100, saleOrderId: 10, quantity: 1 },
      { saleLineId: 110, saleOrderId: 11, quantity: 2 },
    ]);
    expect(mtoShares([s1, s2], 5, 4)).toEqual([]);
  });

  it('the oldest sale order first, whatever order the demands were recorded in; decimals stay exact', () => {
    const later = demand(1, 20, 200, 0.3);
    const earlier = demand(2, 12, 120, 0.1);
    expect(mtoShares([later, earlier], 0, 0.2)).toEqual([
      { saleLineId: 120, saleOrderId: 12, quantity: 0.1 },
      { saleLineId: 200, saleOrderId: 20, quantity: 0.1 },
    ]);
  });
});
