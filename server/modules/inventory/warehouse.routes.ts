import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import * as warehouses from './warehouse.service';

export function warehouseRoutes() {
  const api = new ApiRouter('/api/warehouses');
  api.handle(routes.warehouses.list, (a, { query }) => warehouses.listWarehouses(a, query));
  api.handle(routes.warehouses.create, (a, { body }) => warehouses.createWarehouse(a, body));
  return api.router;
}

export function locationRoutes() {
  const api = new ApiRouter('/api/locations');
  api.handle(routes.locations.list, (a, { query: q }) => warehouses.listLocations(a, q));
  return api.router;
}
