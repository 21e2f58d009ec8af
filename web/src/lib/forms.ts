// What every form of the console shares: its errors by field, and keys for rows not saved yet.

/** A form's errors by field path (`partnerId`, `lines.0.quantity`), shown under the fields. */
export type FieldErrors = Record<string, string>;

let keySeq = 0;
/** A key for a row being edited that has no id yet (a new line), stable while it is edited. */
export function newKey(): string {
  keySeq += 1;
  return `new-${keySeq}`;
}
