import { z } from 'zod';
import isEmail from 'validator/lib/isEmail';

export const id = z.coerce.number().int().positive();
// Money columns are BIGINT; amounts stay within the integers a JS number holds exactly.
export const money = z.number().int().safe().describe('integer minor units (cents)');
export const nonNegativeMoney = money.nonnegative();
export const version = z.number().int().nonnegative();
export const isoDateTime = z.string().describe('ISO 8601 UTC');

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  sort: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export function listOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}
export type List<T> = { items: T[]; total: number };

/** The `after` query parameter of a list with a keyset cursor. */
export const afterCursorParam = z
  .string()
  .max(200)
  .optional()
  .describe('keyset cursor: the page after this one (a `nextCursor`), in the same sort; offset is ignored');

/** A page of a list that counts up to a limit and offers a keyset cursor (the boards at scale, issue 18). */
export function listPageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    /** The rows were counted up to a limit (10,000 by default) and there are more: `total` is that limit ("10,000+"). */
    totalIsEstimate: z.boolean().optional(),
    /** The cursor of the next page in the same sort (`after=`), null on the last page. */
    nextCursor: z.string().nullable().optional(),
  });
}
export type ListPage<T> = List<T> & { totalIsEstimate?: boolean; nextCursor?: string | null };

/**
 * A board's rows per state, each counted up to the list's limit; `estimated`: the states counted up to the
 * limit that have more (their count is the limit: "10,000+"), absent when every count is exact.
 */
export function stateCountsOf<S extends string>(states: readonly [S, ...S[]]) {
  const count = z.number().int();
  return z.object(Object.fromEntries(states.map((s) => [s, count])) as Record<S, typeof count>).extend({ estimated: z.array(z.enum(states)).optional() });
}

/** A value a row sorts by: a number, a text or an ISO date; null for an empty nullable field. */
export type CursorValue = string | number | null;

/**
 * The keyset cursor of a row in a sort (`-createdAt`): the sort field's value and the id (the
 * tie-breaker), as base64url JSON.
 */
export function listCursor<K extends string>(sort: K | `-${K}`, row: { [F in K]: CursorValue } & { id: number }): string {
  const key = (sort.startsWith('-') ? sort.slice(1) : sort) as K;
  const bytes = new TextEncoder().encode(JSON.stringify([row[key], row.id]));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The value and id in a cursor, or null when it is not one. */
export function readListCursor(cursor: string): [CursorValue, number] | null {
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number' || v[0] === null) && Number.isSafeInteger(v[1])) {
      return [v[0] as CursorValue, v[1] as number];
    }
  } catch {
    // not base64, not UTF-8 or not JSON
  }
  return null;
}

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.unknown()).optional(),
    current: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

// Boolean query values arrive as strings.
export const queryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * An email address as people have them (RFC 6531/6532): accented local parts (josé@example.com) and
 * international domains (jürgen@müller.de) are valid. Stored trimmed, in NFC and in lower case.
 */
export function normalizeEmail(value: string): string {
  return value.trim().normalize('NFC').toLowerCase();
}

export function isEmailAddress(value: string): boolean {
  return value.length <= 190 && isEmail(value, { allow_utf8_local_part: true, require_tld: true, allow_ip_domain: false });
}

export const emailAddress = z.string().transform(normalizeEmail).refine(isEmailAddress, 'is not an email address (name@domain, at most 190 characters)');
