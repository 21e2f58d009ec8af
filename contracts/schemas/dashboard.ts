import { z } from 'zod';
import { checkRange } from './sales-analysis';

// The dashboard (issue 17): confirmed orders and their untaxed revenue per day and per week by channel,
// and tiles that each count what one list shows under one filter (`list` + `filter`: the console's page
// and the API's list take the same parameters), only those the user's role may read.

export const DASHBOARD_MAX_DAYS = 366;

const day = z.string().date().describe('YYYY-MM-DD (UTC)');

export const dashboardQuery = z
  .object({
    from: day.optional().describe('first day of the charts (default: 29 days before `to`)'),
    to: day.optional().describe('last day, included (default: today)'),
  })
  .strict()
  .superRefine((v, ctx) => checkRange(v, ctx, DASHBOARD_MAX_DAYS));

export const DASHBOARD_TILES = [
  'ordersToConfirm',
  'needsAttention',
  'deliveriesLate',
  'deliveriesToday',
  'invoicesOverdue',
  'rfqsOpen',
  'receiptsLate',
] as const;
export type DashboardTileKey = (typeof DASHBOARD_TILES)[number];

/** The lists a tile points at: the console's page and the API's collection. */
export const DASHBOARD_LISTS = ['orders', 'deliveries', 'receipts', 'invoices', 'purchases'] as const;
export type DashboardList = (typeof DASHBOARD_LISTS)[number];

export const dashboardTile = z.object({
  key: z.enum(DASHBOARD_TILES),
  label: z.string(),
  count: z.number().int(),
  /** An amount that goes with the count (what the orders are worth, what the overdue invoices still owe), or null. */
  amount: z.number().int().nullable(),
  /** Overdue amounts by how late they are (the invoices tile), else empty. */
  aged: z.array(z.object({ label: z.string(), amount: z.number().int() })),
  list: z.enum(DASHBOARD_LISTS),
  /** The list's query parameters that select exactly what the tile counts. */
  filter: z.record(z.string()),
});
export type DashboardTile = z.infer<typeof dashboardTile>;

export const dashboardPoint = z.object({
  /** The period's first day (a Monday, for weeks). */
  period: z.string(),
  channelId: z.number().int().nullable(),
  orders: z.number().int(),
  revenue: z.number().int(),
});
export type DashboardPoint = z.infer<typeof dashboardPoint>;

export const dashboard = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  /** Confirmed orders (sale, done) dated in the range, and their untaxed amount. */
  totals: z.object({ orders: z.number().int(), revenue: z.number().int() }),
  /** The channels the series name (null: orders entered in the console). */
  channels: z.array(z.object({ id: z.number().int().nullable(), name: z.string() })),
  days: z.array(z.string()),
  weeks: z.array(z.string()),
  /** Per period and channel, only where there were orders. */
  daily: z.array(dashboardPoint),
  weekly: z.array(dashboardPoint),
  tiles: z.array(dashboardTile),
  /** The best-selling products of the range by untaxed amount (the sales analysis by product). */
  topProducts: z.array(z.object({ productId: z.number().int(), sku: z.string(), name: z.string(), quantity: z.number(), revenue: z.number().int() })),
});
export type Dashboard = z.infer<typeof dashboard>;
