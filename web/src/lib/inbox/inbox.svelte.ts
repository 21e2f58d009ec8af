import type { Notification } from '$contracts/schemas/chatter';
import { call, routes } from '$lib/api';
import { onEvent } from '$lib/socket';
import { setUnread } from './unread.svelte';

const PAGE_SIZE = 30;

/** Newest first; a refetched copy of a notification replaces the one shown. */
function merge(shown: Notification[], fresh: Notification[]): Notification[] {
  const freshIds = new Set(fresh.map((n) => n.id));
  return [...fresh, ...shown.filter((n) => !freshIds.has(n.id))].sort((a, b) => b.id - a.id);
}

/** The signed-in user's notifications, a page at a time, kept live; reading them keeps the header badge in step. */
export class InboxState {
  items: Notification[] = $state([]);
  total = $state(0);
  unread = $state(0);
  loading = $state(false);
  loaded = $state(false);
  error: unknown = $state(null);
  #seq = 0;

  hasMore = $derived(this.items.length < this.total);

  #counts(total: number, unread: number): void {
    this.total = Math.max(total, this.items.length);
    this.unread = unread;
    setUnread(unread);
  }

  /** Loads, then refetches the newest page on each new notification. Returns the function that stops. */
  start(): () => void {
    void this.refresh();
    return onEvent('notification.created', () => void this.refresh());
  }

  /** The newest page, merged with what is shown. */
  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const res = await call(routes.notifications.list, { query: { limit: PAGE_SIZE, offset: 0 } });
      if (seq !== this.#seq) return;
      this.items = merge(this.items, res.items);
      this.#counts(res.total, res.unread);
      this.error = null;
    } catch (err) {
      if (seq === this.#seq) this.error = err;
    } finally {
      if (seq === this.#seq) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  async loadMore(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      // Newer notifications shift the offsets down: ask from the count shown, merge by id.
      const res = await call(routes.notifications.list, { query: { limit: PAGE_SIZE, offset: this.items.length } });
      this.items = merge(this.items, res.items);
      this.#counts(res.total, res.unread);
      this.error = null;
    } catch (err) {
      this.error = err;
    } finally {
      this.loading = false;
    }
  }

  async markRead(n: Notification): Promise<void> {
    if (n.isRead) return;
    try {
      await call(routes.notifications.read, { params: { id: n.id } });
      this.items = this.items.map((x) => (x.id === n.id ? { ...x, isRead: true } : x));
      this.#counts(this.total, Math.max(0, this.unread - 1));
    } catch (err) {
      this.error = err;
    }
  }

  async markAllRead(): Promise<void> {
    try {
      await call(routes.notifications.readAll);
      this.items = this.items.map((x) => ({ ...x, isRead: true }));
      this.#counts(this.total, 0);
    } catch (err) {
      this.error = err;
    }
  }
}
