import { resolve } from '$app/paths';
import type { RecordModel } from '$contracts/states';

const MODEL_LABELS: Record<RecordModel, string> = {
  saleOrder: 'Sales order',
  purchaseOrder: 'Purchase order',
  picking: 'Transfer',
  invoice: 'Invoice',
  partner: 'Partner',
  product: 'Product',
  tender: 'Tender',
};

/** What a chatter's record is called, and its page in the console when it has one. */
export function recordLink(model: RecordModel, resId: number): { label: string; href: string | null } {
  const label = `${MODEL_LABELS[model]} #${resId}`;
  return { label, href: model === 'saleOrder' ? resolve('/orders/[id]', { id: String(resId) }) : null };
}
