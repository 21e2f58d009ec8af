import { z } from 'zod';
import { CHANNEL_KINDS } from '../states';

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
