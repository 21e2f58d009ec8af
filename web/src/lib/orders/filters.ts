import type { SaleOrderExportInput, SaleOrderFilters, SaleOrderSummary } from '$contracts/schemas/sales';
import { SALE_ORDER_STATES, type SaleOrderState } from '$contracts/states';
import type { Query, routes } from '$contracts/api';

export type OrderSort = SaleOrderFilters['sort'];

export type BoardFilters = {
  q: string;
  states: SaleOrderState[];
  needsAttention: boolean;
  partnerId: number | null;
  channelId: number | null;
  sort: OrderSort;
};

export const SORT_OPTIONS: { value: OrderSort; label: string }[] = [
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: '-dateOrder', label: 'Order date, latest first' },
  { value: 'dateOrder', label: 'Order date, earliest first' },
  { value: '-name', label: 'Number, descending' },
  { value: 'name', label: 'Number, ascending' },
  { value: '-amountTotal', label: 'Total, highest first' },
  { value: 'amountTotal', label: 'Total, lowest first' },
  { value: '-updatedAt', label: 'Recently changed' },
  { value: 'state', label: 'State' },
];

export const DEFAULT_SORT: OrderSort = '-createdAt';

export function isSort(v: string | null): v is OrderSort {
  return SORT_OPTIONS.some((o) => o.value === v) || v === '-state' || v === 'updatedAt';
}

export function isState(v: string): v is SaleOrderState {
  return (SALE_ORDER_STATES as readonly string[]).includes(v);
}

export function toListQuery(f: BoardFilters): Query<typeof routes.saleOrders.list> {
  return {
    q: f.q.trim() || undefined,
    state: f.states.length ? f.states : undefined,
    partnerId: f.partnerId ?? undefined,
    channelId: f.channelId ?? undefined,
    needsAttention: f.needsAttention || undefined,
    sort: f.sort,
  };
}

export function toExportInput(f: BoardFilters): SaleOrderExportInput {
  return {
    ...(f.q.trim() && { q: f.q.trim() }),
    ...(f.states.length && { state: f.states }),
    ...(f.partnerId !== null && { partnerId: f.partnerId }),
    ...(f.channelId !== null && { channelId: f.channelId }),
    ...(f.needsAttention && { needsAttention: true }),
    sort: f.sort,
  };
}

/** Whether a pushed order belongs in the current view. The text search approximates the server's. */
export function matchesFilters(o: SaleOrderSummary, f: BoardFilters, ignoreState = false): boolean {
  if (!ignoreState && f.states.length && !f.states.includes(o.state)) return false;
  if (f.needsAttention && !o.needsAttention) return false;
  if (f.partnerId !== null && o.partnerId !== f.partnerId) return false;
  if (f.channelId !== null && o.channelId !== f.channelId) return false;
  const q = f.q.trim().toLowerCase();
  if (q && ![o.name, o.partnerName, o.externalId ?? ''].some((s) => s.toLowerCase().includes(q))) return false;
  return true;
}

type SortKey = 'name' | 'dateOrder' | 'amountTotal' | 'createdAt' | 'updatedAt' | 'state';

/** The server's order for a sort: the field, then id in the same direction. */
export function comparator(sort: OrderSort): (a: SaleOrderSummary, b: SaleOrderSummary) => number {
  const desc = sort.startsWith('-');
  const key = (desc ? sort.slice(1) : sort) as SortKey;
  const dir = desc ? -1 : 1;
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    if (x < y) return -dir;
    if (x > y) return dir;
    return (a.id - b.id) * dir;
  };
}

/** The fields a sort reads: a change to one of them can move an order. */
export function sortField(sort: OrderSort): SortKey {
  return (sort.startsWith('-') ? sort.slice(1) : sort) as SortKey;
}

export function filtersFromUrl(params: URLSearchParams): BoardFilters {
  const sort = params.get('sort');
  const positive = (key: string) => {
    const n = Number(params.get(key));
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  return {
    q: params.get('q') ?? '',
    states: (params.get('state') ?? '').split(',').filter(isState),
    needsAttention: params.get('needsAttention') === 'true',
    partnerId: positive('partnerId'),
    channelId: positive('channelId'),
    sort: isSort(sort) ? sort : DEFAULT_SORT,
  };
}

export function filtersToUrl(f: BoardFilters, params: URLSearchParams): void {
  const set = (k: string, v: string | null) => (v ? params.set(k, v) : params.delete(k));
  set('q', f.q.trim() || null);
  set('state', f.states.join(',') || null);
  set('needsAttention', f.needsAttention ? 'true' : null);
  set('partnerId', f.partnerId === null ? null : String(f.partnerId));
  set('channelId', f.channelId === null ? null : String(f.channelId));
  set('sort', f.sort === DEFAULT_SORT ? null : f.sort);
}
