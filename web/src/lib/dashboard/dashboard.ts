import type { Dashboard, DashboardList, DashboardPoint, DashboardTile } from '$contracts/schemas/dashboard';
import type { ChartSeries } from './BarChart.svelte';

const DAY = 86_400_000;

export type DateRange = { from: string; to: string };

/** The ranges one click away: the last 7, 30 and 90 days to today. */
export const RANGE_PRESETS = [7, 30, 90] as const;

/** Today's date (UTC, as the server counts days) and n days before it. */
export function utcDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
}

export function lastDays(n: number): DateRange {
  return { from: utcDay(-(n - 1)), to: utcDay() };
}

/** Which preset a range is, if any. */
export function presetOf(r: DateRange): number | null {
  return RANGE_PRESETS.find((n) => r.to === utcDay() && r.from === utcDay(-(n - 1))) ?? null;
}

const isDay = (v: string | null): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

/** The range a shared address carries (`?from=2026-11-01&to=2026-11-30`), else the last 30 days. */
export function rangeFromUrl(params: URLSearchParams): DateRange {
  const from = params.get('from');
  const to = params.get('to');
  return isDay(from) && isDay(to) && from <= to ? { from, to } : lastDays(30);
}

export function rangeToUrl(r: DateRange, params: URLSearchParams): void {
  if (presetOf(r) === 30) {
    params.delete('from');
    params.delete('to');
  } else {
    params.set('from', r.from);
    params.set('to', r.to);
  }
}

/** The page each tile's list is on; the tile's filter is its query string. */
export const LIST_PAGES = {
  orders: '/',
  deliveries: '/deliveries',
  receipts: '/receipts',
  invoices: '/invoices',
  purchases: '/purchases',
} as const satisfies Record<DashboardList, string>;

export function tileQuery(tile: DashboardTile): string {
  return new URLSearchParams(tile.filter).toString();
}

/** The sales analysis of the same range by product (the top products' full list), as a query string. */
export function analysisQuery(r: DateRange): string {
  return new URLSearchParams({ tab: 'sales', rows: 'product', from: r.from, to: r.to }).toString();
}

export type Measure = 'orders' | 'revenue';
export type Bucket = 'day' | 'week';

/** One series per channel (stacked), a figure per period of the range. */
export function channelSeries(d: Dashboard, bucket: Bucket, measure: Measure): ChartSeries[] {
  const periods = bucket === 'day' ? d.days : d.weeks;
  const points: DashboardPoint[] = bucket === 'day' ? d.daily : d.weekly;
  const index = new Map(periods.map((p, i) => [p, i]));
  return d.channels.map((c) => {
    const data = periods.map(() => 0);
    for (const p of points) {
      const i = index.get(p.period);
      if (p.channelId === c.id && i !== undefined) data[i] = p[measure];
    }
    return { label: c.name, data };
  });
}
