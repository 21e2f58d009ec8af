import {
  PERIOD_UNITS,
  SALES_DIMENSIONS,
  SALES_MEASURES,
  type PeriodUnit,
  type SalesAnalysis,
  type SalesDimension,
  type SalesFigures,
  type SalesMeasure,
} from '$contracts/schemas/sales-analysis';
import { call, routes, urlOf } from '$lib/api';
import { rangeFromUrl, type DateRange } from '$lib/dashboard/dashboard';
import { Loader } from '$lib/loader.svelte';

export type AnalysisFilters = DateRange & {
  rows: SalesDimension;
  /** '' : no second dimension. */
  columns: SalesDimension | '';
  period: PeriodUnit;
  measure: SalesMeasure;
};

const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T => ((list as readonly string[]).includes(v ?? '') ? (v as T) : fallback);

/** The report a shared address carries: `?tab=sales&rows=customer&columns=period&period=week&from=…&to=…`. */
export function analysisFromUrl(params: URLSearchParams): AnalysisFilters {
  const rows = oneOf(SALES_DIMENSIONS, params.get('rows'), 'product');
  const columns = oneOf<SalesDimension | ''>(SALES_DIMENSIONS, params.get('columns'), '');
  return {
    ...rangeFromUrl(params),
    rows,
    columns: columns === rows ? '' : columns,
    period: oneOf(PERIOD_UNITS, params.get('period'), 'month'),
    measure: oneOf(SALES_MEASURES, params.get('measure'), 'untaxed'),
  };
}

export function analysisToUrl(f: AnalysisFilters, params: URLSearchParams): void {
  params.set('from', f.from);
  params.set('to', f.to);
  params.set('rows', f.rows);
  const set = (k: string, v: string) => (v ? params.set(k, v) : params.delete(k));
  set('columns', f.columns);
  set('period', f.period === 'month' ? '' : f.period);
  set('measure', f.measure === 'untaxed' ? '' : f.measure);
}

function query(f: AnalysisFilters) {
  return { from: f.from, to: f.to, rows: f.rows, columns: f.columns || undefined, period: f.period, measure: f.measure };
}

export function figureOf(f: SalesFigures | undefined, m: SalesMeasure): number {
  return f ? f[m] : 0;
}

export function isMoney(m: SalesMeasure): boolean {
  return m === 'untaxed' || m === 'total';
}

/** The sales analysis screen: its choices, the report they give, and its CSV file. */
export class SalesAnalysisState {
  filters: AnalysisFilters;
  readonly loader: Loader<SalesAnalysis>;
  readonly csvUrl: string;

  constructor(params: URLSearchParams) {
    this.filters = $state(analysisFromUrl(params));
    this.loader = new Loader(() => call(routes.salesReports.analysis, { query: query(this.filters) }));
    this.csvUrl = $derived(urlOf(routes.salesReports.csv, { query: query(this.filters) }));
  }

  load(): Promise<void> {
    return this.loader.load();
  }
}
