import { z } from 'zod';
import { ACCOUNT_TYPES, BILL_POLICIES, INVOICE_POLICIES, JOURNAL_TYPES, PRODUCT_ROUTES, PRODUCT_TYPES } from '../states';
import { listQuery, nonNegativeMoney } from './common';

export const account = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  type: z.enum(ACCOUNT_TYPES),
});
export type Account = z.infer<typeof account>;
export const accountCreate = z.object({
  code: z.string().trim().min(1).max(20),
  name: z.string().trim().min(1).max(120),
  type: z.enum(ACCOUNT_TYPES),
});
export const accountPatch = accountCreate.partial().strict();

export const journal = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  type: z.enum(JOURNAL_TYPES),
  defaultAccountId: z.number().int().nullable(),
  defaultAccount: z.string().nullable().describe('account code'),
});
export type Journal = z.infer<typeof journal>;
export const journalPatch = z
  .object({ name: z.string().trim().min(1).max(100), defaultAccountId: z.number().int().positive() })
  .partial()
  .strict();

// A rate is a percentage with at most 4 decimals (15, 7.5, 19.6).
const rate = z
  .number()
  .min(0)
  .max(100)
  .refine((v) => Math.abs(Math.round(v * 10000) - v * 10000) < 1e-6, 'at most 4 decimals');

export const taxFields = z.object({
  name: z.string().trim().min(1).max(100),
  rate,
  accountId: z.number().int().positive().nullable().optional(),
  active: z.boolean().default(true),
});
export const taxCreate = taxFields;
export const taxPatch = taxFields.partial().extend({ version: z.number().int().nonnegative() }).strict();
export const tax = z.object({
  id: z.number().int(),
  name: z.string(),
  rate: z.number(),
  accountId: z.number().int().nullable(),
  account: z.string().nullable().describe('account code'),
  active: z.boolean(),
  version: z.number().int(),
});
export type Tax = z.infer<typeof tax>;

export const productVendor = z.object({
  partnerId: z.number().int().positive(),
  price: nonNegativeMoney,
  minQty: z.number().nonnegative().max(1_000_000).default(1),
  leadDays: z.number().int().nonnegative().max(3650).default(0),
});
export type ProductVendor = z.infer<typeof productVendor>;

export const productFields = z.object({
  sku: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._\-/]+$/, 'letters, digits and . _ - / only'),
  name: z.string().trim().min(1).max(200),
  type: z.enum(PRODUCT_TYPES).default('storable'),
  listPrice: nonNegativeMoney.default(0),
  cost: nonNegativeMoney.default(0),
  taxIds: z.array(z.number().int().positive()).max(10).default([]),
  invoicePolicy: z.enum(INVOICE_POLICIES).default('order'),
  routes: z
    .array(z.enum(PRODUCT_ROUTES))
    .refine((r) => new Set(r).size === r.length, 'each route at most once')
    .default([]),
  vendors: z.array(productVendor).default([]).describe('its vendors, the preferred one first'),
  purchaseTaxIds: z.array(z.number().int().positive()).max(10).default([]).describe('taxes on purchases (deductible)'),
  billPolicy: z.enum(BILL_POLICIES).default('received').describe('what a vendor bill may cover: ordered or received quantities'),
  active: z.boolean().default(true),
});
export const productCreate = productFields;
export type ProductCreate = z.input<typeof productCreate>;
export const productPatch = productFields.partial().extend({ version: z.number().int().nonnegative() }).strict();
export type ProductPatch = z.infer<typeof productPatch>;

export const product = z.object({
  id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  type: z.enum(PRODUCT_TYPES),
  listPrice: z.number().int(),
  cost: z.number().int(),
  taxIds: z.array(z.number().int()),
  invoicePolicy: z.enum(INVOICE_POLICIES),
  routes: z.array(z.enum(PRODUCT_ROUTES)),
  vendors: z.array(productVendor),
  purchaseTaxIds: z.array(z.number().int()),
  billPolicy: z.enum(BILL_POLICIES),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Product = z.infer<typeof product>;

export const productListQuery = listQuery.extend({
  type: z.enum(PRODUCT_TYPES).optional(),
  route: z.enum(PRODUCT_ROUTES).optional(),
});
