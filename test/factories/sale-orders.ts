import type { Partner } from '../../contracts/schemas/partners';
import type { Product, Tax } from '../../contracts/schemas/catalog';
import type { SaleOrder } from '../../contracts/schemas/sales';
import type { ApiClient } from '../support/client';
import { expectStatus } from '../support/expect';
import type { TestServer } from '../support/server';
import { makePartner, makeProduct, makeTax } from './data';

// The records and helpers of the sale-order route tests (test/integration/sale-orders.*.test.ts).

export type SaleOrderFixtures = {
  vat20: Tax;
  vat55: Tax;
  customer: Partner;
  /** 19.99, taxed 20% and 5.5% */
  lamp: Product;
  /** 19.99, taxed 20% */
  chair: Product;
  /** 10.00, untaxed */
  plain: Product;
};

export type State = 'draft' | 'sent' | 'sale' | 'done' | 'cancel';

/** The order number's digits: S00042 → 42. */
export const numberOf = (name: string) => Number(name.slice(1));

/** A line as a PATCH sends it back. */
export const lineBody = (l: SaleOrder['lines'][number]) => ({
  id: l.id,
  productId: l.productId,
  quantity: l.quantity,
  unitPrice: l.unitPrice,
  discount: l.discount,
  taxIds: l.taxIds,
});

/** The sale-order helpers of a test file, on its server. */
export function saleOrderKit(srv: TestServer) {
  // Shared records, made once on first use so every test can run alone.
  let fixturesPromise: Promise<SaleOrderFixtures> | undefined;
  function fixtures(): Promise<SaleOrderFixtures> {
    fixturesPromise ??= (async () => {
      const vat20 = await makeTax(srv.admin, 20, 'VAT 20%');
      const vat55 = await makeTax(srv.admin, 5.5, 'VAT 5.5%');
      const customer = await makePartner(srv.admin, { name: 'Fixture Customer' });
      const lamp = await makeProduct(srv.admin, { sku: 'LAMP-01', name: 'Desk lamp', listPrice: 1999, taxIds: [vat20.id, vat55.id] });
      const chair = await makeProduct(srv.admin, { sku: 'CHAIR-01', name: 'Chair', listPrice: 1999, taxIds: [vat20.id] });
      const plain = await makeProduct(srv.admin, { sku: 'PLAIN-01', name: 'Plain item', listPrice: 1000, taxIds: [] });
      return { vat20, vat55, customer, lamp, chair, plain };
    })();
    return fixturesPromise;
  }

  async function create(c: ApiClient, body: Record<string, unknown>): Promise<SaleOrder> {
    const res = await c.post('/api/sale-orders', body);
    expectStatus(res, 201);
    return res.body;
  }

  /** A plain order: one line of 2 × 10.00, untaxed. */
  async function plainOrder(fields: Record<string, unknown> = {}): Promise<SaleOrder> {
    const f = await fixtures();
    return create(srv.admin, { partnerId: f.customer.id, lines: [{ productId: f.plain.id, quantity: 2 }], ...fields });
  }

  async function act(id: number, action: string, body?: unknown, c: ApiClient = srv.admin) {
    return c.post(`/api/sale-orders/${id}/${action}`, body);
  }

  async function acted(id: number, action: string): Promise<SaleOrder> {
    const res = await act(id, action);
    expectStatus(res, 200);
    return res.body;
  }

  /** An order driven to the given state through the API. */
  async function orderIn(state: State): Promise<SaleOrder> {
    const o = await plainOrder();
    switch (state) {
      case 'draft':
        return o;
      case 'sent':
        return acted(o.id, 'send');
      case 'sale':
        return acted(o.id, 'confirm');
      case 'done':
        await acted(o.id, 'confirm');
        return acted(o.id, 'lock');
      case 'cancel':
        return acted(o.id, 'cancel');
    }
  }

  async function read(id: number): Promise<SaleOrder> {
    const res = await srv.admin.get(`/api/sale-orders/${id}`);
    expectStatus(res, 200);
    return res.body;
  }

  return { fixtures, create, plainOrder, act, acted, orderIn, read };
}
