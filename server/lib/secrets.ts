import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { runtime } from '../runtime';

// Stored credentials (a shop's API key) are sealed with AES-256-GCM under a key derived from
// SECRET_KEY: unreadable in the database or a backup without it, and tamper-evident.

const VERSION = 'v1';

/** A 256-bit key for one purpose, derived from SECRET_KEY: a key never serves two purposes. */
export function deriveKey(purpose: string): Buffer {
  return createHash('sha256').update(`${runtime().config.secretKey}:${purpose}`).digest();
}

function key(): Buffer {
  return deriveKey('stored-credentials');
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/** The sealed text opened; throws when it was sealed under another key or altered. */
export function open(sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
