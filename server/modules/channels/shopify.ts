import type { ExternalOrder } from '../../../contracts/schemas/channels';

// Shopify's order object (Admin REST API, the same JSON its `orders/create` and `orders/updated`
// webhooks post) mapped to the one external-order format. Money comes as decimal strings ("19.99").

type Money = string | number | null | undefined;
type ShopifyAddress = {
  name?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  province_code?: string | null;
  country_code?: string | null;
  country?: string | null;
  phone?: string | null;
};
export type ShopifyOrder = {
  id: number | string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  created_at: string;
  updated_at?: string | null;
  note?: string | null;
  financial_status?: string | null;
  total_price?: Money;
  total_tax?: Money;
  total_discounts?: Money;
  taxes_included?: boolean | null;
  discount_codes?: { code: string; amount?: Money; type?: string | null }[];
  customer?: { first_name?: string | null; last_name?: string | null; email?: string | null; phone?: string | null } | null;
  billing_address?: ShopifyAddress | null;
  shipping_address?: ShopifyAddress | null;
  line_items: {
    sku?: string | null;
    title?: string | null;
    name?: string | null;
    quantity: number;
    price: Money;
    /** Deprecated by Shopify for discount_allocations, still sent. */
    total_discount?: Money;
    /** What each discount (the line's own, or its share of an order-wide code) took off this line. */
    discount_allocations?: Allocation[];
    tax_lines?: { rate: number; price?: Money }[];
  }[];
  shipping_lines?: { title?: string | null; price: Money; discount_allocations?: Allocation[]; tax_lines?: { rate: number; price?: Money }[] }[];
};
type Allocation = { amount: Money; discount_application_index?: number };

/** "19.99" → 1999, exactly (no float arithmetic on money). */
export function decimalToCents(value: Money): number {
  if (value === null || value === undefined || value === '') return 0;
  const text = typeof value === 'number' ? value.toFixed(2) : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/.exec(text);
  if (!m) throw new Error(`not an amount: ${String(value)}`);
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

const sumOf = (allocations: Allocation[]) => allocations.reduce((s, a) => s + decimalToCents(a.amount), 0);
const joined = (...parts: (string | null | undefined)[]) => parts.filter((p) => p && p.trim()).join(' ') || null;
const rate = (r: number) => Math.round(r * 100 * 10_000) / 10_000;

export function fromShopify(o: ShopifyOrder): ExternalOrder {
  const a = o.shipping_address ?? o.billing_address ?? null;
  const name = joined(o.customer?.first_name, o.customer?.last_name) ?? a?.name ?? joined(a?.first_name, a?.last_name) ?? o.email ?? `Shopify customer ${o.id}`;
  const shipping = (o.shipping_lines ?? []).reduce((s, l) => s + decimalToCents(l.price), 0);
  return {
    externalId: String(o.id),
    reference: o.name ?? null,
    date: o.created_at,
    updatedAt: o.updated_at ?? null,
    customer: { name, email: o.email || o.customer?.email || null, phone: o.phone || o.customer?.phone || null },
    shippingAddress: a
      ? {
          name: a.name ?? joined(a.first_name, a.last_name),
          street: a.address1 ?? null,
          street2: a.address2 ?? null,
          city: a.city ?? null,
          zip: a.zip ?? null,
          state: a.province_code ?? null,
          countryCode: a.country_code ?? a.country ?? null,
          phone: a.phone ?? null,
        }
      : null,
    lines: o.line_items.map((l) => ({
      sku: l.sku || null,
      name: l.name ?? l.title ?? l.sku ?? 'Item',
      quantity: l.quantity,
      unitPrice: decimalToCents(l.price),
      discount: 0,
      // Shopify spreads order-wide codes over the lines itself: each line says what it was given.
      discountAmount: l.discount_allocations ? sumOf(l.discount_allocations) : decimalToCents(l.total_discount),
      ...(l.tax_lines && { taxRates: l.tax_lines.map((x) => rate(x.rate)) }),
    })),
    shipping:
      shipping > 0
        ? {
            name: o.shipping_lines?.[0]?.title ?? 'Shipping',
            amount: shipping,
            discountAmount: (o.shipping_lines ?? []).reduce((s, l) => s + sumOf(l.discount_allocations ?? []), 0),
            ...(o.shipping_lines?.[0]?.tax_lines && { taxRates: o.shipping_lines[0].tax_lines.map((x) => rate(x.rate)) }),
          }
        : null,
    discountCodes: (o.discount_codes ?? []).map((d) => d.code).filter(Boolean),
    orderDiscount: 0,
    note: o.note ?? null,
    financialStatus: o.financial_status ?? null,
    total: o.total_price != null ? decimalToCents(o.total_price) : null,
    taxTotal: o.total_tax != null ? decimalToCents(o.total_tax) : null,
  };
}
