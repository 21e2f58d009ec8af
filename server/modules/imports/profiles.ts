import { z } from 'zod';

// What a CSV column can be, and the ready mappings of the files shops export. A field maps to a column
// header, or to several joined by a space (a first and a last name).

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
  'taxRate',
  'shippingCost',
  'notes',
  'financialStatus',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const REQUIRED_FIELDS: ImportField[] = ['reference', 'quantity', 'unitPrice'];

export const mapping = z
  .record(z.enum(IMPORT_FIELDS), z.union([z.string().trim().min(1).max(100), z.array(z.string().trim().min(1).max(100)).min(1).max(4)]))
  .refine((m) => REQUIRED_FIELDS.every((f) => m[f]), { message: `must map at least ${REQUIRED_FIELDS.join(', ')}` })
  .refine((m) => m.sku || m.productName, { message: 'must map sku or productName' });
export type Mapping = z.infer<typeof mapping>;

/** Shopify admin → Orders → Export (CSV for Excel…): one row per line item, the order's fields on its first row. */
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
  shippingCost: 'Shipping',
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
  notes: 'Customer Note',
  financialStatus: 'Order Status',
};

export const BUILT_IN_PROFILES: Record<'shopify' | 'woocommerce', Mapping> = { shopify, woocommerce };
