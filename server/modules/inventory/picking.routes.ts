import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { multipart } from '../../http/upload';
import { AppError } from '../../http/errors';
import { validatePickingWorkflow } from '../../workflows/delivery.workflow';
import { createReturn } from './picking.returns';
import * as pickings from './picking.service';
import * as stock from './stock.service';
import { stockReportCsv } from './stock-report.csv';
import { sendDeliveryNote } from './delivery-note';

export function pickingRoutes() {
  const api = new ApiRouter('/api/pickings');
  api.handle(routes.pickings.list, (a, { query }) => pickings.listPickings(a, query));
  api.handle(routes.pickings.get, (a, { id }) => pickings.getPicking(a, id));
  api.handle(routes.pickings.update, (a, { id, body }) => pickings.updatePicking(a, id, body));
  api.handle(routes.pickings.checkAvailability, (a, { id }) => pickings.checkAvailability(a, id));
  api.handle(routes.pickings.validate, (a, { id, body }) => validatePickingWorkflow(a, id, body));
  api.handle(routes.pickings.createReturn, (a, { id, body }) => createReturn(a, id, body));
  api.handle(routes.pickings.cancel, (a, { id }) => pickings.cancelPicking(a, id));
  api.handle(routes.pickings.pdf, (a, { id, res }) => sendDeliveryNote(a, id, 'pdf', res));
  api.handle(routes.pickings.docx, (a, { id, res }) => sendDeliveryNote(a, id, 'docx', res));
  return api.router;
}

export function stockRoutes() {
  const api = new ApiRouter('/api/stock');
  api.handle(routes.stock.report, (a, { query }) => stock.stockReport(a, query));
  api.handle(routes.stock.reportCsv, async (a, { query, res }) => {
    const report = await stock.stockReport(a, { ...query, limit: 1_000_000, offset: 0 });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="stock-report.csv"');
    res.end(stockReportCsv(report.items));
  });
  api.handle(routes.stock.transfer, (a, { body }) => stock.transferStock(a, body));
  api.handle(routes.stock.adjust, (a, { body }) => stock.adjustStock(a, body));
  api.router.post(
    '/adjustments/import',
    multipart({ field: 'file', maxBytes: () => 10 * 1024 * 1024, tooLarge: () => new AppError(413, 'payload_too_large', 'The file of counts is over 10 MB') }),
  );
  api.handle(routes.stock.importCounts, (a, { req }) => stock.importCounts(a, req.file));
  return api.router;
}

export function shipmentRoutes() {
  const api = new ApiRouter('/api/shipments');
  api.handle(routes.shipments.pending, (a) => pickings.pendingShipments(a));
  return api.router;
}
