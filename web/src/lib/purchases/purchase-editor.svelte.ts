import { rooms } from '$contracts/events';
import { purchaseOrder as purchaseOrderSchema, type PurchaseOrder } from '$contracts/schemas/purchasing';
import type { PurchaseOrderAction } from '$contracts/states';
import { ApiError, call, routes } from '$lib/api';
import { DraftRecord } from '$lib/live-record.svelte';
import { canManagePurchases } from '$lib/session.svelte';
import { emptyPurchaseDraft, fromPurchase, isDirty, toPatch, type PurchaseDraft } from './purchase-draft';

/** What the page is waiting for. */
export type PurchaseBusy = 'save' | PurchaseOrderAction | 'bill' | null;

const DONE_MESSAGES: Record<Exclude<PurchaseOrderAction, 'send'>, (o: PurchaseOrder) => string> = {
  confirm: (o) => `${o.name} confirmed: the receipt is waiting in the warehouse.`,
  cancel: (o) => `${o.name} cancelled.`,
  draft: (o) => `${o.name} is an RFQ again.`,
};

/**
 * One RFQ or purchase order on screen: the copy as last loaded and the draft being edited (an RFQ's
 * vendor, warehouse, note and lines), saving it with its version (the 409 conflict), its actions
 * (send, confirm, cancel with the waiting orders' question, back to draft, bill), and following it live.
 */
export class PurchaseEditorState extends DraftRecord<PurchaseOrder, PurchaseDraft, Exclude<PurchaseBusy, null>> {
  /** A cancel refused because sale orders wait on the order: the server's words, and "Cancel anyway". */
  cancelRefused: string | null = $state(null);
  /** The bills the last "Create bill" drafted. */
  createdBillIds: number[] = $state([]);

  /** `id` reads the component's prop. */
  constructor(id: () => number) {
    super(
      id,
      {
        room: (i) => rooms.record('purchaseOrder', i),
        event: 'purchaseOrder.updated',
        fetch: (i) => call(routes.purchaseOrders.get, { params: { id: i } }),
        schema: purchaseOrderSchema,
        noticeMs: 6000,
      },
      { emptyDraft: emptyPurchaseDraft, toDraft: fromPurchase, isDirty },
    );
  }

  get order(): PurchaseOrder | null {
    return this.record;
  }

  currency = $derived(this.order?.currency ?? null);
  /** An RFQ not sent yet, and a buyer: its vendor, warehouse, note and lines take input. */
  editable = $derived(this.order?.state === 'draft' && canManagePurchases());

  async save(): Promise<boolean> {
    const o = this.order;
    if (!o) return false;
    this.error = null;
    const { patch, errors } = toPatch(this.draft, this.base, o.version, this.currency);
    this.localErrors = errors;
    if (Object.keys(errors).length) return false;
    return this.update(
      'save',
      () => call(routes.purchaseOrders.update, { params: { id: o.id }, body: patch }),
      () => 'Saved.',
    );
  }

  /** Confirm and back to draft: what is on screen is saved first, like a paper form. */
  async run(action: 'confirm' | 'draft'): Promise<void> {
    if (this.dirty && !(await this.save())) return;
    const version = this.order?.version;
    await this.update(action, () => call(routes.purchaseOrders[action], { params: { id: this.id }, body: { version } }), DONE_MESSAGES[action]);
  }

  /**
   * Cancels; `force` even though sale orders wait on it (a note is logged on each). Without it, the
   * server's refusal that names those orders is kept for the "Cancel anyway" question.
   */
  async cancel(force = false): Promise<void> {
    this.cancelRefused = null;
    const version = this.order?.version;
    const done = await this.perform('cancel', async () => {
      try {
        const o = await call(routes.purchaseOrders.cancel, { params: { id: this.id }, body: { version, force } });
        this.apply(o);
        this.showNotice(DONE_MESSAGES.cancel(o));
      } catch (err) {
        if (!force && err instanceof ApiError && err.status === 422) this.cancelRefused = err.message;
        else throw err;
      }
    });
    if (!done) this.cancelRefused = null;
  }

  keepOrder(): void {
    this.cancelRefused = null;
  }

  /** Emails the RFQ (or the PO) to the vendor; throws the server's refusal for the dialog. */
  async send(template: 'rfq' | 'purchase_order'): Promise<void> {
    if (this.dirty && !(await this.save())) throw new Error('Save the changes first.');
    this.error = null;
    this.notice = '';
    this.busy = 'send';
    try {
      const o = await call(routes.purchaseOrders.send, { params: { id: this.id }, body: { version: this.order?.version, template } });
      this.apply(o);
      this.showNotice(`${o.name} sent to ${o.partnerName}.`);
    } finally {
      this.busy = null;
      void this.reconcile();
    }
  }

  /** Drafts a bill for what may be billed now; the notice links to it. */
  async bill(): Promise<void> {
    this.createdBillIds = [];
    await this.perform('bill', async () => {
      const { invoiceIds } = await call(routes.purchaseOrders.bill, { params: { id: this.id }, body: {} });
      this.createdBillIds = invoiceIds;
      this.showNotice(invoiceIds.length ? 'Vendor bill drafted.' : 'Nothing to bill yet.');
      await this.load();
    });
  }
}
