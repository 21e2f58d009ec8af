import { company as companySchema, companyPatch } from '../schemas/company';
import { routeGroup } from './route';

const route = routeGroup('company');

export const company = {
  get: route({ method: 'get', path: '/api/company', summary: 'The company (used on every document)', response: companySchema, permission: 'company.read' }),
  update: route({
    method: 'patch',
    path: '/api/company',
    summary: 'Change the company',
    body: companyPatch,
    response: companySchema,
    permission: 'company.write',
  }),
};
