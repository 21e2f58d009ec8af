import { z } from 'zod';
import { headerKey } from '../../../contracts/schemas/imports';

// What a CSV column can be, and the ready mappings of the files shops export. A field maps to a column
// header, or to several (joined by a space: a first and a last name; or read together: Shopify's five
// tax names). Only the reference, the quantity, the unit price and a SKU or product name must be in a
// file; every other column a mapping names may be missing. Headers are matched without case, spaces or
// punctuation ("Shipping Address1" = "shipping_address_1"), and the variants shops use for the same
// column are known ("Shipping Street" for "Shipping Address1").

export const IMPORT_FIELDS = [
  'reference',
  'date',
  'customerName',
  'customerEmail',
  'customerPhone',
  'shippingName',
  'shippingStreet',
  'shippingStreet2',
  'shippingCity',
  'shippingZip',
  'shippingState',
  'shippingCountry',
  'shippingPhone',
  'sku',
  'productName',
  'quantity',
  'unitPrice',
  'discount',
  'lineDiscount',
  'taxRate',
  'lineTaxable',
  'shippingCost',
  'shippingMethod',
  'discountCode',
  'orderDiscount',
  'taxNames',
  'taxTotal',
  'total',
  'notes',
  'financialStatus',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const REQUIRED_FIELDS: ImportField[] = ['reference', 'quantity', 'unitPrice'];

export const mapping = z
  .record(z.enum(IMPORT_FIELDS), z.union([z.string().trim().min(1).max(100), z.array(z.string().trim().min(1).max(100)).min(1).max(6)]))
  .refine((m) => REQUIRED_FIELDS.every((f) => m[f]), { message: `must map at least ${REQUIRED_FIELDS.join(', ')}` })
  .refine((m) => m.sku || m.productName, { message: 'must map sku or productName' });
export type Mapping = z.infer<typeof mapping>;

/**
 * Shopify admin → Orders → Export (CSV for Excel…): one row per line item, the order's fields on its
 * first row. "Discount Amount" is the order's whole discount; "Lineitem discount" what a line got of it
 * on its own. Taxes come as five name/value pairs ("VAT 20%", 19.83) for the order.
 */
const shopify: Mapping = {
  reference: 'Name',
  date: 'Created at',
  customerName: 'Billing Name',
  customerEmail: 'Email',
  customerPhone: 'Phone',
  shippingName: 'Shipping Name',
  shippingStreet: 'Shipping Address1',
  shippingStreet2: 'Shipping Address2',
  shippingCity: 'Shipping City',
  shippingZip: 'Shipping Zip',
  shippingState: 'Shipping Province',
  shippingCountry: 'Shipping Country',
  shippingPhone: 'Shipping Phone',
  sku: 'Lineitem sku',
  productName: 'Lineitem name',
  quantity: 'Lineitem quantity',
  unitPrice: 'Lineitem price',
  lineDiscount: 'Lineitem discount',
  lineTaxable: 'Lineitem taxable',
  shippingCost: 'Shipping',
  shippingMethod: 'Shipping Method',
  discountCode: 'Discount Code',
  orderDiscount: 'Discount Amount',
  taxNames: ['Tax 1 Name', 'Tax 2 Name', 'Tax 3 Name', 'Tax 4 Name', 'Tax 5 Name'],
  taxTotal: 'Taxes',
  total: 'Total',
  notes: 'Notes',
  financialStatus: 'Financial Status',
};

/** WooCommerce → Orders → Export (the "Order / line item" CSV of the Export Orders tool). */
const woocommerce: Mapping = {
  reference: 'Order Number',
  date: 'Order Date',
  customerName: ['Billing First Name', 'Billing Last Name'],
  customerEmail: 'Billing Email',
  customerPhone: 'Billing Phone',
  shippingName: ['Shipping First Name', 'Shipping Last Name'],
  shippingStreet: 'Shipping Address 1',
  shippingStreet2: 'Shipping Address 2',
  shippingCity: 'Shipping City',
  shippingZip: 'Shipping Postcode',
  shippingState: 'Shipping State',
  shippingCountry: 'Shipping Country',
  sku: 'SKU',
  productName: 'Item Name',
  quantity: 'Quantity',
  unitPrice: 'Item Cost',
  shippingCost: 'Order Shipping Amount',
  shippingMethod: 'Shipping Method Title',
  discountCode: 'Coupons Used',
  orderDiscount: 'Cart Discount Amount',
  taxTotal: 'Order Total Tax Amount',
  total: 'Order Total Amount',
  notes: 'Customer Note',
  financialStatus: 'Order Status',
};

export type BuiltInProfile = 'shopify' | 'woocommerce';
export const BUILT_IN_PROFILES: Record<BuiltInProfile, Mapping> = { shopify, woocommerce };

// Columns shops name differently for the same thing (by header key): each group is one column.
const VARIANTS: string[][] = [
  ['shippingaddress1', 'shippingstreet', 'shippingaddressline1', 'shippingaddress'],
  ['shippingaddress2', 'shippingaddressline2'],
  ['shippingzip', 'shippingpostcode', 'shippingpostalcode', 'shippingzipcode'],
  ['shippingprovince', 'shippingstate', 'shippingprovincecode', 'shippingregion'],
  ['shippingcountry', 'shippingcountrycode'],
  ['billingaddress1', 'billingstreet'],
  ['phone', 'billingphone', 'customerphone'],
  ['email', 'billingemail', 'customeremail'],
  ['lineitemsku', 'sku', 'itemsku', 'productsku', 'variantsku'],
  ['lineitemname', 'itemname', 'productname'],
  ['lineitemquantity', 'quantity', 'qty', 'itemquantity'],
  ['lineitemprice', 'itemcost', 'itemprice', 'unitprice', 'price'],
  ['name', 'ordername', 'ordernumber', 'orderno', 'orderid', 'order'],
  ['createdat', 'orderdate', 'date', 'datecreated'],
  ['discountcode', 'discountcodes', 'couponsused', 'couponcode', 'coupons'],
  ['discountamount', 'cartdiscountamount', 'orderdiscount', 'discounttotal'],
  ['taxes', 'ordertotaltaxamount', 'taxtotal', 'totaltax'],
  ['total', 'ordertotalamount', 'ordertotal', 'totalprice'],
  ['notes', 'customernote', 'note', 'ordernote'],
];
const variantsOf = new Map(VARIANTS.flatMap((group) => group.map((k) => [k, group] as const)));

/** Where a named column is in a header: itself, or a variant of it; -1 when the file has neither. */
export function columnIndex(header: string[], name: string): number {
  const keys = header.map(headerKey);
  const key = headerKey(name);
  const exact = keys.indexOf(key);
  if (exact >= 0) return exact;
  for (const v of variantsOf.get(key) ?? []) {
    const i = keys.indexOf(v);
    if (i >= 0) return i;
  }
  return -1;
}

const columnsOfSpec = (spec: string | string[]) => (Array.isArray(spec) ? spec : [spec]);

/** Each mapped field's columns in this header (the ones found), and the required ones it lacks. */
export function resolveColumns(header: string[], map: Mapping): { columns: Map<ImportField, number[]>; missing: string[] } {
  const columns = new Map<ImportField, number[]>();
  const missing: string[] = [];
  for (const [field, spec] of Object.entries(map) as [ImportField, string | string[]][]) {
    const names = columnsOfSpec(spec);
    const found = names.map((n) => columnIndex(header, n));
    if (found.some((i) => i >= 0)) {
      columns.set(
        field,
        found.filter((i) => i >= 0),
      );
    } else if (REQUIRED_FIELDS.includes(field)) missing.push(...names);
  }
  if (!columns.has('sku') && !columns.has('productName')) missing.push(...columnsOfSpec(map.sku ?? map.productName ?? 'SKU'));
  return { columns, missing };
}

/** A mapping as this file spells its columns: the fields whose columns it has, with its own headers. */
export function mappingFor(header: string[], map: Mapping): Record<string, string | string[]> {
  const { columns } = resolveColumns(header, map);
  return Object.fromEntries([...columns].map(([field, idx]) => [field, idx.length === 1 ? header[idx[0]!]! : idx.map((i) => header[i]!)]));
}

/**
 * The built-in profile a file was exported with: its required columns are there, and most of its
 * columns are, by their own names (a Shopify export saved without its optional columns is still one).
 */
export function detectProfile(header: string[]): BuiltInProfile | null {
  const keys = new Set(header.map(headerKey));
  let best: { name: BuiltInProfile; share: number } | null = null;
  for (const name of Object.keys(BUILT_IN_PROFILES) as BuiltInProfile[]) {
    const map = BUILT_IN_PROFILES[name];
    if (resolveColumns(header, map).missing.length) continue;
    const names = Object.values(map).flatMap(columnsOfSpec);
    const share = names.filter((n) => keys.has(headerKey(n))).length / names.length;
    if (share >= 0.4 && (!best || share > best.share)) best = { name, share };
  }
  return best?.name ?? null;
}

// For a file of one's own: the columns each field is usually called (by header key).
const GUESSES: Partial<Record<ImportField, string[]>> = {
  reference: ['ordernumber', 'orderno', 'orderid', 'order', 'reference', 'name'],
  date: ['orderdate', 'createdat', 'date', 'datecreated'],
  customerName: ['customername', 'billingname', 'customer', 'buyername', 'fullname'],
  customerEmail: ['email', 'customeremail', 'billingemail', 'emailaddress', 'buyeremail'],
  customerPhone: ['phone', 'customerphone', 'billingphone', 'telephone'],
  shippingName: ['shippingname', 'recipient', 'shiptoname'],
  shippingStreet: ['shippingaddress1', 'shippingstreet', 'address1', 'street', 'address'],
  shippingStreet2: ['shippingaddress2', 'address2', 'street2'],
  shippingCity: ['shippingcity', 'city', 'town'],
  shippingZip: ['shippingzip', 'shippingpostcode', 'zip', 'postcode', 'postalcode'],
  shippingState: ['shippingprovince', 'shippingstate', 'state', 'province', 'region'],
  shippingCountry: ['shippingcountry', 'country', 'countrycode'],
  shippingPhone: ['shippingphone'],
  sku: ['sku', 'lineitemsku', 'itemsku', 'productsku', 'productcode'],
  productName: ['productname', 'lineitemname', 'itemname', 'product', 'item', 'description'],
  quantity: ['quantity', 'qty', 'lineitemquantity', 'itemquantity'],
  unitPrice: ['unitprice', 'price', 'lineitemprice', 'itemcost', 'itemprice'],
  discount: ['discountpercent', 'discount'],
  lineDiscount: ['lineitemdiscount', 'linediscount', 'itemdiscount'],
  taxRate: ['taxrate', 'vatrate', 'tax'],
  shippingCost: ['shipping', 'shippingcost', 'shippingamount', 'ordershippingamount'],
  shippingMethod: ['shippingmethod'],
  discountCode: ['discountcode', 'couponcode', 'coupon', 'couponsused'],
  orderDiscount: ['discountamount', 'orderdiscount', 'cartdiscountamount'],
  taxTotal: ['taxes', 'taxtotal', 'totaltax'],
  total: ['total', 'ordertotal', 'grandtotal'],
  notes: ['notes', 'note', 'customernote', 'comment', 'comments'],
  financialStatus: ['financialstatus', 'paymentstatus', 'orderstatus', 'status'],
};

/** A mapping guessed from a file's column names, for a file that is no known export. */
export function guessMapping(header: string[]): Record<string, string> {
  const keys = header.map(headerKey);
  const taken = new Set<number>();
  const out: Record<string, string> = {};
  for (const field of IMPORT_FIELDS) {
    for (const guess of GUESSES[field] ?? []) {
      const i = keys.indexOf(guess);
      if (i >= 0 && !taken.has(i)) {
        taken.add(i);
        out[field] = header[i]!;
        break;
      }
    }
  }
  return out;
}
