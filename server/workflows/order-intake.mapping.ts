import { createHash } from 'node:crypto';
import type { ExternalAddress, ExternalOrder } from '../../contracts/schemas/channels';
import { isEmailAddress, normalizeEmail } from '../../contracts/schemas/common';
import type { Address, AttentionReason } from '../../contracts/schemas/sales';
import { countryCodeOf } from '../lib/countries';

// The shop's order in our terms: its fingerprint and time, the customer's contact details, the note
// and discount codes an order of ours keeps.

/** A stable fingerprint of the shop's version of an order: what it says, not when it said it. */
export function fingerprint(ext: ExternalOrder): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...ext, updatedAt: undefined }))
    .digest('hex');
}

/** The shop's time of a version, when it gives one. */
export const shopTime = (ext: ExternalOrder) => (ext.updatedAt ? new Date(ext.updatedAt) : null);

// Contact details: taken as they come, checked, and what cannot be kept is a reason, not a refusal.

export type Contact = { name: string; email: string | null; phone: string | null; address: Address | null; reasons: AttentionReason[] };

// What the partners and order columns hold.
const LIMITS: Record<keyof ExternalAddress, number> = { name: 200, street: 200, street2: 200, city: 100, zip: 20, state: 100, countryCode: 2, phone: 50 };
const LABELS: Record<keyof ExternalAddress, string> = {
  name: 'name',
  street: 'street',
  street2: 'street (2)',
  city: 'city',
  zip: 'ZIP',
  state: 'state',
  countryCode: 'country',
  phone: 'phone',
};

export function contactOf(ext: ExternalOrder): Contact {
  const reasons: AttentionReason[] = [];
  const raw = ext.customer.email ?? null;
  let email: string | null = null;
  if (raw) {
    const normal = normalizeEmail(raw);
    if (isEmailAddress(normal)) email = normal;
    else reasons.push({ code: 'invalid_email', message: `The customer's email "${raw}" is not a valid address: the customer was saved without one` });
  }
  const cut = (value: string | null | undefined, max: number, what: string): string | null => {
    if (!value) return null;
    if (value.length <= max) return value;
    reasons.push({ code: 'invalid_contact', message: `The ${what} is longer than ${max} characters and was cut; the shop's: "${value}"` });
    return value.slice(0, max);
  };
  let address: Address | null = null;
  const a = ext.shippingAddress;
  if (a && Object.values(a).some(Boolean)) {
    const country = countryCodeOf(a.countryCode);
    if (a.countryCode && !country) {
      reasons.push({ code: 'invalid_contact', message: `The country "${a.countryCode}" is not one known here: the address was kept without it` });
    }
    address = {
      name: cut(a.name, LIMITS.name, `shipping ${LABELS.name}`),
      street: cut(a.street, LIMITS.street, `shipping ${LABELS.street}`),
      street2: cut(a.street2, LIMITS.street2, `shipping ${LABELS.street2}`),
      city: cut(a.city, LIMITS.city, `shipping ${LABELS.city}`),
      zip: cut(a.zip, LIMITS.zip, `shipping ${LABELS.zip}`),
      state: cut(a.state, LIMITS.state, `shipping ${LABELS.state}`),
      countryCode: country,
      phone: cut(a.phone, LIMITS.phone, `shipping ${LABELS.phone}`),
    };
  }
  const name = ext.customer.name || a?.name || email || raw || `Customer of ${ext.reference ?? ext.externalId}`;
  return {
    name: cut(name, 200, "customer's name")!,
    email,
    phone: cut(ext.customer.phone ?? a?.phone, 50, "customer's phone"),
    address,
    reasons,
  };
}

export function noteOf(ext: ExternalOrder): string | null {
  const parts = [
    ext.reference ? `Shop order ${ext.reference}${ext.financialStatus ? ` (${ext.financialStatus})` : ''}.` : null,
    ext.note ? `Customer note: ${ext.note}` : null,
  ].filter((p): p is string => !!p);
  return parts.length ? parts.join('\n') : null;
}

export const codesOf = (ext: ExternalOrder) => (ext.discountCodes.length ? [...new Set(ext.discountCodes)].join(', ').slice(0, 200) : null);
