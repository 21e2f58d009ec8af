import type { PickingEvent } from '$contracts/events';
import { PICKING_DUE, type PickingDue, type PickingSummary } from '$contracts/schemas/inventory';
import { PICKING_STATES, PICKING_TYPES, type PickingState, type PickingType } from '$contracts/states';
import { call, routes } from '$lib/api';
import { ListState } from '$lib/list.svelte';
import { Flashes } from '$lib/flashes';

const RELOAD_MS = 400;

export type PickingFilters = {
  /** '' : every type the screen lists (only with an order, whose transfers are all of one screen). */
  type: PickingType | '';
  states: PickingState[];
  saleOrderId: number | null;
  /** '' : whenever; `late`: open and scheduled before today; `today`: open and scheduled today. */
  due: PickingDue | '';
};

function isType(v: string | null): v is PickingType {
  return (PICKING_TYPES as readonly string[]).includes(v ?? '');
}

function isState(v: string): v is PickingState {
  return (PICKING_STATES as readonly string[]).includes(v);
}

function isDue(v: string | null): v is PickingDue {
  return (PICKING_DUE as readonly string[]).includes(v ?? '');
}

/** The filters a shared address carries: `?type=return&state=assigned&state=confirmed&saleOrderId=12&due=late`. */
export function filtersFromUrl(params: URLSearchParams, types: readonly PickingType[]): PickingFilters {
  const orderId = Number(params.get('saleOrderId'));
  const saleOrderId = Number.isInteger(orderId) && orderId > 0 ? orderId : null;
  const type = params.get('type');
  const due = params.get('due');
  const fallback = saleOrderId !== null && types.length > 1 ? '' : (types[0] ?? '');
  return {
    type: isType(type) && types.includes(type) ? type : fallback,
    states: params.getAll('state').filter(isState),
    saleOrderId,
    due: isDue(due) ? due : '',
  };
}

export function filtersToUrl(f: PickingFilters, params: URLSearchParams): void {
  params.delete('state');
  for (const s of f.states) params.append('state', s);
  if (f.type) params.set('type', f.type);
  else params.delete('type');
  if (f.saleOrderId !== null) params.set('saleOrderId', String(f.saleOrderId));
  else params.delete('saleOrderId');
  if (f.due) params.set('due', f.due);
  else params.delete('due');
}

/** A list screen of transfers (deliveries, receipts): a filtered page kept live from the shipments board, paged by cursor. */
export class PickingListState {
  filters: PickingFilters;
  readonly list: ListState<PickingSummary>;
  readonly flashes = new Flashes();
  readonly #types: () => readonly PickingType[];
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  /** `types`: the transfers this screen is about; `params`: the address's filters. */
  constructor(types: () => readonly PickingType[], params: URLSearchParams) {
    this.filters = $state(filtersFromUrl(params, types()));
    this.#types = types;
    this.list = new ListState<PickingSummary>(
      ({ limit, offset, q, after }) =>
        call(routes.pickings.list, {
          query: {
            limit,
            offset,
            after,
            q,
            type: this.filters.type || undefined,
            state: this.filters.states,
            saleOrderId: this.filters.saleOrderId ?? undefined,
            due: this.filters.due || undefined,
          },
        }),
      { limit: 25 },
    );
  }

  /** After a change of filters: from the first page again. */
  refilter(): void {
    void this.list.page(0);
  }

  toggleState(s: PickingState): void {
    const f = this.filters;
    f.states = f.states.includes(s) ? f.states.filter((x) => x !== s) : [...f.states, s];
    this.refilter();
  }

  /**
   * A transfer changed: a row shown takes its new summary at once; the page loads again shortly
   * after, for transfers that now enter or leave the filters (a new delivery, one just done).
   */
  onUpdated(e: PickingEvent): void {
    const i = this.list.items.findIndex((p) => p.id === e.id);
    const shown = this.list.items[i];
    if (!shown && !this.#concerns(e.picking)) return;
    if (shown && shown.version < e.picking.version) {
      this.list.items[i] = e.picking;
      this.flashes.flash(e.id);
    }
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.list.load(), RELOAD_MS);
  }

  #concerns(p: PickingSummary): boolean {
    const f = this.filters;
    return (f.type ? p.type === f.type : this.#types().includes(p.type)) && (f.saleOrderId === null || p.saleOrderId === f.saleOrderId);
  }
}
