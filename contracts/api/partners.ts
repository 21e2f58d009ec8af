import { listOf } from '../schemas/common';
import { partner, partnerCreate, partnerListQuery, partnerPatch } from '../schemas/partners';
import { routeGroup } from './route';

const route = routeGroup('partners');

export const partners = {
  list: route({
    method: 'get',
    path: '/api/partners',
    summary: 'List partners',
    query: partnerListQuery,
    response: listOf(partner),
    permission: 'partner.read',
  }),
  get: route({ method: 'get', path: '/api/partners/:id', summary: 'Read a partner', response: partner, permission: 'partner.read' }),
  create: route({
    method: 'post',
    path: '/api/partners',
    summary: 'Create a partner',
    body: partnerCreate,
    response: partner,
    status: 201,
    permission: 'partner.write',
  }),
  update: route({
    method: 'patch',
    path: '/api/partners/:id',
    summary: 'Change a partner',
    body: partnerPatch,
    response: partner,
    permission: 'partner.write',
  }),
};
