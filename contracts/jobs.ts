import type { SaleOrderExportInput } from './schemas/sales';

// Every queue job: its name and its data. Enqueued by name, processed by jobs/processors/<name>.job.ts.
export type JobDataMap = {
  'export-orders': { userId: number; filters: SaleOrderExportInput };
};
export type JobName = keyof JobDataMap;

export type ExportOrdersResult = { file: string; rows: number; url: string };
export type JobResultMap = {
  'export-orders': ExportOrdersResult;
};
