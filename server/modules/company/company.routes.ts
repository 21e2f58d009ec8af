import { company, companyPatch } from '../../../contracts/schemas/company';
import { ApiRouter } from '../../http/api-router';
import * as companies from './company.service';

export function companyRoutes() {
  const api = new ApiRouter('/api/company', 'company');
  api.get('/', { summary: 'The company (used on every document)', response: company }, (a) => companies.getCompany(a));
  api.patch('/', { summary: 'Change the company', body: companyPatch, response: company }, (a, { body }) => companies.updateCompany(a, body));
  return api.router;
}
