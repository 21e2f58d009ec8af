import { SvelteSet } from 'svelte/reactivity';
import type { EventPayload } from '$contracts/events';
import type { MailStatus, OutboxMail } from '$contracts/schemas/mail';
import { call, routes } from '$lib/api';
import { ListState } from '$lib/list.svelte';

const RELOAD_MS = 400;

/** The outbox screen: a filtered page of outbound mail, kept live, and resending a failed one. */
export class OutboxState {
  status: MailStatus | '' = $state('');
  readonly list = new ListState<OutboxMail>((p) => call(routes.mail.outbox, { query: { ...p, status: this.status || undefined } }), { limit: 25 });
  readonly resending = new SvelteSet<number>();
  error: unknown = $state(null);
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  filter(status: MailStatus | ''): void {
    this.status = status;
    void this.list.page(0);
  }

  /** A pushed change shows at once; the whole row (last error, sent time) and new mail follow with a reload. */
  onUpdated(e: EventPayload<'mail.updated'>): void {
    const shown = this.list.items.find((m) => m.id === e.id);
    if (shown) {
      shown.status = e.status;
      shown.attempts = e.attempts;
    }
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.list.load(), RELOAD_MS);
  }

  async resend(m: OutboxMail): Promise<void> {
    this.resending.add(m.id);
    this.error = null;
    try {
      const fresh = await call(routes.mail.resend, { params: { id: m.id } });
      this.list.items = this.list.items.map((x) => (x.id === fresh.id ? fresh : x));
    } catch (err) {
      this.error = err;
    } finally {
      this.resending.delete(m.id);
    }
  }
}
