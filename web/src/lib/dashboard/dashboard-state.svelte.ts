import type { Dashboard } from '$contracts/schemas/dashboard';
import { call, routes } from '$lib/api';
import { Loader } from '$lib/loader.svelte';
import { lastDays, type DateRange } from './dashboard';

/** Many changes at once (an import, a batch) load the dashboard once. */
const RELOAD_MS = 500;

/** The dashboard of a range, loaded again (debounced) when something it counts changes. */
export class DashboardState {
  range: DateRange = $state(lastDays(30));
  readonly loader: Loader<Dashboard>;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(range: DateRange) {
    this.range = range;
    this.loader = new Loader(() => call(routes.dashboard.get, { query: { from: this.range.from, to: this.range.to } }));
  }

  load(): Promise<void> {
    return this.loader.load();
  }

  setRange(r: DateRange): void {
    this.range = r;
    void this.load();
  }

  /** Something changed: load again shortly, once for a burst of changes. */
  reloadSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(), RELOAD_MS);
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
