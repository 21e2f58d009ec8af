import type { Query, routes } from '$contracts/api';
import type { PurchaseOrderFilters, PurchaseOrderSummary } from '$contracts/schemas/purchasing';
import { PURCHASE_ORDER_STATES, type PurchaseOrderState } from '$contracts/states';

export type PurchaseSort = PurchaseOrderFilters['sort'];

/** The purchase board's filters, as the address carries them. */
export type PurchaseBoardFilters = {
  q: string;
  states: PurchaseOrderState[];
  partnerId: number | null;
  late: boolean;
  origin: string;
  sort: PurchaseSort;
};

export const SORT_OPTIONS: { value: PurchaseSort; label: string }[] = [
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: 'datePlanned', label: 'Arrival, soonest first' },
  { value: '-datePlanned', label: 'Arrival, latest first' },
  { value: '-dateOrder', label: 'Order date, latest first' },
  { value: 'dateOrder', label: 'Order date, earliest first' },
  { value: '-name', label: 'Number, descending' },
  { value: 'name', label: 'Number, ascending' },
  { value: '-amountTotal', label: 'Total, highest first' },
  { value: 'amountTotal', label: 'Total, lowest first' },
];

export const DEFAULT_SORT: PurchaseSort = '-createdAt';

function isSort(v: string | null): v is PurchaseSort {
  return SORT_OPTIONS.some((o) => o.value === v);
}

function isState(v: string): v is PurchaseOrderState {
  return (PURCHASE_ORDER_STATES as readonly string[]).includes(v);
}

export function emptyFilters(sort: PurchaseSort = DEFAULT_SORT): PurchaseBoardFilters {
  return { q: '', states: [], partnerId: null, late: false, origin: '', sort };
}

export function hasFilters(f: PurchaseBoardFilters): boolean {
  return f.q.trim() !== '' || f.states.length > 0 || f.partnerId !== null || f.late || f.origin.trim() !== '';
}

/** The list's query; the counts take the same without the states (each state is counted). */
export function toListQuery(f: PurchaseBoardFilters): Query<typeof routes.purchaseOrders.list> {
  return {
    q: f.q.trim() || undefined,
    state: f.states.length ? f.states : undefined,
    partnerId: f.partnerId ?? undefined,
    late: f.late || undefined,
    origin: f.origin.trim() || undefined,
    sort: f.sort,
  };
}

export function toCountsQuery(f: PurchaseBoardFilters): Query<typeof routes.purchaseOrders.counts> {
  return { ...toListQuery(f), state: undefined, sort: undefined };
}

/** Whether a pushed purchase order belongs in the current view. The text searches approximate the server's. */
export function matchesFilters(o: PurchaseOrderSummary, f: PurchaseBoardFilters, ignoreState = false): boolean {
  if (!ignoreState && f.states.length && !f.states.includes(o.state)) return false;
  if (f.partnerId !== null && o.partnerId !== f.partnerId) return false;
  if (f.late && !o.late) return false;
  const origin = f.origin.trim().toLowerCase();
  if (origin && !(o.origin ?? '').toLowerCase().includes(origin)) return false;
  const q = f.q.trim().toLowerCase();
  if (q && ![o.name, o.partnerName, o.origin ?? ''].some((s) => s.toLowerCase().includes(q))) return false;
  return true;
}

/** The fields the board sorts by (the keyset cursor holds one of them). */
export type SortKey = 'name' | 'dateOrder' | 'datePlanned' | 'amountTotal' | 'createdAt';

/** The server's order for a sort: the field (no planned date last), then id in the same direction. */
export function comparator(sort: PurchaseSort): (a: PurchaseOrderSummary, b: PurchaseOrderSummary) => number {
  const desc = sort.startsWith('-');
  const key = (desc ? sort.slice(1) : sort) as SortKey;
  const dir = desc ? -1 : 1;
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    }
    return (a.id - b.id) * dir;
  };
}

export function filtersFromUrl(params: URLSearchParams): PurchaseBoardFilters {
  const sort = params.get('sort');
  const partner = Number(params.get('partnerId'));
  return {
    q: params.get('q') ?? '',
    states: (params.get('state') ?? '').split(',').filter(isState),
    partnerId: Number.isInteger(partner) && partner > 0 ? partner : null,
    late: params.get('late') === 'true',
    origin: params.get('origin') ?? '',
    sort: isSort(sort) ? sort : DEFAULT_SORT,
  };
}

export function filtersToUrl(f: PurchaseBoardFilters, params: URLSearchParams): void {
  const set = (k: string, v: string | null) => (v ? params.set(k, v) : params.delete(k));
  set('q', f.q.trim() || null);
  set('state', f.states.join(',') || null);
  set('partnerId', f.partnerId === null ? null : String(f.partnerId));
  set('late', f.late ? 'true' : null);
  set('origin', f.origin.trim() || null);
  set('sort', f.sort === DEFAULT_SORT ? null : f.sort);
}
