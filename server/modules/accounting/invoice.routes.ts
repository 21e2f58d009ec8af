import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { cancelInvoice, creditInvoice, creditReturn, enqueueInvoiceBatch, updateInvoice } from '../../workflows/invoicing.workflow';
import { sendInvoice, sendInvoiceFile } from './invoice.mail';
import { registerPayment } from './invoice.payments';
import { postInvoice } from './invoice.posting';
import * as invoices from './invoice.service';
import * as reports from './reports.service';

export function invoiceRoutes() {
  const api = new ApiRouter('/api/invoices');
  api.handle(routes.invoices.list, (a, { query }) => invoices.listInvoices(a, query));
  api.handle(routes.invoices.createBill, (a, { body }) => invoices.createBill(a, body));
  api.handle(routes.invoices.batch, (a, { body }) => enqueueInvoiceBatch(a, body));
  api.handle(routes.invoices.get, (a, { id }) => invoices.getInvoice(a, id));
  api.handle(routes.invoices.update, (a, { id, body }) => updateInvoice(a, id, body));
  api.handle(routes.invoices.post, (a, { id, body }) => postInvoice(a, id, body?.version));
  api.handle(routes.invoices.cancel, (a, { id, body }) => cancelInvoice(a, id, body?.version));
  api.handle(routes.invoices.registerPayment, (a, { id, body }) => registerPayment(a, id, body));
  api.handle(routes.invoices.creditNote, (a, { id, body }) => creditInvoice(a, id, body));
  api.handle(routes.invoices.send, (a, { id, body }) => sendInvoice(a, id, body));
  api.handle(routes.invoices.pdf, (a, { id, req, res }) => sendInvoiceFile(a, id, 'pdf', res, req.query.inline === '1'));
  api.handle(routes.invoices.docx, (a, { id, res }) => sendInvoiceFile(a, id, 'docx', res));
  return api.router;
}

/** On a validated return: its credit notes (mounted beside the pickings' own routes). */
export function pickingCreditRoutes() {
  const api = new ApiRouter('/api/pickings');
  api.handle(routes.pickings.creditNote, (a, { id, body }) => creditReturn(a, id, body ?? {}));
  return api.router;
}

export function reportRoutes() {
  const api = new ApiRouter('/api/reports');
  api.handle(routes.reports.receivables, (a, { query }) => reports.receivables(a, query));
  api.handle(routes.reports.journalItems, (a, { query }) => reports.journalItems(a, query));
  return api.router;
}
