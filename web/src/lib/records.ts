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

/** What a chatter's record is called when its own name is not at hand: `Sales order #12`. */
export function recordLabel(model: RecordModel, resId: number): string {
  return `${MODEL_LABELS[model]} #${resId}`;
}
