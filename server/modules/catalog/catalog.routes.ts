import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import * as products from './product.service';
import * as taxes from './tax.service';

export function productRoutes() {
  const api = new ApiRouter('/api/products');
  api.handle(routes.products.list, (a, { query }) => products.listProducts(a, query));
  api.handle(routes.products.get, (a, { id }) => products.getProduct(a, id));
  api.handle(routes.products.create, (a, { body }) => products.createProduct(a, body));
  api.handle(routes.products.update, (a, { id, body }) => products.updateProduct(a, id, body));
  return api.router;
}

export function taxRoutes() {
  const api = new ApiRouter('/api/taxes');
  api.handle(routes.taxes.list, (a, { query }) => taxes.listTaxes(a, query));
  api.handle(routes.taxes.get, (a, { id }) => taxes.getTax(a, id));
  api.handle(routes.taxes.create, (a, { body }) => taxes.createTax(a, body));
  api.handle(routes.taxes.update, (a, { id, body }) => taxes.updateTax(a, id, body));
  return api.router;
}
