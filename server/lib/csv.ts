import { stringify as streamingStringify, type Options, type Stringifier } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';

// Every CSV file we write goes through here. A cell that starts with =, +, -, @, a tab or a carriage
// return is taken for a formula by spreadsheets (OWASP "CSV injection": =HYPERLINK(...) in a customer's
// name): such a cell is written with a leading single quote, so it shows as the text it is. Numbers,
// negative ones included, stay numbers.

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** A cell as it is safe to open in a spreadsheet. */
export function neutralise(value: string): string {
  return FORMULA.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}

const safe = (options: Options): Options => ({ ...options, cast: { ...options.cast, string: neutralise } });

/** A streaming CSV writer (rows written one at a time). */
export function csvWriter(options: Options): Stringifier {
  return streamingStringify(safe(options));
}

/** A whole CSV text at once. */
export function csvText(rows: unknown[][], options: Options): string {
  return stringify(rows, safe(options));
}
