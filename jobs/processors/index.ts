import type { Processors } from '../queues';
import { exportOrders } from './export-orders.job';
import { invoiceOrders } from './invoice-orders.job';
import { importOrders } from './import-orders.job';
import { sendMail } from './send-mail.job';
import { syncChannelJob } from './sync-channel.job';

export const processors: Processors = {
  'export-orders': exportOrders,
  'send-mail': sendMail,
  'invoice-orders': invoiceOrders,
  'sync-channel': syncChannelJob,
  'import-orders': importOrders,
};
