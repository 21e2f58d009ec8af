import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import argon2 from 'argon2';
import { ValidationError } from '../../http/errors';

// Passwords are checked as NIST SP 800-63B asks: a minimum length (the schema's 10), and not one that is
// common, breached-like or easy to guess (the zxcvbn estimator with its lists of common passwords, words
// and keyboard patterns, and the user's own name and e-mail), with the estimator's advice in the message.
// No composition rules.
zxcvbnOptions.setOptions({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

/** The lowest zxcvbn score accepted: 3, "safely unguessable: moderate protection from offline slow-hash scenario". */
const MIN_SCORE = 3;

/** Refuses (400 on `field`) a password that is too easy to guess, saying why. */
export function assertStrongPassword(password: string, user: { email?: string; name?: string }, field = 'password'): void {
  const result = zxcvbn(
    password,
    [user.email ?? '', ...(user.email ?? '').split(/[@.+_-]/), ...(user.name ?? '').split(/\s+/)].filter((w) => w.length > 2),
  );
  if (result.score >= MIN_SCORE) return;
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  throw ValidationError.field(field, `is too easy to guess${advice ? `: ${advice}` : ''}. Try a few unusual words together.`);
}

// Argon2id with the library's defaults (m=64 MiB, t=3, p=4).
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Compared against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-of-anyone');
  return dummyHash;
}
