import type { BeforeNavigate, NavigationTarget } from '@sveltejs/kit';
import type { z } from 'zod';
import type { PresenceUser } from '$contracts/events';
import type { Tax } from '$contracts/schemas/catalog';
import { ApiError, toConflict, type Conflict } from './api';
import { gotoInApp } from './nav';
import type { FieldErrors } from './forms';
import { onEvent, subscribeRoom } from './socket';
import { loadTaxes } from './taxes';

type Versioned = { id: number; version: number };

/** A newer version someone else saved while this page had edits (`by`: who, when the push says). */
export type RemoteChange = { version: number; by: string | null };

type LiveOptions<T> = {
  /** The record's room, which carries its pushed versions. */
  room: (id: number) => string;
  /** The event a new version comes with. */
  event: 'order.updated' | 'invoice.updated' | 'picking.updated' | 'purchaseOrder.updated';
  fetch: (id: number) => Promise<T>;
  /** The record's schema: reads the server's copy of it sent back with a 409. */
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** How long a done notice stays. */
  noticeMs: number;
};

/**
 * One record on its page, followed live: the copy as last loaded, its actions (each saved with the
 * version shown, a 409 is the conflict), and the versions others push, taken at once unless they would
 * throw away edits.
 */
export abstract class LiveRecord<T extends Versioned, B extends string, I extends number | null = number> {
  record: T | null = $state(null);
  loading = $state(false);
  loadError: unknown = $state(null);
  busy: B | null = $state(null);
  error: unknown = $state(null);
  localErrors: FieldErrors = $state({});
  conflict: Conflict<T> | null = $state(null);
  remoteChange: RemoteChange | null = $state(null);
  notice = $state('');
  /** Unsaved edits: a pushed version does not replace them. */
  abstract readonly dirty: boolean;
  #latestRemoteVersion = 0;
  #latestRemoteBy: string | null = null;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #id: () => I;
  readonly #live: LiveOptions<T>;

  /** `id` reads the component's prop (null: a record not created yet). */
  constructor(id: () => I, live: LiveOptions<T>) {
    this.#id = id;
    this.#live = live;
    this.loading = id() !== null;
  }

  get id(): I {
    return this.#id();
  }

  /** Fills the page from a record: as loaded, as an action answered, or as someone else saved it. */
  protected apply(record: T): void {
    this.record = record;
    this.localErrors = {};
    this.conflict = null;
    if (record.version >= this.#latestRemoteVersion) this.remoteChange = null;
    this.fill(record);
  }

  /** What the page keeps besides the record (its draft, its typed quantities). */
  protected abstract fill(record: T): void;

  protected showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => (this.notice = ''), this.#live.noticeMs);
  }

  /** A failed save or action: the conflict when the record changed meanwhile, otherwise the error. */
  protected failed(err: unknown): void {
    const conflict = toConflict(err, this.#live.schema);
    if (conflict) this.conflict = conflict;
    else this.error = err;
  }

  async load(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    this.loading = this.record === null;
    try {
      this.apply(await this.#live.fetch(id));
      this.loadError = null;
      this.error = null;
    } catch (err) {
      if (this.record === null) this.loadError = err;
      else this.error = err;
    } finally {
      this.loading = false;
    }
  }

  /** Loads the record, then follows its room. Returns the function that stops. */
  follow(): (() => void) | undefined {
    const id = this.id;
    if (id === null) return;
    void this.load();
    const offs = [
      subscribeRoom(this.#live.room(id), {
        onResync: () => void this.#resync(),
        onError: (e) => (this.error = new ApiError(403, e.code, e.message)),
      }),
      onEvent(this.#live.event, (e: Versioned & { by?: PresenceUser }) => this.#onRemote(e)),
    ];
    return () => offs.forEach((off) => off());
  }

  /** After a push, a reconnect or an action: take the server's version unless it would throw away edits. */
  protected async reconcile(): Promise<void> {
    if (this.id === null || !this.record || this.busy || this.#latestRemoteVersion <= this.record.version) return;
    if (this.dirty) this.remoteChange = { version: this.#latestRemoteVersion, by: this.#latestRemoteBy };
    else await this.load();
  }

  #onRemote(e: Versioned & { by?: PresenceUser }): void {
    if (e.id !== this.id || !this.record || e.version <= this.record.version) return;
    this.#latestRemoteVersion = Math.max(this.#latestRemoteVersion, e.version);
    this.#latestRemoteBy = e.by?.name ?? null;
    void this.reconcile();
  }

  /** After a reconnect: versions pushed meanwhile were lost. */
  async #resync(): Promise<void> {
    const id = this.id;
    if (id === null || !this.record) return;
    try {
      const fresh = await this.#live.fetch(id);
      if (fresh.version <= (this.record?.version ?? 0)) return;
      this.#latestRemoteVersion = Math.max(this.#latestRemoteVersion, fresh.version);
      this.#latestRemoteBy = null;
      if (this.busy) return;
      if (this.dirty) this.remoteChange = { version: fresh.version, by: null };
      else this.apply(fresh);
    } catch (err) {
      this.error = err;
    }
  }

  /** Runs a save or an action; a failure is the page's error (or its conflict). False when it failed. */
  protected async perform(busy: B, action: () => Promise<void>): Promise<boolean> {
    this.error = null;
    this.conflict = null;
    this.notice = '';
    this.busy = busy;
    try {
      await action();
      return true;
    } catch (err) {
      this.failed(err);
      return false;
    } finally {
      this.busy = null;
      void this.reconcile();
    }
  }

  /** Runs an action that answers with the record: shown, with the notice `done` words for it. */
  protected update(busy: B, action: () => Promise<T>, done: (record: T) => string): Promise<boolean> {
    return this.perform(busy, async () => {
      const record = await action();
      this.apply(record);
      this.showNotice(done(record));
    });
  }

  /** After a conflict: the version that refused the save (or the server's copy now), edits dropped. */
  reloadCurrent(): void {
    const current = this.conflict?.current;
    this.conflict = null;
    this.error = null;
    if (current) this.apply(current);
    else void this.load();
  }

  dismissConflict(): void {
    this.conflict = null;
  }

  /** Takes the version someone else saved, dropping the edits. */
  reloadRemote(): void {
    void this.load();
  }
}

type DraftOptions<T, D> = {
  emptyDraft: () => D;
  toDraft: (record: T) => D;
  isDirty: (draft: D, base: D) => boolean;
};

/**
 * A record edited as a draft (an order, an invoice): the draft measured against the copy as last saved,
 * the taxes its lines choose from, field errors from the form and the server, and a link navigation
 * held back while there are edits to lose.
 */
export abstract class DraftRecord<T extends Versioned, D, B extends string, I extends number | null = number> extends LiveRecord<T, B, I> {
  // The draft as last saved; edits are measured against it.
  base: D;
  draft: D;
  dirty: boolean;
  taxes: Tax[] = $state([]);
  // A link navigation held back while there are edits to lose.
  leaving: NavigationTarget | null = $state(null);
  readonly #draft: DraftOptions<T, D>;

  constructor(id: () => I, live: LiveOptions<T>, draft: DraftOptions<T, D>) {
    super(id, live);
    this.#draft = draft;
    this.base = $state(draft.emptyDraft());
    this.draft = $state(draft.emptyDraft());
    this.dirty = $derived(draft.isDirty(this.draft, this.base));
  }

  // Server field errors (`lines.0.quantity`) and local ones share the same names.
  fieldErrors = $derived.by((): FieldErrors => {
    const out: FieldErrors = { ...this.localErrors };
    if (this.error instanceof ApiError) for (const d of this.error.details) out[d.field] ??= d.message;
    return out;
  });

  protected fill(record: T): void {
    this.base = this.#draft.toDraft(record);
    this.draft = this.#draft.toDraft(record);
  }

  /** Loads the taxes the lines choose from, then the record, and follows it. */
  override follow(): (() => void) | undefined {
    loadTaxes()
      .then((t) => (this.taxes = t))
      .catch((err: unknown) => (this.error = err));
    return super.follow();
  }

  /** Starts again from an empty draft (a record not created yet). */
  protected startEmpty(): void {
    this.base = this.#draft.emptyDraft();
    this.draft = this.#draft.emptyDraft();
  }

  /** Leaving is no longer leaving unsaved work (saved elsewhere, or given up). */
  protected settle(): void {
    this.base = $state.snapshot(this.draft) as D;
  }

  discardChanges(): void {
    this.localErrors = {};
    this.error = null;
    if (!this.record) {
      this.draft = this.#draft.emptyDraft();
      return;
    }
    this.apply(this.record);
    // Edits were holding back a newer version: take it now.
    void this.reconcile();
  }

  /** Holds a link navigation back while there are edits to lose: `leaving` asks first. */
  holdNavigation(nav: BeforeNavigate): void {
    if (nav.type !== 'link' || !this.dirty || this.busy === 'save' || !nav.to) return;
    nav.cancel();
    this.leaving = nav.to;
  }

  stay(): void {
    this.leaving = null;
  }

  async leaveAnyway(): Promise<void> {
    const to = this.leaving;
    this.leaving = null;
    this.settle();
    if (to) await gotoInApp(to.url.pathname + to.url.search + to.url.hash);
  }
}
