import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { authRoutes, userRoutes } from './modules/auth/auth.routes';
import { accountRoutes, journalRoutes } from './modules/accounting/account.routes';
import { channelRoutes, channelWebhookRoutes } from './modules/channels/channel.routes';
import { importRoutes } from './modules/imports/import.routes';
import { invoiceRoutes, pickingCreditRoutes, reportRoutes } from './modules/accounting/invoice.routes';
import { productRoutes, taxRoutes } from './modules/catalog/catalog.routes';
import { companyRoutes } from './modules/company/company.routes';
import { locationRoutes, warehouseRoutes } from './modules/inventory/warehouse.routes';
import { pickingRoutes, shipmentRoutes, stockRoutes } from './modules/inventory/picking.routes';
import { routeGraphRoutes } from './modules/inventory/flow.routes';
import { jobRoutes } from './modules/jobs/job.routes';
import { attachmentRoutes, followerRoutes, messageRoutes, notificationRoutes } from './modules/chatter/chatter.routes';
import { mailRoutes, mailWebhookRoutes } from './modules/mail/mail.routes';
import { partnerRoutes } from './modules/partners/partner.routes';
import { saleOrderRoutes } from './modules/sales/sale-order.routes';
import { searchRoutes } from './modules/sales/search.routes';
import { dashboardRoutes, salesReportRoutes } from './modules/sales/dashboard.routes';
import { purchaseOrderRoutes } from './modules/purchasing/purchase-order.routes';
import { portalRoutes } from './modules/purchasing/portal.routes';
import { reorderRuleRoutes } from './modules/purchasing/reorder-rule.routes';
import { pickingOrderMoreRoutes, replenishmentRoutes } from './modules/purchasing/replenishment.routes';
import { pickingTenderRoutes, tenderRoutes } from './modules/purchasing/tender.routes';
import { healthRoutes } from './http/health';
import { NotFoundError } from './http/errors';
import { authenticate, csrf, errorHandler } from './http/middleware';
import { openApiDocument } from './http/openapi';
import { readConsolePolicy, securityHeaders } from './http/security-headers';
import { logger } from './lib/logger';
import { runtime } from './runtime';

/** Builds the Express app without listening (tests import it). */
export function createApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', runtime().config.trustProxy);
  app.use(securityHeaders());

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => !req.url?.startsWith('/api') || req.url === '/api/health' },
      serializers: { req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }) },
      // The message says what happened, so one short line on a terminal is enough.
      customSuccessMessage: (req, res, ms) => `${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)} ms`,
      customErrorMessage: (req, res, err) => `${req.method} ${req.url} ${res.statusCode} ${err.message}`,
    }),
  );
  // Webhooks are signed over their raw bytes: those are kept for them.
  app.use(
    express.json({
      limit: '2mb',
      verify: (req, _res, buf) => {
        if ((req as { url?: string }).url?.startsWith('/api/webhooks/')) (req as { rawBody?: Buffer }).rawBody = buf;
      },
    }),
  );

  const api = express.Router();
  api.use(healthRoutes());
  // The vendor portal: no staff session (its link is the key), so no CSRF token either.
  api.use('/portal', portalRoutes());
  api.get('/openapi.json', (_req, res) => res.json(openApiDocument()));
  api.use(authenticate);
  api.use(csrf);
  api.use('/auth', authRoutes());
  api.use('/users', userRoutes());
  api.use('/company', companyRoutes());
  api.use('/accounts', accountRoutes());
  api.use('/journals', journalRoutes());
  api.use('/taxes', taxRoutes());
  api.use('/partners', partnerRoutes());
  api.use('/products', productRoutes());
  api.use('/warehouses', warehouseRoutes());
  api.use('/locations', locationRoutes());
  api.use('/pickings', pickingRoutes());
  api.use('/pickings', pickingCreditRoutes());
  api.use('/pickings', pickingOrderMoreRoutes());
  api.use('/pickings', pickingTenderRoutes());
  api.use('/stock', stockRoutes());
  api.use('/routes/graph', routeGraphRoutes());
  api.use('/shipments', shipmentRoutes());
  api.use('/sale-orders', saleOrderRoutes());
  api.use('/search', searchRoutes());
  api.use('/purchase-orders', purchaseOrderRoutes());
  api.use('/reorder-rules', reorderRuleRoutes());
  api.use('/replenishment', replenishmentRoutes());
  api.use('/tenders', tenderRoutes());
  api.use('/invoices', invoiceRoutes());
  api.use('/reports', reportRoutes());
  api.use('/reports', salesReportRoutes());
  api.use('/dashboard', dashboardRoutes());
  api.use('/channels', channelRoutes());
  api.use('/imports', importRoutes());
  api.use('/jobs', jobRoutes());
  api.use('/messages', messageRoutes());
  api.use('/followers', followerRoutes());
  api.use('/notifications', notificationRoutes());
  api.use('/attachments', attachmentRoutes());
  api.use('/mail', mailRoutes());
  api.use('/webhooks/mailgun', mailWebhookRoutes());
  api.use('/webhooks/channels', channelWebhookRoutes());
  api.use((req: Request) => {
    throw new NotFoundError(`No API route ${req.method} ${req.baseUrl}${req.path}`);
  });
  app.use('/api', api);

  // The console: a single-page app, every other path falls back to index.html.
  const webDir = runtime().config.webDir;
  if (existsSync(path.join(webDir, 'index.html'))) {
    const policy = readConsolePolicy(path.join(webDir, 'index.html'));
    app.use(express.static(webDir, { index: false, maxAge: '1h', immutable: false }));
    app.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req: Request, res: Response) => {
      res.setHeader('Content-Security-Policy', policy);
      res.sendFile(path.join(webDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('The console is not built: run `npm run build`. The API is under /api.');
    });
  }
  app.use(errorHandler);
  return app;
}
