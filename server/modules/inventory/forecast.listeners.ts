import { afterCommit, type Tx } from '../../db/transaction';

// The news that a product's forecast may have moved, told after commit to whoever listens (purchasing
// checks its reorder rules) without inventory knowing who. Nothing is told for a rolled-back change.

type ForecastListener = (productIds: number[]) => void | Promise<void>;
const listeners = new Set<ForecastListener>();
const moved = new WeakMap<Tx, Set<number>>();

/** Calls the listener with the products whose forecast may have moved, once each transaction that moved them commits. */
export function onForecastChanged(listener: ForecastListener): void {
  listeners.add(listener);
}

/** Notes in t that these products' forecast may have moved (stock counted, moves created, done or cancelled). */
export function forecastMoved(t: Tx, productIds: number[]): void {
  let ids = moved.get(t);
  if (!ids) {
    const collected = new Set<number>();
    ids = collected;
    moved.set(t, collected);
    afterCommit(t, async () => {
      for (const listener of listeners) await listener([...collected]);
    });
  }
  for (const id of productIds) ids.add(id);
}
