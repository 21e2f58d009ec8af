import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import * as partners from './partner.service';

export function partnerRoutes() {
  const api = new ApiRouter('/api/partners');
  api.handle(routes.partners.list, (a, { query }) => partners.listPartners(a, query));
  api.handle(routes.partners.get, (a, { id }) => partners.getPartner(a, id));
  api.handle(routes.partners.create, (a, { body }) => partners.createPartner(a, body));
  api.handle(routes.partners.update, (a, { id, body }) => partners.updatePartner(a, id, body));
  return api.router;
}
