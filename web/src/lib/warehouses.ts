import type { Warehouse } from '$contracts/schemas/company';
import { call, routes } from './api';

let cached: Promise<Warehouse[]> | null = null;

/** Every warehouse, loaded once per page load. */
export function loadWarehouses(): Promise<Warehouse[]> {
  if (!cached) {
    cached = call(routes.warehouses.list, { query: { limit: 200, sort: 'id' } }).then((r) => r.items);
    // A failed load is retried by the next caller instead of being remembered.
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
