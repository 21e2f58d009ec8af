import { listOf } from '../schemas/common';
import {
  pickingTender,
  tender,
  tenderAction,
  tenderChoose,
  tenderComparison,
  tenderCreate,
  tenderListQuery,
  tenderPatch,
  tenderSummary,
} from '../schemas/tenders';
import { routeGroup } from './route';

const route = routeGroup('calls for tenders');

export const tenders = {
  list: route({
    method: 'get',
    path: '/api/tenders',
    summary: 'List calls for tenders',
    query: tenderListQuery,
    response: listOf(tenderSummary),
    permission: 'purchase.read',
  }),
  get: route({ method: 'get', path: '/api/tenders/:id', summary: 'Read a call for tenders', response: tender, permission: 'purchase.read' }),
  comparison: route({
    method: 'get',
    path: '/api/tenders/:id/comparison',
    summary: "Per line, each vendor's quoted price and lead time, the best price and the fastest; who has not answered",
    response: tenderComparison,
    permission: 'purchase.read',
  }),
  create: route({
    method: 'post',
    path: '/api/tenders',
    summary: 'Create a call for tenders (draft) and one RFQ per vendor',
    body: tenderCreate,
    response: tender,
    status: 201,
    permission: 'purchase.write',
  }),
  update: route({
    method: 'patch',
    path: '/api/tenders/:id',
    summary: 'Change the deadline or the note of a draft or open call for tenders',
    body: tenderPatch,
    response: tender,
    permission: 'purchase.write',
  }),
  send: route({
    method: 'post',
    path: '/api/tenders/:id/send',
    summary: 'Email every RFQ to its vendor: draft → open',
    body: tenderAction,
    response: tender,
    permission: 'purchase.write',
  }),
  choose: route({
    method: 'post',
    path: '/api/tenders/:id/choose',
    summary: 'Confirm the chosen lines as purchase orders (one per vendor); the other RFQs are cancelled with a polite email: open → chosen',
    body: tenderChoose,
    response: tender,
    permission: 'purchase.write',
  }),
  cancel: route({
    method: 'post',
    path: '/api/tenders/:id/cancel',
    summary: 'Cancel the call for tenders and its open RFQs (the vendors asked get a polite email)',
    body: tenderAction,
    response: tender,
    permission: 'purchase.write',
  }),
};

/** A call for tenders for a delivery's shortage (under /api/pickings). */
export const pickingTenderRoute = route({
  method: 'post',
  path: '/api/pickings/:id/tender',
  summary: "Start a call for tenders for a delivery's shortage (what is not on order yet)",
  body: pickingTender,
  response: tender,
  status: 201,
  permission: 'purchase.write',
});
