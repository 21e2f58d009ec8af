import {
  SALES_DIMENSION_LABELS,
  SALES_MEASURE_LABELS,
  type SalesAnalysis,
  type SalesAnalysisQuery,
  type SalesDimension,
  type SalesFigures,
  type SalesMeasure,
  type PeriodUnit,
} from '../../contracts/schemas/sales-analysis';
import { periodsBetween } from '../db/dates';
import { csvText } from '../lib/csv';
import { currencyDigits } from '../lib/money';
import { requireAccess, type Auth } from '../modules/auth/access';
import { productsByIds } from '../modules/catalog/product.service';
import { channelNames } from '../modules/channels/channel.service';
import { ensureCompany } from '../modules/company/company.service';
import { partnerNames } from '../modules/partners/partner.service';
import { salesBy, salesRange, type SalesGroup, type SalesRange } from '../modules/sales/sale-order.stats';

// The sales analysis (issue 17): confirmed sales grouped by one dimension, optionally crossed with a
// second (rows × columns), each cell, row, column and the whole added up by the database. Totals are
// their own GROUP BYs, not sums of cells: an order with lines of two products counts once in its row.
// Names come from their domains (products, customers, channels); periods are their first day.

const NONE = 'none';
const ZERO: SalesFigures = { quantity: 0, untaxed: 0, total: 0, orders: 0 };
const figures = (g: SalesGroup | undefined): SalesFigures => (g ? { quantity: g.quantity, untaxed: g.untaxed, total: g.total, orders: g.orders } : { ...ZERO });

function periodLabel(key: string, unit: PeriodUnit): string {
  if (unit === 'month') return key.slice(0, 7);
  return unit === 'week' ? `Week of ${key}` : key;
}

/** The label of each value of a dimension that occurs (and, for periods, of every period of the range). */
async function labelsOf(d: SalesDimension, keys: (string | null)[], range: SalesRange, unit: PeriodUnit): Promise<Map<string, string>> {
  const ids = keys.filter((k): k is string => k !== null).map(Number);
  const out = new Map<string, string>();
  switch (d) {
    case 'product': {
      const products = await productsByIds(null, ids, 'productId');
      for (const [id, p] of products) out.set(String(id), p.name);
      if (keys.includes(null)) out.set(NONE, 'Unmatched lines');
      break;
    }
    case 'customer':
      for (const [id, name] of await partnerNames(null, ids)) out.set(String(id), name);
      break;
    case 'channel':
      for (const [id, name] of await channelNames(null, ids)) out.set(String(id), name);
      if (keys.includes(null)) out.set(NONE, 'Direct');
      break;
    case 'period':
      for (const p of periodsBetween(range.from, range.to, unit)) out.set(p, periodLabel(p, unit));
      break;
  }
  return out;
}

/** Values of a dimension in report order: periods by date, the rest by untaxed amount, then name. */
function ordered(d: SalesDimension, totals: Map<string, SalesFigures>, labels: Map<string, string>): { key: string; label: string; totals: SalesFigures }[] {
  const keys = d === 'period' ? [...labels.keys()] : [...totals.keys()];
  const out = keys.map((key) => ({ key, label: labels.get(key) ?? (d === 'customer' ? `Customer ${key}` : key), totals: totals.get(key) ?? { ...ZERO } }));
  if (d === 'period') return out.sort((a, b) => a.key.localeCompare(b.key));
  return out.sort((a, b) => b.totals.untaxed - a.totals.untaxed || a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
}

const keyOf = (k: string | null) => k ?? NONE;

export async function salesAnalysisReport(auth: Auth, query: SalesAnalysisQuery): Promise<SalesAnalysis> {
  requireAccess(auth, 'saleOrder.read');
  const range = salesRange(query);
  const opts = { period: query.period, filter: { partnerId: query.partnerId, productId: query.productId, channelId: query.channelId } };
  const columns = query.columns ?? null;
  const [company, byRow, byColumn, cells, [all]] = await Promise.all([
    ensureCompany(null),
    salesBy(auth, range, [query.rows], opts),
    columns ? salesBy(auth, range, [columns], opts) : Promise.resolve([]),
    columns ? salesBy(auth, range, [query.rows, columns], opts) : Promise.resolve([]),
    salesBy(auth, range, [], opts),
  ]);
  const [rowLabels, columnLabels] = await Promise.all([
    labelsOf(
      query.rows,
      byRow.map((g) => g.keys[0]!),
      range,
      query.period,
    ),
    columns
      ? labelsOf(
          columns,
          byColumn.map((g) => g.keys[0]!),
          range,
          query.period,
        )
      : Promise.resolve(new Map<string, string>()),
  ]);
  const cellsOf = new Map<string, { key: string; figures: SalesFigures }[]>();
  for (const g of cells) {
    const row = keyOf(g.keys[0]!);
    const list = cellsOf.get(row) ?? [];
    list.push({ key: keyOf(g.keys[1]!), figures: figures(g) });
    cellsOf.set(row, list);
  }
  const columnTotals = columns ? ordered(columns, new Map(byColumn.map((g) => [keyOf(g.keys[0]!), figures(g)])), columnLabels) : [];
  const columnOrder = new Map(columnTotals.map((c, i) => [c.key, i]));
  const items = ordered(query.rows, new Map(byRow.map((g) => [keyOf(g.keys[0]!), figures(g)])), rowLabels).map((r) => ({
    ...r,
    cells: (cellsOf.get(r.key) ?? []).sort((a, b) => (columnOrder.get(a.key) ?? 0) - (columnOrder.get(b.key) ?? 0)),
  }));
  return {
    from: range.from,
    to: range.to,
    currency: company.currency,
    rows: query.rows,
    columns,
    period: query.period,
    items,
    columnTotals,
    total: figures(all),
  };
}

/** Minor units as a decimal in the currency's digits ("1234.50"); quantities and counts as they are. */
function figureText(measure: SalesMeasure, f: SalesFigures, digits: number): string | number {
  if (measure === 'untaxed' || measure === 'total') return (f[measure] / 10 ** digits).toFixed(digits);
  return f[measure];
}

/**
 * The report as CSV, through the one CSV writer: a row per value of the first dimension with every
 * measure, then the total; with a second dimension, the pivot of one measure (a column per value, a
 * total column and a total row).
 */
export function salesAnalysisCsv(report: SalesAnalysis, measure: SalesMeasure): string {
  const digits = currencyDigits(report.currency);
  const rowHead = SALES_DIMENSION_LABELS[report.rows];
  if (!report.columns) {
    const measures = ['quantity', 'untaxed', 'total', 'orders'] as const;
    const line = (label: string, f: SalesFigures) => [label, ...measures.map((m) => figureText(m, f, digits))];
    const head = [
      rowHead,
      ...measures.map((m) => (m === 'untaxed' || m === 'total' ? `${SALES_MEASURE_LABELS[m]} (${report.currency})` : SALES_MEASURE_LABELS[m])),
    ];
    return csvText([head, ...report.items.map((r) => line(r.label, r.totals)), line('Total', report.total)], {});
  }
  const cols = report.columnTotals;
  const rows = report.items.map((r) => {
    const byKey = new Map(r.cells.map((c) => [c.key, c.figures]));
    return [r.label, ...cols.map((c) => figureText(measure, byKey.get(c.key) ?? ZERO, digits)), figureText(measure, r.totals, digits)];
  });
  rows.push(['Total', ...cols.map((c) => figureText(measure, c.totals, digits)), figureText(measure, report.total, digits)]);
  const unit = measure === 'untaxed' || measure === 'total' ? ` (${report.currency})` : '';
  const head = [`${rowHead} \\ ${SALES_DIMENSION_LABELS[report.columns]}: ${SALES_MEASURE_LABELS[measure]}${unit}`, ...cols.map((c) => c.label), 'Total'];
  return csvText([head, ...rows], {});
}
