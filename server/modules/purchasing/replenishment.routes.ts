import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { orderReplenishment, replenishmentReport } from '../../workflows/replenishment.report';
import { orderShortage, pickingShortage } from '../../workflows/replenishment.shortage';
import { runReplenishment } from '../../workflows/replenishment.workflow';

export function replenishmentRoutes() {
  const api = new ApiRouter('/api/replenishment');
  api.handle(routes.replenishment.report, (a, { query }) => replenishmentReport(a, query));
  api.handle(routes.replenishment.run, (a) => runReplenishment(a));
  api.handle(routes.replenishment.order, (a, { body }) => orderReplenishment(a, body));
  return api.router;
}

/** A delivery's shortage and "Order N more" on it (under /api/pickings). */
export function pickingOrderMoreRoutes() {
  const api = new ApiRouter('/api/pickings');
  api.handle(routes.pickings.shortage, (a, { id }) => pickingShortage(a, id));
  api.handle(routes.pickings.orderMore, (a, { id, body }) => orderShortage(a, id, body));
  return api.router;
}
