import type { z } from 'zod';
import type { exportOrdersResult, syncChannelResult } from './schemas/jobs';
import type { SaleOrderExportInput } from './schemas/sales';
import type { BatchResult } from './schemas/invoices';
import type { InvoiceGrouping } from './states';
import type { ImportResult } from './schemas/imports';

// Every queue job: its name and its data. Enqueued by name, processed by jobs/processors/<name>.job.ts.
export type JobDataMap = {
  /** ownOnly: the user sees only the orders they created, so does their export. */
  'export-orders': { userId: number; filters: SaleOrderExportInput; ownOnly?: boolean };
  /** Sends one outbox row; a system job, so no owner to report progress to. */
  'send-mail': { outboxId: number; userId?: undefined };
  /** Sends one order notification to a vendor's endpoint; a system job. */
  'notify-vendor': { notificationId: number; userId?: undefined };
  /**
   * Invoices orders (a batch from the board, or the automation rule: userId null, the system).
   * key: what its invoices are found by when it runs again; empty: the job's own id.
   */
  'invoice-orders': { userId: number | null; saleOrderIds: number[]; group: InvoiceGrouping; post: boolean; send: boolean; key: string };
  /** Fetches a shop's new and changed orders (on demand: userId; on schedule: null). */
  'sync-channel': { channelId: number; userId: number | null };
  /** A CSV of orders: the stored file, its mapping, the channel its orders belong to. */
  'import-orders': {
    userId: number;
    file: string;
    fileName: string;
    mapping: Record<string, string | string[]>;
    channelId: number;
    dryRun: boolean;
    errorsFile: string;
  };
  /** Checks the reorder rules of these products (after their stock changed), or of every product; a system job. */
  reorder: { productIds?: number[]; userId?: undefined };
};
export type JobName = keyof JobDataMap;

export type ExportOrdersResult = z.infer<typeof exportOrdersResult>;
export type JobResultMap = {
  'export-orders': ExportOrdersResult;
  'send-mail': { status: 'queued' | 'sent' | 'failed' };
  'notify-vendor': { status: 'queued' | 'sent' | 'failed' };
  'invoice-orders': BatchResult;
  'sync-channel': z.infer<typeof syncChannelResult>;
  'import-orders': ImportResult;
  reorder: { checked: number; purchaseOrderIds: number[] };
};
