import type { InvoiceEvent } from '$contracts/events';
import type { InvoiceSummary } from '$contracts/schemas/invoices';
import { INVOICE_STATES, MOVE_TYPES, PAYMENT_STATES, type InvoiceState, type MoveType, type PaymentState } from '$contracts/states';
import { call, routes } from '$lib/api';
import { ListState } from '$lib/list.svelte';
import { Flashes } from '$lib/flashes';

const RELOAD_MS = 400;

export type InvoiceFilters = {
  moveType: MoveType | '';
  state: InvoiceState | '';
  paymentState: PaymentState | '';
  overdue: boolean;
  partnerId: number | null;
  saleOrderId: number | null;
};

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | '' => ((list as readonly string[]).includes(v ?? '') ? (v as T) : '');

const idParam = (v: string | null): number | null => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
};

/** The filters a shared address carries: `?moveType=out_refund&state=posted&paymentState=partial&overdue=1&partnerId=4&saleOrderId=9`. */
export function filtersFromUrl(params: URLSearchParams): InvoiceFilters {
  return {
    moveType: oneOf(MOVE_TYPES, params.get('moveType')),
    state: oneOf(INVOICE_STATES, params.get('state')),
    paymentState: oneOf(PAYMENT_STATES, params.get('paymentState')),
    overdue: params.get('overdue') === '1',
    partnerId: idParam(params.get('partnerId')),
    saleOrderId: idParam(params.get('saleOrderId')),
  };
}

export function filtersToUrl(f: InvoiceFilters, params: URLSearchParams): void {
  const set = (k: string, v: string | null) => (v ? params.set(k, v) : params.delete(k));
  set('moveType', f.moveType || null);
  set('state', f.state || null);
  set('paymentState', f.paymentState || null);
  set('overdue', f.overdue ? '1' : null);
  set('partnerId', f.partnerId === null ? null : String(f.partnerId));
  set('saleOrderId', f.saleOrderId === null ? null : String(f.saleOrderId));
}

/** The invoices screen: a filtered page of invoices and credit notes, kept live from the invoices board, paged by cursor. */
export class InvoiceListState {
  filters: InvoiceFilters;
  readonly list: ListState<InvoiceSummary>;
  readonly flashes = new Flashes();
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(params: URLSearchParams) {
    this.filters = $state(filtersFromUrl(params));
    this.list = new ListState<InvoiceSummary>(
      ({ limit, offset, q, after }) =>
        call(routes.invoices.list, {
          query: {
            limit,
            offset,
            after,
            q,
            moveType: this.filters.moveType || undefined,
            state: this.filters.state || undefined,
            paymentState: this.filters.paymentState || undefined,
            overdue: this.filters.overdue || undefined,
            partnerId: this.filters.partnerId ?? undefined,
            saleOrderId: this.filters.saleOrderId ?? undefined,
          },
        }),
      { limit: 25 },
    );
  }

  /** After a change of filters: from the first page again. */
  refilter(): void {
    void this.list.page(0);
  }

  /**
   * An invoice changed: a row shown takes its new summary at once; the page loads again shortly after,
   * for invoices that now enter or leave the filters (a new draft, one just paid).
   */
  onUpdated(e: InvoiceEvent): void {
    const i = this.list.items.findIndex((x) => x.id === e.id);
    const shown = this.list.items[i];
    if (shown && shown.version < e.invoice.version) {
      this.list.items[i] = e.invoice;
      this.flashes.flash(e.id);
    }
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.list.load(), RELOAD_MS);
  }
}
