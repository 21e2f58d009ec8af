import { Transaction } from 'sequelize';
import { logger } from '../lib/logger';
import { db, isSqlite } from './sequelize';

export type Tx = Transaction;

// SQLite allows one writer: transactions of this process queue here instead of failing with SQLITE_BUSY.
let sqliteTail: Promise<unknown> = Promise.resolve();

function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = sqliteTail.then(fn, fn);
  sqliteTail = run.catch(() => undefined);
  return run;
}

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

function isRetryable(err: unknown): boolean {
  const parent = (err as { parent?: { code?: string } } | undefined)?.parent;
  return !!parent?.code && RETRYABLE.has(parent.code);
}

/**
 * Runs fn in a transaction: the caller's when one is passed, otherwise a new one that commits when fn
 * resolves and rolls back when it throws. A MySQL deadlock retries the whole function (twice at most).
 */
export async function withTransaction<T>(fn: (t: Tx) => Promise<T>, outer?: Tx | null): Promise<T> {
  if (outer) return fn(outer);
  const sequelize = db();
  if (isSqlite()) {
    return serialised(() => sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, fn));
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await sequelize.transaction(fn);
    } catch (err) {
      if (attempt < 2 && isRetryable(err)) continue;
      throw err;
    }
  }
}

/** Runs fn once the transaction has committed; never for a rolled-back one. */
export function afterCommit(t: Tx, fn: () => void | Promise<void>): void {
  t.afterCommit(async () => {
    try {
      await fn();
    } catch (err) {
      // An after-commit side effect must not turn a committed change into an error for the caller.
      logger.error({ err }, 'after-commit hook failed');
    }
  });
}
