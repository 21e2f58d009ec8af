import { z } from 'zod';

export const importError = z.object({ row: z.number().int(), reference: z.string().nullable(), message: z.string() });
export type ImportError = z.infer<typeof importError>;

export const importResult = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  orders: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int().describe('orders already imported as they are (a re-run)'),
  rejected: z.number().int().describe('orders not imported because of a bad row'),
  flagged: z.number().int().describe('orders imported with an unknown SKU, flagged "needs attention"'),
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
  fields: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof importPreview>;
