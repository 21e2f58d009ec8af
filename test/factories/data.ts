import type { Partner } from '../../contracts/schemas/partners';
import type { Product, Tax } from '../../contracts/schemas/catalog';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { ApiClient } from '../support/client';

let seq = 0;
const next = () => `${++seq}${Date.now().toString(36)}`;

async function created<T>(p: Promise<{ status: number; body: T }>): Promise<T> {
  const res = await p;
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export function makeTax(c: ApiClient, rate: number, name = `Tax ${rate}% ${next()}`): Promise<Tax> {
  return created(c.post('/api/taxes', { name, rate }));
}

export function makePartner(c: ApiClient, fields: Record<string, unknown> = {}): Promise<Partner> {
  return created(c.post('/api/partners', { name: `Customer ${next()}`, email: `c${next()}@example.com`, city: 'Lyon', countryCode: 'FR', ...fields }));
}

export function makeProduct(c: ApiClient, fields: Record<string, unknown> = {}): Promise<Product> {
  return created(c.post('/api/products', { sku: `SKU-${next()}`, name: `Product ${next()}`, type: 'storable', listPrice: 1000, cost: 400, ...fields }));
}

export async function makeOrder(c: ApiClient, fields: Record<string, unknown> = {}): Promise<SaleOrder> {
  const partner = fields.partnerId ? undefined : await makePartner(c);
  const product = fields.lines ? undefined : await makeProduct(c);
  return created(
    c.post('/api/sale-orders', {
      partnerId: partner?.id,
      lines: product ? [{ productId: product.id, quantity: 2 }] : undefined,
      ...fields,
    }),
  );
}
