import { headerKey, importResult, type ImportPreview, type ImportProfile } from '$contracts/schemas/imports';
import { call, routes } from '$lib/api';
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
  discount: 'Line discount %',
  lineDiscount: 'Line discount (amount)',
  taxRate: 'Tax rate',
  lineTaxable: 'Line taxable',
  shippingCost: 'Shipping cost',
  shippingMethod: 'Shipping method',
  discountCode: 'Discount code',
  orderDiscount: 'Order discount (whole amount)',
  taxNames: 'Tax names',
  taxTotal: 'Taxes (order)',
  total: 'Order total',
  notes: 'Notes',
  financialStatus: 'Payment status',
};

/** The built-in profiles, as people know them. */
export const PROFILE_LABELS: Record<string, string> = {
  shopify: 'Shopify orders export',
  woocommerce: 'WooCommerce orders export',
};

/** A profile's name to show: a built-in one's label, a saved one's own name. */
export const profileLabel = (p: Pick<ImportProfile, 'name' | 'builtIn'>) => (p.builtIn ? (PROFILE_LABELS[p.name] ?? p.name) : p.name);

/** Field → column header, or several headers joined by a space. */
type ImportMapping = Record<string, string | string[]>;

/** A file in a form with the fields an upload of it takes. */
function fileForm(file: File, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set('file', file, file.name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

/** How a profile or a saved mapping is named to the server: a saved one by id, a built-in one by name. */
export const profileKey = (p: ImportProfile) => (p.id === null ? p.name : String(p.id));

const columnsOf = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const toColumns = (m: Record<string, string | string[]>) => Object.fromEntries(Object.entries(m).map(([f, v]) => [f, columnsOf(v)]));

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
  readonly dryRun = new JobWatch(importResult);
  readonly run = new JobWatch(importResult);

  /** The built-in profile the file was exported with, as the preview recognised it. */
  detected = $derived(this.preview?.profile ?? null);

  /** The mapped columns the file does not have, by field: a profile's optional columns may be missing. */
  absent = $derived.by((): Record<string, string[]> => {
    const keys = (this.preview?.columns ?? []).map(headerKey);
    const out: Record<string, string[]> = {};
    for (const [field, cols] of Object.entries(this.mapping)) {
      const missing = cols.filter((c) => !keys.includes(headerKey(c)));
      if (missing.length) out[field] = missing;
    }
    return out;
  });

  /**
   * What keeps the mapping from running, in words; empty when it may run. Only the required fields
   * count: any other column may be missing from a file. A profile's columns are found by the server,
   * which knows the names shops give them (the dry run says when one is not there).
   */
  problems = $derived.by((): string[] => {
    const out: string[] = [];
    for (const f of REQUIRED_FIELDS) if (!this.mapping[f]?.length) out.push(`${FIELD_LABELS[f]} is not mapped.`);
    if (!ONE_OF_FIELDS.some((f) => this.mapping[f]?.length)) out.push('Map the SKU or the product name.');
    // A mapping of one's own names the file's columns: a required field none of whose columns is there cannot be read.
    if (this.profile === '') {
      const found = (f: string) => (this.mapping[f]?.length ?? 0) > (this.absent[f]?.length ?? 0);
      for (const f of REQUIRED_FIELDS) {
        if (this.mapping[f]?.length && !found(f)) out.push(`${FIELD_LABELS[f]}: the file has no column "${this.absent[f]!.join('", "')}".`);
      }
      if (ONE_OF_FIELDS.some((f) => this.mapping[f]?.length) && !ONE_OF_FIELDS.some(found)) {
        out.push('Neither the SKU nor the product name column is in the file.');
      }
    }
    return out;
  });

  async loadProfiles(): Promise<void> {
    try {
      this.profiles = (await call(routes.imports.profiles)).items;
      // A profile chosen before the profiles arrived (the detected one needs none of them): fill its mapping in now.
      if (this.profile && this.profile !== this.detected) this.useProfile(this.profile);
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
      const preview = await call(routes.imports.preview, { body: fileForm(file) });
      if (this.file !== file) return;
      this.preview = preview;
      this.saveNotice = '';
      if (preview.profile) this.useProfile(preview.profile);
      else {
        // No known export: a mapping of one's own, guessed from the column names.
        this.profile = '';
        this.mapping = toColumns(preview.mapping);
      }
    } catch (err) {
      this.error = err;
    } finally {
      this.previewing = false;
    }
  }

  /**
   * Shows a profile's mapping in the selects ('' keeps the current one, as a mapping of one's own). The
   * detected profile shows as the preview found it in this file; another one with the file's own
   * spelling of the columns it has, and the names of those it lacks.
   */
  useProfile(key: string): void {
    this.profile = key;
    if (key === '') return;
    if (this.preview && key === this.preview.profile) {
      this.mapping = toColumns(this.preview.mapping);
      return;
    }
    const p = this.profiles.find((x) => profileKey(x) === key);
    if (!p) return;
    const columns = this.preview?.columns ?? [];
    const inFile = (c: string) => columns.find((x) => headerKey(x) === headerKey(c)) ?? c;
    this.mapping = Object.fromEntries(Object.entries(p.mapping).map(([f, v]) => [f, columnsOf(v as string | string[]).map(inFile)]));
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
      const saved = await call(routes.imports.saveProfile, { body: { name, mapping: this.#mappingToSend() } });
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
      // The mapping: a profile (name or id) or one of its own.
      const form = fileForm(file, this.profile ? { profile: this.profile } : { mapping: JSON.stringify(this.#mappingToSend()) });
      form.set('dryRun', String(dryRun));
      if (this.channelId) form.set('channelId', String(this.channelId));
      const { jobId } = await call(routes.imports.start, { body: form });
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
