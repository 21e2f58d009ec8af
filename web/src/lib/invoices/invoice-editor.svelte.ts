import { rooms } from '$contracts/events';
import type { Body } from '$contracts/api';
import type { MoveType } from '$contracts/states';
import { invoice as invoiceSchema, type CreditNoteCreate, type Invoice, type PaymentCreate } from '$contracts/schemas/invoices';
import { call, routes } from '$lib/api';
import { DraftRecord } from '$lib/live-record.svelte';
import { gotoInApp } from '$lib/nav';
import { canCreateBills, canDraftInvoices, canManageInvoices } from '$lib/session.svelte';
import { emptyInvoiceDraft, fromInvoice, isDirty, toPatch, type InvoiceDraft } from './invoice-draft';

/** The dialogs the page opens from its action bar. */
export type InvoiceDialog = 'payment' | 'credit' | 'send' | 'preview';

/** What the page is waiting for. */
export type InvoiceBusy = 'save' | 'post' | 'cancel' | 'payment' | 'credit' | 'send' | null;

/**
 * One invoice or credit note on screen: the copy as last loaded and the draft being edited, saving it
 * with its version (the 409 conflict), its actions (post, cancel, payment, credit note, send), and
 * following it live.
 */
export class InvoiceEditorState extends DraftRecord<Invoice, InvoiceDraft, Exclude<InvoiceBusy, null>> {
  /** `id` reads the component's prop. */
  constructor(id: () => number) {
    super(
      id,
      {
        room: (i) => rooms.record('invoice', i),
        event: 'invoice.updated',
        fetch: (i) => call(routes.invoices.get, { params: { id: i } }),
        schema: invoiceSchema,
        noticeMs: 6000,
      },
      { emptyDraft: emptyInvoiceDraft, toDraft: fromInvoice, isDirty },
    );
  }

  get invoice(): Invoice | null {
    return this.record;
  }

  currency = $derived(this.invoice?.currency ?? null);
  /**
   * A draft, and a role that may edit it (invoices: who drafts them; vendor bills: buyers and accounting;
   * credit notes: who issues them): its dates, note and lines take input.
   */
  editable = $derived(this.invoice?.state === 'draft' && this.#mayEdit(this.invoice.moveType));

  #mayEdit(type: MoveType): boolean {
    if (type === 'out_invoice') return canDraftInvoices();
    if (type === 'in_invoice') return canCreateBills() || canManageInvoices();
    return canManageInvoices();
  }

  /** Runs a dialog's action: a failure is thrown back for the dialog to show. */
  async #runInDialog<R>(busy: Exclude<InvoiceBusy, null>, action: () => Promise<R>): Promise<R> {
    this.error = null;
    this.notice = '';
    this.busy = busy;
    try {
      return await action();
    } finally {
      this.busy = null;
      void this.reconcile();
    }
  }

  async save(): Promise<boolean> {
    const inv = this.invoice;
    if (!inv) return false;
    this.error = null;
    const { patch, errors } = toPatch(this.draft, this.base, inv.version, this.currency);
    this.localErrors = errors;
    if (Object.keys(errors).length) return false;
    return this.update(
      'save',
      () => call(routes.invoices.update, { params: { id: inv.id }, body: patch }),
      () => 'Saved.',
    );
  }

  /** Posts the draft as shown: unsaved edits are saved first. */
  async post(): Promise<void> {
    if (this.dirty && !(await this.save())) return;
    const version = this.invoice?.version;
    await this.update(
      'post',
      () => call(routes.invoices.post, { params: { id: this.id }, body: { version } }),
      (inv) => `Posted as ${inv.displayName}.`,
    );
  }

  async cancel(): Promise<void> {
    const version = this.invoice?.version;
    await this.update(
      'cancel',
      () => call(routes.invoices.cancel, { params: { id: this.id }, body: { version } }),
      (inv) => `${inv.displayName} cancelled.`,
    );
  }

  /** Throws the server's refusal (an amount above what is due, a missing journal) for the dialog. */
  async registerPayment(input: PaymentCreate): Promise<void> {
    const inv = await this.#runInDialog('payment', () => call(routes.invoices.registerPayment, { params: { id: this.id }, body: input }));
    this.apply(inv);
    this.showNotice(inv.paymentState === 'paid' ? 'Payment registered: the invoice is paid.' : 'Payment registered.');
  }

  /** Drafts the credit note and opens it; throws the server's refusal for the dialog. */
  async creditNote(input: CreditNoteCreate): Promise<void> {
    const refund = await this.#runInDialog('credit', () => call(routes.invoices.creditNote, { params: { id: this.id }, body: input }));
    await gotoInApp(`/invoices/${refund.id}`);
  }

  /** Throws the server's refusal (no email address, not posted) for the dialog. */
  async send(input: Body<typeof routes.invoices.send>): Promise<void> {
    const inv = await this.#runInDialog('send', () => call(routes.invoices.send, { params: { id: this.id }, body: input }));
    this.apply(inv);
    this.showNotice(`${inv.displayName} sent to ${inv.partnerName}.`);
  }
}
