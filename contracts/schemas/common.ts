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
