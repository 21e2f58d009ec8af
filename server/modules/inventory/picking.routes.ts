import { z } from 'zod';
import { listOf } from '../../../contracts/schemas/common';
import {
  pendingShipments,
  picking,
  pickingListQuery,
  pickingPatch,
  pickingReturn,
  pickingSummary,
  pickingValidate,
  stockAdjustment,
  stockReport,
  stockReportItem,
  stockReportQuery,
  stockTransfer,
} from '../../../contracts/schemas/inventory';
import { ApiRouter } from '../../http/api-router';
import { multipart } from '../../http/upload';
import { AppError } from '../../http/errors';
import { validatePickingWorkflow } from '../../workflows/delivery.workflow';
import * as pickings from './picking.service';
import { createReturn } from './picking.returns';
import * as stock from './stock.service';
import { stockReportCsv } from './stock-report.csv';
import { sendDeliveryNote } from './delivery-note';

export function pickingRoutes() {
  const api = new ApiRouter('/api/pickings', 'inventory');
  api.get('/', { summary: 'Deliveries, receipts and returns', query: pickingListQuery, response: listOf(pickingSummary) }, (a, { query }) =>
    pickings.listPickings(a, query),
  );
  api.get('/:id', { summary: 'A picking with its moves', response: picking }, (a, { id }) => pickings.getPicking(a, id));
  api.patch('/:id', { summary: 'Carrier, tracking reference, scheduled date', body: pickingPatch, response: picking }, (a, { id, body }) =>
    pickings.updatePicking(a, id, body),
  );
  api.post('/:id/check-availability', { summary: 'Reserve again what the picking waits for', response: picking }, (a, { id }) =>
    pickings.checkAvailability(a, id),
  );
  api.post(
    '/:id/validate',
    {
      summary: 'Validate all (what is reserved) or the quantities given; below the demand, backorder (default) or cancel the rest',
      body: pickingValidate,
      response: z.object({ picking, backorder: picking.nullable() }),
    },
    (a, { id, body }) => validatePickingWorkflow(a, id, body),
  );
  api.post(
    '/:id/return',
    { summary: 'Return products of a done delivery into the Returns location', body: pickingReturn, response: picking, status: 201 },
    (a, { id, body }) => createReturn(a, id, body),
  );
  api.post('/:id/cancel', { summary: 'Cancel a picking that is not done', response: picking }, (a, { id }) => pickings.cancelPicking(a, id));
  api.get('/:id/pdf', { summary: 'The delivery note as PDF' }, (a, { id, res }) => sendDeliveryNote(a, id, 'pdf', res));
  api.get('/:id/docx', { summary: 'The delivery note as DOCX' }, (a, { id, res }) => sendDeliveryNote(a, id, 'docx', res));
  return api.router;
}

export function stockRoutes() {
  const api = new ApiRouter('/api/stock', 'inventory');
  api.get(
    '/report',
    { summary: 'On hand, reserved, incoming, outgoing and forecast per product and location', query: stockReportQuery, response: stockReport },
    (a, { query }) => stock.stockReport(a, query),
  );
  api.get('/report.csv', { summary: 'The stock report as CSV', query: stockReportQuery }, async (a, { query, res }) => {
    const report = await stock.stockReport(a, { ...query, limit: 1_000_000, offset: 0 });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="stock-report.csv"');
    res.end(stockReportCsv(report.items));
  });
  api.post(
    '/transfers',
    { summary: 'Move free stock now: to another stock location (Returns → Stock) or to scrap', body: stockTransfer, response: z.array(stockReportItem) },
    (a, { body }) => stock.transferStock(a, body),
  );
  api.post(
    '/adjustments',
    { summary: 'Set the counted on-hand of a product (default: the main Stock)', body: stockAdjustment, response: stockReportItem },
    (a, { body }) => stock.adjustStock(a, body),
  );
  api.router.post(
    '/adjustments/import',
    multipart({ field: 'file', maxBytes: () => 10 * 1024 * 1024, tooLarge: () => new AppError(413, 'payload_too_large', 'The file of counts is over 10 MB') }),
  );
  api.post(
    '/adjustments/import',
    {
      summary: 'Counted quantities from a CSV (sku, quantity[, location]): each row applied or reported',
      response: z.object({ applied: z.number(), errors: z.array(z.object({ row: z.number(), message: z.string() })) }),
    },
    (a, { req }) => stock.importCounts(a, req.file),
  );
  return api.router;
}

export function shipmentRoutes() {
  const api = new ApiRouter('/api/shipments', 'inventory');
  api.get('/pending', { summary: 'Pickings not done yet, inbound and outbound, late ones first', response: pendingShipments }, (a) =>
    pickings.pendingShipments(a),
  );
  return api.router;
}
