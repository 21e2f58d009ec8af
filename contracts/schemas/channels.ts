import { z } from 'zod';
import { CHANNEL_KINDS } from '../states';
import { attentionReason, discount, quantity } from './sales';

const url = z
  .string()
  .trim()
  .url()
  .max(300)
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) address');

/** What each kind needs to reach its shop (settings are shown, credentials never are). */
export const channelSettings = {
  shopify: z.object({ shopUrl: url.describe('https://<shop>.myshopify.com'), apiVersion: z.string().trim().max(20).default('2024-10') }).strict(),
  woocommerce: z.object({ siteUrl: url.describe('the WordPress site, e.g. https://shop.example.com') }).strict(),
  webhook: z.object({}).strict(),
  csv: z.object({}).strict(),
} as const;

export const channelCredentials = {
  shopify: z.object({ accessToken: z.string().trim().min(1).max(500), webhookSecret: z.string().trim().max(500).optional() }).strict(),
  woocommerce: z
    .object({
      consumerKey: z.string().trim().min(1).max(200),
      consumerSecret: z.string().trim().min(1).max(200),
      webhookSecret: z.string().trim().max(500).optional(),
    })
    .strict(),
  webhook: z.object({ secret: z.string().trim().min(16).max(500).describe('signs the JSON posted to the webhook (HMAC-SHA256)') }).strict(),
  csv: z.object({}).strict(),
} as const;

export const channel = z.object({
  id: z.number().int(),
  kind: z.enum(CHANNEL_KINDS),
  name: z.string(),
  settings: z.record(z.unknown()),
  /** Credentials are stored sealed and never returned: only whether they are set. */
  hasCredentials: z.boolean(),
  syncIntervalMinutes: z.number().int(),
  active: z.boolean(),
  cursor: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  orderCount: z.number().int(),
  version: z.number().int(),
});
export type Channel = z.infer<typeof channel>;

export const channelCreate = z
  .object({
    kind: z.enum(CHANNEL_KINDS),
    name: z.string().trim().min(1).max(100),
    settings: z.record(z.unknown()).default({}),
    credentials: z.record(z.unknown()).optional(),
    syncIntervalMinutes: z.number().int().min(1).max(1440).default(15),
    active: z.boolean().default(true),
  })
  .strict();
export type ChannelCreate = z.input<typeof channelCreate>;

export const channelPatch = z
  .object({
    version: z.number().int().nonnegative(),
    name: z.string().trim().min(1).max(100).optional(),
    settings: z.record(z.unknown()).optional(),
    credentials: z.record(z.unknown()).optional().describe('replaces the stored credentials'),
    syncIntervalMinutes: z.number().int().min(1).max(1440).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type ChannelPatch = z.infer<typeof channelPatch>;

/** Test connection: a channel's saved settings and credentials, or the ones given (the form's, not saved yet). */
export const channelTest = z
  .object({
    kind: z.enum(CHANNEL_KINDS).optional().describe('for a channel not saved yet'),
    settings: z.record(z.unknown()).optional(),
    credentials: z.record(z.unknown()).optional(),
  })
  .strict();
export type ChannelTest = z.infer<typeof channelTest>;

export const channelTestResult = z.object({
  ok: z.boolean(),
  message: z.string(),
  /** The orders the shop holds, when it says. */
  shopOrders: z.number().int().nullable(),
});
export type ChannelTestResult = z.infer<typeof channelTestResult>;

const externalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => v || null);
const cents = z.number().int().nonnegative().max(1_000_000_000_00);
const taxRates = z.array(z.number().min(0).max(100)).max(10);

/**
 * A shop's address as it comes: contact details are taken as they are and checked by the intake (a
 * country given by name is looked up; what cannot be kept is noted on the order), never a reason to
 * refuse an order.
 */
export const externalAddress = z.object({
  name: externalText(500),
  street: externalText(500),
  street2: externalText(500),
  city: externalText(500),
  zip: externalText(100),
  state: externalText(200),
  countryCode: externalText(100).describe("a two-letter ISO code, or the country's name"),
  phone: externalText(100),
});
export type ExternalAddress = z.infer<typeof externalAddress>;

/**
 * An order as a shop describes it, the one format every connector maps to (and the body of a
 * `webhook` channel's POST). Money is integer cents; tax rates are percentages. What the customer paid
 * is rebuilt from it to the cent: each line's price and quantity less its discounts (a percentage, and
 * the amount the shop took off that line, its share of order-wide codes included), less `orderDiscount`
 * (an amount off the order the shop did not spread over its lines), taxes on what is left, plus shipping.
 * Only what makes an order impossible to record refuses it (no lines, no id, a bad quantity, price or
 * date); a malformed email or address is taken in, noted, and the order flagged.
 */
export const externalOrder = z
  .object({
    externalId: z.string().trim().min(1).max(100),
    reference: z.string().trim().max(100).nullable().optional().describe("the shop's order number, e.g. #1001"),
    date: z.string().datetime({ offset: true }),
    updatedAt: z
      .string()
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe('when the shop last changed the order: a version older than the one we hold is ignored (a replayed delivery)'),
    customer: z.object({
      name: z.string().trim().max(500).nullable().optional(),
      email: externalText(500).describe('checked by the intake: a malformed address is kept in a note, the order flagged'),
      phone: externalText(100),
    }),
    shippingAddress: externalAddress.nullable().optional(),
    lines: z
      .array(
        z.object({
          sku: z.string().trim().max(64).nullable().optional(),
          name: z.string().trim().min(1).max(500),
          quantity,
          unitPrice: cents,
          discount: discount.default(0).describe('a percentage off the line'),
          discountAmount: cents.default(0).describe('the amount the shop took off this line (its own discounts and its share of order-wide ones)'),
          taxRates: taxRates.optional().describe("absent: the product's own taxes"),
        }),
      )
      .min(1)
      .max(500),
    shipping: z
      .object({
        name: z.string().trim().max(200).default('Shipping'),
        amount: cents,
        discountAmount: cents.default(0).describe('a shipping discount (free shipping codes)'),
        taxRates: taxRates.optional(),
      })
      .nullable()
      .optional(),
    discountCodes: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
    orderDiscount: cents.default(0).describe('an amount off the order that the shop did not spread over its lines'),
    note: z.string().max(10_000).nullable().optional(),
    financialStatus: z.string().trim().max(40).nullable().optional(),
    /** The shop's total, when it says one: a difference with ours is flagged for attention. */
    total: z.number().int().nonnegative().nullable().optional(),
    /** The shop's taxes, when it says: checked like the total. */
    taxTotal: z.number().int().nonnegative().nullable().optional(),
  })
  .strict();
export type ExternalOrder = z.infer<typeof externalOrder>;

/** A shop's order without NUL characters (databases refuse them; a shop's order is not refused over one). */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v)])) as T;
  return value;
}

export const intakeResult = z.object({
  status: z.enum(['created', 'updated', 'noted', 'unchanged', 'duplicate', 'stale']).describe('stale: older than the version we hold, ignored'),
  orderId: z.number().int().nullable(),
  name: z.string().nullable(),
  /** Why the order is flagged "needs attention" (empty: it is not). */
  reasons: z.array(attentionReason),
});
export type IntakeResult = z.infer<typeof intakeResult>;
