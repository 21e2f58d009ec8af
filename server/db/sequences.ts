import { QueryTypes } from 'sequelize';
import { db, isSqlite } from './sequelize';
import type { Tx } from './transaction';

/** `sale.order`, `picking:<warehouse code>:<OUT|IN|RET|DS>`, or `invoice:<INV|RINV|BILL>:<year>`. */
export type SequenceCode =
  | 'sale.order'
  | 'purchase.order'
  | 'purchase.tender'
  | `picking:${string}:${'OUT' | 'IN' | 'RET' | 'DS'}`
  | `invoice:${'INV' | 'RINV' | 'BILL' | 'RBILL'}:${number}`;

// How each number looks (prefix, padding) is kept with its counter; read once per code, it never changes.
const formats = new Map<string, { prefix: string; padding: number }>();

async function formatOf(code: SequenceCode, t: Tx | null): Promise<{ prefix: string; padding: number }> {
  const known = formats.get(code);
  if (known) return known;
  const rows = await db().query<{ prefix: string; padding: number }>('SELECT prefix, padding FROM sequences WHERE code = ?', {
    replacements: [code],
    transaction: t,
    type: QueryTypes.SELECT,
  });
  if (!rows[0]) throw new Error(`sequence ${code} is missing`);
  const format = { prefix: rows[0].prefix, padding: Number(rows[0].padding) };
  formats.set(code, format);
  return format;
}

/** How a sequence's numbers look (S + 5 digits): a search reads a bare number ("42") as S00042. */
export function numberFormat(code: SequenceCode): Promise<{ prefix: string; padding: number }> {
  return formatOf(code, null);
}

/**
 * The numbers a bare number ("42") is in every sequence of a family (`picking:` for every warehouse
 * and kind, `invoice:` for every type and year): WH/OUT/00042, WH/IN/00042, INV/2026/00042… The
 * sequences are a few rows; the search then reads the numbers' unique index.
 */
export async function numbersEndingIn(family: 'picking:' | 'invoice:', digits: string): Promise<string[]> {
  const rows = await db().query<{ prefix: string; padding: number }>('SELECT prefix, padding FROM sequences WHERE code LIKE ?', {
    replacements: [`${family}%`],
    type: QueryTypes.SELECT,
  });
  return [...new Set(rows.map((r) => `${r.prefix}${digits.padStart(Number(r.padding), '0')}`))];
}

/** Creates a sequence if it does not exist yet (a new warehouse's picking numbers). */
async function createSequence(code: SequenceCode, format: { prefix: string; padding: number }, t: Tx): Promise<void> {
  const verb = isSqlite() ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  await db().query(`${verb} INTO sequences (code, prefix, padding, nextValue) VALUES (?, ?, ?, 1)`, {
    replacements: [code, format.prefix, format.padding],
    transaction: t,
  });
}

/**
 * The next document number of a sequence, inside the caller's transaction, in one statement: the row
 * lock taken by the UPDATE serialises concurrent callers until they commit, and a rolled-back
 * transaction gives its number back (gapless).
 */
export async function nextNumber(code: SequenceCode, t: Tx, create?: { prefix: string; padding: number }): Promise<string> {
  const value = await increment(code, t);
  if (value !== undefined) return format(code, value, t);
  // Only a missing sequence is created, and only then: an INSERT IGNORE on an existing row would take
  // a shared lock that deadlocks with the UPDATE of a concurrent caller.
  if (!create) throw new Error(`sequence ${code} is missing: migrations did not run`);
  await createSequence(code, create, t);
  const created = await increment(code, t);
  if (created === undefined) throw new Error(`sequence ${code} could not be created`);
  return format(code, created, t);
}

/**
 * A block of `count` consecutive numbers of an existing sequence in one statement (a bulk import's
 * orders): the same row lock and rollback as nextNumber, so the block stays gapless too.
 */
export async function nextNumbers(code: SequenceCode, count: number, t: Tx): Promise<string[]> {
  if (count <= 0) return [];
  const end = await increment(code, t, count);
  if (end === undefined) throw new Error(`sequence ${code} is missing: migrations did not run`);
  const { prefix, padding } = await formatOf(code, t);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(end - count + i).padStart(padding, '0')}`);
}

async function format(code: SequenceCode, value: number, t: Tx): Promise<string> {
  const { prefix, padding } = await formatOf(code, t);
  return `${prefix}${String(value - 1).padStart(padding, '0')}`;
}

/** Moves the counter on by `by`; its new value (the first number not taken), or undefined if there is no such sequence. */
async function increment(code: SequenceCode, t: Tx, by = 1): Promise<number | undefined> {
  const sequelize = db();
  let value: number | undefined;
  if (isSqlite()) {
    const rows = await sequelize.query<{ nextValue: number }>('UPDATE sequences SET nextValue = nextValue + ? WHERE code = ? RETURNING nextValue', {
      replacements: [by, code],
      transaction: t,
      type: QueryTypes.SELECT,
    });
    value = rows[0] ? Number(rows[0].nextValue) : undefined;
  } else {
    // LAST_INSERT_ID(expr) hands the new value back in the statement's own result.
    const [result] = await sequelize.query('UPDATE sequences SET nextValue = LAST_INSERT_ID(nextValue + ?) WHERE code = ?', {
      replacements: [by, code],
      transaction: t,
    });
    const header = result as { insertId?: number; affectedRows?: number };
    value = header.affectedRows ? Number(header.insertId) : undefined;
  }
  return value;
}
