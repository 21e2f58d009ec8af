import {
  IndexHints,
  Op,
  QueryTypes,
  literal,
  where,
  type Attributes,
  type FindOptions,
  type Model,
  type ModelStatic,
  type Order,
  type WhereOperators,
  type WhereOptions,
} from 'sequelize';
import { listCursor, readListCursor, type CursorValue, type ListPage } from '../../contracts/schemas/common';
import { isSqlite } from '../db/sequelize';
import { runtime } from '../runtime';
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

/**
 * `field` starts with `prefix`, as a range of its index: MariaDB reads a LIKE prefix from it; SQLite's
 * LIKE ignores case, so it cannot read a binary index, and a range does.
 */
export function startsWith(field: string, prefix: string): WhereOptions {
  if (isSqlite()) return { [field]: { [Op.gte]: prefix, [Op.lt]: `${prefix}\uffff` } };
  return { [field]: { [Op.like]: likePrefix(prefix) } };
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
 * How a list's select reads its table: MySQL index hints (FindOptions' indexHints; nothing on SQLite),
 * and on SQLite `byIds`: read from the ids its filter finds (idsWhere) and from nothing else, or
 * `indexedBy`: read through that index. SQLite's planner, without statistics (the app never ANALYZEs),
 * takes any equality on an indexed column for ten rows: it walks a million transfers of one type to find
 * the three a search names, instead of looking those three up by id. There the select says NOT INDEXED
 * (the rowid lookups stay; the subquery keeps its indexes), or INDEXED BY.
 */
export type IndexHintOptions = Pick<FindOptions, 'indexHints'> & { byIds?: boolean; indexedBy?: string };

/** A select read from the ids its filter finds (IndexHintOptions' byIds): on SQLite only. */
export function readByIds(): IndexHintOptions {
  return isSqlite() ? { byIds: true } : {};
}

/** The SELECT Sequelize would send for these options, without its semicolon (to nest it). */
function selectSql<M extends Model>(
  model: ModelStatic<M>,
  options: { attributes: unknown[]; where: WhereOptions; limit?: number; offset?: number; order?: Order } & IndexHintOptions,
): string {
  const generator = model.sequelize!.getQueryInterface().queryGenerator as unknown as SelectQueryGenerator;
  const sql = generator.selectQuery(model.getTableName() as string, options, model as unknown as ModelStatic<Model>).replace(/;\s*$/, '');
  if (!isSqlite() || (!options.byIds && !options.indexedBy)) return sql;
  // The first FROM is the outer select's (a subquery's comes later, in its WHERE).
  const from = `FROM \`${model.getTableName() as string}\` AS \`${model.name}\``;
  if (!sql.includes(from)) throw new Error(`selectSql: no "${from}" in ${sql}`);
  return sql.replace(from, `${from} ${options.byIds ? 'NOT INDEXED' : `INDEXED BY \`${options.indexedBy}\``}`);
}

/**
 * One page of a list (findAll's rows). On SQLite, `byIds` (readByIds) or `indexedBy`: the page's ids
 * first, read NOT INDEXED or INDEXED BY (selectSql), then their rows, in the page's order.
 */
export async function findPage<M extends Model>(
  model: ModelStatic<M>,
  options: FindOptions<M> & { where: WhereOptions; order: Order; limit: number } & IndexHintOptions,
): Promise<M[]> {
  const { byIds, indexedBy, ...find } = options;
  if (!isSqlite() || (!byIds && !indexedBy)) return model.findAll(find);
  const sql = selectSql(model, { attributes: ['id'], where: find.where, order: find.order, limit: find.limit, offset: find.offset, byIds, indexedBy });
  const ids = (await model.sequelize!.query<{ id: number }>(sql, { type: QueryTypes.SELECT })).map((r) => Number(r.id));
  if (!ids.length) return [];
  return model.findAll({ ...find, where: { id: { [Op.in]: ids } } as WhereOptions<Attributes<M>>, limit: undefined, offset: undefined });
}

/**
 * `field` matching `condition` without reading an index for it on SQLite (the unary +): its planner,
 * without statistics, takes a range on a second column of an index for the narrower read, and sorts
 * every row of it (the late purchase orders, a hundred thousand of them) instead of walking the list's
 * order through the first column's index and stopping at the page.
 */
export function unindexed<M extends Model>(model: ModelStatic<M>, field: string, condition: WhereOperators): WhereOptions {
  if (!isSqlite()) return { [field]: condition };
  return where(literal(`+\`${model.name}\`.\`${field}\``), condition);
}

/**
 * The rows matching `where`, counted up to `limit` (`SELECT COUNT(*) FROM (SELECT 1 … LIMIT n+1)`): an
 * index range stops at the limit instead of reading every row of a million-row filter. `estimated`:
 * there are more than `limit`, and `count` is the limit. `hints`: how the inner select reads (IndexHintOptions).
 */
export async function countUpTo<M extends Model>(
  model: ModelStatic<M>,
  where: WhereOptions,
  limit: number,
  hints: IndexHintOptions = {},
): Promise<{ count: number; estimated: boolean }> {
  const inner = selectSql(model, { attributes: [[literal('1'), 'one']], where, limit: limit + 1, ...hints });
  const [row] = await model.sequelize!.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM (${inner}) capped`, { type: QueryTypes.SELECT });
  const n = Number(row?.n ?? 0);
  return n > limit ? { count: limit, estimated: true } : { count: n, estimated: false };
}

/**
 * `id IN (SELECT id … WHERE where)`: a narrow filter read from its own index, its few rows then sorted,
 * where both databases would rather walk the sort's index through every row that fails it (the open
 * transfers scheduled before today, behind a million done ones).
 */
export function idsWhere<M extends Model>(model: ModelStatic<M>, where: WhereOptions): WhereOptions {
  return { id: { [Op.in]: literal(`(${selectSql(model, { attributes: ['id'], where })})`) } };
}

/**
 * From this many matches on (or the count's limit, if lower: the count says "limit+" then anyway), a
 * search that names no common surname still reads as a broad one on SQLite (searchedWheres).
 */
const NARROW_SEARCH = 2000;

/**
 * A list's WHERE with its search (`list`), and its count's (`count`): a narrow search counted as the ids
 * it finds (idsWhere: its own indexes first); a broad one (a common surname, partnersMatching) as it
 * is, read along the list's indexes (ignoreIndexes) to a lower limit (listCountLimit). On SQLite a narrow
 * search's page is read from its ids as well (`byIds`: readByIds), unless it finds more than
 * NARROW_SEARCH rows ("WH/OUT/" on the way to a number): then it is broad, the list's order finds a page
 * of it sooner than sorting all of them, and it is counted to the lower limit.
 */
export async function searchedWheres<M extends Model>(
  model: ModelStatic<M>,
  and: WhereOptions[],
  search: { where: WhereOptions; broad: boolean },
): Promise<{ list: WhereOptions; count: WhereOptions; broad: boolean; byIds: boolean }> {
  const list = { [Op.and]: [...and, search.where] };
  if (search.broad) return { list, count: list, broad: true, byIds: false };
  const count = { [Op.and]: [...and, idsWhere(model, search.where)] };
  if (!isSqlite()) return { list, count, broad: false, byIds: false };
  if ((await countUpTo(model, search.where, Math.min(NARROW_SEARCH, listCountLimit()))).estimated) return { list, count: list, broad: true, byIds: false };
  return { list: count, count, broad: false, byIds: true };
}

/**
 * How many rows a list counts exactly before it answers "limit+" (BOARD_COUNT_LIMIT); for a broad search
 * (a common surname: partnersMatching) a tenth of that, at least 100: its matches are spread thin along
 * the index it walks, so each one counted costs several rows read.
 */
export const listCountLimit = (broad = false): number => {
  const limit = runtime().config.boardCountLimit;
  return broad ? Math.min(limit, Math.max(100, Math.floor(limit / 10))) : limit;
};

/**
 * MariaDB kept off a broad search's partner indexes (nothing on SQLite): with one branch of the search's
 * OR left without an index it cannot merge the branches' ranges (every match, then a sort), so it walks
 * the sort's or the filter's index and stops at the page, or at the count's limit.
 */
export function ignoreIndexes(names: string[]): IndexHintOptions {
  return isSqlite() ? {} : { indexHints: [{ type: IndexHints.IGNORE, values: names }] };
}

/**
 * Rows per value of a field (the board's states), each counted up to `limit` as countUpTo does.
 * `estimated`: the values counted up to the limit that have more.
 */
export async function countEachUpTo<M extends Model, V extends string>(
  model: ModelStatic<M>,
  where: WhereOptions,
  field: string,
  values: readonly V[],
  limit: number,
  hints: IndexHintOptions = {},
): Promise<{ counts: Record<V, number>; estimated: V[] }> {
  const counted = await Promise.all(values.map((v) => countUpTo(model, { [Op.and]: [where, { [field]: v }] }, limit, hints)));
  const counts = Object.fromEntries(values.map((v, i) => [v, counted[i]!.count])) as Record<V, number>;
  return { counts, estimated: values.filter((_v, i) => counted[i]!.estimated) };
}

/** What a sort field holds, for reading its value back from a cursor: a date, a number or a text (days as YYYY-MM-DD are text). */
export type SortKey = { kind: 'date' | 'number' | 'text'; nullable?: boolean };

/**
 * The rows after a keyset cursor in a sort (field, then id, both the same direction): `field <= v` is
 * the range of the (field, id) index; the OR drops the ties up to the cursor's id. A nullable field's
 * empty values sort first (ascending) or last (descending), as both databases order NULL, by id.
 * A cursor that is not one, or not of this sort's field, is a 400.
 */
export function afterCursor(sort: string, cursor: string, keys: Readonly<Record<string, SortKey>>): WhereOptions {
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const key = keys[field];
  const read = readListCursor(cursor);
  const value = read && key ? cursorValue(key, read[0]) : undefined;
  if (!read || value === undefined) throw ValidationError.field('after', 'is not a cursor of this sort (use the nextCursor of the previous page)');
  const id = read[1];
  const [cmp, strict] = desc ? [Op.lte, Op.lt] : [Op.gte, Op.gt];
  if (value === null) {
    // Among the empty values: the next ids; ascending, every value after them.
    const empties = { [Op.and]: [{ [field]: null }, { id: { [strict]: id } }] };
    return desc ? empties : { [Op.or]: [empties, { [field]: { [Op.ne]: null } }] };
  }
  const after = { [Op.and]: [{ [field]: { [cmp]: value } }, { [Op.or]: [{ [field]: { [strict]: value } }, { id: { [strict]: id } }] }] };
  return desc && key?.nullable ? { [Op.or]: [after, { [field]: null }] } : after;
}

/** A cursor's value as the field holds it; undefined when it cannot be one. */
function cursorValue(key: SortKey, v: CursorValue): Date | string | number | null | undefined {
  if (v === null) return key.nullable ? null : undefined;
  if (key.kind === 'number') return typeof v === 'number' ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (key.kind === 'text') return v;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * A list's answer: the page, its total counted up to the limit (`totalIsEstimate` beyond it) and the
 * cursor of the next page (null when this page is not full: it is the last).
 */
export function listPage<T extends { id: number }, K extends string>(
  items: T[],
  total: { count: number; estimated: boolean },
  limit: number,
  sort: K | `-${K}`,
  row: (item: T) => { [F in K]: CursorValue } & { id: number } = (item) => item as unknown as { [F in K]: CursorValue } & { id: number },
): ListPage<T> {
  const last = items.length === limit ? items[items.length - 1] : undefined;
  return {
    items,
    total: total.count,
    ...(total.estimated && { totalIsEstimate: true }),
    nextCursor: last ? listCursor<K>(sort, row(last)) : null,
  };
}
