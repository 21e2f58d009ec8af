import type { z } from 'zod';
import { ApiError, toConflict, type Conflict } from './api';
import type { FieldErrors } from './forms';

type Options<T, F> = {
  /** What the record is called in buttons, titles and test ids: `partner`, `tax`. */
  noun: string;
  /** One record in a title or a notice: its name, its SKU. */
  label: (record: T) => string;
  /** The form for a record, or for a new one (null). */
  toForm: (record: T | null) => F;
  /** The record's schema: reads the server's copy of it sent back with a 409. */
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** The record as it is now, for "Reload current version"; null when it is gone (the dialog closes). */
  fetchCurrent: (record: T) => Promise<T | null>;
  /** After a save: refresh what shows the record (the record as saved, with its new version). */
  onsaved: (saved: T) => Promise<void>;
  /** After the form was filled from a record (or emptied for a new one). */
  onedit?: (record: T | null) => void;
};

/**
 * The form of one record (a list screen's create/edit dialog, a record's page): the form, its
 * errors, the save and its 409 conflict.
 */
export class RecordEditor<T, F> {
  open = $state(false);
  editing: T | null = $state(null);
  form: F;
  saving = $state(false);
  error: unknown = $state(null);
  // The form's own checks, keyed like the server's field names.
  localErrors: FieldErrors = $state({});
  conflict: Conflict<T> | null = $state(null);
  notice = $state('');
  readonly noun: string;
  readonly label: (record: T) => string;
  readonly #opts: Options<T, F>;

  constructor(opts: Options<T, F>) {
    this.#opts = opts;
    this.noun = opts.noun;
    this.label = opts.label;
    this.form = $state(opts.toForm(null));
  }

  edit(record: T | null): void {
    this.editing = record;
    this.form = this.#opts.toForm(record);
    this.error = null;
    this.localErrors = {};
    this.conflict = null;
    this.open = true;
    this.#opts.onedit?.(record);
  }

  close(): void {
    this.open = false;
  }

  fieldError(name: string): string | undefined {
    return this.localErrors[name] ?? (this.error instanceof ApiError ? this.error.fieldMessage(name) : undefined);
  }

  /** Shows the form's own errors; true when there are none and the form may be sent. */
  validate(errors: FieldErrors): boolean {
    this.localErrors = errors;
    return Object.keys(errors).length === 0;
  }

  /** Sends the form: `write` creates (null) or updates the record being edited. */
  async save(write: (editing: T | null) => Promise<T>): Promise<void> {
    this.saving = true;
    this.error = null;
    this.conflict = null;
    try {
      const saved = await write(this.editing);
      this.notice = `${this.label(saved)} ${this.editing ? 'saved' : 'created'}.`;
      this.open = false;
      await this.#opts.onsaved(saved);
    } catch (err) {
      const conflict = this.editing ? toConflict(err, this.#opts.schema) : null;
      if (conflict) this.conflict = conflict;
      else this.error = err;
    } finally {
      this.saving = false;
    }
  }

  /** After a conflict: fills the form again from the record as it is now. */
  async reloadCurrent(): Promise<void> {
    if (!this.editing) return;
    try {
      const current = this.conflict?.current ?? (await this.#opts.fetchCurrent(this.editing));
      if (current) this.edit(current);
      else this.open = false;
    } catch (err) {
      this.error = err;
    }
  }
}
