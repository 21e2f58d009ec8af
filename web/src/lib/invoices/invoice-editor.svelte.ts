import type { BeforeNavigate, NavigationTarget } from '@sveltejs/kit';
import type { InvoiceEvent } from '$contracts/events';
import { rooms } from '$contracts/events';
import type { Tax } from '$contracts/schemas/catalog';
import type { CreditNoteCreate, Invoice, PaymentCreate } from '$contracts/schemas/invoices';
import { api, ApiError, toConflict, type Conflict, type InvoiceSendInput } from '$lib/api';
import { gotoInApp } from '$lib/nav';
import type { FieldErrors } from '$lib/orders/draft';
import { canDraftInvoices } from '$lib/session.svelte';
import { onEvent, subscribeRoom } from '$lib/socket';
import { loadTaxes } from '$lib/taxes';
import { emptyInvoiceDraft, fromInvoice, isDirty, toPatch, type InvoiceDraft } from './invoice-draft';

/** The dialogs the page opens from its action bar. */
export type InvoiceDialog = 'payment' | 'credit' | 'send' | 'preview';

/** What the page is waiting for. */
export type InvoiceBusy = 'save' | 'post' | 'cancel' | 'payment' | 'credit' | 'send' | null;

function isInvoice(v: unknown): v is Invoice {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.id === 'number' && typeof o.version === 'number' && Array.isArray(o.lines);
}

/**
 * One invoice or credit note on screen: the copy as last loaded and the draft being edited, saving it
 * with its version (the 409 conflict), its actions (post, cancel, payment, credit note, send), and
 * following it live.
 */
export class InvoiceEditorState {
  invoice: Invoice | null = $state(null);
  // The draft as last saved; edits are measured against it.
  base: InvoiceDraft = $state(emptyInvoiceDraft());
  draft: InvoiceDraft = $state(emptyInvoiceDraft());
  taxes: Tax[] = $state([]);
  loading = $state(true);
  loadError: unknown = $state(null);
  busy: InvoiceBusy = $state(null);
  error: unknown = $state(null);
  localErrors: FieldErrors = $state({});
  conflict: Conflict<Invoice> | null = $state(null);
  remoteChange = $state(false);
  notice = $state('');
  // A link navigation held back while there are edits to lose.
  leaving: NavigationTarget | null = $state(null);
  #latestRemoteVersion = 0;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #id: () => number;

  /** `id` reads the component's prop. */
  constructor(id: () => number) {
    this.#id = id;
  }

  get id(): number {
    return this.#id();
  }

  currency = $derived(this.invoice?.currency ?? null);
  dirty = $derived(isDirty(this.draft, this.base));
  /** A draft, and a role that may edit it: its dates, note and lines take input. */
  editable = $derived(this.invoice?.state === 'draft' && canDraftInvoices());

  // Server field errors (`lines.0.quantity`) and local ones share the same names.
  fieldErrors = $derived.by((): FieldErrors => {
    const out: FieldErrors = { ...this.localErrors };
    if (this.error instanceof ApiError) for (const d of this.error.details) out[d.field] ??= d.message;
    return out;
  });

  #showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => (this.notice = ''), 6000);
  }

  #apply(inv: Invoice): void {
    this.invoice = inv;
    this.base = fromInvoice(inv);
    this.draft = fromInvoice(inv);
    this.localErrors = {};
    this.conflict = null;
    if (inv.version >= this.#latestRemoteVersion) this.remoteChange = false;
  }

  /** A failed save or action: the conflict when the invoice changed meanwhile, otherwise the error. */
  #failed(err: unknown): void {
    const conflict = toConflict(err, isInvoice);
    if (conflict) this.conflict = conflict;
    else this.error = err;
  }

  async load(): Promise<void> {
    try {
      this.#apply(await api.invoices.get(this.id));
      this.loadError = null;
      this.error = null;
    } catch (err) {
      if (this.invoice === null) this.loadError = err;
      else this.error = err;
    } finally {
      this.loading = false;
    }
  }

  /** Loads the invoice, then follows its room. Returns the function that stops. */
  follow(): () => void {
    loadTaxes()
      .then((t) => (this.taxes = t))
      .catch((err: unknown) => (this.error = err));
    void this.load();
    const offs = [
      subscribeRoom(rooms.record('invoice', this.id), {
        onResync: () => void this.#resync(),
        onError: (e) => (this.error = new ApiError(403, e.code, e.message)),
      }),
      onEvent('invoice.updated', (e) => {
        if (e.id === this.id) this.#onRemote(e);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** After a push or a reconnect: take the server's version unless it would throw away edits. */
  async #reconcile(): Promise<void> {
    if (!this.invoice || this.busy || this.#latestRemoteVersion <= this.invoice.version) return;
    if (this.dirty) this.remoteChange = true;
    else await this.load();
  }

  #onRemote(e: InvoiceEvent): void {
    if (!this.invoice || e.version <= this.invoice.version) return;
    this.#latestRemoteVersion = Math.max(this.#latestRemoteVersion, e.version);
    void this.#reconcile();
  }

  async #resync(): Promise<void> {
    if (!this.invoice) return;
    try {
      const fresh = await api.invoices.get(this.id);
      this.#latestRemoteVersion = Math.max(this.#latestRemoteVersion, fresh.version);
      if (fresh.version > (this.invoice?.version ?? 0) && !this.busy) {
        if (this.dirty) this.remoteChange = true;
        else this.#apply(fresh);
      }
    } catch (err) {
      this.error = err;
    }
  }

  /** Runs an action that answers with the invoice; a failure is the page's error (or its conflict). */
  async #run(busy: Exclude<InvoiceBusy, null>, action: () => Promise<Invoice>, done: (inv: Invoice) => string): Promise<boolean> {
    this.error = null;
    this.conflict = null;
    this.notice = '';
    this.busy = busy;
    try {
      const inv = await action();
      this.#apply(inv);
      this.#showNotice(done(inv));
      return true;
    } catch (err) {
      this.#failed(err);
      return false;
    } finally {
      this.busy = null;
      void this.#reconcile();
    }
  }

  /** Runs a dialog's action: a failure is thrown back for the dialog to show. */
  async #runInDialog<T>(busy: Exclude<InvoiceBusy, null>, action: () => Promise<T>): Promise<T> {
    this.error = null;
    this.notice = '';
    this.busy = busy;
    try {
      return await action();
    } finally {
      this.busy = null;
      void this.#reconcile();
    }
  }

  async save(): Promise<boolean> {
    const inv = this.invoice;
    if (!inv) return false;
    this.error = null;
    const { patch, errors } = toPatch(this.draft, this.base, inv.version, this.currency);
    this.localErrors = errors;
    if (Object.keys(errors).length) return false;
    return this.#run(
      'save',
      () => api.invoices.update(inv.id, patch),
      () => 'Saved.',
    );
  }

  /** Posts the draft as shown: unsaved edits are saved first. */
  async post(): Promise<void> {
    if (this.dirty && !(await this.save())) return;
    const version = this.invoice?.version;
    await this.#run(
      'post',
      () => api.invoices.post(this.id, version),
      (inv) => `Posted as ${inv.displayName}.`,
    );
  }

  async cancel(): Promise<void> {
    const version = this.invoice?.version;
    await this.#run(
      'cancel',
      () => api.invoices.cancel(this.id, version),
      (inv) => `${inv.displayName} cancelled.`,
    );
  }

  /** Throws the server's refusal (an amount above what is due, a missing journal) for the dialog. */
  async registerPayment(input: PaymentCreate): Promise<void> {
    const inv = await this.#runInDialog('payment', () => api.invoices.registerPayment(this.id, input));
    this.#apply(inv);
    this.#showNotice(inv.paymentState === 'paid' ? 'Payment registered: the invoice is paid.' : 'Payment registered.');
  }

  /** Drafts the credit note and opens it; throws the server's refusal for the dialog. */
  async creditNote(input: CreditNoteCreate): Promise<void> {
    const refund = await this.#runInDialog('credit', () => api.invoices.creditNote(this.id, input));
    await gotoInApp(`/invoices/${refund.id}`);
  }

  /** Throws the server's refusal (no email address, not posted) for the dialog. */
  async send(input: InvoiceSendInput): Promise<void> {
    const inv = await this.#runInDialog('send', () => api.invoices.send(this.id, input));
    this.#apply(inv);
    this.#showNotice(`${inv.displayName} sent to ${inv.partnerName}.`);
  }

  reloadCurrent(): void {
    const current = this.conflict?.current;
    this.conflict = null;
    this.error = null;
    if (current) this.#apply(current);
    else void this.load();
  }

  dismissConflict(): void {
    this.conflict = null;
  }

  /** Takes the version someone else saved, dropping the edits. */
  reloadRemote(): void {
    void this.load();
  }

  discardChanges(): void {
    this.localErrors = {};
    this.error = null;
    if (this.invoice) this.#apply(this.invoice);
    // Edits were holding back a newer version: take it now.
    void this.#reconcile();
  }

  /** Holds a link navigation back while there are edits to lose: `leaving` asks first. */
  holdNavigation(nav: BeforeNavigate): void {
    if (nav.type !== 'link' || !this.dirty || this.busy === 'save' || !nav.to) return;
    nav.cancel();
    this.leaving = nav.to;
  }

  stay(): void {
    this.leaving = null;
  }

  async leaveAnyway(): Promise<void> {
    const to = this.leaving;
    this.leaving = null;
    this.base = $state.snapshot(this.draft);
    if (to) await gotoInApp(to.url.pathname + to.url.search + to.url.hash);
  }
}
