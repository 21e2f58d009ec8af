import { z } from 'zod';
import { CHANNEL_KINDS } from '../states';
import { address, discount, quantity } from './sales';

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

/**
 * An order as a shop describes it, the one format every connector maps to (and the body of a
 * `webhook` channel's POST). Money is integer cents; tax rates are percentages.
 */
export const externalOrder = z
  .object({
    externalId: z.string().trim().min(1).max(100),
    reference: z.string().trim().max(100).nullable().optional().describe("the shop's order number, e.g. #1001"),
    date: z.string().datetime({ offset: true }),
    customer: z.object({
      name: z.string().trim().min(1).max(200),
      email: z.string().trim().toLowerCase().email().max(190).nullable().optional(),
      phone: z.string().trim().max(50).nullable().optional(),
    }),
    shippingAddress: address.nullable().optional(),
    lines: z
      .array(
        z.object({
          sku: z.string().trim().max(64).nullable().optional(),
          name: z.string().trim().min(1).max(500),
          quantity,
          unitPrice: z.number().int().nonnegative().max(1_000_000_000_00),
          discount: discount.default(0),
          taxRates: z.array(z.number().min(0).max(100)).max(10).optional().describe("absent: the product's own taxes"),
        }),
      )
      .min(1)
      .max(500),
    shipping: z
      .object({
        name: z.string().trim().max(200).default('Shipping'),
        amount: z.number().int().nonnegative(),
        taxRates: z.array(z.number().min(0).max(100)).max(10).optional(),
      })
      .nullable()
      .optional(),
    note: z.string().max(10_000).nullable().optional(),
    financialStatus: z.string().trim().max(40).nullable().optional(),
    /** The shop's total, when it says one: a difference with ours is flagged for attention. */
    total: z.number().int().nonnegative().nullable().optional(),
  })
  .strict();
export type ExternalOrder = z.infer<typeof externalOrder>;

export const intakeResult = z.object({
  status: z.enum(['created', 'updated', 'noted', 'unchanged', 'duplicate']),
  orderId: z.number().int().nullable(),
  name: z.string().nullable(),
});
export type IntakeResult = z.infer<typeof intakeResult>;
