import { QueryTypes } from 'sequelize';
import { db, isSqlite } from './sequelize';
import type { Tx } from './transaction';

export type SequenceCode = 'sale.order';

// How each document number looks; the sequences table keeps only the counters.
const FORMATS: Record<SequenceCode, { prefix: string; padding: number }> = {
  'sale.order': { prefix: 'S', padding: 5 },
};

/**
 * The next document number of a sequence, inside the caller's transaction, in one statement: the row
 * lock taken by the UPDATE serialises concurrent callers until they commit, and a rolled-back
 * transaction gives its number back (gapless).
 */
export async function nextNumber(code: SequenceCode, t: Tx): Promise<string> {
  const sequelize = db();
  let value: number | undefined;
  if (isSqlite()) {
    const rows = await sequelize.query<{ nextValue: number }>('UPDATE sequences SET nextValue = nextValue + 1 WHERE code = ? RETURNING nextValue', {
      replacements: [code],
      transaction: t,
      type: QueryTypes.SELECT,
    });
    value = rows[0] ? Number(rows[0].nextValue) : undefined;
  } else {
    // LAST_INSERT_ID(expr) hands the new value back in the statement's own result.
    const [result] = await sequelize.query('UPDATE sequences SET nextValue = LAST_INSERT_ID(nextValue + 1) WHERE code = ?', {
      replacements: [code],
      transaction: t,
    });
    const header = result as { insertId?: number; affectedRows?: number };
    value = header.affectedRows ? Number(header.insertId) : undefined;
  }
  if (value === undefined) throw new Error(`sequence ${code} is missing: migrations did not run`);
  const { prefix, padding } = FORMATS[code];
  return `${prefix}${String(value - 1).padStart(padding, '0')}`;
}
