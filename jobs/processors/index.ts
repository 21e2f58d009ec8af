import type { Processors } from '../queues';
import { durable } from '../durable';
import { exportOrders } from './export-orders.job';
import { invoiceOrders } from './invoice-orders.job';
import { importOrders } from './import-orders.job';
import { reorderJob } from './reorder.job';
import { notifyVendor } from './notify-vendor.job';
import { sendMail } from './send-mail.job';
import { syncChannelJob } from './sync-channel.job';

// Imports, exports and invoice batches are database rows first (their runs are taken from the row);
// an email (and a vendor notification) is its outbox row already; a sync is re-scheduled from its channel; a reorder check reads
// the forecast afresh (a lost one is made good by the next scan of every rule).
export const processors: Processors = {
  'export-orders': durable(exportOrders),
  'send-mail': sendMail,
  'notify-vendor': notifyVendor,
  'invoice-orders': durable(invoiceOrders),
  'sync-channel': syncChannelJob,
  'import-orders': durable(importOrders),
  reorder: reorderJob,
};
