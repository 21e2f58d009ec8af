import { QueryTypes } from 'sequelize';
import { db, isSqlite } from './sequelize';
import type { Tx } from './transaction';

// Many rows into one table in few statements, with no model instances: for bulk writes (an import's
// chunk) whose values the caller has already checked. Values are written as SQL literals the way
// Sequelize writes them (text escaped by Sequelize itself, dates in UTC with milliseconds, booleans 1/0,
// JSON already a string), a statement at most MAX_STATEMENT_BYTES long, so MariaDB's max_allowed_packet
// and SQLite's statement limit are never met.

export type SqlValue = string | number | boolean | Date | null;

const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A date as Sequelize stores it (timezone +00:00): MariaDB's DATETIME(3) text, SQLite's text with its offset. */
function dateLiteral(d: Date, sqlite: boolean): string {
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  return sqlite ? `'${text} +00:00'` : `'${text}'`;
}

function literal(v: SqlValue, sqlite: boolean): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a number to write: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? '1' : '0';
  // Dates keep their milliseconds (Sequelize's escape() drops them on MySQL); text is escaped by Sequelize.
  if (v instanceof Date) return dateLiteral(v, sqlite);
  return db().escape(v);
}

/**
 * Inserts `rows` (values in the order of `columns`) into `table` in t, in multi-row statements.
 * With `ids`, returns the new rows' ids in the rows' order: SQLite says them (RETURNING); MySQL gives
 * the first of each statement, and a multi-row INSERT of known length takes consecutive values
 * (stepped by auto_increment_increment), which is how Sequelize's bulkCreate reads them too.
 */
export async function insertRows(
  t: Tx,
  table: string,
  columns: readonly string[],
  rows: SqlValue[][],
  opts: { ids: true; maxBytes?: number },
): Promise<number[]>;
export async function insertRows(
  t: Tx,
  table: string,
  columns: readonly string[],
  rows: SqlValue[][],
  opts?: { ids?: false; maxBytes?: number },
): Promise<void>;
export async function insertRows(
  t: Tx,
  table: string,
  columns: readonly string[],
  rows: SqlValue[][],
  opts: { ids?: boolean; maxBytes?: number } = {},
): Promise<number[] | void> {
  const maxBytes = opts.maxBytes ?? MAX_STATEMENT_BYTES;
  const sqlite = isSqlite();
  const head = `INSERT INTO ${quoteName(table, sqlite)} (${columns.map((c) => quoteName(c, sqlite)).join(', ')}) VALUES `;
  const ids: number[] = [];
  let values: string[] = [];
  let bytes = head.length;
  const flush = async () => {
    if (!values.length) return;
    const sql = head + values.join(',');
    const n = values.length;
    values = [];
    bytes = head.length;
    if (!opts.ids) {
      await db().query(sql, { transaction: t, type: QueryTypes.INSERT });
    } else if (sqlite) {
      // Sequelize's SQLite dialect runs a statement starting "INSERT INTO" without reading rows back: the
      // comment in front has it read the rows RETURNING gives.
      const returned = await db().query<{ id: number }>(`/* rows */ ${sql} RETURNING id`, { transaction: t, type: QueryTypes.SELECT });
      for (const r of returned) ids.push(Number(r.id));
    } else {
      // An INSERT's result in Sequelize's MySQL dialect: [the first new id, the rows inserted].
      const [insertId] = (await db().query(sql, { transaction: t, type: QueryTypes.INSERT })) as unknown as [number, number];
      const first = Number(insertId);
      const step = await autoIncrementStep(t);
      for (let i = 0; i < n; i++) ids.push(first + i * step);
    }
  };
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`${table}: a row of ${row.length} values for ${columns.length} columns`);
    const text = `(${row.map((v) => literal(v, sqlite)).join(',')})`;
    if (values.length && bytes + text.length + 1 > maxBytes) await flush();
    values.push(text);
    bytes += text.length + 1;
  }
  await flush();
  return opts.ids ? ids : undefined;
}

const quoteName = (name: string, sqlite: boolean) => (sqlite ? `"${name}"` : `\`${name}\``);

let step: number | undefined;

/** MySQL's auto_increment_increment (1 unless replication set it otherwise), read once. */
async function autoIncrementStep(t: Tx): Promise<number> {
  if (step === undefined) {
    const rows = await db().query<{ step: number }>('SELECT @@auto_increment_increment AS step', { transaction: t, type: QueryTypes.SELECT });
    step = Number(rows[0]?.step ?? 1) || 1;
  }
  return step;
}
