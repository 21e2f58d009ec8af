import { Op, QueryTypes, fn, col } from 'sequelize';
import type { SaleOrderFilters } from '../../../contracts/schemas/sales';
import type { PeriodUnit, SalesDimension } from '../../../contracts/schemas/sales-analysis';
import type { SaleOrderState } from '../../../contracts/states';
import { dayRange, periodStart, utcDay } from '../../db/dates';
import { db } from '../../db/sequelize';
import type { Auth } from '../auth/access';
import { orderScope, ownOrdersOnly } from './sale-order.access';
import { SaleOrderLineModel, SaleOrderModel } from './sale-order.model';
import { filterWhere } from './sale-order.service';

// Figures of sale orders for the dashboard and the sales analysis, added up by the database (GROUP BY),
// under the user's record rule. Sales are confirmed orders (sale, done) dated in a range of UTC days.

export const CONFIRMED: SaleOrderState[] = ['sale', 'done'];

export type SalesRange = { from: string; to: string };

const DEFAULT_DAYS = 30;

/** The range asked for; by default the 30 days to today (or to `from`'s 30th day). */
export function salesRange(query: { from?: string; to?: string }): SalesRange {
  const to = query.to ?? (query.from ? utcDay(DEFAULT_DAYS - 1, Date.parse(`${query.from}T00:00:00Z`)) : utcDay());
  const from = query.from ?? utcDay(-(DEFAULT_DAYS - 1), Date.parse(`${to}T00:00:00Z`));
  return { from, to };
}
export type SalesFilter = { partnerId?: number; productId?: number; channelId?: number };

/** The WHERE of confirmed orders in the range, under the record rule and the filters (orders `o`, lines `l`). */
function salesWhere(auth: Auth, range: SalesRange, filter: SalesFilter = {}, lines = false) {
  const { start, end } = dayRange(range.from, range.to);
  const and = ['o.state IN (:states)', 'o.dateOrder >= :start', 'o.dateOrder < :end'];
  const replacements: Record<string, unknown> = { states: CONFIRMED, start, end };
  if (ownOrdersOnly(auth)) {
    and.push('o.createdById = :ownerId');
    replacements.ownerId = auth.user.id;
  }
  if (filter.partnerId) {
    and.push('o.partnerId = :partnerId');
    replacements.partnerId = filter.partnerId;
  }
  if (filter.channelId) {
    and.push('o.channelId = :channelId');
    replacements.channelId = filter.channelId;
  }
  if (filter.productId) {
    and.push(lines ? 'l.productId = :productId' : `o.id IN (SELECT orderId FROM ${SaleOrderLineModel.tableName} WHERE productId = :productId)`);
    replacements.productId = filter.productId;
  }
  return { sql: and.join(' AND '), replacements };
}

/** Orders and untaxed revenue per period and channel (only where there were orders). */
export async function ordersPerPeriod(
  auth: Auth,
  range: SalesRange,
  unit: PeriodUnit,
): Promise<{ period: string; channelId: number | null; orders: number; revenue: number }[]> {
  const where = salesWhere(auth, range);
  const period = periodStart('o.dateOrder', unit).val as string;
  const rows = await db().query<{ period: string; channelId: number | null; orders: number | string; revenue: number | string | null }>(
    `SELECT ${period} AS period, o.channelId AS channelId, COUNT(*) AS orders, SUM(o.amountUntaxed) AS revenue
       FROM ${SaleOrderModel.tableName} o WHERE ${where.sql} GROUP BY ${period}, o.channelId`,
    { replacements: where.replacements, type: QueryTypes.SELECT },
  );
  return rows
    .map((r) => ({
      period: String(r.period),
      channelId: r.channelId === null ? null : Number(r.channelId),
      orders: Number(r.orders),
      revenue: Number(r.revenue ?? 0),
    }))
    .sort((a, b) => a.period.localeCompare(b.period) || (a.channelId ?? 0) - (b.channelId ?? 0));
}

export type SalesGroup = { keys: (string | null)[]; quantity: number; untaxed: number; total: number; orders: number };

function dimensionSql(d: SalesDimension, unit: PeriodUnit): string {
  switch (d) {
    case 'product':
      return 'l.productId';
    case 'customer':
      return 'o.partnerId';
    case 'channel':
      return 'o.channelId';
    case 'period':
      return periodStart('o.dateOrder', unit).val as string;
  }
}

/**
 * Order lines of confirmed sales added up by the given dimensions (none: the grand total): quantity,
 * untaxed amount, total with taxes, and the number of distinct orders. `top`: only the largest groups by
 * untaxed amount.
 */
export async function salesBy(
  auth: Auth,
  range: SalesRange,
  by: SalesDimension[],
  opts: { period?: PeriodUnit; filter?: SalesFilter; top?: number } = {},
): Promise<SalesGroup[]> {
  const where = salesWhere(auth, range, opts.filter, true);
  const keys = by.map((d, i) => `${dimensionSql(d, opts.period ?? 'month')} AS k${i}`);
  const group = by.map((d) => dimensionSql(d, opts.period ?? 'month'));
  const rows = await db().query<Record<string, string | number | null>>(
    `SELECT ${[...keys, 'SUM(l.quantity) AS quantity', 'SUM(l.subtotal) AS untaxed', 'SUM(l.total) AS total', 'COUNT(DISTINCT l.orderId) AS orders'].join(', ')}
       FROM ${SaleOrderLineModel.tableName} l JOIN ${SaleOrderModel.tableName} o ON o.id = l.orderId
      WHERE ${where.sql}
      ${group.length ? `GROUP BY ${group.join(', ')}` : ''}
      ${opts.top ? `ORDER BY SUM(l.subtotal) DESC LIMIT ${Math.trunc(opts.top)}` : ''}`,
    { replacements: where.replacements, type: QueryTypes.SELECT },
  );
  return rows
    .filter((r) => by.length || Number(r.orders) > 0)
    .map((r) => ({
      keys: by.map((_d, i) => (r[`k${i}`] === null || r[`k${i}`] === undefined ? null : String(r[`k${i}`]))),
      quantity: Math.round(Number(r.quantity ?? 0) * 1000) / 1000,
      untaxed: Number(r.untaxed ?? 0),
      total: Number(r.total ?? 0),
      orders: Number(r.orders ?? 0),
    }));
}

/** How many orders the board shows under these filters, and what they are worth (total with taxes). */
export async function countOrders(auth: Auth, filters: Partial<SaleOrderFilters>): Promise<{ count: number; amount: number }> {
  const [row] = (await SaleOrderModel.findAll({
    where: { [Op.and]: [await filterWhere(filters), orderScope(auth)] },
    attributes: [
      [fn('COUNT', col('id')), 'count'],
      [fn('SUM', col('amountTotal')), 'amount'],
    ],
    raw: true,
  })) as unknown as { count: number | string; amount: number | string | null }[];
  return { count: Number(row?.count ?? 0), amount: Number(row?.amount ?? 0) };
}
