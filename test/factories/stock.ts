import type { ApiClient } from '../support/client';

/** Sets the counted on-hand of a product (default: the main Stock), as a warehouse user would. */
export async function setStock(c: ApiClient, productId: number, quantity: number, locationId?: number): Promise<void> {
  const res = await c.post('/api/stock/adjustments', { productId, quantity, ...(locationId && { locationId }) });
  if (res.status !== 200) throw new Error(`adjustment failed: ${res.status} ${JSON.stringify(res.body)}`);
}
