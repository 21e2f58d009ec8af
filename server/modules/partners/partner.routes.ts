import { listOf } from '../../../contracts/schemas/common';
import { partner, partnerCreate, partnerListQuery, partnerPatch } from '../../../contracts/schemas/partners';
import { ApiRouter } from '../../http/api-router';
import * as partners from './partner.service';

export function partnerRoutes() {
  const api = new ApiRouter('/api/partners', 'partners');
  api.get('/', { summary: 'List partners', query: partnerListQuery, response: listOf(partner) }, (a, { query }) => partners.listPartners(a, query));
  api.get('/:id', { summary: 'Read a partner', response: partner }, (a, { id }) => partners.getPartner(a, id));
  api.post('/', { summary: 'Create a partner', body: partnerCreate, response: partner, status: 201 }, (a, { body }) => partners.createPartner(a, body));
  api.patch('/:id', { summary: 'Change a partner', body: partnerPatch, response: partner }, (a, { id, body }) => partners.updatePartner(a, id, body));
  return api.router;
}
