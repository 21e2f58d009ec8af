import { rooms } from '$contracts/events';
import type { Body } from '$contracts/api';
import { picking as pickingSchema, type Picking, type StockMove } from '$contracts/schemas/inventory';
import type { PickingShortage } from '$contracts/schemas/purchasing';
import type { PickingType } from '$contracts/states';
import { call, routes } from '$lib/api';
import { parseDecimal } from '$lib/format';
import { LiveRecord } from '$lib/live-record.svelte';
import type { FieldErrors } from '$lib/forms';
import { canManagePurchases } from '$lib/session.svelte';
import { isOpen, returnableLines, shortages, type ReturnableLine } from './pickings';

/** What the page is waiting for. */
export type PickingBusy = 'save' | 'check' | 'validate' | 'cancel' | 'return' | 'orderMore' | null;

type Shipping = { carrier: string; trackingRef: string };

function isMoveOpen(m: StockMove): boolean {
  return m.state !== 'done' && m.state !== 'cancel';
}

/**
 * The done quantity a move starts with: what was entered, else what the server would take (a delivery:
 * what is reserved; a receipt: what was ordered, since nothing is reserved from a vendor).
 */
function defaultDone(m: StockMove, type: PickingType): number {
  if (m.quantityDone > 0 || !isMoveOpen(m)) return m.quantityDone;
  return type === 'incoming' ? m.quantity : m.quantityReserved;
}

function shippingOf(p: Picking): Shipping {
  return { carrier: p.carrier ?? '', trackingRef: p.trackingRef ?? '' };
}

/**
 * One transfer on screen: its carrier and tracking form (saved with its version), the done quantities
 * typed per move, its actions (availability, validation with the backorder question, cancel, return),
 * and following it live.
 */
export class PickingDetail extends LiveRecord<Picking, Exclude<PickingBusy, null>> {
  /** The backorder the last validation created. */
  backorder: Picking | null = $state(null);
  /** The RFQ the last "Order more" filled. */
  orderedRfq: { id: number; name: string; quantity: number } | null = $state(null);
  /** A delivery waiting for stock, shown to buyers: what it lacks, what of it is on order already, what is left to order. */
  shortage: PickingShortage | null = $state(null);
  // The picking version the shortage was read for: read again when the picking changes.
  #shortageOf = '';
  /** Validating less than the demand: the question is open. */
  askingBackorder = $state(false);
  shipping: Shipping = $state({ carrier: '', trackingRef: '' });
  /** The done quantity typed per move id. */
  done: Record<number, string> = $state({});
  // As last loaded or saved: what is typed is measured against them.
  #base: Shipping = $state({ carrier: '', trackingRef: '' });
  #baseDone: Record<number, string> = $state({});

  /** `id` reads the component's prop. */
  constructor(id: () => number) {
    super(id, {
      room: (i) => rooms.record('picking', i),
      event: 'picking.updated',
      fetch: (i) => call(routes.pickings.get, { params: { id: i } }),
      schema: pickingSchema,
      noticeMs: 6000,
    });
  }

  get picking(): Picking | null {
    return this.record;
  }

  shippingDirty = $derived(this.shipping.carrier.trim() !== this.#base.carrier || this.shipping.trackingRef.trim() !== this.#base.trackingRef);
  doneDirty = $derived(Object.entries(this.done).some(([id, v]) => v.trim() !== this.#baseDone[Number(id)]));
  dirty = $derived(this.shippingDirty || this.doneDirty);
  open = $derived(this.picking !== null && isOpen(this.picking.state));

  protected fill(p: Picking): void {
    this.#base = shippingOf(p);
    this.shipping = shippingOf(p);
    this.#baseDone = Object.fromEntries(p.moves.map((m) => [m.id, String(defaultDone(m, p.type))]));
    this.done = { ...this.#baseDone };
    void this.#readShortage(p);
  }

  async #readShortage(p: Picking, again = false): Promise<void> {
    if (!shortages(p).length || !canManagePurchases()) {
      this.shortage = null;
      this.#shortageOf = '';
      return;
    }
    const key = `${p.id}:${p.version}`;
    if (key === this.#shortageOf && !again) return;
    this.#shortageOf = key;
    try {
      const shortage = await call(routes.pickings.shortage, { params: { id: p.id } });
      if (this.#shortageOf === key) this.shortage = shortage;
    } catch (err) {
      this.error = err;
    }
  }

  #shippingPatch(): { carrier: string | null; trackingRef: string | null } {
    return { carrier: this.shipping.carrier.trim() || null, trackingRef: this.shipping.trackingRef.trim() || null };
  }

  async save(): Promise<void> {
    const p = this.picking;
    if (!p) return;
    await this.update(
      'save',
      () => call(routes.pickings.update, { params: { id: p.id }, body: { version: p.version, ...this.#shippingPatch() } }),
      () => 'Saved.',
    );
  }

  async checkAvailability(): Promise<void> {
    await this.update(
      'check',
      () => call(routes.pickings.checkAvailability, { params: { id: this.id } }),
      (p) => (p.state === 'assigned' ? 'Everything is reserved: ready to ship.' : 'Not everything could be reserved yet.'),
    );
  }

  async cancel(): Promise<void> {
    await this.update(
      'cancel',
      () => call(routes.pickings.cancel, { params: { id: this.id } }),
      () => 'Transfer cancelled.',
    );
  }

  /** Orders the shortage (or `quantity`) from the preferred vendor's draft RFQ; throws the server's refusal for the dialog. */
  async orderMore(quantity?: number): Promise<void> {
    this.error = null;
    this.notice = '';
    this.orderedRfq = null;
    this.busy = 'orderMore';
    try {
      const res = await call(routes.pickings.orderMore, { params: { id: this.id }, body: quantity === undefined ? {} : { quantity } });
      const rfq = await call(routes.purchaseOrders.get, { params: { id: res.purchaseOrderId } });
      this.orderedRfq = { id: rfq.id, name: rfq.name, quantity: res.quantity };
      this.showNotice(`${res.quantity} more ordered on ${rfq.name} (${rfq.partnerName}).`);
      // Now on order: the button offers only what is left (nothing, usually).
      if (this.picking) await this.#readShortage(this.picking, true);
    } finally {
      this.busy = null;
    }
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
  async validate(backorder?: boolean): Promise<void> {
    this.askingBackorder = false;
    const p = this.picking;
    const moves = p ? this.#doneMoves(p) : null;
    if (!p || !moves) return;
    await this.perform('validate', async () => {
      const res = await call(routes.pickings.validate, {
        params: { id: p.id },
        body: { version: p.version, moves, backorder, ...(this.shippingDirty ? this.#shippingPatch() : {}) },
      });
      this.apply(res.picking);
      this.backorder = res.backorder;
      this.showNotice(res.backorder ? `Validated. The rest waits in backorder ${res.backorder.name}.` : 'Validated.');
    });
  }

  /** What a return may take back: per product delivered, the delivered quantity minus what other returns took back. */
  async returnable(): Promise<ReturnableLine[]> {
    const p = this.picking;
    if (!p) return [];
    const list = await call(routes.pickings.list, { query: { type: 'return', saleOrderId: p.saleOrderId ?? undefined, limit: 200 } });
    const returns = await Promise.all(
      list.items.filter((r) => r.returnOfId === p.id && r.state !== 'cancel').map((r) => call(routes.pickings.get, { params: { id: r.id } })),
    );
    return returnableLines(p, returns);
  }

  /** Creates the return; resolves with it (to open it and validate it), or null when refused. */
  async createReturn(input: Body<typeof routes.pickings.createReturn>): Promise<Picking | null> {
    let created: Picking | null = null;
    await this.perform('return', async () => {
      created = await call(routes.pickings.createReturn, { params: { id: this.id }, body: input });
    });
    return created;
  }
}
