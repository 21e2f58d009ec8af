import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import * as companies from './company.service';

export function companyRoutes() {
  const api = new ApiRouter('/api/company');
  api.handle(routes.company.get, (a) => companies.getCompany(a));
  api.handle(routes.company.update, (a, { body }) => companies.updateCompany(a, body));
  return api.router;
}
