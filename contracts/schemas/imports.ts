import { z } from 'zod';
import { attentionReason } from './sales';

/** A column header as imports compare them: "Shipping Address1", "shipping_address_1" and "Shipping address 1" are one. */
export const headerKey = (h: string) =>
  h
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

export const importError = z.object({
  row: z.number().int().describe('the physical line of the file where the record starts (1: the header)'),
  record: z.number().int().describe('the record number, the header aside (a record may span several lines)'),
  reference: z.string().nullable(),
  message: z.string(),
});
export type ImportError = z.infer<typeof importError>;

export const flaggedOrder = z.object({
  row: z.number().int(),
  record: z.number().int(),
  reference: z.string(),
  /** The order made (null in a dry run). */
  orderId: z.number().int().nullable(),
  name: z.string().nullable(),
  reasons: z.array(attentionReason),
});
export type FlaggedOrder = z.infer<typeof flaggedOrder>;

export const importResult = z.object({
  dryRun: z.boolean(),
  rows: z.number().int().describe('the records read, the header aside (a record may span several lines of the file)'),
  orders: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int().describe('orders already imported as they are (a re-run)'),
  rejected: z.number().int().describe('orders not imported because of a bad row'),
  flagged: z.number().int().describe('orders imported flagged "needs attention" (an unmatched product, totals differing from the shop\'s, a malformed email…)'),
  flaggedOrders: z.array(flaggedOrder).describe('the first 1,000 flagged orders, each with its reasons'),
  errors: z.array(importError).describe('the first 1,000 reported rows; all of them in errors.csv'),
  errorCount: z.number().int(),
  encoding: z.string(),
  delimiter: z.string(),
});
export type ImportResult = z.infer<typeof importResult>;

export const importStatus = importResult.partial().extend({
  jobId: z.string(),
  /** The channel the file's orders belong to (the standing "CSV imports" one unless another was named). */
  channelId: z.number().int(),
  fileName: z.string(),
  state: z.enum(['waiting', 'active', 'completed', 'failed', 'delayed']),
  progress: z.number(),
  failedReason: z.string().nullable(),
});
export type ImportStatus = z.infer<typeof importStatus>;

export const importPreview = z.object({
  encoding: z.string(),
  delimiter: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  /** The built-in profile whose columns this file has, if any. */
  profile: z.enum(['shopify', 'woocommerce']).nullable(),
  /** The detected profile's mapping as this file's columns spell it, or one guessed from the column names. */
  mapping: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  fields: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof importPreview>;

/** A column mapping of an import: the built-in ones (no id) and those saved. */
export const importProfile = z.object({ id: z.number().int().nullable(), name: z.string(), builtIn: z.boolean(), mapping: z.record(z.unknown()) });
export type ImportProfile = z.infer<typeof importProfile>;
export const importProfileCreate = z.object({ name: z.string().trim().min(1).max(100), mapping: z.record(z.unknown()) }).strict();
