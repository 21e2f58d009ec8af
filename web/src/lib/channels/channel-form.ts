import type { Channel, ChannelCreate, ChannelPatch, ChannelTest } from '$contracts/schemas/channels';
import type { ChannelKind } from '$contracts/states';
import type { FieldErrors } from '$lib/forms';

export type KindField = { key: string; label: string; required?: boolean; hint?: string; secret?: boolean; minLength?: number };

export const KIND_LABELS: Record<ChannelKind, string> = {
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
  webhook: 'Webhook (JSON)',
  csv: 'CSV imports',
};

/** What each kind needs to reach its shop, as the server's channel schemas ask for it. */
export const SETTINGS_FIELDS: Record<ChannelKind, KindField[]> = {
  shopify: [
    { key: 'shopUrl', label: 'Shop address', required: true, hint: 'https://<shop>.myshopify.com' },
    { key: 'apiVersion', label: 'API version', hint: 'Empty: 2024-10' },
  ],
  woocommerce: [{ key: 'siteUrl', label: 'Site address', required: true, hint: 'The WordPress site, e.g. https://shop.example.com' }],
  webhook: [],
  csv: [],
};

export const CREDENTIAL_FIELDS: Record<ChannelKind, KindField[]> = {
  shopify: [
    { key: 'accessToken', label: 'Admin API access token', required: true, secret: true },
    { key: 'webhookSecret', label: 'Webhook signing secret', secret: true },
  ],
  woocommerce: [
    { key: 'consumerKey', label: 'Consumer key', required: true, secret: true },
    { key: 'consumerSecret', label: 'Consumer secret', required: true, secret: true },
    { key: 'webhookSecret', label: 'Webhook secret', secret: true },
  ],
  webhook: [
    {
      key: 'secret',
      label: 'Signing secret',
      required: true,
      secret: true,
      minLength: 16,
      hint: 'At least 16 characters; signs the JSON posted (HMAC-SHA256).',
    },
  ],
  csv: [],
};

/** The kinds fetched from a shop by "Sync now" and on their interval. */
export const SYNCABLE: readonly ChannelKind[] = ['shopify', 'woocommerce'];
/** The kinds that receive orders on their webhook address. */
export const WITH_WEBHOOK: readonly ChannelKind[] = ['shopify', 'woocommerce', 'webhook'];

export type ChannelForm = {
  kind: ChannelKind;
  name: string;
  settings: Record<string, string>;
  // Empty: the stored credentials stay as they are.
  credentials: Record<string, string>;
  interval: string;
  active: boolean;
};

export function toChannelForm(c: Channel | null): ChannelForm {
  const kind = c?.kind ?? 'shopify';
  const settings: Record<string, string> = {};
  for (const f of SETTINGS_FIELDS[kind]) settings[f.key] = typeof c?.settings[f.key] === 'string' ? (c.settings[f.key] as string) : '';
  return { kind, name: c?.name ?? '', settings, credentials: {}, interval: String(c?.syncIntervalMinutes ?? 15), active: c?.active ?? true };
}

const trimmed = (values: Record<string, string>, fields: KindField[]) =>
  Object.fromEntries(fields.flatMap((f) => (values[f.key]?.trim() ? [[f.key, values[f.key]!.trim()]] : [])));

/** The form's own checks, keyed like the server's field names (`settings.shopUrl`). */
export function checkChannelForm(form: ChannelForm, isNew: boolean): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.name.trim()) errors.name = 'Give the channel a name.';
  for (const f of SETTINGS_FIELDS[form.kind]) {
    const v = form.settings[f.key]?.trim() ?? '';
    if (f.required && !v) errors[`settings.${f.key}`] = 'Required.';
    else if (v && f.key.endsWith('Url') && !/^https?:\/\/\S+$/.test(v)) errors[`settings.${f.key}`] = 'An http(s) address.';
  }
  const creds = CREDENTIAL_FIELDS[form.kind];
  const given = creds.some((f) => form.credentials[f.key]?.trim());
  // A new shop or webhook needs its credentials; an existing one keeps them unless new ones are typed.
  if (given || (isNew && creds.some((f) => f.required))) {
    for (const f of creds) {
      const v = form.credentials[f.key]?.trim() ?? '';
      if (f.required && !v) errors[`credentials.${f.key}`] = 'Required.';
      else if (v && f.minLength && v.length < f.minLength) errors[`credentials.${f.key}`] = `At least ${f.minLength} characters.`;
    }
  }
  const interval = Number(form.interval);
  if (!Number.isInteger(interval) || interval < 1 || interval > 1440) errors.syncIntervalMinutes = 'From 1 to 1440 minutes.';
  return errors;
}

export function toChannelCreate(form: ChannelForm): ChannelCreate {
  const credentials = trimmed(form.credentials, CREDENTIAL_FIELDS[form.kind]);
  return {
    kind: form.kind,
    name: form.name.trim(),
    settings: trimmed(form.settings, SETTINGS_FIELDS[form.kind]),
    ...(Object.keys(credentials).length > 0 && { credentials }),
    syncIntervalMinutes: Number(form.interval),
    active: form.active,
  };
}

export function toChannelPatch(form: ChannelForm, c: Channel): ChannelPatch {
  const credentials = trimmed(form.credentials, CREDENTIAL_FIELDS[form.kind]);
  return {
    version: c.version,
    name: form.name.trim(),
    settings: trimmed(form.settings, SETTINGS_FIELDS[form.kind]),
    ...(Object.keys(credentials).length > 0 && { credentials }),
    syncIntervalMinutes: Number(form.interval),
    active: form.active,
  };
}

/** Test connection with what the form holds: its settings, and the credentials typed (else the saved ones). */
export function toChannelTest(form: ChannelForm, c: Channel | null): ChannelTest {
  const credentials = trimmed(form.credentials, CREDENTIAL_FIELDS[form.kind]);
  return {
    ...(c === null && { kind: form.kind }),
    settings: trimmed(form.settings, SETTINGS_FIELDS[form.kind]),
    ...(Object.keys(credentials).length > 0 && { credentials }),
  };
}
