import { literal } from 'sequelize';
import type { PeriodUnit } from '../../contracts/schemas/sales-analysis';
import { isSqlite } from './sequelize';

// Dates grouped by day, ISO week (from Monday) or month in SQL, written once for both databases. Times
// are stored in UTC (SQLite: 'YYYY-MM-DD HH:MM:SS.sss +00:00' text; MySQL: DATETIME with the connection
// at +00:00), so a bucket is a UTC day, like the lists' dateFrom/dateTo filters. Each bucket reads as the
// 'YYYY-MM-DD' of its first day.

/** A column reference, quoted for the dialect: `sale_orders`.`dateOrder`. */
function quoted(column: string): string {
  const q = isSqlite() ? '"' : '`';
  return column
    .split('.')
    .map((part) => `${q}${part.replace(/[^\w]/g, '')}${q}`)
    .join('.');
}

/** The SQL expression of the first day of the period a date column's value falls in. */
export function periodStart(column: string, unit: PeriodUnit): ReturnType<typeof literal> {
  const c = quoted(column);
  if (isSqlite()) {
    const day = `substr(${c}, 1, 10)`;
    if (unit === 'day') return literal(day);
    // 'weekday 0' moves to the next Sunday (or stays on one); six days back is that week's Monday.
    if (unit === 'week') return literal(`date(${day}, 'weekday 0', '-6 days')`);
    return literal(`substr(${c}, 1, 7) || '-01'`);
  }
  if (unit === 'day') return literal(`DATE_FORMAT(${c}, '%Y-%m-%d')`);
  if (unit === 'week') return literal(`DATE_FORMAT(DATE_SUB(${c}, INTERVAL WEEKDAY(${c}) DAY), '%Y-%m-%d')`);
  return literal(`DATE_FORMAT(${c}, '%Y-%m-01')`);
}

const DAY = 86_400_000;

/** The first day of the period a 'YYYY-MM-DD' day falls in, as the database computes it. */
export function periodOf(day: string, unit: PeriodUnit): string {
  if (unit === 'day') return day;
  if (unit === 'month') return `${day.slice(0, 7)}-01`;
  const t = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - weekday * DAY).toISOString().slice(0, 10);
}

/** Every period from `from` to `to` (both 'YYYY-MM-DD', inclusive), in order. */
export function periodsBetween(from: string, to: string, unit: PeriodUnit): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += DAY) {
    const p = periodOf(new Date(t).toISOString().slice(0, 10), unit);
    if (out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

/** The start of a 'YYYY-MM-DD' day (UTC), and the start of the day after another: a half-open range of instants. */
export function dayRange(from: string, to: string): { start: Date; end: Date } {
  return { start: new Date(`${from}T00:00:00Z`), end: new Date(Date.parse(`${to}T00:00:00Z`) + DAY) };
}

/** Today's 'YYYY-MM-DD' (UTC), and a day n days from it. */
export function utcDay(offsetDays = 0, now = Date.now()): string {
  return new Date(now + offsetDays * DAY).toISOString().slice(0, 10);
}
