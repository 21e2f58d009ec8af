import { open } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';

// CSV files as shops export them, for the import tests and the bench.

export const SHOPIFY_COLUMNS = [
  'Name',
  'Email',
  'Financial Status',
  'Paid at',
  'Currency',
  'Subtotal',
  'Shipping',
  'Taxes',
  'Total',
  'Created at',
  'Lineitem quantity',
  'Lineitem name',
  'Lineitem price',
  'Lineitem sku',
  'Billing Name',
  'Shipping Name',
  'Shipping Address1',
  'Shipping Address2',
  'Shipping City',
  'Shipping Zip',
  'Shipping Province',
  'Shipping Country',
  'Shipping Phone',
  'Notes',
  'Phone',
  'Id',
];

export type ExportOrder = { n: number; lines: { sku: string; name: string; quantity: number; price: number }[]; shipping: number; email: string; name: string };

const money = (cents: number) => (cents / 100).toFixed(2);

/** One order of a generated file: n-th, `lines` lines over the given SKUs, shipping on some. */
export function exportOrder(n: number, skus: string[], lines = 3): ExportOrder {
  return {
    n,
    email: `csv.buyer${n % 97}@example.com`,
    name: `Csv Buyer ${n % 97}`,
    shipping: n % 4 === 0 ? 0 : 490 + (n % 7) * 10,
    lines: Array.from({ length: lines }, (_, i) => ({
      sku: skus[(n + i) % skus.length]!,
      name: `Item ${(n + i) % skus.length}`,
      quantity: 1 + ((n + i) % 4),
      price: 599 + ((n * 7 + i * 13) % 2000),
    })),
  };
}

export function exportTotal(o: ExportOrder): number {
  return o.lines.reduce((s, l) => s + l.quantity * l.price, 0) + o.shipping;
}

/** Rows of a Shopify orders export: the order's fields on its first row only, the line item on each. */
export function shopifyRows(o: ExportOrder): string[][] {
  return o.lines.map((l, i) => {
    const first = i === 0;
    const row: Record<string, string> = {
      Name: `#${1000 + o.n}`,
      Email: first ? o.email : '',
      'Financial Status': first ? 'paid' : '',
      'Paid at': first ? '2026-11-20 10:20:00 +0100' : '',
      Currency: first ? 'EUR' : '',
      Subtotal: first ? money(o.lines.reduce((s, x) => s + x.quantity * x.price, 0)) : '',
      Shipping: first ? money(o.shipping) : '',
      Taxes: first ? '0.00' : '',
      Total: first ? money(exportTotal(o)) : '',
      'Created at': first ? `2026-11-${String(1 + (o.n % 28)).padStart(2, '0')} 10:15:00 +0100` : '',
      'Lineitem quantity': String(l.quantity),
      'Lineitem name': l.name,
      'Lineitem price': money(l.price),
      'Lineitem sku': l.sku,
      'Billing Name': first ? o.name : '',
      'Shipping Name': first ? o.name : '',
      'Shipping Address1': first ? `${o.n} Harbour Road` : '',
      'Shipping Address2': '',
      'Shipping City': first ? 'Galway' : '',
      'Shipping Zip': first ? 'H91 X2Y3' : '',
      'Shipping Province': '',
      'Shipping Country': first ? 'IE' : '',
      'Shipping Phone': '',
      Notes: first && o.n % 10 === 0 ? 'Gift, please no invoice in the box' : '',
      Phone: '',
      Id: first ? String(5_500_000 + o.n) : '',
    };
    return SHOPIFY_COLUMNS.map((c) => row[c] ?? '');
  });
}

export function shopifyExport(orders: ExportOrder[]): string {
  return stringify([SHOPIFY_COLUMNS, ...orders.flatMap(shopifyRows)]);
}

/**
 * Writes a Shopify export of `count` orders (the n-th from `first` on, `lines` lines each) to a file,
 * a thousand orders at a time: the bench's files of 100k orders are never whole in memory.
 */
export async function writeShopifyExport(
  file: string,
  opts: { first: number; count: number; skus: string[]; lines?: number },
): Promise<{ rows: number; bytes: number }> {
  const out = await open(file, 'w');
  try {
    await out.write(stringify([SHOPIFY_COLUMNS]));
    let rows = 0;
    for (let b = 0; b < opts.count; b += 1000) {
      const batch = Array.from({ length: Math.min(1000, opts.count - b) }, (_, i) =>
        shopifyRows(exportOrder(opts.first + b + i, opts.skus, opts.lines ?? 3)),
      ).flat();
      rows += batch.length;
      await out.write(stringify(batch));
    }
    return { rows, bytes: (await out.stat()).size };
  } finally {
    await out.close();
  }
}
