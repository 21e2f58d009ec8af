import { mailTemplate, type MailTemplate } from '$contracts/schemas/mail';
import { ApiError, call, routes, toConflict, type Conflict } from '$lib/api';

/**
 * The mail templates screen: the list, the subject and body being edited, saving them with the
 * version (409 conflict), and an action held back while there are edits to lose.
 */
export class TemplateEditorState {
  templates: MailTemplate[] = $state([]);
  loaded = $state(false);
  loadError: unknown = $state(null);
  // The saved copy of the template being edited.
  current: MailTemplate | null = $state(null);
  subject = $state('');
  body = $state('');
  saving = $state(false);
  error: unknown = $state(null);
  conflict: Conflict<MailTemplate> | null = $state(null);
  notice = $state('');
  // What the user asked for while there were edits: done once they discard them.
  held: { what: string; go: () => void } | null = $state(null);

  dirty = $derived(this.current !== null && (this.subject !== this.current.subject || this.body !== this.current.body));

  async load(): Promise<void> {
    try {
      const res = await call(routes.mail.templates);
      this.templates = res.items;
      this.loadError = null;
      const first = res.items[0];
      if (!this.current && first) this.#apply(first);
    } catch (err) {
      this.loadError = err;
    } finally {
      this.loaded = true;
    }
  }

  #apply(t: MailTemplate): void {
    this.current = t;
    this.subject = t.subject;
    this.body = t.body;
    this.error = null;
    this.conflict = null;
    this.templates = this.templates.map((x) => (x.key === t.key ? t : x));
  }

  /** Runs `go` now, or holds it back until the edits are discarded. */
  unlessDirty(what: string, go: () => void): boolean {
    if (!this.dirty || this.saving) {
      go();
      return true;
    }
    this.held = { what, go };
    return false;
  }

  select(t: MailTemplate): void {
    if (t.key === this.current?.key) return;
    this.unlessDirty(`open “${t.name}”`, () => {
      this.notice = '';
      this.#apply(t);
    });
  }

  keepEditing(): void {
    this.held = null;
  }

  discardAndContinue(): void {
    const held = this.held;
    this.held = null;
    this.discard();
    held?.go();
  }

  discard(): void {
    if (this.current) this.#apply(this.current);
  }

  fieldError(field: 'subject' | 'body'): string | undefined {
    return this.error instanceof ApiError ? this.error.fieldMessage(field) : undefined;
  }

  async save(): Promise<void> {
    const t = this.current;
    if (!t || !this.dirty || this.saving) return;
    this.saving = true;
    this.error = null;
    this.conflict = null;
    this.notice = '';
    try {
      this.#apply(await call(routes.mail.updateTemplate, { params: { key: t.key }, body: { subject: this.subject, body: this.body, version: t.version } }));
      this.notice = `${t.name} saved.`;
    } catch (err) {
      const conflict = toConflict(err, mailTemplate);
      if (conflict) this.conflict = conflict;
      else this.error = err;
    } finally {
      this.saving = false;
    }
  }

  /** After a conflict: the template as it is now, the edits dropped. */
  async reloadCurrent(): Promise<void> {
    const t = this.current;
    if (!t) return;
    try {
      this.#apply(this.conflict?.current ?? (await call(routes.mail.template, { params: { key: t.key } })));
    } catch (err) {
      this.error = err;
    }
  }
}
