import { product, productCreate, productListQuery, productPatch, tax, taxCreate, taxPatch } from '../schemas/catalog';
import { listOf, listQuery } from '../schemas/common';
import { routeGroup } from './route';

const productRoute = routeGroup('products');

export const products = {
  list: productRoute({
    method: 'get',
    path: '/api/products',
    summary: 'List products',
    query: productListQuery,
    response: listOf(product),
    permission: 'product.read',
  }),
  get: productRoute({ method: 'get', path: '/api/products/:id', summary: 'Read a product', response: product, permission: 'product.read' }),
  create: productRoute({
    method: 'post',
    path: '/api/products',
    summary: 'Create a product',
    body: productCreate,
    response: product,
    status: 201,
    permission: 'product.write',
  }),
  update: productRoute({
    method: 'patch',
    path: '/api/products/:id',
    summary: 'Change a product',
    body: productPatch,
    response: product,
    permission: 'product.write',
  }),
};

const taxRoute = routeGroup('taxes');

export const taxes = {
  list: taxRoute({ method: 'get', path: '/api/taxes', summary: 'List taxes', query: listQuery, response: listOf(tax), permission: 'tax.read' }),
  get: taxRoute({ method: 'get', path: '/api/taxes/:id', summary: 'Read a tax', response: tax, permission: 'tax.read' }),
  create: taxRoute({ method: 'post', path: '/api/taxes', summary: 'Create a tax', body: taxCreate, response: tax, status: 201, permission: 'tax.write' }),
  update: taxRoute({ method: 'patch', path: '/api/taxes/:id', summary: 'Change a tax', body: taxPatch, response: tax, permission: 'tax.write' }),
};
