import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type { PresenceUser } from '$contracts/events';
import { rooms } from '$contracts/events';
import { saleOrder, type SaleOrder } from '$contracts/schemas/sales';
import type { SaleOrderAction } from '$contracts/states';
import { call, routes } from '$lib/api';
import { DraftRecord } from '$lib/live-record.svelte';
import { companyCurrency, session } from '$lib/session.svelte';
import { onEvent } from '$lib/socket';
import { emptyDraft, fromOrder, isDirty, isUnmatched, toCreate, toPatch, type OrderDraft } from './draft';

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

/**
 * One order on screen: the copy as last loaded and the draft being edited, saving it and running its
 * state actions, the 409 conflict, and following it live (versions pushed by others, who else is looking).
 */
export class OrderEditorState extends DraftRecord<SaleOrder, OrderDraft, Exclude<Busy, null>, number | null> {
  others: PresenceUser[] = $state([]);

  /** `orderId` reads the component's prop: null for a new order. */
  constructor(orderId: () => number | null) {
    super(
      orderId,
      {
        room: (id) => rooms.record('saleOrder', id),
        event: 'order.updated',
        fetch: (id) => call(routes.saleOrders.get, { params: { id } }),
        schema: saleOrder,
        noticeMs: 4000,
      },
      { emptyDraft, toDraft: fromOrder, isDirty },
    );
  }

  get order(): SaleOrder | null {
    return this.record;
  }

  get orderId(): number | null {
    return this.id;
  }

  isNew = $derived(this.orderId === null);
  currency = $derived(this.order?.currency ?? companyCurrency());
  orderState = $derived(this.order?.state ?? 'draft');
  readOnly = $derived(this.orderState === 'done' || this.orderState === 'cancel');
  /** The discount code and the order discount change while the order is a quotation. */
  discountEditable = $derived(this.orderState === 'draft' || this.orderState === 'sent');
  /** A shop's lines not matched to a product, in the draft: the order cannot be confirmed with them. */
  unmatchedLines = $derived(this.draft.lines.filter(isUnmatched));
  /** Why an action cannot run now, by action. */
  blocked = $derived.by((): Partial<Record<SaleOrderAction, string>> => {
    const n = this.unmatchedLines.length;
    if (!n) return {};
    const names = this.unmatchedLines.map((l) => `"${l.description}"`).join(', ');
    return {
      confirm: `${names} ${n > 1 ? 'are' : 'is'} not matched to a product: match ${n > 1 ? 'them' : 'it'} (or remove ${n > 1 ? 'them' : 'it'}) to confirm.`,
    };
  });

  /** Loads the order, then follows it live: pushed updates and who else is looking. Returns the function that stops. */
  override follow(): (() => void) | undefined {
    const stop = super.follow();
    const id = this.orderId;
    if (id === null) {
      this.startEmpty();
      return;
    }
    const room = rooms.record('saleOrder', id);
    const offPresence = onEvent('presence.changed', (e) => {
      if (e.room === room) this.others = e.users.filter((u) => u.id !== session.user?.id);
    });
    return () => {
      stop?.();
      offPresence();
    };
  }

  async save(): Promise<boolean> {
    this.error = null;
    this.notice = '';
    const id = this.orderId;
    if (id === null) return this.#create();
    if (!this.order) return false;
    const { patch, errors } = toPatch(this.draft, this.base, this.order.version, this.currency);
    this.localErrors = errors;
    if (Object.keys(errors).length) return false;
    return this.update(
      'save',
      () => call(routes.saleOrders.update, { params: { id }, body: patch }),
      () => 'Saved.',
    );
  }

  async #create(): Promise<boolean> {
    const { input, errors } = toCreate(this.draft, this.currency);
    this.localErrors = errors;
    if (!input || Object.keys(errors).length) return false;
    this.busy = 'save';
    try {
      const created = await call(routes.saleOrders.create, { body: input });
      // Leaving a fresh order is not leaving unsaved work.
      this.settle();
      await goto(resolve('/orders/[id=id]', { id: String(created.id) }), { replaceState: true });
      return true;
    } catch (err) {
      this.error = err;
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** The order's reasons to look at it were seen to: its flag is cleared (with whatever else is on screen). */
  async markChecked(): Promise<boolean> {
    if (!this.order || this.unmatchedLines.length) return false;
    this.draft.needsAttention = false;
    return this.save();
  }

  async run(action: SaleOrderAction): Promise<void> {
    const id = this.orderId;
    if (id === null || !this.order || this.blocked[action]) return;
    // Like a paper form: what is on screen is saved before the button acts on it.
    if (this.dirty && !(await this.save())) return;
    await this.update(
      action,
      () => call(routes.saleOrders[action], { params: { id } }),
      () => DONE_MESSAGES[action],
    );
  }
}
