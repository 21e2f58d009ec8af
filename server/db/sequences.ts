import { QueryTypes } from 'sequelize';
import { db } from './sequelize';
import type { Tx } from './transaction';

export type SequenceCode = 'sale.order';

const DEFAULTS: Record<SequenceCode, { prefix: string; padding: number }> = {
  'sale.order': { prefix: 'S', padding: 5 },
};

/**
 * The next document number of a sequence, inside the caller's transaction: the row lock taken by the
 * UPDATE serialises concurrent callers, and a rolled-back transaction gives its number back (gapless).
 */
export async function nextNumber(code: SequenceCode, t: Tx): Promise<string> {
  const sequelize = db();
  const [, affected] = await sequelize.query('UPDATE sequences SET nextValue = nextValue + 1 WHERE code = ?', {
    replacements: [code],
    transaction: t,
    type: QueryTypes.UPDATE,
  });
  if (!affected) {
    const d = DEFAULTS[code];
    await sequelize.query('INSERT INTO sequences (code, prefix, padding, nextValue) VALUES (?, ?, ?, 2)', {
      replacements: [code, d.prefix, d.padding],
      transaction: t,
    });
    return format(d.prefix, d.padding, 1);
  }
  const rows = await sequelize.query<{ prefix: string; padding: number; nextValue: number }>(
    'SELECT prefix, padding, nextValue FROM sequences WHERE code = ?',
    { replacements: [code], transaction: t, type: QueryTypes.SELECT },
  );
  const row = rows[0];
  if (!row) throw new Error(`sequence ${code} vanished`);
  return format(row.prefix, Number(row.padding), Number(row.nextValue) - 1);
}

function format(prefix: string, padding: number, n: number): string {
  return `${prefix}${String(n).padStart(padding, '0')}`;
}
