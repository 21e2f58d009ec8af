import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { chooseTender, tenderForShortage } from '../../workflows/tender.workflow';
import { cancelTender, createTender, sendTender, updateTender } from './tender.actions';
import { tenderComparison } from './tender.comparison';
import { getTender, listTenders } from './tender.service';

export function tenderRoutes() {
  const api = new ApiRouter('/api/tenders');
  api.handle(routes.tenders.list, (a, { query }) => listTenders(a, query));
  api.handle(routes.tenders.get, (a, { id }) => getTender(a, id));
  api.handle(routes.tenders.comparison, (a, { id }) => tenderComparison(a, id));
  api.handle(routes.tenders.create, (a, { body }) => createTender(a, body));
  api.handle(routes.tenders.update, (a, { id, body }) => updateTender(a, id, body));
  api.handle(routes.tenders.send, (a, { id, body }) => sendTender(a, id, body?.version));
  api.handle(routes.tenders.choose, (a, { id, body }) => chooseTender(a, id, body));
  api.handle(routes.tenders.cancel, (a, { id, body }) => cancelTender(a, id, body?.version));
  return api.router;
}

/** A call for tenders for a delivery's shortage (under /api/pickings). */
export function pickingTenderRoutes() {
  const api = new ApiRouter('/api/pickings');
  api.handle(routes.pickings.tender, (a, { id, body }) => tenderForShortage(a, id, body));
  return api.router;
}
