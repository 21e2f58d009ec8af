import type { Processors } from '../queues';
import { exportOrders } from './export-orders.job';

export const processors: Processors = {
  'export-orders': exportOrders,
};
