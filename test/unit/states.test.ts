import { describe, expect, it } from 'vitest';
import {
  SALE_ORDER_STATES,
  SALE_ORDER_TRANSITIONS,
  canTransition,
  isLatePicking,
  saleOrderActionTo,
  type SaleOrderAction,
  type SaleOrderState,
} from '../../contracts/states';

// The state rules of contracts/states.ts, written out here from ARCHITECTURE "States":
// draft (quotation) → sent → sale (confirmed) → done (locked); cancel; a cancelled order back to draft.

describe('sale order transitions', () => {
  // From each state, the actions that may be taken (the others are refused).
  const FROM: Record<SaleOrderState, SaleOrderAction[]> = {
    draft: ['send', 'confirm', 'cancel'],
    sent: ['send', 'confirm', 'cancel'],
    sale: ['cancel', 'lock'],
    done: ['unlock'],
    cancel: ['draft'],
  };

  it('knows exactly these actions', () => {
    expect(Object.keys(SALE_ORDER_TRANSITIONS).sort()).toEqual(['cancel', 'confirm', 'draft', 'lock', 'send', 'unlock']);
  });

  it.each(SALE_ORDER_STATES)('from %s: only its actions are allowed', (state) => {
    const allowed = (Object.keys(SALE_ORDER_TRANSITIONS) as SaleOrderAction[]).filter((a) => canTransition(a, state));
    expect(allowed.sort()).toEqual([...FROM[state]].sort());
  });

  it('a confirmed order cannot be confirmed, sent or unlocked again; a locked one cannot be cancelled', () => {
    expect(canTransition('confirm', 'sale')).toBe(false);
    expect(canTransition('send', 'sale')).toBe(false);
    expect(canTransition('unlock', 'sale')).toBe(false);
    expect(canTransition('cancel', 'done')).toBe(false);
    expect(canTransition('draft', 'done')).toBe(false);
  });
});

describe('saleOrderActionTo (a kanban card moved to another column)', () => {
  // From each state, the columns an order may be moved to and the action that takes it there.
  const MOVES: Record<SaleOrderState, Partial<Record<SaleOrderState, SaleOrderAction>>> = {
    draft: { sent: 'send', sale: 'confirm', cancel: 'cancel' },
    sent: { sale: 'confirm', cancel: 'cancel' },
    sale: { done: 'lock', cancel: 'cancel' },
    done: { sale: 'unlock' },
    cancel: { draft: 'draft' },
  };

  it.each(SALE_ORDER_STATES)('from %s: exactly its moves, each through an action its state allows', (from) => {
    const moves = Object.fromEntries(SALE_ORDER_STATES.flatMap((to) => (saleOrderActionTo(from, to) ? [[to, saleOrderActionTo(from, to)]] : [])));
    expect(moves).toEqual(MOVES[from]);
    for (const action of Object.values(moves)) expect(canTransition(action!, from)).toBe(true);
  });
});

describe('isLatePicking', () => {
  const now = Date.UTC(2026, 2, 15, 10, 30); // 15 March 2026, 10:30 UTC

  it('an open picking scheduled before today (UTC) is late; today and later are not', () => {
    for (const state of ['draft', 'waiting', 'confirmed', 'assigned'] as const) {
      expect(isLatePicking(state, '2026-03-14T23:59:59Z', now), state).toBe(true);
      expect(isLatePicking(state, '2026-03-15T00:00:00Z', now), state).toBe(false);
      expect(isLatePicking(state, '2026-03-15T23:00:00Z', now), state).toBe(false);
      expect(isLatePicking(state, new Date('2026-03-20T00:00:00Z'), now), state).toBe(false);
    }
  });

  it('a done or cancelled picking is never late', () => {
    expect(isLatePicking('done', '2020-01-01T00:00:00Z', now)).toBe(false);
    expect(isLatePicking('cancel', '2020-01-01T00:00:00Z', now)).toBe(false);
  });

  it('the day turns at midnight UTC, whatever the hour of now', () => {
    expect(isLatePicking('assigned', '2026-03-14T12:00:00Z', Date.UTC(2026, 2, 15, 0, 0, 1))).toBe(true);
    expect(isLatePicking('assigned', '2026-03-14T12:00:00Z', Date.UTC(2026, 2, 14, 23, 59, 59))).toBe(false);
  });
});
