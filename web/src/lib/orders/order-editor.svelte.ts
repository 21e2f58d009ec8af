import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type { BeforeNavigate, NavigationTarget } from '@sveltejs/kit';
import type { OrderEvent, PresenceUser } from '$contracts/events';
import { rooms } from '$contracts/events';
import type { Tax } from '$contracts/schemas/catalog';
import type { SaleOrder } from '$contracts/schemas/sales';
import type { SaleOrderAction } from '$contracts/states';
import { api, ApiError, toConflict, type Conflict } from '$lib/api';
import { gotoInApp } from '$lib/nav';
import { companyCurrency, session } from '$lib/session.svelte';
import { onEvent, subscribeRoom } from '$lib/socket';
import { loadTaxes } from '$lib/taxes';
import { emptyDraft, fromOrder, isDirty, toCreate, toPatch, type FieldErrors, type OrderDraft } from './draft';

const DONE_MESSAGES: Record<SaleOrderAction, string> = {
  send: 'Quotation marked as sent.',
  confirm: 'Order confirmed.',
  cancel: 'Order cancelled.',
  lock: 'Order locked.',
  unlock: 'Order unlocked.',
  draft: 'Order set back to quotation.',
};

/** What the editor is waiting for: a save, a state action, or nothing. */
export type Busy = SaleOrderAction | 'save' | null;

function isSaleOrder(v: unknown): v is SaleOrder {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.id === 'number' && typeof o.version === 'number' && Array.isArray(o.lines);
}

/**
 * One order on screen: the copy as last loaded and the draft being edited, saving it and running its
 * state actions, the 409 conflict, and following it live (versions pushed by others, who else is looking).
 */
export class OrderEditorState {
  order: SaleOrder | null = $state(null);
  // The draft as last saved; edits are measured against it.
  base: OrderDraft = $state(emptyDraft());
  draft: OrderDraft = $state(emptyDraft());
  taxes: Tax[] = $state([]);
  loading = $state(false);
  loadError: unknown = $state(null);
  busy: Busy = $state(null);
  error: unknown = $state(null);
  localErrors: FieldErrors = $state({});
  conflict: Conflict<SaleOrder> | null = $state(null);
  remoteChange: { version: number; by: string | null } | null = $state(null);
  notice = $state('');
  others: PresenceUser[] = $state([]);
  // A link navigation held back while there are edits to lose.
  leaving: NavigationTarget | null = $state(null);
  #latestRemoteVersion = 0;
  #latestRemoteBy: string | null = null;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #orderId: () => number | null;

  /** `orderId` reads the component's prop: null for a new order. */
  constructor(orderId: () => number | null) {
    this.#orderId = orderId;
  }

  get orderId(): number | null {
    return this.#orderId();
  }

  isNew = $derived(this.orderId === null);
  currency = $derived(this.order?.currency ?? companyCurrency());
  dirty = $derived(isDirty(this.draft, this.base));
  orderState = $derived(this.order?.state ?? 'draft');
  readOnly = $derived(this.orderState === 'done' || this.orderState === 'cancel');

  // Server field errors (`lines.0.quantity`) and local ones share the same names.
  fieldErrors = $derived.by((): FieldErrors => {
    const out: FieldErrors = { ...this.localErrors };
    if (this.error instanceof ApiError) for (const d of this.error.details) out[d.field] ??= d.message;
    return out;
  });

  #showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => (this.notice = ''), 4000);
  }

  #apply(o: SaleOrder): void {
    this.order = o;
    this.base = fromOrder(o);
    this.draft = fromOrder(o);
    this.localErrors = {};
    this.conflict = null;
    if (o.version >= this.#latestRemoteVersion) this.remoteChange = null;
  }

  /** A failed save or action: the conflict when the order changed meanwhile, otherwise the error. */
  #failed(err: unknown): void {
    const conflict = toConflict(err, isSaleOrder);
    if (conflict) this.conflict = conflict;
    else this.error = err;
  }

  async load(id: number): Promise<void> {
    this.loading = this.order === null;
    this.loadError = null;
    try {
      this.#apply(await api.saleOrders.get(id));
      this.error = null;
    } catch (err) {
      if (this.order === null) this.loadError = err;
      else this.error = err;
    } finally {
      this.loading = false;
    }
  }

  /** Loads the order, then follows it live: pushed updates and who else is looking. Returns the function that stops. */
  follow(id: number | null): (() => void) | undefined {
    loadTaxes()
      .then((t) => (this.taxes = t))
      .catch((err: unknown) => (this.error = err));
    if (id === null) {
      this.base = emptyDraft();
      this.draft = emptyDraft();
      return;
    }
    void this.load(id);
    const room = rooms.record('saleOrder', id);
    const offs = [
      subscribeRoom(room, {
        onResync: () => void this.#resync(),
        onError: (e) => (this.error = new ApiError(403, e.code, e.message)),
      }),
      onEvent('order.updated', (e) => this.#onRemoteUpdate(e)),
      onEvent('presence.changed', (e) => {
        if (e.room === room) this.others = e.users.filter((u) => u.id !== session.user?.id);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** After a push or a reconnect: take the server's version unless it would throw away edits. */
  async #reconcile(): Promise<void> {
    const id = this.orderId;
    if (id === null || !this.order || this.busy) return;
    if (this.#latestRemoteVersion <= this.order.version) return;
    if (!this.dirty) {
      await this.load(id);
    } else {
      this.remoteChange = { version: this.#latestRemoteVersion, by: this.#latestRemoteBy };
    }
  }

  #onRemoteUpdate(e: OrderEvent): void {
    if (e.id !== this.orderId || !this.order || e.version <= this.order.version) return;
    this.#latestRemoteVersion = Math.max(this.#latestRemoteVersion, e.version);
    this.#latestRemoteBy = e.by?.name ?? null;
    void this.#reconcile();
  }

  async #resync(): Promise<void> {
    const id = this.orderId;
    if (id === null || !this.order) return;
    try {
      const fresh = await api.saleOrders.get(id);
      if (fresh.version > (this.order?.version ?? 0)) {
        this.#latestRemoteVersion = Math.max(this.#latestRemoteVersion, fresh.version);
        this.#latestRemoteBy = null;
        if (!this.dirty && !this.busy) this.#apply(fresh);
        else if (!this.busy) this.remoteChange = { version: fresh.version, by: null };
      }
    } catch (err) {
      this.error = err;
    }
  }

  async save(): Promise<boolean> {
    this.error = null;
    this.notice = '';
    const id = this.orderId;
    if (id === null) {
      const { input, errors } = toCreate(this.draft, this.currency);
      this.localErrors = errors;
      if (!input || Object.keys(errors).length) return false;
      this.busy = 'save';
      try {
        const created = await api.saleOrders.create(input);
        // Leaving a fresh order is not leaving unsaved work.
        this.base = $state.snapshot(this.draft);
        await goto(resolve('/orders/[id]', { id: String(created.id) }), { replaceState: true });
        return true;
      } catch (err) {
        this.error = err;
        return false;
      } finally {
        this.busy = null;
      }
    }
    if (!this.order) return false;
    const { patch, errors } = toPatch(this.draft, this.base, this.order.version, this.currency);
    this.localErrors = errors;
    if (Object.keys(errors).length) return false;
    this.busy = 'save';
    try {
      this.#apply(await api.saleOrders.update(id, patch));
      this.#showNotice('Saved.');
      return true;
    } catch (err) {
      this.#failed(err);
      return false;
    } finally {
      this.busy = null;
      void this.#reconcile();
    }
  }

  async run(action: SaleOrderAction): Promise<void> {
    const id = this.orderId;
    if (id === null || !this.order) return;
    // Like a paper form: what is on screen is saved before the button acts on it.
    if (this.dirty && !(await this.save())) return;
    this.error = null;
    this.busy = action;
    try {
      this.#apply(await api.saleOrders.action(id, action));
      this.#showNotice(DONE_MESSAGES[action]);
    } catch (err) {
      this.#failed(err);
    } finally {
      this.busy = null;
      void this.#reconcile();
    }
  }

  reloadCurrent(): void {
    const current = this.conflict?.current;
    this.conflict = null;
    this.error = null;
    if (current) this.#apply(current);
    else if (this.orderId !== null) void this.load(this.orderId);
  }

  dismissConflict(): void {
    this.conflict = null;
  }

  /** Takes the version someone else saved, dropping the edits. */
  reloadRemote(): void {
    if (this.orderId !== null) void this.load(this.orderId);
  }

  discardChanges(): void {
    this.localErrors = {};
    this.error = null;
    if (!this.order) {
      this.draft = emptyDraft();
      return;
    }
    this.#apply(this.order);
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
