import type { ExternalOrder } from '../../../contracts/schemas/channels';
import { decimalToCents } from './shopify';

// WooCommerce's REST v3 order (what GET /wp-json/wc/v3/orders lists and its order.created /
// order.updated webhooks post) mapped to the one external-order format. Money comes as strings;
// GMT times come without a zone; a line's taxes name the order's tax lines, which carry the rate.

type WooAddress = {
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  address_1?: string | null;
  address_2?: string | null;
  city?: string | null;
  state?: string | null;
  postcode?: string | null;
  country?: string | null;
  email?: string | null;
  phone?: string | null;
};
export type WooOrder = {
  id: number;
  number?: string | null;
  status?: string | null;
  date_created_gmt: string;
  date_modified_gmt?: string | null;
  total?: string | null;
  total_tax?: string | null;
  discount_total?: string | null;
  prices_include_tax?: boolean | null;
  customer_note?: string | null;
  billing?: WooAddress | null;
  shipping?: WooAddress | null;
  line_items: { sku?: string | null; name: string; quantity: number; subtotal: string; total: string; taxes?: { id: number; total: string }[] }[];
  shipping_lines?: { method_title?: string | null; total: string; taxes?: { id: number; total: string }[] }[];
  tax_lines?: { rate_id: number; rate_percent?: number | null; label?: string | null }[];
  coupon_lines?: { code: string; discount?: string | null }[];
};

/** A WooCommerce GMT time ("2026-11-20T09:15:00") as ISO 8601 UTC. */
export function wooTime(value: string): string {
  return /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? new Date(value).toISOString() : new Date(`${value}Z`).toISOString();
}

const joined = (...parts: (string | null | undefined)[]) => parts.filter((p) => p && p.trim()).join(' ') || null;

export function fromWooCommerce(o: WooOrder): ExternalOrder {
  const rates = new Map((o.tax_lines ?? []).map((t) => [t.rate_id, t.rate_percent ?? null]));
  const taxRates = (taxes: { id: number; total: string }[] | undefined) =>
    taxes
      ?.filter((t) => decimalToCents(t.total) !== 0)
      .map((t) => rates.get(t.id))
      .filter((r): r is number => r !== null && r !== undefined);
  const ship = o.shipping?.address_1 ? o.shipping : (o.billing ?? null);
  const shipping = (o.shipping_lines ?? []).reduce((s, l) => s + decimalToCents(l.total), 0);
  return {
    externalId: String(o.id),
    reference: o.number ? `#${o.number}` : null,
    date: wooTime(o.date_created_gmt),
    updatedAt: o.date_modified_gmt ? wooTime(o.date_modified_gmt) : null,
    customer: {
      name: joined(o.billing?.first_name, o.billing?.last_name) ?? o.billing?.company ?? o.billing?.email ?? `WooCommerce customer ${o.id}`,
      email: o.billing?.email || null,
      phone: o.billing?.phone || null,
    },
    shippingAddress: ship
      ? {
          name: joined(ship.first_name, ship.last_name) ?? ship.company ?? null,
          street: ship.address_1 || null,
          street2: ship.address_2 || null,
          city: ship.city || null,
          zip: ship.postcode || null,
          state: ship.state || null,
          countryCode: ship.country || null,
          phone: ship.phone || null,
        }
      : null,
    lines: o.line_items.map((l) => {
      // subtotal: before the coupons; total: after them, exactly. The unit price is the subtotal per
      // unit rounded up, so that what it leaves over joins the discount and the line comes to `total`.
      const subtotal = decimalToCents(l.subtotal);
      const total = decimalToCents(l.total);
      const unitPrice = Math.ceil(subtotal / l.quantity);
      const gross = Math.round(unitPrice * l.quantity);
      return {
        sku: l.sku || null,
        name: l.name,
        quantity: l.quantity,
        unitPrice,
        discount: 0,
        discountAmount: Math.max(0, gross - total),
        ...(l.taxes && { taxRates: taxRates(l.taxes) }),
      };
    }),
    shipping:
      shipping > 0
        ? {
            name: o.shipping_lines?.[0]?.method_title ?? 'Shipping',
            amount: shipping,
            discountAmount: 0,
            ...(o.shipping_lines?.[0]?.taxes && { taxRates: taxRates(o.shipping_lines[0].taxes) }),
          }
        : null,
    discountCodes: (o.coupon_lines ?? []).map((c) => c.code).filter(Boolean),
    orderDiscount: 0,
    note: o.customer_note || null,
    financialStatus: o.status ?? null,
    total: o.total != null ? decimalToCents(o.total) : null,
    taxTotal: o.total_tax != null ? decimalToCents(o.total_tax) : null,
  };
}
