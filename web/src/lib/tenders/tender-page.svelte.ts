import { rooms } from '$contracts/events';
import type { PurchaseQuoteInput } from '$contracts/schemas/purchasing';
import type { Tender, TenderComparison } from '$contracts/schemas/tenders';
import { call, routes } from '$lib/api';
import { onEvent, subscribeRoom } from '$lib/socket';

export type TenderBusy = 'send' | 'cancel' | 'choose' | 'quote' | null;

/**
 * One call for tenders on its page: the tender and its comparison, loaded together and again whenever
 * its room says it changed (an answer came in, someone sent, chose or cancelled it), and its actions.
 */
export class TenderPageState {
  tender: Tender | null = $state(null);
  comparison: TenderComparison | null = $state(null);
  loading = $state(true);
  loadError: unknown = $state(null);
  error: unknown = $state(null);
  busy: TenderBusy = $state(null);
  notice = $state('');
  /** Per tender line, the RFQ (vendor) picked for it in the comparison. */
  picks: Record<number, number> = $state({});
  readonly #id: () => number;
  #seq = 0;

  constructor(id: () => number) {
    this.#id = id;
  }

  get id(): number {
    return this.#id();
  }

  async load(): Promise<void> {
    const seq = ++this.#seq;
    try {
      const id = this.id;
      const [tender, comparison] = await Promise.all([call(routes.tenders.get, { params: { id } }), call(routes.tenders.comparison, { params: { id } })]);
      if (seq !== this.#seq) return;
      this.tender = tender;
      this.comparison = comparison;
      this.loadError = null;
      this.#defaultPicks();
    } catch (err) {
      if (this.tender === null) this.loadError = err;
      else this.error = err;
    } finally {
      this.loading = false;
    }
  }

  // Each line is on its best price until someone picks a vendor for it: as answers arrive, the pick follows the best.
  #picked: number[] = [];

  #defaultPicks(): void {
    const open = (this.comparison?.vendors ?? []).filter((v) => v.state === 'draft' || v.state === 'sent').map((v) => v.purchaseOrderId);
    for (const line of this.comparison?.lines ?? []) {
      const current = this.picks[line.id];
      if (current !== undefined && open.includes(current) && this.#picked.includes(line.id)) continue;
      if (line.bestPricePurchaseOrderId !== null && open.includes(line.bestPricePurchaseOrderId)) this.picks[line.id] = line.bestPricePurchaseOrderId;
      else delete this.picks[line.id];
    }
  }

  /** Someone picked the vendor of a line: it stays, whatever answers come next. */
  pick(lineId: number, purchaseOrderId: number): void {
    this.picks[lineId] = purchaseOrderId;
    if (!this.#picked.includes(lineId)) this.#picked.push(lineId);
  }

  /** Loads, then follows the tender's room: every change reloads it. Returns the function that stops. */
  follow(): () => void {
    void this.load();
    const offs = [
      subscribeRoom(rooms.record('tender', this.id), { onResync: () => void this.load(), onError: (e) => (this.error = new Error(e.message)) }),
      onEvent('tender.updated', (e) => {
        if (e.id === this.id && (!this.tender || e.version > this.tender.version)) void this.load();
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  async #perform(busy: TenderBusy, action: () => Promise<unknown>, done: string): Promise<boolean> {
    this.busy = busy;
    this.error = null;
    this.notice = '';
    try {
      await action();
      this.notice = done;
      await this.load();
      return true;
    } catch (err) {
      this.error = err;
      return false;
    } finally {
      this.busy = null;
    }
  }

  send(): Promise<boolean> {
    return this.#perform(
      'send',
      () => call(routes.tenders.send, { params: { id: this.id }, body: { version: this.tender?.version } }),
      'Sent to every vendor.',
    );
  }

  cancel(): Promise<boolean> {
    return this.#perform(
      'cancel',
      () => call(routes.tenders.cancel, { params: { id: this.id }, body: { version: this.tender?.version } }),
      'Cancelled: the vendors asked were told.',
    );
  }

  /** The lines picked in the comparison, each from its vendor. */
  choosePicked(): Promise<boolean> {
    const lines = Object.entries(this.picks).map(([lineId, purchaseOrderId]) => ({ lineId: Number(lineId), purchaseOrderId }));
    return this.#perform(
      'choose',
      () => call(routes.tenders.choose, { params: { id: this.id }, body: { version: this.tender?.version, lines } }),
      'Chosen: the purchase orders are confirmed, the other vendors were told.',
    );
  }

  /** Every line from one vendor. */
  chooseAll(purchaseOrderId: number): Promise<boolean> {
    return this.#perform(
      'choose',
      () => call(routes.tenders.choose, { params: { id: this.id }, body: { version: this.tender?.version, purchaseOrderId } }),
      'Chosen: the purchase order is confirmed, the other vendors were told.',
    );
  }

  /** A vendor's answer, entered from their email. */
  quote(purchaseOrderId: number, input: PurchaseQuoteInput): Promise<boolean> {
    return this.#perform('quote', () => call(routes.purchaseOrders.quote, { params: { id: purchaseOrderId }, body: input }), 'Quote recorded.');
  }
}
