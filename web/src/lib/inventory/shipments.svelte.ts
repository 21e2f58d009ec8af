import type { PickingEvent } from '$contracts/events';
import type { PickingSummary } from '$contracts/schemas/inventory';
import { PICKING_STATE_LABELS } from '$contracts/states';
import { call, routes } from '$lib/api';
import { Flashes } from '$lib/flashes';
import { direction, isOpen } from './pickings';

/**
 * The shipments wall: the transfers still to do, inbound and outbound, kept live from the shipments
 * board. A new one appears, a done or cancelled one leaves, without a reload.
 */
export class ShipmentsBoard {
  inbound: PickingSummary[] = $state([]);
  outbound: PickingSummary[] = $state([]);
  loaded = $state(false);
  error: unknown = $state(null);
  /** The last change, for screen readers. */
  announcement = $state('');
  readonly flashes = new Flashes();
  // The newest version seen per transfer: an event overtaken by a newer one (or by a load) is dropped.
  readonly #versions: Record<number, number> = {};
  #seq = 0;

  async load(): Promise<void> {
    const mine = ++this.#seq;
    try {
      const res = await call(routes.shipments.pending);
      if (mine !== this.#seq) return;
      // A transfer pushed newer while the list was on its way keeps its pushed copy, or stays gone.
      const merge = (list: PickingSummary[], shown: PickingSummary[]) =>
        list.flatMap((p) => ((this.#versions[p.id] ?? -1) <= p.version ? [p] : shown.filter((x) => x.id === p.id)));
      this.inbound = merge(res.inbound, this.inbound);
      this.outbound = merge(res.outbound, this.outbound);
      for (const p of [...res.inbound, ...res.outbound]) this.#seen(p);
      this.error = null;
    } catch (err) {
      if (mine === this.#seq) this.error = err;
    } finally {
      if (mine === this.#seq) this.loaded = true;
    }
  }

  onUpdated(e: PickingEvent): void {
    const p = e.picking;
    if ((this.#versions[p.id] ?? -1) >= p.version) return;
    this.#seen(p);
    const column = direction(p.type) === 'inbound' ? 'inbound' : 'outbound';
    const shown = this[column].some((x) => x.id === p.id);
    // Pending transfers only: done and cancelled ones leave the wall.
    const others = this[column].filter((x) => x.id !== p.id);
    if (!isOpen(p.state)) {
      if (!shown) return;
      this[column] = others;
      this.announcement = `${p.name} ${PICKING_STATE_LABELS[p.state].toLowerCase()}.`;
      return;
    }
    this[column] = [...others, p];
    this.flashes.flash(p.id);
    this.announcement = shown ? `${p.name}: ${PICKING_STATE_LABELS[p.state]}.` : `New ${column}: ${p.name}.`;
  }

  #seen(p: PickingSummary): void {
    this.#versions[p.id] = Math.max(p.version, this.#versions[p.id] ?? -1);
  }
}
