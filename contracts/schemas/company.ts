import { z } from 'zod';
import { LOCATION_KINDS } from '../states';
import { emailAddress, listQuery } from './common';

export const company = z.object({
  name: z.string(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  zip: z.string().nullable(),
  countryCode: z.string().nullable(),
  vatId: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  currency: z.string(),
  logo: z.string().nullable(),
  paymentTermDays: z.number().int(),
  autoInvoiceDeliveries: z.boolean(),
  version: z.number().int(),
});
export type Company = z.infer<typeof company>;

const optText = (max: number) => z.string().trim().max(max).nullable();
export const companyPatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    street: optText(200),
    city: optText(100),
    zip: optText(20),
    countryCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code')
      .nullable(),
    vatId: optText(40),
    email: emailAddress.nullable(),
    phone: optText(50),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'a three-letter ISO currency code'),
    logo: z.string().max(200_000).nullable().describe('data URL of the logo image'),
    paymentTermDays: z.number().int().min(0).max(365).describe('days from the invoice date to its due date'),
    autoInvoiceDeliveries: z.boolean().describe('invoice, post and send each validated delivery'),
  })
  .partial()
  .extend({ version: z.number().int().nonnegative() })
  .strict();
export type CompanyPatch = z.infer<typeof companyPatch>;

export const warehouse = z.object({ id: z.number().int(), name: z.string(), code: z.string() });
export type Warehouse = z.infer<typeof warehouse>;
export const warehouseCreate = z.object({
  name: z.string().trim().min(1).max(100),
  /** Short code, the prefix of its picking numbers (e.g. WH2 → WH2/OUT/00001). */
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{1,8}$/, 'letters and digits, at most 8'),
});
export const location = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(['internal', 'vendor', 'customer', 'adjustment']),
  warehouseId: z.number().int().nullable(),
  isReturns: z.boolean(),
});
export type Location = z.infer<typeof location>;

export const locationListQuery = listQuery.extend({ warehouseId: z.coerce.number().int().positive().optional(), kind: z.enum(LOCATION_KINDS).optional() });
