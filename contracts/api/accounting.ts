import { account, accountCreate, accountPatch, journal, journalPatch } from '../schemas/catalog';
import { listOf, listQuery } from '../schemas/common';
import {
  billCreate,
  createdInvoices,
  creditNoteCreate,
  invoice,
  invoiceAction,
  invoiceBatch,
  invoiceList,
  invoiceListQuery,
  invoicePatch,
  invoiceSend,
  journalItemQuery,
  journalItemsReport,
  paymentCreate,
  receivablesQuery,
  receivablesReport,
  returnCreditNote,
} from '../schemas/invoices';
import { jobCreated } from '../schemas/jobs';
import { routeGroup } from './route';

const accountRoute = routeGroup('accounts');

export const accounts = {
  list: accountRoute({
    method: 'get',
    path: '/api/accounts',
    summary: 'The chart of accounts',
    query: listQuery,
    response: listOf(account),
    permission: 'account.read',
  }),
  create: accountRoute({
    method: 'post',
    path: '/api/accounts',
    summary: 'Add an account',
    body: accountCreate,
    response: account,
    status: 201,
    permission: 'account.write',
  }),
  update: accountRoute({
    method: 'patch',
    path: '/api/accounts/:id',
    summary: 'Rename or renumber an account (its type while nothing relies on it)',
    body: accountPatch,
    response: account,
    permission: 'account.write',
  }),
};

export const journals = {
  list: accountRoute({
    method: 'get',
    path: '/api/journals',
    summary: 'Journals: Sales, Purchases, Bank, Cash',
    response: listOf(journal),
    permission: 'account.read',
  }),
  update: accountRoute({
    method: 'patch',
    path: '/api/journals/:id',
    summary: "A journal's name or default account",
    body: journalPatch,
    response: journal,
    permission: 'account.write',
  }),
};

const route = routeGroup('invoices');

export const invoices = {
  list: route({
    method: 'get',
    path: '/api/invoices',
    summary: 'Invoices, credit notes, vendor bills and vendor credit notes (?moveType=in_invoice: the bills)',
    query: invoiceListQuery,
    response: invoiceList,
    permission: 'invoice.read',
  }),
  createBill: route({
    method: 'post',
    path: '/api/invoices',
    summary: 'Draft a vendor bill by hand (bills of a purchase order come from POST /api/purchase-orders/:id/bill)',
    body: billCreate,
    response: invoice,
    status: 201,
    permission: 'bill.create',
  }),
  batch: route({
    method: 'post',
    path: '/api/invoices/batch',
    summary: 'Invoice the selected orders in a job (one invoice per order, or per customer), optionally post and send',
    body: invoiceBatch,
    response: jobCreated,
    status: 202,
    // Posting or sending them as well takes invoice.write: the handler checks that.
    permission: 'invoice.create',
  }),
  get: route({
    method: 'get',
    path: '/api/invoices/:id',
    summary: 'An invoice with its lines, taxes, journal items and payments',
    response: invoice,
    permission: 'invoice.read',
  }),
  update: route({
    method: 'patch',
    path: '/api/invoices/:id',
    summary: 'Edit a draft: dates, note, lines',
    body: invoicePatch,
    response: invoice,
    permission: 'invoice.create',
    // The draft is read first: a missing one is a 404 whoever asks; a draft bill is a buyer's (bill.create) as well.
    enforce: false,
  }),
  post: route({
    method: 'post',
    path: '/api/invoices/:id/post',
    summary: 'Post a draft: its number and its journal entry',
    body: invoiceAction,
    response: invoice,
    permission: 'invoice.write',
  }),
  cancel: route({
    method: 'post',
    path: '/api/invoices/:id/cancel',
    summary: 'Cancel a draft',
    body: invoiceAction,
    response: invoice,
    permission: 'invoice.create',
    // As editing: the draft is read first, and a draft bill is a buyer's (bill.create) as well.
    enforce: false,
  }),
  registerPayment: route({
    method: 'post',
    path: '/api/invoices/:id/payments',
    summary: 'Register a payment (a refund, on a credit note)',
    body: paymentCreate,
    response: invoice,
    status: 201,
    permission: 'invoice.write',
  }),
  creditNote: route({
    method: 'post',
    path: '/api/invoices/:id/credit-note',
    summary: 'Draft a credit note for the whole invoice or for products and quantities',
    body: creditNoteCreate,
    response: invoice,
    status: 201,
    permission: 'invoice.write',
  }),
  send: route({
    method: 'post',
    path: '/api/invoices/:id/send',
    summary: 'Email the PDF to the customer, with a copy to the followers',
    body: invoiceSend,
    response: invoice,
    permission: 'invoice.write',
  }),
  pdf: route({
    method: 'get',
    path: '/api/invoices/:id/pdf',
    summary: 'The invoice as PDF (?inline=1 to show it in the browser)',
    file: true,
    permission: 'invoice.read',
  }),
  docx: route({ method: 'get', path: '/api/invoices/:id/docx', summary: 'The invoice as DOCX', file: true, permission: 'invoice.read' }),
};

/** On a validated return: its credit notes (beside the pickings' own routes). */
export const pickingCreditNote = route({
  method: 'post',
  path: '/api/pickings/:id/credit-note',
  summary: 'Draft the credit notes for what a validated return brought back',
  body: returnCreditNote,
  response: createdInvoices,
  status: 201,
  permission: 'invoice.write',
});

const reportRoute = routeGroup('reports');

export const reports = {
  receivables: reportRoute({
    method: 'get',
    path: '/api/reports/receivables',
    summary: "Customers' balances and aged receivables",
    query: receivablesQuery,
    response: receivablesReport,
    permission: 'invoice.read',
  }),
  journalItems: reportRoute({
    method: 'get',
    path: '/api/reports/journal-items',
    summary: 'Journal items with debit and credit totals per account',
    query: journalItemQuery,
    response: journalItemsReport,
    permission: 'invoice.read',
  }),
};
