import type { ShopifyOrder } from '../../server/modules/channels/shopify';
import type { WooOrder } from '../../server/modules/channels/woocommerce';

// Orders as the shop stand-ins (test/support/shops.ts) serve them.

/** A Shopify order of the stand-in: n-th order, its lines by SKU. */
export function standInOrder(n: number, skus: string[], updatedAt: string): ShopifyOrder {
  return {
    id: 7_000_000 + n,
    name: `#${5000 + n}`,
    email: `buyer${n % 40}@example.com`,
    created_at: updatedAt,
    updated_at: updatedAt,
    financial_status: 'paid',
    customer: { first_name: 'Buyer', last_name: String(n % 40), email: `buyer${n % 40}@example.com` },
    shipping_address: { name: `Buyer ${n % 40}`, address1: `${n} Market Street`, city: 'Bristol', zip: 'BS1 4DJ', country_code: 'GB' },
    line_items: skus.map((sku, i) => ({
      sku,
      name: sku,
      quantity: 1 + ((n + i) % 3),
      price: `${10 + i}.${String(n % 100).padStart(2, '0')}`,
      total_discount: '0.00',
    })),
    shipping_lines: [{ title: 'Standard', price: '3.95' }],
  };
}

/** A WooCommerce order of the stand-in: VAT 20% on every line (rate id 1). */
export function standInWooOrder(n: number, skus: string[], modifiedGmt: string): WooOrder {
  const lines = skus.map((sku, i) => {
    const qty = 1 + ((n + i) % 3);
    const price = 800 + i * 150 + (n % 50);
    const subtotal = price * qty;
    return {
      sku,
      name: sku,
      quantity: qty,
      subtotal: (subtotal / 100).toFixed(2),
      total: (subtotal / 100).toFixed(2),
      taxes: [{ id: 1, total: ((subtotal * 0.2) / 100).toFixed(2) }],
    };
  });
  return {
    id: 9000 + n,
    number: String(9000 + n),
    status: 'processing',
    date_created_gmt: modifiedGmt,
    date_modified_gmt: modifiedGmt,
    customer_note: '',
    billing: {
      first_name: 'Woo',
      last_name: `Buyer ${n % 30}`,
      email: `woo${n % 30}@example.com`,
      address_1: `${n} Rue de Rivoli`,
      city: 'Paris',
      postcode: '75001',
      country: 'FR',
    },
    shipping: { first_name: 'Woo', last_name: `Buyer ${n % 30}`, address_1: `${n} Rue de Rivoli`, city: 'Paris', postcode: '75001', country: 'FR' },
    line_items: lines,
    shipping_lines: [],
    tax_lines: [{ rate_id: 1, rate_percent: 20, label: 'TVA' }],
  };
}
