import type { PickingEvent } from '$contracts/events';
import { rooms } from '$contracts/events';
import type { Picking, StockMove } from '$contracts/schemas/inventory';
import { api, ApiError, toConflict, type Conflict, type PickingReturnInput } from '$lib/api';
import { parseDecimal } from '$lib/format';
import type { FieldErrors } from '$lib/record-editor.svelte';
import { onEvent, subscribeRoom } from '$lib/socket';
import { isOpen, returnableLines, type ReturnableLine } from './pickings';

/** What the page is waiting for. */
export type PickingBusy = 'save' | 'check' | 'validate' | 'cancel' | 'return' | null;

type Shipping = { carrier: string; trackingRef: string };

function isPicking(v: unknown): v is Picking {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return typeof p.id === 'number' && typeof p.version === 'number' && Array.isArray(p.moves);
}

function isMoveOpen(m: StockMove): boolean {
  return m.state !== 'done' && m.state !== 'cancel';
}

/** The done quantity a move starts with: what was entered, else what the server would take (what is reserved). */
function defaultDone(m: StockMove): number {
  return m.quantityDone > 0 || !isMoveOpen(m) ? m.quantityDone : m.quantityReserved;
}

function shippingOf(p: Picking): Shipping {
  return { carrier: p.carrier ?? '', trackingRef: p.trackingRef ?? '' };
}

/**
 * One transfer on screen: its carrier and tracking form (saved with its version), the done quantities
 * typed per move, its actions (availability, validation with the backorder question, cancel, return),
 * and following it live.
 */
export class PickingDetail {
  picking: Picking | null = $state(null);
  loading = $state(true);
  loadError: unknown = $state(null);
  busy: PickingBusy = $state(null);
  error: unknown = $state(null);
  localErrors: FieldErrors = $state({});
  conflict: Conflict<Picking> | null = $state(null);
  /** Someone else changed the transfer while this page had edits. */
  remoteChange = $state(false);
  notice = $state('');
  /** The backorder the last validation created. */
  backorder: Picking | null = $state(null);
  /** Validating less than the demand: the question is open. */
  askingBackorder = $state(false);
  shipping: Shipping = $state({ carrier: '', trackingRef: '' });
  /** The done quantity typed per move id. */
  done: Record<number, string> = $state({});
  // As last loaded or saved: what is typed is measured against them.
  #base: Shipping = $state({ carrier: '', trackingRef: '' });
  #baseDone: Record<number, string> = $state({});
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #id: () => number;

  /** `id` reads the component's prop. */
  constructor(id: () => number) {
    this.#id = id;
  }

  get id(): number {
    return this.#id();
  }

  shippingDirty = $derived(this.shipping.carrier.trim() !== this.#base.carrier || this.shipping.trackingRef.trim() !== this.#base.trackingRef);
  doneDirty = $derived(Object.entries(this.done).some(([id, v]) => v.trim() !== this.#baseDone[Number(id)]));
  dirty = $derived(this.shippingDirty || this.doneDirty);
  open = $derived(this.picking !== null && isOpen(this.picking.state));

  #apply(p: Picking): void {
    this.picking = p;
    this.#base = shippingOf(p);
    this.shipping = shippingOf(p);
    this.#baseDone = Object.fromEntries(p.moves.map((m) => [m.id, String(defaultDone(m))]));
    this.done = { ...this.#baseDone };
    this.localErrors = {};
    this.conflict = null;
    this.remoteChange = false;
  }

  #showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => (this.notice = ''), 6000);
  }

  #failed(err: unknown): void {
    const conflict = toConflict(err, isPicking);
    if (conflict) this.conflict = conflict;
    else this.error = err;
  }

  async load(): Promise<void> {
    try {
      this.#apply(await api.pickings.get(this.id));
      this.loadError = null;
      this.error = null;
    } catch (err) {
      if (this.picking === null) this.loadError = err;
      else this.error = err;
    } finally {
      this.loading = false;
    }
  }

  /** Loads the transfer, then follows its room. Returns the function that stops. */
  follow(): () => void {
    void this.load();
    const offs = [
      subscribeRoom(rooms.record('picking', this.id), {
        onResync: () => void this.#resync(),
        onError: (e) => (this.error = new ApiError(403, e.code, e.message)),
      }),
      onEvent('picking.updated', (e) => {
        if (e.id === this.id) this.#onRemote(e);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  /** A pushed change: taken unless it would throw away what is typed. */
  #onRemote(e: PickingEvent): void {
    const current = this.picking;
    // An action under way answers with the new version itself.
    if (!current || this.busy || e.picking.version <= current.version) return;
    if (this.dirty) this.remoteChange = true;
    else void this.load();
  }

  /** After a reconnect: changes pushed meanwhile were lost. */
  async #resync(): Promise<void> {
    const current = this.picking;
    if (!current || this.busy) return;
    try {
      const fresh = await api.pickings.get(this.id);
      if (fresh.version <= current.version || this.busy) return;
      if (this.dirty) this.remoteChange = true;
      else this.#apply(fresh);
    } catch (err) {
      this.error = err;
    }
  }

  async #run(busy: Exclude<PickingBusy, null>, action: () => Promise<void>): Promise<void> {
    this.error = null;
    this.conflict = null;
    this.notice = '';
    this.busy = busy;
    try {
      await action();
    } catch (err) {
      this.#failed(err);
    } finally {
      this.busy = null;
    }
  }

  #shippingPatch(): { carrier: string | null; trackingRef: string | null } {
    return { carrier: this.shipping.carrier.trim() || null, trackingRef: this.shipping.trackingRef.trim() || null };
  }

  save(): Promise<void> {
    const p = this.picking;
    if (!p) return Promise.resolve();
    return this.#run('save', async () => {
      this.#apply(await api.pickings.update(p.id, { version: p.version, ...this.#shippingPatch() }));
      this.#showNotice('Saved.');
    });
  }

  checkAvailability(): Promise<void> {
    return this.#run('check', async () => {
      const p = await api.pickings.checkAvailability(this.id);
      this.#apply(p);
      this.#showNotice(p.state === 'assigned' ? 'Everything is reserved: ready to ship.' : 'Not everything could be reserved yet.');
    });
  }

  cancel(): Promise<void> {
    return this.#run('cancel', async () => {
      this.#apply(await api.pickings.cancel(this.id));
      this.#showNotice('Transfer cancelled.');
    });
  }

  /** The done quantities typed, checked; null (with the errors shown) when one is not a quantity. */
  #doneMoves(p: Picking): { id: number; quantityDone: number }[] | null {
    const errors: FieldErrors = {};
    const moves: { id: number; quantityDone: number }[] = [];
    for (const m of p.moves.filter(isMoveOpen)) {
      const q = parseDecimal(this.done[m.id] ?? '');
      if (q === null || q < 0) errors[`move.${m.id}`] = 'Enter a quantity of 0 or more.';
      else moves.push({ id: m.id, quantityDone: q });
    }
    this.localErrors = errors;
    return Object.keys(errors).length ? null : moves;
  }

  /** Validate: with less than the demand done, asks first whether the rest becomes a backorder. */
  requestValidate(): void {
    const p = this.picking;
    if (!p) return;
    const moves = this.#doneMoves(p);
    if (!moves) return;
    const partial = moves.some((d) => d.quantityDone < (p.moves.find((m) => m.id === d.id)?.quantity ?? 0));
    if (partial) this.askingBackorder = true;
    else void this.validate();
  }

  /** `backorder`: what becomes of the rest of a partial validation (created, or cancelled). */
  validate(backorder?: boolean): Promise<void> {
    this.askingBackorder = false;
    const p = this.picking;
    const moves = p ? this.#doneMoves(p) : null;
    if (!p || !moves) return Promise.resolve();
    return this.#run('validate', async () => {
      const res = await api.pickings.validate(p.id, {
        version: p.version,
        moves,
        backorder,
        ...(this.shippingDirty ? this.#shippingPatch() : {}),
      });
      this.#apply(res.picking);
      this.backorder = res.backorder;
      this.#showNotice(res.backorder ? `Validated. The rest waits in backorder ${res.backorder.name}.` : 'Validated.');
    });
  }

  /** What a return may take back: per product delivered, the delivered quantity minus what other returns took back. */
  async returnable(): Promise<ReturnableLine[]> {
    const p = this.picking;
    if (!p) return [];
    const list = await api.pickings.list({ type: 'return', saleOrderId: p.saleOrderId ?? undefined, limit: 200 });
    const returns = await Promise.all(list.items.filter((r) => r.returnOfId === p.id && r.state !== 'cancel').map((r) => api.pickings.get(r.id)));
    return returnableLines(p, returns);
  }

  /** Creates the return; resolves with it (to open it and validate it), or null when refused. */
  async createReturn(input: PickingReturnInput): Promise<Picking | null> {
    let created: Picking | null = null;
    await this.#run('return', async () => {
      created = await api.pickings.createReturn(this.id, input);
    });
    return created;
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

  /** Takes the version someone else saved, dropping what was typed. */
  reloadRemote(): void {
    void this.load();
  }
}
