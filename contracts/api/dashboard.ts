import { dashboard as dashboardSchema, dashboardQuery } from '../schemas/dashboard';
import { salesAnalysis, salesAnalysisQuery } from '../schemas/sales-analysis';
import { routeGroup } from './route';

const route = routeGroup('dashboard');

// Whoever reads orders has a dashboard; its tiles are those the user's role may read (the handler's rule).
export const dashboard = {
  get: route({
    method: 'get',
    path: '/api/dashboard',
    summary: 'Orders and revenue per day and week by channel, and the tiles of what waits (each names the list and filter it counts)',
    query: dashboardQuery,
    response: dashboardSchema,
    permission: 'saleOrder.read',
  }),
};

const reportRoute = routeGroup('reports');

// Read like the order board: a user limited to their own orders analyses their own orders.
export const salesReports = {
  analysis: reportRoute({
    method: 'get',
    path: '/api/reports/sales',
    summary: 'Sales analysis: confirmed sales by product, customer, channel or period, optionally pivoted by a second dimension',
    query: salesAnalysisQuery,
    response: salesAnalysis,
    permission: 'saleOrder.read',
  }),
  csv: reportRoute({
    method: 'get',
    path: '/api/reports/sales.csv',
    summary: 'The sales analysis as CSV (every measure; with a second dimension, the pivot of `measure`)',
    query: salesAnalysisQuery,
    file: true,
    permission: 'saleOrder.read',
  }),
};
