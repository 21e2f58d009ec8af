import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { dashboardReport } from '../../workflows/dashboard.report';
import { salesAnalysisCsv, salesAnalysisReport } from '../../workflows/sales-analysis.report';

/** The dashboard: charts and tiles across sales, stock, invoices and purchases. */
export function dashboardRoutes() {
  const api = new ApiRouter('/api/dashboard');
  api.handle(routes.dashboard.get, (a, { query }) => dashboardReport(a, query));
  return api.router;
}

/** The sales analysis, beside the accounting reports under /api/reports. */
export function salesReportRoutes() {
  const api = new ApiRouter('/api/reports');
  api.handle(routes.salesReports.analysis, (a, { query }) => salesAnalysisReport(a, query));
  api.handle(routes.salesReports.csv, async (a, { query, res }) => {
    const report = await salesAnalysisReport(a, query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="sales-${report.from}-${report.to}.csv"`);
    res.end(salesAnalysisCsv(report, query.measure));
  });
  return api.router;
}
