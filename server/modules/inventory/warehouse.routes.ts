import { z } from 'zod';
import { listOf } from '../../../contracts/schemas/common';
import { location, warehouse } from '../../../contracts/schemas/company';
import { ApiRouter } from '../../http/api-router';
import * as warehouses from './warehouse.service';

export function warehouseRoutes() {
  const api = new ApiRouter('/api/warehouses', 'inventory');
  api.get('/', { summary: 'List warehouses', response: listOf(warehouse) }, (a) => warehouses.listWarehouses(a));
  return api.router;
}

export function locationRoutes() {
  const api = new ApiRouter('/api/locations', 'inventory');
  const query = z.object({ warehouseId: z.coerce.number().int().positive().optional() });
  api.get('/', { summary: 'List locations', query, response: listOf(location) }, (a, { query: q }) => warehouses.listLocations(a, q.warehouseId));
  return api.router;
}
