import { partner, type Partner, type PartnerCreate, type PartnerPatch } from '$contracts/schemas/partners';
import type { PartnerRole } from '$contracts/states';
import { call, routes } from '$lib/api';
import { RecordEditor } from '$lib/record-editor.svelte';

export type PartnerForm = {
  name: string;
  email: string;
  phone: string;
  isCompany: boolean;
  street: string;
  city: string;
  zip: string;
  countryCode: string;
  roles: PartnerRole[];
  /** A vendor's order endpoint: its URL, a new secret (blank: keep the stored one), on or off. */
  endpointUrl: string;
  endpointSecret: string;
  endpointActive: boolean;
};

function toForm(p: Partner | null): PartnerForm {
  return {
    name: p?.name ?? '',
    email: p?.email ?? '',
    phone: p?.phone ?? '',
    isCompany: p?.isCompany ?? false,
    street: p?.street ?? '',
    city: p?.city ?? '',
    zip: p?.zip ?? '',
    countryCode: p?.countryCode ?? '',
    roles: p ? [...p.roles] : ['customer'],
    endpointUrl: p?.orderEndpoint?.url ?? '',
    endpointSecret: '',
    endpointActive: p?.orderEndpoint?.active ?? true,
  };
}

function text(v: string): string | null {
  return v.trim() === '' ? null : v.trim();
}

function toInput(f: PartnerForm): PartnerCreate {
  return {
    name: f.name.trim(),
    email: text(f.email),
    phone: text(f.phone),
    isCompany: f.isCompany,
    street: text(f.street),
    city: text(f.city),
    zip: text(f.zip),
    countryCode: text(f.countryCode)?.toUpperCase() ?? null,
    roles: [...f.roles],
    ...(f.endpointUrl.trim() && { orderEndpoint: endpointOf(f) }),
  };
}

function endpointOf(f: PartnerForm): { url: string; active: boolean; secret?: string } {
  return { url: f.endpointUrl.trim(), active: f.endpointActive, ...(f.endpointSecret && { secret: f.endpointSecret }) };
}

/** Only what changed, with the version the form was filled from. */
function toPatch(f: PartnerForm, p: Partner): PartnerPatch {
  const input = toInput(f);
  const patch: PartnerPatch = { version: p.version };
  if (input.name !== p.name) patch.name = input.name;
  if (input.email !== p.email) patch.email = input.email;
  if (input.phone !== p.phone) patch.phone = input.phone;
  if (input.isCompany !== p.isCompany) patch.isCompany = input.isCompany;
  if (input.street !== p.street) patch.street = input.street;
  if (input.city !== p.city) patch.city = input.city;
  if (input.zip !== p.zip) patch.zip = input.zip;
  if (input.countryCode !== p.countryCode) patch.countryCode = input.countryCode;
  if (JSON.stringify([...(input.roles ?? [])].sort()) !== JSON.stringify([...p.roles].sort())) patch.roles = input.roles;
  const url = f.endpointUrl.trim();
  if (!url && p.orderEndpoint) patch.orderEndpoint = null;
  else if (url && (url !== p.orderEndpoint?.url || f.endpointActive !== p.orderEndpoint.active || f.endpointSecret)) patch.orderEndpoint = endpointOf(f);
  return patch;
}

/** The partner form, for the list's dialog and the partner's page alike. */
export function partnerEditor(onsaved: (saved: Partner) => Promise<void>): RecordEditor<Partner, PartnerForm> {
  return new RecordEditor<Partner, PartnerForm>({
    noun: 'partner',
    label: (p) => p.name,
    toForm,
    schema: partner,
    fetchCurrent: (p) => call(routes.partners.get, { params: { id: p.id } }),
    onsaved,
  });
}

/** Creates the partner, or saves the changes to the one being edited. */
export function savePartner(editor: RecordEditor<Partner, PartnerForm>): Promise<void> {
  return editor.save((p) =>
    p ? call(routes.partners.update, { params: { id: p.id }, body: toPatch(editor.form, p) }) : call(routes.partners.create, { body: toInput(editor.form) }),
  );
}
