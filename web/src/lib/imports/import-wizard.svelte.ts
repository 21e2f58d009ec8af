import type { ImportPreview, ImportResult } from '$contracts/schemas/imports';
import { api, type ImportMapping, type ImportProfile } from '$lib/api';
import { JobWatch } from '$lib/jobs.svelte';

export type WizardStep = 'upload' | 'mapping' | 'dryRun' | 'run';

/** The fields an import cannot do without; `sku` or `productName` is needed too. */
export const REQUIRED_FIELDS = ['reference', 'quantity', 'unitPrice'] as const;
export const ONE_OF_FIELDS = ['sku', 'productName'] as const;

export const FIELD_LABELS: Record<string, string> = {
  reference: 'Order reference',
  date: 'Order date',
  customerName: 'Customer name',
  customerEmail: 'Customer email',
  customerPhone: 'Customer phone',
  shippingName: 'Ship to: name',
  shippingStreet: 'Ship to: street',
  shippingStreet2: 'Ship to: street 2',
  shippingCity: 'Ship to: city',
  shippingZip: 'Ship to: ZIP',
  shippingState: 'Ship to: state',
  shippingCountry: 'Ship to: country',
  shippingPhone: 'Ship to: phone',
  sku: 'SKU',
  productName: 'Product name',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  discount: 'Discount',
  taxRate: 'Tax rate',
  shippingCost: 'Shipping cost',
  notes: 'Notes',
  financialStatus: 'Payment status',
};

export function isImportResult(v: unknown): v is ImportResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.created === 'number' && typeof r.rejected === 'number' && Array.isArray(r.errors);
}

/** How a profile or a saved mapping is named to the server: a saved one by id, a built-in one by name. */
export const profileKey = (p: ImportProfile) => (p.id === null ? p.name : String(p.id));

const columnsOf = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The import wizard: a file and its preview, the mapping (a profile, or each field to a column), a dry
 * run and its report, then the import followed to its end. Create it while a component initialises.
 */
export class ImportWizard {
  step: WizardStep = $state('upload');
  file: File | null = $state(null);
  preview: ImportPreview | null = $state(null);
  previewing = $state(false);
  error: unknown = $state(null);
  profiles: ImportProfile[] = $state([]);
  // The chosen profile's key; '' for a mapping of one's own.
  profile = $state('');
  // Field → the columns it reads (none: not mapped).
  mapping: Record<string, string[]> = $state({});
  channelId: number | null = $state(null);
  saveName = $state('');
  saving = $state(false);
  saveNotice = $state('');
  starting = $state(false);
  readonly dryRun = new JobWatch(isImportResult);
  readonly run = new JobWatch(isImportResult);

  /** The fields the mapping is missing, in words; empty when it may run. */
  problems = $derived.by((): string[] => {
    const out: string[] = [];
    for (const f of REQUIRED_FIELDS) if (!this.mapping[f]?.length) out.push(`${FIELD_LABELS[f]} is not mapped.`);
    if (!ONE_OF_FIELDS.some((f) => this.mapping[f]?.length)) out.push('Map the SKU or the product name.');
    const known = (this.preview?.columns ?? []).map((c) => c.toLowerCase());
    for (const [field, cols] of Object.entries(this.mapping)) {
      for (const c of cols) if (!known.includes(c.toLowerCase())) out.push(`${FIELD_LABELS[field] ?? field}: the file has no column "${c}".`);
    }
    return out;
  });

  async loadProfiles(): Promise<void> {
    try {
      this.profiles = (await api.imports.profiles()).items;
      // A profile detected before the profiles arrived: fill its mapping in now.
      if (this.profile) this.useProfile(this.profile);
    } catch (err) {
      this.error = err;
    }
  }

  /** Reads the file's first rows, and preselects the built-in profile it fits. */
  async choose(file: File | null): Promise<void> {
    this.file = file;
    this.preview = null;
    this.error = null;
    this.dryRun.reset();
    this.run.reset();
    if (!file) return;
    this.previewing = true;
    try {
      const preview = await api.imports.preview(file);
      if (this.file !== file) return;
      this.preview = preview;
      if (preview.profile) this.useProfile(preview.profile);
      else this.useProfile('');
    } catch (err) {
      this.error = err;
    } finally {
      this.previewing = false;
    }
  }

  /** Shows a profile's mapping in the selects ('' keeps the current one, as a mapping of one's own). */
  useProfile(key: string): void {
    this.profile = key;
    const p = this.profiles.find((x) => profileKey(x) === key);
    if (!p) return;
    this.mapping = Object.fromEntries(Object.entries(p.mapping).map(([f, v]) => [f, columnsOf(v as string | string[])]));
  }

  /** One field mapped by hand: the mapping is then one's own. */
  mapField(field: string, columns: string[]): void {
    this.mapping = { ...this.mapping, [field]: columns };
    this.profile = '';
  }

  #mappingToSend(): ImportMapping {
    return Object.fromEntries(Object.entries(this.mapping).flatMap(([f, cols]) => (cols.length === 0 ? [] : [[f, cols.length === 1 ? cols[0]! : cols]])));
  }

  async saveProfile(): Promise<void> {
    const name = this.saveName.trim();
    if (!name) return;
    this.saving = true;
    this.error = null;
    this.saveNotice = '';
    try {
      const saved = await api.imports.saveProfile({ name, mapping: this.#mappingToSend() });
      await this.loadProfiles();
      this.profile = profileKey(saved);
      this.saveName = '';
      this.saveNotice = `Saved as "${saved.name}".`;
    } catch (err) {
      this.error = err;
    } finally {
      this.saving = false;
    }
  }

  goTo(step: WizardStep): void {
    this.error = null;
    this.step = step;
  }

  /** Starts the dry run (step 3) or the import (step 4). */
  async start(dryRun: boolean): Promise<void> {
    const file = this.file;
    if (!file || this.problems.length) return;
    this.starting = true;
    this.error = null;
    const watch = dryRun ? this.dryRun : this.run;
    try {
      const how = this.profile ? { profile: this.profile } : { mapping: this.#mappingToSend() };
      const { jobId } = await api.imports.start({ file, dryRun, channelId: this.channelId, ...how });
      watch.start(jobId);
      this.step = dryRun ? 'dryRun' : 'run';
    } catch (err) {
      this.error = err;
    } finally {
      this.starting = false;
    }
  }

  /** Starts again with another file. */
  restart(): void {
    this.step = 'upload';
    this.file = null;
    this.preview = null;
    this.error = null;
    this.saveNotice = '';
    this.dryRun.reset();
    this.run.reset();
  }
}
