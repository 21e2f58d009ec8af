import { expect } from 'vitest';
import type { Res } from './client';

type ErrorDetail = { field: string; message: string };

/**
 * Asserts an API error: the status, `error.code`, and (when given) that `error.details` names the field.
 * The message shows the body, so a failure says what the server answered.
 */
export function expectError(res: Res, status: number, code: string, field?: string): void {
  expect(res.status, `expected ${status} ${code}, got ${res.status}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body?.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  // Never a stack trace.
  expect(res.body.error.message).not.toMatch(/\n\s+at /);
  if (field !== undefined) {
    const fields = ((res.body.error.details ?? []) as ErrorDetail[]).map((d) => d.field);
    expect(fields, JSON.stringify(res.body)).toContain(field);
  }
}

/** Asserts a success status, showing the body when it is not. */
export function expectStatus(res: Res, status: number): void {
  expect(res.status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`).toBe(status);
}

/** A unique tag for names and e-mails, so list filters in a test match only what the test made. */
let tagSeq = 0;
export function uniqueTag(prefix = 't'): string {
  return `${prefix}${++tagSeq}x${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
