import { z } from 'zod';
import { PARTNER_ROLES } from '../states';
import { emailAddress, listQuery, queryBool } from './common';

const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code');
const optText = (max: number) => z.string().trim().max(max).nullable().optional();

/**
 * A vendor's order endpoint: each purchase order confirmed for the vendor is POSTed there as signed JSON
 * (HMAC-SHA256 with the secret; see the README). The secret is write-only: given once, kept sealed.
 */
export const orderEndpointInput = z
  .object({
    url: z
      .string()
      .trim()
      .url()
      .max(500)
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) address'),
    secret: z.string().min(16, 'at least 16 characters').max(200).optional(),
    active: z.boolean().default(true),
  })
  .strict();
export const orderEndpoint = z.object({ url: z.string(), active: z.boolean(), hasSecret: z.boolean() });
export type OrderEndpoint = z.infer<typeof orderEndpoint>;

export const partnerFields = z.object({
  name: z.string().trim().min(1).max(200),
  email: emailAddress
    .nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
  phone: optText(50),
  isCompany: z.boolean().default(false),
  street: optText(200),
  city: optText(100),
  zip: optText(20),
  countryCode: countryCode.nullable().optional(),
  roles: z
    .array(z.enum(PARTNER_ROLES))
    .refine((r) => new Set(r).size === r.length, 'each role at most once')
    .default(['customer']),
  orderEndpoint: orderEndpointInput.nullable().optional(),
});
export const partnerCreate = partnerFields;
export type PartnerCreate = z.input<typeof partnerCreate>;
export const partnerPatch = partnerFields.partial().extend({ version: z.number().int().nonnegative() }).strict();
export type PartnerPatch = z.infer<typeof partnerPatch>;

export const partner = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  isCompany: z.boolean(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  zip: z.string().nullable(),
  countryCode: z.string().nullable(),
  roles: z.array(z.enum(PARTNER_ROLES)),
  orderEndpoint: orderEndpoint.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Partner = z.infer<typeof partner>;

export const partnerListQuery = listQuery.extend({
  role: z.enum(PARTNER_ROLES).optional(),
  isCompany: queryBool.optional(),
});
