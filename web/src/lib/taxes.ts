import type { Tax } from '$contracts/schemas/catalog';
import { call, routes } from './api';

let cached: Promise<Tax[]> | null = null;

/** Every tax, loaded once per page load; `refresh` after an edit. */
export function loadTaxes(refresh = false): Promise<Tax[]> {
  if (!cached || refresh) {
    cached = call(routes.taxes.list, { query: { limit: 500, sort: 'name' } }).then((r) => r.items);
    // A failed load is retried by the next caller instead of being remembered.
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

export function taxLabel(t: Pick<Tax, 'name' | 'rate'>): string {
  return t.name.includes('%') ? t.name : `${t.name} (${t.rate}%)`;
}
