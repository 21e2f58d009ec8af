import { z } from 'zod';
import { listOf, listQuery } from '../../../contracts/schemas/common';
import { LOCATION_KINDS } from '../../../contracts/states';
import { location, warehouse, warehouseCreate } from '../../../contracts/schemas/company';
import { ApiRouter } from '../../http/api-router';
import * as warehouses from './warehouse.service';

export function warehouseRoutes() {
  const api = new ApiRouter('/api/warehouses', 'inventory');
  api.get('/', { summary: 'List warehouses', query: listQuery, response: listOf(warehouse) }, (a, { query }) => warehouses.listWarehouses(a, query));
  api.post('/', { summary: 'Add a warehouse (with its Stock and Returns locations)', body: warehouseCreate, response: warehouse, status: 201 }, (a, { body }) =>
    warehouses.createWarehouse(a, body),
  );
  return api.router;
}

export function locationRoutes() {
  const api = new ApiRouter('/api/locations', 'inventory');
  const query = listQuery.extend({ warehouseId: z.coerce.number().int().positive().optional(), kind: z.enum(LOCATION_KINDS).optional() });
  api.get('/', { summary: 'List locations', query, response: listOf(location) }, (a, { query: q }) => warehouses.listLocations(a, q));
  return api.router;
}
