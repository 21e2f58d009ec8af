import type { SaleOrderExportInput } from './schemas/sales';

// Every queue job: its name and its data. Enqueued by name, processed by jobs/processors/<name>.job.ts.
export type JobDataMap = {
  /** ownOnly: the user sees only the orders they created, so does their export. */
  'export-orders': { userId: number; filters: SaleOrderExportInput; ownOnly?: boolean };
  /** Sends one outbox row; a system job, so no owner to report progress to. */
  'send-mail': { outboxId: number; userId?: undefined };
};
export type JobName = keyof JobDataMap;

export type ExportOrdersResult = { file: string; rows: number; url: string };
export type JobResultMap = {
  'export-orders': ExportOrdersResult;
  'send-mail': { status: 'queued' | 'sent' | 'failed' };
};
