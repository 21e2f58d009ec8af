import { stringify } from 'csv-stringify/sync';
import type { ExternalOrder } from '../../contracts/schemas/channels';
import type { ShopifyOrder } from '../../server/modules/channels/shopify';
import type { WooOrder } from '../../server/modules/channels/woocommerce';

// A Shopify orders export (Admin → Orders → Export → "CSV for Excel, Numbers…") as a European shop's
// looks: the 79 columns in Shopify's order, one row per line item with the order's fields on its first
// row, prices before VAT, "Discount Amount" the order's whole discount and "Lineitem discount" what a
// line got on its own, VAT as "Tax 1 Name"/"Tax 1 Value", multi-line "Note Attributes" and notes,
// accented and international email addresses, cash-on-delivery orders without one.
//
// What the customer paid is worked out here the way Shopify works it out, independently of the code
// under test: an order-wide code is spread over the lines in proportion to what they come to (the
// cents left over to the largest remainders), each line taxed on what is left of it, shipping taxed.

export const SHOPIFY_EXPORT_COLUMNS = [
  'Name',
  'Email',
  'Financial Status',
  'Paid at',
  'Fulfillment Status',
  'Fulfilled at',
  'Accepts Marketing',
  'Currency',
  'Subtotal',
  'Shipping',
  'Taxes',
  'Total',
  'Discount Code',
  'Discount Amount',
  'Shipping Method',
  'Created at',
  'Lineitem quantity',
  'Lineitem name',
  'Lineitem price',
  'Lineitem compare at price',
  'Lineitem sku',
  'Lineitem requires shipping',
  'Lineitem taxable',
  'Lineitem fulfillment status',
  'Billing Name',
  'Billing Street',
  'Billing Address1',
  'Billing Address2',
  'Billing Company',
  'Billing City',
  'Billing Zip',
  'Billing Province',
  'Billing Country',
  'Billing Phone',
  'Shipping Name',
  'Shipping Street',
  'Shipping Address1',
  'Shipping Address2',
  'Shipping Company',
  'Shipping City',
  'Shipping Zip',
  'Shipping Province',
  'Shipping Country',
  'Shipping Phone',
  'Notes',
  'Note Attributes',
  'Cancelled at',
  'Payment Method',
  'Payment Reference',
  'Refunded Amount',
  'Vendor',
  'Outstanding Balance',
  'Employee',
  'Location',
  'Device ID',
  'Id',
  'Tags',
  'Risk Level',
  'Source',
  'Lineitem discount',
  'Tax 1 Name',
  'Tax 1 Value',
  'Tax 2 Name',
  'Tax 2 Value',
  'Tax 3 Name',
  'Tax 3 Value',
  'Tax 4 Name',
  'Tax 4 Value',
  'Tax 5 Name',
  'Tax 5 Value',
  'Phone',
  'Receipt Number',
  'Duties',
  'Billing Province Name',
  'Shipping Province Name',
  'Payment ID',
  'Payment Terms Name',
  'Next Payment Due At',
  'Payment References',
];

export type ShopifyExportLine = { sku: string; name: string; quantity: number; price: number; lineDiscount?: number; taxable?: boolean };
export type ShopifyAddress = { name: string; street: string; street2?: string; city: string; zip: string; province?: string; country: string; phone?: string };

export type ShopifyExportOrder = {
  /** "#1001" */
  name: string;
  id: number;
  email: string | null;
  createdAt: string;
  financialStatus: 'paid' | 'pending' | 'authorized';
  paymentMethod: string;
  address: ShopifyAddress;
  lines: ShopifyExportLine[];
  /** An order-wide code: a percentage of the lines, or a fixed amount (cents). */
  code?: { code: string; percent: number } | { code: string; amount: number };
  /** Codes that only discount lines (their amounts are the lines' `lineDiscount`). */
  lineCode?: string;
  shipping: { method: string; amount: number };
  /** 0: no VAT charged (an export outside the EU). */
  vat: { name: string; rate: number };
  notes?: string;
  noteAttributes?: string;
  /** Cells to write as given, on the order's first row (broken records). */
  raw?: Record<string, string>;
};

const money = (cents: number) => (cents / 100).toFixed(2);
/** A whole percentage of a non-negative amount, rounded half up, in integers (no float error). */
const percentOf = (amount: number, percent: number) => Math.floor((amount * percent * 2 + 100) / 200);

/** What the customer paid, as Shopify works it out, with what each line was given and taxed. */
export function shopifyTotals(o: ShopifyExportOrder) {
  const bases = o.lines.map((l) => l.quantity * l.price - (l.lineDiscount ?? 0));
  const base = bases.reduce((s, b) => s + b, 0);
  const orderDiscount = !o.code ? 0 : 'percent' in o.code ? percentOf(base, o.code.percent) : Math.min(o.code.amount, base);
  // The order-wide discount spread over the lines: floors, then the cents left to the largest remainders.
  const shares = bases.map((b) => (base ? Math.floor((orderDiscount * b) / base) : 0));
  const rests = bases.map((b, i) => ({ i, rest: base ? (orderDiscount * b) % base : 0 })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  let left = orderDiscount - shares.reduce((s, x) => s + x, 0);
  for (const { i } of rests) {
    if (left-- <= 0) break;
    shares[i]!++;
  }
  const lineTaxes = o.lines.map((l, i) => (l.taxable === false ? 0 : percentOf(bases[i]! - shares[i]!, o.vat.rate)));
  const shippingTax = percentOf(o.shipping.amount, o.vat.rate);
  const taxes = lineTaxes.reduce((s, x) => s + x, 0) + shippingTax;
  const subtotal = base - orderDiscount;
  return {
    subtotal,
    orderDiscount,
    /** Each line's discount in all: its own and its share of the order-wide code. */
    lineDiscounts: o.lines.map((l, i) => (l.lineDiscount ?? 0) + shares[i]!),
    lineTaxes,
    shippingTax,
    discountAmount: orderDiscount + o.lines.reduce((s, l) => s + (l.lineDiscount ?? 0), 0),
    shipping: o.shipping.amount,
    taxes,
    total: subtotal + o.shipping.amount + taxes,
  };
}

const isoOf = (shopifyTime: string) => new Date(shopifyTime.replace(' ', 'T').replace(/ ([+-]\d\d)(\d\d)$/, '$1:$2')).toISOString();
const firstLast = (name: string) => ({ first: name.split(' ')[0]!, last: name.split(' ').slice(1).join(' ') });

/** The same order as Shopify's Admin REST API (and its orders/create webhook) gives it. */
export function asShopifyApiOrder(o: ShopifyExportOrder, updatedAt = isoOf(o.createdAt)): ShopifyOrder {
  const t = shopifyTotals(o);
  const rate = o.vat.rate / 100;
  const { first, last } = firstLast(o.address.name);
  const address = {
    name: o.address.name,
    first_name: first,
    last_name: last,
    address1: o.address.street,
    address2: o.address.street2 ?? null,
    city: o.address.city,
    zip: o.address.zip,
    province_code: o.address.province ?? null,
    country_code: o.address.country,
    phone: o.address.phone ?? null,
  };
  return {
    id: o.id,
    name: o.name,
    email: o.email ?? '',
    phone: null,
    created_at: isoOf(o.createdAt),
    updated_at: updatedAt,
    note: o.notes ?? null,
    financial_status: o.financialStatus,
    total_price: money(t.total),
    total_tax: money(t.taxes),
    total_discounts: money(t.discountAmount),
    taxes_included: false,
    discount_codes: [
      ...(o.code ? [{ code: o.code.code, amount: money(t.orderDiscount), type: 'percent' in o.code ? 'percentage' : 'fixed_amount' }] : []),
      ...(o.lineCode ? [{ code: o.lineCode, amount: money(t.discountAmount - t.orderDiscount), type: 'fixed_amount' }] : []),
    ],
    customer: { first_name: first, last_name: last, email: o.email, phone: null },
    billing_address: address,
    shipping_address: address,
    line_items: o.lines.map((l, i) => ({
      sku: l.sku,
      title: l.name,
      name: l.name,
      quantity: l.quantity,
      price: money(l.price),
      total_discount: money(l.lineDiscount ?? 0),
      discount_allocations: t.lineDiscounts[i] ? [{ amount: money(t.lineDiscounts[i]!), discount_application_index: 0 }] : [],
      tax_lines: l.taxable === false || !o.vat.rate ? [] : [{ rate, price: money(t.lineTaxes[i]!) }],
    })),
    shipping_lines: o.shipping.amount
      ? [
          {
            title: o.shipping.method,
            price: money(o.shipping.amount),
            discount_allocations: [],
            tax_lines: o.vat.rate ? [{ rate, price: money(t.shippingTax) }] : [],
          },
        ]
      : [],
  };
}

/** The same order as WooCommerce's REST v3 API (and its order.created webhook) gives it; VAT is tax rate 1. */
export function asWooOrder(o: ShopifyExportOrder, modifiedGmt = isoOf(o.createdAt).slice(0, 19)): WooOrder {
  const t = shopifyTotals(o);
  const { first, last } = firstLast(o.address.name);
  const address = {
    first_name: first,
    last_name: last,
    address_1: o.address.street,
    address_2: o.address.street2 ?? '',
    city: o.address.city,
    state: o.address.province ?? '',
    postcode: o.address.zip,
    country: o.address.country,
    phone: o.address.phone ?? '',
  };
  return {
    id: o.id % 1_000_000,
    number: o.name.replace('#', ''),
    status: o.financialStatus === 'paid' ? 'processing' : 'on-hold',
    date_created_gmt: isoOf(o.createdAt).slice(0, 19),
    date_modified_gmt: modifiedGmt,
    total: money(t.total),
    total_tax: money(t.taxes),
    discount_total: money(t.discountAmount),
    prices_include_tax: false,
    customer_note: o.notes ?? '',
    billing: { ...address, email: o.email ?? '' },
    shipping: address,
    line_items: o.lines.map((l, i) => ({
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      subtotal: money(l.quantity * l.price),
      total: money(l.quantity * l.price - t.lineDiscounts[i]!),
      taxes: l.taxable === false || !o.vat.rate ? [] : [{ id: 1, total: money(t.lineTaxes[i]!) }],
    })),
    shipping_lines: o.shipping.amount
      ? [{ method_title: o.shipping.method, total: money(o.shipping.amount), taxes: o.vat.rate ? [{ id: 1, total: money(t.shippingTax) }] : [] }]
      : [],
    tax_lines: o.vat.rate ? [{ rate_id: 1, rate_percent: o.vat.rate, label: o.vat.name }] : [],
    coupon_lines: [o.code?.code, o.lineCode].filter((c): c is string => !!c).map((code) => ({ code })),
  };
}

/** The same order in the one external-order format (a `webhook` channel's JSON body). */
export function asExternalOrder(o: ShopifyExportOrder): ExternalOrder {
  const t = shopifyTotals(o);
  return {
    externalId: String(o.id),
    reference: o.name,
    date: isoOf(o.createdAt),
    customer: { name: o.address.name, email: o.email, phone: o.address.phone ?? null },
    shippingAddress: {
      name: o.address.name,
      street: o.address.street,
      street2: o.address.street2 ?? null,
      city: o.address.city,
      zip: o.address.zip,
      state: o.address.province ?? null,
      countryCode: o.address.country,
      phone: o.address.phone ?? null,
    },
    lines: o.lines.map((l, i) => ({
      sku: l.sku || null,
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.price,
      discount: 0,
      discountAmount: t.lineDiscounts[i]!,
      taxRates: l.taxable === false || !o.vat.rate ? [] : [o.vat.rate],
    })),
    shipping: o.shipping.amount ? { name: o.shipping.method, amount: o.shipping.amount, discountAmount: 0, taxRates: o.vat.rate ? [o.vat.rate] : [] } : null,
    discountCodes: [o.code?.code, o.lineCode].filter((c): c is string => !!c),
    orderDiscount: 0,
    note: o.notes ?? null,
    financialStatus: o.financialStatus,
    total: t.total,
    taxTotal: t.taxes,
  };
}

/** The order's rows: its fields on the first one, the line item on each. */
export function shopifyExportRows(o: ShopifyExportOrder): string[][] {
  const t = shopifyTotals(o);
  const codes = [o.code?.code, o.lineCode].filter(Boolean).join(', ');
  const a = o.address;
  return o.lines.map((l, i) => {
    const first = i === 0;
    const only = (v: string) => (first ? v : '');
    const row: Record<string, string> = {
      Name: o.name,
      Email: o.email ?? '',
      'Financial Status': only(o.financialStatus),
      'Paid at': only(o.financialStatus === 'paid' ? o.createdAt : ''),
      'Fulfillment Status': only('unfulfilled'),
      'Accepts Marketing': only('no'),
      Currency: only('EUR'),
      Subtotal: only(money(t.subtotal)),
      Shipping: only(money(t.shipping)),
      Taxes: only(money(t.taxes)),
      Total: only(money(t.total)),
      'Discount Code': only(codes),
      'Discount Amount': only(money(t.discountAmount)),
      'Shipping Method': only(o.shipping.amount ? o.shipping.method : ''),
      'Created at': o.createdAt,
      'Lineitem quantity': String(l.quantity),
      'Lineitem name': l.name,
      'Lineitem price': money(l.price),
      'Lineitem compare at price': '',
      'Lineitem sku': l.sku,
      'Lineitem requires shipping': 'true',
      'Lineitem taxable': l.taxable === false ? 'false' : 'true',
      'Lineitem fulfillment status': 'pending',
      'Billing Name': only(a.name),
      'Billing Street': only([a.street, a.street2].filter(Boolean).join(', ')),
      'Billing Address1': only(a.street),
      'Billing Address2': only(a.street2 ?? ''),
      'Billing City': only(a.city),
      'Billing Zip': only(a.zip),
      'Billing Province': only(a.province ?? ''),
      'Billing Country': only(a.country),
      'Billing Phone': only(a.phone ?? ''),
      'Shipping Name': only(a.name),
      'Shipping Street': only([a.street, a.street2].filter(Boolean).join(', ')),
      'Shipping Address1': only(a.street),
      'Shipping Address2': only(a.street2 ?? ''),
      'Shipping City': only(a.city),
      'Shipping Zip': only(a.zip),
      'Shipping Province': only(a.province ?? ''),
      'Shipping Country': only(a.country),
      'Shipping Phone': only(a.phone ?? ''),
      Notes: only(o.notes ?? ''),
      'Note Attributes': only(o.noteAttributes ?? ''),
      'Payment Method': only(o.paymentMethod),
      'Payment Reference': only(`c${o.id}.1`),
      'Refunded Amount': only('0.00'),
      Vendor: 'Atelier Lumière',
      'Outstanding Balance': only(o.financialStatus === 'paid' ? '0.00' : money(t.total)),
      Id: only(String(o.id)),
      Tags: only(''),
      'Risk Level': only('Low'),
      Source: only('web'),
      'Lineitem discount': money(l.lineDiscount ?? 0),
      'Tax 1 Name': only(o.vat.rate ? `${o.vat.name} ${o.vat.rate}%` : ''),
      'Tax 1 Value': only(o.vat.rate ? money(t.taxes) : ''),
      Phone: only(a.phone ?? ''),
      'Billing Province Name': only(a.province ?? ''),
      'Shipping Province Name': only(a.province ?? ''),
      'Payment ID': only(`c${o.id}.1`),
      'Payment References': only(`c${o.id}.1`),
      ...(first ? o.raw : {}),
    };
    return SHOPIFY_EXPORT_COLUMNS.map((c) => row[c] ?? '');
  });
}

/** The file, and the physical line each order's first row starts on (counted here, from the text written). */
export function shopifyExportFile(orders: ShopifyExportOrder[], columns = SHOPIFY_EXPORT_COLUMNS): { text: string; lineOf: Map<string, number> } {
  const keep = columns.map((c) => SHOPIFY_EXPORT_COLUMNS.indexOf(c));
  const pick = (row: string[]) => keep.map((i) => row[i]!);
  let text = stringify([columns]);
  let line = 2;
  const lineOf = new Map<string, number>();
  for (const o of orders) {
    for (const [i, row] of shopifyExportRows(o).entries()) {
      const written = stringify([pick(row)]);
      if (i === 0) lineOf.set(o.name, line);
      line += written.split('\n').length - 1;
      text += written;
    }
  }
  return { text, lineOf };
}

// ---------------------------------------------------------------------------------------------------
// The European shop's export: 37 good orders of every kind, and 3 broken records, each right after an
// order whose Note Attributes span several lines.

/** The shop's catalog: what the tests create before importing (prices before VAT). */
export const EU_SHOP_PRODUCTS = [
  { sku: 'TSHIRT-BIO-M', name: 'T-shirt coton bio – M', listPrice: 2490 },
  { sku: 'MUG-GRES', name: 'Mug en grès émaillé', listPrice: 1450 },
  { sku: 'CANDLE-LAV', name: 'Bougie parfumée Lavande', listPrice: 1890 },
  { sku: 'TOTE-LIN', name: 'Tote bag en lin', listPrice: 2200 },
  { sku: 'CARNET-A5', name: 'Carnet A5 pointillé', listPrice: 990 },
  { sku: 'SAVON-OLIVE', name: "Savon à l'huile d'olive", listPrice: 650 },
  { sku: 'THE-EARL', name: 'Thé Earl Grey 100 g', listPrice: 875 },
  { sku: 'ECHARPE-LAINE', name: 'Écharpe en laine mérinos', listPrice: 5900 },
  // Sold without a SKU in the shop: matched by name.
  { sku: 'CAFE-GRAINS-1KG', name: 'Café en grains 1 kg', listPrice: 2350 },
  { sku: 'GIFT-CARD-BOX', name: 'Coffret cadeau', listPrice: 450 },
];
/** Lines sold without a SKU: their names are the products'. */
const NAME_ONLY = new Set(['CAFE-GRAINS-1KG', 'GIFT-CARD-BOX']);
export const UNKNOWN_SKU = 'POSTER-EDITION-LIMITEE';

const ADDRESSES: ShopifyAddress[] = [
  {
    name: 'Zoë Müller',
    street: 'Königstraße 5',
    street2: 'Hinterhaus, 2. OG',
    city: 'Stuttgart',
    zip: '70173',
    province: 'BW',
    country: 'DE',
    phone: '+49 711 123456',
  },
  { name: 'José Martínez', street: 'Calle de Alcalá 42', city: 'Madrid', zip: '28014', province: 'M', country: 'ES', phone: '+34 91 555 0100' },
  { name: 'Fátima García', street: 'Rua Augusta 101', street2: '3º esq.', city: 'Lisboa', zip: '1100-048', country: 'PT' },
  { name: 'Chloé Lefèvre', street: '12 rue de la Roquette', city: 'Paris', zip: '75011', country: 'FR', phone: '+33 1 43 55 00 00' },
  { name: 'Jürgen Groß', street: 'Mariahilfer Straße 88', city: 'Wien', zip: '1070', country: 'AT' },
  { name: 'Åsa Lindqvist', street: 'Drottninggatan 7', city: 'Stockholm', zip: '111 51', country: 'SE' },
  { name: 'Giulia Bianchi', street: 'Via dei Coronari 21', city: 'Roma', zip: '00186', province: 'RM', country: 'IT' },
  { name: 'Noël Dubois-Lévêque', street: '3 place Bellecour', street2: 'Bâtiment B', city: 'Lyon', zip: '69002', country: 'FR' },
  { name: "Siobhán O'Connor", street: '14 Grafton Street', city: 'Dublin', zip: 'D02 VF65', country: 'IE' },
  { name: 'Lukas Novák', street: 'Náměstí Míru 9', city: 'Praha', zip: '120 00', country: 'CZ' },
  { name: 'Hélène Schweizer', street: 'Bahnhofstrasse 10', city: 'Zürich', zip: '8001', country: 'CH' },
];
const EMAILS = [
  'zoe.mueller@example.de',
  'josé@example.com',
  'fatima.garcía@example.com',
  'chloe.lefevre@example.fr',
  'jürgen@müller.de',
  'asa.lindqvist@example.se',
  'giulia.bianchi@example.it',
  'noël@bücher.example',
  'siobhan.oconnor@example.ie',
  'lukas.novak@example.cz',
  'helene@schweizer.example',
];
const NOTE_ATTRIBUTES = 'gift_message: Joyeux anniversaire !\nAvec tout notre amour,\n« Mamie & Papi »\ndelivery_slot: morning';

/** The 40 orders of the export, in file order, and what each is there to show. */
export function euShopOrders(): { orders: ShopifyExportOrder[]; good: ShopifyExportOrder[]; broken: { order: ShopifyExportOrder; why: RegExp }[] } {
  const product = (i: number) => EU_SHOP_PRODUCTS[i % EU_SHOP_PRODUCTS.length]!;
  const line = (i: number, quantity: number, extra: Partial<ShopifyExportLine> = {}): ShopifyExportLine => {
    const p = product(i);
    return { sku: NAME_ONLY.has(p.sku) ? '' : p.sku, name: p.name, quantity, price: p.listPrice, ...extra };
  };
  const orders: ShopifyExportOrder[] = [];
  const broken: { order: ShopifyExportOrder; why: RegExp }[] = [];
  const base = (n: number): ShopifyExportOrder => {
    const k = n % ADDRESSES.length;
    const swiss = ADDRESSES[k]!.country === 'CH';
    return {
      name: `#${2001 + n}`,
      id: 5_700_000_000_000 + n,
      email: EMAILS[k]!,
      createdAt: `2026-11-${String(1 + (n % 28)).padStart(2, '0')} ${String(8 + (n % 12)).padStart(2, '0')}:${String((n * 7) % 60).padStart(2, '0')}:12 +0100`,
      financialStatus: 'paid',
      paymentMethod: n % 3 ? 'Shopify Payments' : 'PayPal Express Checkout',
      address: ADDRESSES[k]!,
      lines: [line(n, 1 + (n % 3)), ...(n % 2 ? [line(n + 3, 1)] : []), ...(n % 5 === 0 ? [line(n + 5, 2)] : [])],
      shipping: { method: swiss ? 'International (DHL)' : 'Colissimo', amount: n % 6 === 5 ? 0 : swiss ? 1490 : 490 + (n % 3) * 100 },
      // Outside the EU no VAT is charged; German customers pay German VAT (OSS).
      vat: swiss ? { name: 'VAT', rate: 0 } : ADDRESSES[k]!.country === 'DE' ? { name: 'DE MwSt.', rate: 19 } : { name: 'VAT', rate: 20 },
    };
  };
  for (let n = 0; n < 37; n++) {
    const o = base(n);
    // Percentage and fixed-amount codes, spread over the lines.
    if (n % 4 === 1) o.code = { code: 'BIENVENUE10', percent: 10 };
    if (n % 4 === 3) o.code = { code: 'NOEL5', amount: 500 };
    // Line-level discounts ("2 mugs: 3.00 off").
    if (n % 7 === 2) {
      o.lines[0] = { ...o.lines[0]!, quantity: 2, lineDiscount: 300 };
      o.lineCode = 'DUO';
    }
    // Multi-line notes and note attributes.
    if (n % 9 === 4) o.noteAttributes = NOTE_ATTRIBUTES;
    if (n % 10 === 6) o.notes = 'Merci de ne pas sonner :\nle bébé dort.\nDéposer chez la voisine, « Mme Roux », 2e étage.';
    // Cash on delivery, without an email.
    if (n === 8 || n === 19 || n === 30) {
      o.email = null;
      o.financialStatus = 'pending';
      o.paymentMethod = 'Cash on Delivery (COD)';
    }
    // A line outside VAT (a gift card box, sold as a voucher).
    if (n === 12) o.lines.push({ ...line(9, 1), taxable: false });
    // A malformed email: the order still comes in, flagged, the address in its note.
    if (n === 23) o.email = 'marie.dupont@@example.fr';
    // A product the shop sells that is not in our catalog.
    if (n === 27) o.lines.push({ sku: UNKNOWN_SKU, name: 'Affiche « Édition limitée » 50×70', quantity: 1, price: 3900 });
    orders.push(o);
  }
  // Three broken records, each right after an order whose Note Attributes span several lines.
  const after = (n: number, mutate: (o: ShopifyExportOrder) => void, why: RegExp) => {
    const i = orders.findIndex((o) => o.name === `#${2001 + n}`);
    orders[i]!.noteAttributes = NOTE_ATTRIBUTES;
    const bad = base(100 + n);
    bad.name = `#${3001 + n}`;
    mutate(bad);
    orders.splice(i + 1, 0, bad);
    broken.push({ order: bad, why });
  };
  after(5, (o) => (o.raw = { 'Lineitem quantity': 'two' }), /quantity "two" is not a positive number/);
  after(16, (o) => (o.raw = { 'Lineitem price': '1O.50' }), /unit price: "1O.50" is not an amount/);
  after(33, (o) => (o.raw = { 'Created at': '2026-02-30 14:05:11 +0100' }), /"2026-02-30 14:05:11 \+0100" is not a real date/);
  const brokenNames = new Set(broken.map((b) => b.order.name));
  return { orders, good: orders.filter((o) => !brokenNames.has(o.name)), broken };
}
