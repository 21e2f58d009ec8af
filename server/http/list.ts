import { Op, QueryTypes, literal, type FindOptions, type Model, type ModelStatic, type Order, type WhereOptions } from 'sequelize';
import { isSqlite } from '../db/sequelize';
import { ValidationError } from './errors';

/** `sort=-createdAt` → [['createdAt', 'DESC']], allowing only the listed fields; id breaks ties. */
export function orderFrom(sort: string | undefined, allowed: readonly string[], fallback: string): Order {
  const s = sort ?? fallback;
  const desc = s.startsWith('-');
  const field = desc ? s.slice(1) : s;
  if (!allowed.includes(field)) throw ValidationError.field('sort', `must be one of ${allowed.join(', ')} (prefix - for descending)`);
  return [
    [field, desc ? 'DESC' : 'ASC'],
    ['id', desc ? 'DESC' : 'ASC'],
  ];
}

/** A contains-match for LIKE. MySQL escapes % and _ with a backslash; SQLite has no default escape, so
 * there they stay wildcards (a looser match, never a wrong miss). */
export function likeTerm(q: string): string {
  return `%${likeText(q)}%`;
}

/** A starts-with match for LIKE (escaped as likeTerm): MariaDB reads it from the column's index. */
export function likePrefix(q: string): string {
  return `${likeText(q)}%`;
}

function likeText(q: string): string {
  return isSqlite() ? q : q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** How many digits a record number has at least (S00042, WH/OUT/00042, INV/2026/00042: server/db/sequences). */
const NUMBER_DIGITS = 5;

/**
 * The search tiers of a record number, best first: the number itself (digits alone, "42", find the
 * number that ends in 00042), then numbers starting with the text.
 */
export function numberTiers(field: string, q: string): WhereOptions[] {
  const exact: WhereOptions = /^\d+$/.test(q)
    ? { [Op.or]: [{ [field]: q }, { [field]: { [Op.like]: `%${q.padStart(NUMBER_DIGITS, '0')}` } }] }
    : { [field]: q };
  return [exact, { [field]: { [Op.like]: likePrefix(q) } }];
}

/**
 * A search's best hits first: every match of a tier (the number, then its prefix, then any field that
 * contains the text) before the next tier's, up to `limit` in all, each record once.
 */
export async function searchTiers<T extends { id: number }>(
  tiers: WhereOptions[],
  limit: number,
  find: (where: WhereOptions, limit: number) => Promise<T[]>,
): Promise<T[]> {
  const found: T[] = [];
  for (const tier of tiers) {
    if (found.length >= limit) break;
    const ids = found.map((r) => r.id);
    found.push(...(await find(ids.length ? { [Op.and]: [tier, { id: { [Op.notIn]: ids } }] } : tier, limit - found.length)));
  }
  return found;
}

type SelectQueryGenerator = { selectQuery(table: string, options: object, model: ModelStatic<Model>): string };

/**
 * The rows matching `where`, counted up to `limit` (`SELECT COUNT(*) FROM (SELECT 1 … LIMIT n+1)`): an
 * index range stops at the limit instead of reading every row of a million-row filter. `estimated`:
 * there are more than `limit`, and `count` is the limit. `hints`: MySQL index hints for the inner select.
 */
export async function countUpTo<M extends Model>(
  model: ModelStatic<M>,
  where: WhereOptions,
  limit: number,
  hints: Pick<FindOptions, 'indexHints'> = {},
): Promise<{ count: number; estimated: boolean }> {
  const sequelize = model.sequelize!;
  const generator = sequelize.getQueryInterface().queryGenerator as unknown as SelectQueryGenerator;
  const inner = generator
    .selectQuery(
      model.getTableName() as string,
      { attributes: [[literal('1'), 'one']], where, limit: limit + 1, indexHints: hints.indexHints },
      model as unknown as ModelStatic<Model>,
    )
    .replace(/;\s*$/, '');
  const [row] = await sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM (${inner}) capped`, { type: QueryTypes.SELECT });
  const n = Number(row?.n ?? 0);
  return n > limit ? { count: limit, estimated: true } : { count: n, estimated: false };
}
