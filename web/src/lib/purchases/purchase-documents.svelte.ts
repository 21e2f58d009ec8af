import type { InvoiceSummary } from '$contracts/schemas/invoices';
import type { PickingSummary } from '$contracts/schemas/inventory';
import type { PurchaseOrder } from '$contracts/schemas/purchasing';
import { call, routes } from '$lib/api';
import { isOpen } from '$lib/inventory/pickings';
import { Loader } from '$lib/loader.svelte';
import { canReadInvoices } from '$lib/session.svelte';

type Documents = { receipts: PickingSummary[]; bills: InvoiceSummary[] };

/**
 * What a purchase order led to: its receipts (or drop-ship transfer) and its vendor bills and credit
 * notes, read again with each new version of the order (a receipt validated, a bill drafted).
 */
export class PurchaseDocuments extends Loader<Documents> {
  receipts: PickingSummary[] = $derived(this.data?.receipts ?? []);
  bills: InvoiceSummary[] = $derived(this.data?.bills ?? []);
  /** The receipt to receive next: the first one still open. */
  openReceiptId: number | null = $derived(this.receipts.find((p) => isOpen(p.state))?.id ?? null);

  /** `order` reads the page's record. */
  constructor(order: () => PurchaseOrder | null) {
    super(async () => {
      const o = order();
      if (!o) return { receipts: [], bills: [] };
      const [receipts, bills] = await Promise.all([
        o.pickingIds.length
          ? call(routes.pickings.list, { query: { purchaseOrderId: o.id, limit: 200 } }).then((r) => r.items.sort((a, b) => a.id - b.id))
          : [],
        canReadInvoices() ? call(routes.invoices.list, { query: { purchaseOrderId: o.id, limit: 50, sort: 'createdAt' } }).then((r) => r.items) : [],
      ]);
      return { receipts, bills };
    });
    $effect(() => {
      void order()?.version;
      void this.load();
    });
  }
}
