import { z } from 'zod';
import { listOf } from '../../../contracts/schemas/common';
import {
  accountTotals,
  creditNoteCreate,
  invoice,
  invoiceAction,
  invoiceBatch,
  invoiceListQuery,
  invoicePatch,
  invoiceSend,
  invoiceSummary,
  journalItem,
  journalItemQuery,
  paymentCreate,
  receivableRow,
  receivablesQuery,
  returnCreditNote,
} from '../../../contracts/schemas/invoices';
import { ApiRouter } from '../../http/api-router';
import { cancelInvoice, creditInvoice, creditReturn, enqueueInvoiceBatch, updateInvoice } from '../../workflows/invoicing.workflow';
import { sendInvoice, sendInvoiceFile } from './invoice.mail';
import { registerPayment } from './invoice.payments';
import { postInvoice } from './invoice.posting';
import * as invoices from './invoice.service';
import * as reports from './reports.service';

const invoiceIds = z.object({ invoiceIds: z.array(z.number().int()) });

export function invoiceRoutes() {
  const api = new ApiRouter('/api/invoices', 'invoices');
  api.get('/', { summary: 'Invoices and credit notes', query: invoiceListQuery, response: listOf(invoiceSummary) }, (a, { query }) =>
    invoices.listInvoices(a, query),
  );
  api.post(
    '/batch',
    {
      summary: 'Invoice the selected orders in a job (one invoice per order, or per customer), optionally post and send',
      body: invoiceBatch,
      response: z.object({ jobId: z.string() }),
      status: 202,
    },
    (a, { body }) => enqueueInvoiceBatch(a, body),
  );
  api.get('/:id', { summary: 'An invoice with its lines, taxes, journal items and payments', response: invoice }, (a, { id }) => invoices.getInvoice(a, id));
  api.patch('/:id', { summary: 'Edit a draft: dates, note, lines', body: invoicePatch, response: invoice }, (a, { id, body }) => updateInvoice(a, id, body));
  api.post('/:id/post', { summary: 'Post a draft: its number and its journal entry', body: invoiceAction, response: invoice }, (a, { id, body }) =>
    postInvoice(a, id, body?.version),
  );
  api.post('/:id/cancel', { summary: 'Cancel a draft', body: invoiceAction, response: invoice }, (a, { id, body }) => cancelInvoice(a, id, body?.version));
  api.post(
    '/:id/payments',
    { summary: 'Register a payment (a refund, on a credit note)', body: paymentCreate, response: invoice, status: 201 },
    (a, { id, body }) => registerPayment(a, id, body),
  );
  api.post(
    '/:id/credit-note',
    { summary: 'Draft a credit note for the whole invoice or for products and quantities', body: creditNoteCreate, response: invoice, status: 201 },
    (a, { id, body }) => creditInvoice(a, id, body),
  );
  api.post('/:id/send', { summary: 'Email the PDF to the customer, with a copy to the followers', body: invoiceSend, response: invoice }, (a, { id, body }) =>
    sendInvoice(a, id, body),
  );
  api.get('/:id/pdf', { summary: 'The invoice as PDF (?inline=1 to show it in the browser)' }, (a, { id, req, res }) =>
    sendInvoiceFile(a, id, 'pdf', res, req.query.inline === '1'),
  );
  api.get('/:id/docx', { summary: 'The invoice as DOCX' }, (a, { id, res }) => sendInvoiceFile(a, id, 'docx', res));
  return api.router;
}

/** On a validated return: its credit notes (mounted beside the pickings' own routes). */
export function pickingCreditRoutes() {
  const api = new ApiRouter('/api/pickings', 'invoices');
  api.post(
    '/:id/credit-note',
    { summary: 'Draft the credit notes for what a validated return brought back', body: returnCreditNote, response: invoiceIds, status: 201 },
    (a, { id, body }) => creditReturn(a, id, body ?? {}),
  );
  return api.router;
}

export function reportRoutes() {
  const api = new ApiRouter('/api/reports', 'reports');
  api.get(
    '/receivables',
    {
      summary: "Customers' balances and aged receivables",
      query: receivablesQuery,
      response: z.object({ asOf: z.string(), items: z.array(receivableRow), totals: receivableRow.omit({ partnerId: true, partnerName: true }) }),
    },
    (a, { query }) => reports.receivables(a, query),
  );
  api.get(
    '/journal-items',
    {
      summary: 'Journal items with debit and credit totals per account',
      query: journalItemQuery,
      response: listOf(journalItem).extend({ totals: z.array(accountTotals), debit: z.number().int(), credit: z.number().int() }),
    },
    (a, { query }) => reports.journalItems(a, query),
  );
  return api.router;
}
