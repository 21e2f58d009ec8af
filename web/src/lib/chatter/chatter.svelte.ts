import { rooms } from '$contracts/events';
import type { Follower, Message } from '$contracts/schemas/chatter';
import type { RecordModel } from '$contracts/states';
import { call, routes } from '$lib/api';
import { session } from '$lib/session.svelte';
import { onEvent, subscribeRoom } from '$lib/socket';
import { textToHtml, type Mention } from './text';
import { Uploads } from './uploads.svelte';

export type ChatterMode = 'comment' | 'note';

export const PAGE_SIZE = 50;

/** Newest first; a refetched copy of a message replaces the one shown. */
function merge(shown: Message[], fresh: Message[]): Message[] {
  const freshIds = new Set(fresh.map((m) => m.id));
  return [...fresh, ...shown.filter((m) => !freshIds.has(m.id))].sort((a, b) => b.id - a.id);
}

/**
 * The chatter of one record: its messages (newest first, a page at a time), the composer (its
 * @mentions and uploads), the followers, and following the record's room so messages posted by
 * others show up live.
 */
export class ChatterState {
  messages: Message[] = $state([]);
  total = $state(0);
  followers: Follower[] = $state([]);
  loading = $state(false);
  loadingOlder = $state(false);
  // Loading the list, older pages, the followers.
  loadError: unknown = $state(null);

  mode: ChatterMode = $state('note');
  text = $state('');
  // The people picked in the autocomplete; only their `@Name` in the text becomes a mention.
  mentions: Mention[] = $state([]);
  readonly uploads: Uploads;
  posting = $state(false);
  postError: unknown = $state(null);
  // Following, muting, adding or removing followers.
  followBusy = $state(false);
  followError: unknown = $state(null);

  // A newer refetch makes the answer of an older one stale.
  #seq = 0;

  constructor(
    readonly model: RecordModel,
    readonly resId: number,
  ) {
    this.uploads = new Uploads(this.#ref);
  }

  hasOlder = $derived(this.messages.length < this.total);
  myFollower = $derived(this.followers.find((f) => f.userId !== null && f.userId === session.user?.id) ?? null);
  canPost = $derived.by(() => !this.posting && this.uploads.uploading === 0 && textToHtml(this.text) !== '');

  get #ref() {
    return { model: this.model, resId: this.resId };
  }

  /** Loads, then follows the record's room. Returns the function that stops. */
  start(): () => void {
    this.loading = true;
    void this.refresh().finally(() => (this.loading = false));
    const offs = [
      subscribeRoom(rooms.record(this.model, this.resId), { onResync: () => void this.refresh() }),
      onEvent('message.posted', (e) => {
        if (e.model === this.model && e.resId === this.resId) void this.refresh();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      this.uploads.discard();
    };
  }

  /** The first page of messages and the followers, merged with what is shown. */
  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    try {
      const [page, followers] = await Promise.all([
        call(routes.messages.list, { query: { ...this.#ref, limit: PAGE_SIZE, offset: 0 } }),
        call(routes.followers.list, { query: this.#ref }),
      ]);
      if (seq !== this.#seq) return;
      // Messages are only ever added: what is shown stays, the newest page goes on top.
      this.messages = merge(this.messages, page.items);
      this.total = Math.max(page.total, this.messages.length);
      this.followers = followers.items;
      this.loadError = null;
    } catch (err) {
      if (seq === this.#seq) this.loadError = err;
    }
  }

  async loadOlder(): Promise<void> {
    if (this.loadingOlder) return;
    this.loadingOlder = true;
    try {
      // Messages posted since the first page shift the offsets down: ask from the count shown, merge by id.
      const page = await call(routes.messages.list, { query: { ...this.#ref, limit: PAGE_SIZE, offset: this.messages.length } });
      this.messages = merge(this.messages, page.items);
      this.total = Math.max(page.total, this.messages.length);
      this.loadError = null;
    } catch (err) {
      this.loadError = err;
    } finally {
      this.loadingOlder = false;
    }
  }

  /** Remembers a person picked in the autocomplete, so their `@Name` is sent as a mention. */
  addMention(who: Mention): void {
    this.mentions = [...this.mentions.filter((m) => m.name !== who.name), { id: who.id, name: who.name }];
  }

  async post(): Promise<boolean> {
    const body = textToHtml(this.text, this.mentions);
    if (!body || !this.canPost) return false;
    this.posting = true;
    this.postError = null;
    try {
      const m = await call(routes.messages.post, { body: { ...this.#ref, type: this.mode, body, attachmentIds: this.uploads.ids } });
      this.messages = merge(this.messages, [m]);
      this.total += 1;
      this.text = '';
      this.mentions = [];
      this.uploads.clear();
      // Whoever posts follows the record from then on.
      void this.refresh();
      return true;
    } catch (err) {
      this.postError = err;
      return false;
    } finally {
      this.posting = false;
    }
  }

  /** Runs one change to the followers at a time, keeping its error. */
  async #changeFollowers(change: () => Promise<void>): Promise<boolean> {
    if (this.followBusy) return false;
    this.followBusy = true;
    this.followError = null;
    try {
      await change();
      return true;
    } catch (err) {
      this.followError = err;
      return false;
    } finally {
      this.followBusy = false;
    }
  }

  #upsertFollower(f: Follower): void {
    const i = this.followers.findIndex((x) => x.id === f.id);
    this.followers = i === -1 ? [...this.followers, f] : this.followers.with(i, f);
  }

  toggleFollow(): Promise<boolean> {
    const me = session.user;
    if (!me) return Promise.resolve(false);
    const mine = this.myFollower;
    return mine ? this.removeFollower(mine) : this.addFollower({ userId: me.id });
  }

  /** Mutes or unmutes the signed-in user here (following the record if needed). */
  toggleMute(): Promise<boolean> {
    const muted = !(this.myFollower?.muted ?? false);
    return this.#changeFollowers(async () => this.#upsertFollower(await call(routes.followers.mute, { body: { ...this.#ref, muted } })));
  }

  /** Adds a user or a partner (adding someone else takes the right to change the record). */
  addFollower(who: { userId: number } | { partnerId: number }): Promise<boolean> {
    return this.#changeFollowers(async () => this.#upsertFollower(await call(routes.followers.follow, { body: { ...this.#ref, ...who } })));
  }

  removeFollower(f: Follower): Promise<boolean> {
    return this.#changeFollowers(async () => {
      await call(routes.followers.remove, { params: { id: f.id } });
      this.followers = this.followers.filter((x) => x.id !== f.id);
    });
  }
}
