import { z } from 'zod';

// The sales analysis report (issue 17): confirmed sales (orders in `sale` or `done`) by product, customer,
// channel or period, optionally crossed with a second dimension (a pivot: rows × columns with totals).
// Figures come from the order lines: quantity, untaxed amount (after every discount), total with taxes
// and the number of distinct orders.

export const SALES_DIMENSIONS = ['product', 'customer', 'channel', 'period'] as const;
export type SalesDimension = (typeof SALES_DIMENSIONS)[number];
export const SALES_DIMENSION_LABELS: Record<SalesDimension, string> = { product: 'Product', customer: 'Customer', channel: 'Channel', period: 'Period' };

export const PERIOD_UNITS = ['day', 'week', 'month'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];
export const PERIOD_UNIT_LABELS: Record<PeriodUnit, string> = { day: 'Day', week: 'Week', month: 'Month' };

export const SALES_MEASURES = ['untaxed', 'total', 'quantity', 'orders'] as const;
export type SalesMeasure = (typeof SALES_MEASURES)[number];
export const SALES_MEASURE_LABELS: Record<SalesMeasure, string> = { untaxed: 'Untaxed', total: 'Total', quantity: 'Quantity', orders: 'Orders' };

/** The longest range a report covers; by day, a year at most (one column or row per day). */
export const MAX_RANGE_DAYS = 3660;
export const MAX_DAY_PERIODS = 366;

const day = z.string().date().describe('YYYY-MM-DD (UTC)');
const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/** A range of days: `from` not after `to`, at most `max` days. */
export function checkRange(v: { from?: string; to?: string }, ctx: z.RefinementCtx, max: number): void {
  if (v.from && v.to && v.from > v.to) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: 'must not be before from' });
  } else if (v.from && v.to && daysBetween(v.from, v.to) >= max) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['from'], message: `the range is at most ${max} days` });
  }
}

export const salesAnalysisQuery = z
  .object({
    from: day.optional().describe('first day (default: 29 days before `to`)'),
    to: day.optional().describe('last day, included (default: today)'),
    rows: z.enum(SALES_DIMENSIONS).default('product'),
    columns: z.enum(SALES_DIMENSIONS).optional().describe('a second dimension: a pivot of rows × columns'),
    period: z.enum(PERIOD_UNITS).default('month').describe('the bucket of the period dimension'),
    measure: z.enum(SALES_MEASURES).default('untaxed').describe("the pivot's figure in the CSV file (the JSON answer has them all)"),
    partnerId: z.coerce.number().int().positive().optional(),
    productId: z.coerce.number().int().positive().optional(),
    channelId: z.coerce.number().int().positive().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.columns && v.columns === v.rows) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['columns'], message: 'must differ from rows' });
    checkRange(v, ctx, MAX_RANGE_DAYS);
    if (v.period === 'day' && (v.rows === 'period' || v.columns === 'period') && v.from && v.to && daysBetween(v.from, v.to) >= MAX_DAY_PERIODS) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['period'], message: `by day, the range is at most ${MAX_DAY_PERIODS} days` });
    }
  });
export type SalesAnalysisQuery = z.output<typeof salesAnalysisQuery>;

export const salesFigures = z.object({
  quantity: z.number(),
  untaxed: z.number().int(),
  total: z.number().int(),
  orders: z.number().int(),
});
export type SalesFigures = z.infer<typeof salesFigures>;

/** One value of a dimension: `key` is the product, customer or channel id ('none': no channel, an unmatched product) or the period's first day. */
export const salesKey = z.object({ key: z.string(), label: z.string() });
export type SalesKey = z.infer<typeof salesKey>;

export const salesAnalysis = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  rows: z.enum(SALES_DIMENSIONS),
  columns: z.enum(SALES_DIMENSIONS).nullable(),
  period: z.enum(PERIOD_UNITS),
  /** One row per value of the first dimension (largest untaxed amount first; periods in order), with its totals and its cells. */
  items: z.array(salesKey.extend({ totals: salesFigures, cells: z.array(z.object({ key: z.string(), figures: salesFigures })) })),
  /** The second dimension's values with their totals (empty without one). */
  columnTotals: z.array(salesKey.extend({ totals: salesFigures })),
  total: salesFigures,
});
export type SalesAnalysis = z.infer<typeof salesAnalysis>;
