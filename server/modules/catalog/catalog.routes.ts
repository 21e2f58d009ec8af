import { product, productCreate, productListQuery, productPatch, tax, taxCreate, taxPatch } from '../../../contracts/schemas/catalog';
import { listOf, listQuery } from '../../../contracts/schemas/common';
import { ApiRouter } from '../../http/api-router';
import * as products from './product.service';
import * as taxes from './tax.service';

export function productRoutes() {
  const api = new ApiRouter('/api/products', 'products');
  api.get('/', { summary: 'List products', query: productListQuery, response: listOf(product) }, (a, { query }) => products.listProducts(a, query));
  api.get('/:id', { summary: 'Read a product', response: product }, (a, { id }) => products.getProduct(a, id));
  api.post('/', { summary: 'Create a product', body: productCreate, response: product, status: 201 }, (a, { body }) => products.createProduct(a, body));
  api.patch('/:id', { summary: 'Change a product', body: productPatch, response: product }, (a, { id, body }) => products.updateProduct(a, id, body));
  return api.router;
}

export function taxRoutes() {
  const api = new ApiRouter('/api/taxes', 'taxes');
  api.get('/', { summary: 'List taxes', query: listQuery, response: listOf(tax) }, (a, { query }) => taxes.listTaxes(a, query));
  api.get('/:id', { summary: 'Read a tax', response: tax }, (a, { id }) => taxes.getTax(a, id));
  api.post('/', { summary: 'Create a tax', body: taxCreate, response: tax, status: 201 }, (a, { body }) => taxes.createTax(a, body));
  api.patch('/:id', { summary: 'Change a tax', body: taxPatch, response: tax }, (a, { id, body }) => taxes.updateTax(a, id, body));
  return api.router;
}
