import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RecordModel } from '../../../contracts/states';
import { recordForAlias, recordSpec } from '../../lib/records';
import { deriveKey } from '../../lib/secrets';
import { mailDomain } from './outbox.service';

// The Reply-To of our emails names its record with a signature: `order+12.<mac>@domain`, where mac is
// HMAC-SHA256(key derived from SECRET_KEY, `saleOrder:12`) cut to 96 bits, in lower-case hex (mail
// systems may change the case of a local part). Without the key nobody can write the address of a
// record they were not sent, so a reply address is no longer a sequential id anyone can guess.

const MAC_CHARS = 24;

function macOf(model: RecordModel, resId: number): string {
  return createHmac('sha256', deriveKey('reply-address')).update(`${model}:${resId}`).digest('hex').slice(0, MAC_CHARS);
}

/** The signed reply address of a record: `order+12.<mac>@domain`. */
export function replyAddress(model: RecordModel, resId: number): string {
  const spec = recordSpec(model);
  if (!spec) throw new Error(`${model} records have no reply address`);
  return `${spec.mailAlias}+${resId}.${macOf(model, resId)}@${mailDomain()}`;
}

/**
 * The record a reply address names. `signed`: its mac holds (checked in constant time). Unsigned: the
 * form we sent before addresses were signed (`order+12@`), which anyone can write: it names a record
 * but proves nothing. null: not one of our record addresses, or a wrong mac (a forgery names nothing).
 */
export function recordOfAddress(address: string): { model: RecordModel; resId: number; signed: boolean } | null {
  const local = address.trim().toLowerCase().split('@')[0] ?? '';
  const m = /^([a-z]+)\+(\d{1,9})(?:\.([0-9a-z]+))?$/.exec(local);
  const model = m && recordForAlias(m[1]!);
  if (!m || !model) return null;
  const resId = Number(m[2]);
  if (m[3] === undefined) return { model, resId, signed: false };
  const given = Buffer.from(m[3]);
  const expected = Buffer.from(macOf(model, resId));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { model, resId, signed: true };
}
