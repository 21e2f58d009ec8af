import { product, type Product, type ProductCreate, type ProductPatch, type ProductVendor } from '$contracts/schemas/catalog';
import type { BillPolicy, InvoicePolicy, ProductRoute, ProductType } from '$contracts/states';
import { call, routes } from '$lib/api';
import { moneyInput, parseDecimal, parseMoney } from '$lib/format';
import { RecordEditor } from '$lib/record-editor.svelte';
import { companyCurrency } from '$lib/session.svelte';

export type VendorRow = { key: number; partnerId: number | null; partnerName: string; price: string; minQty: string; leadDays: string };
export type ProductForm = {
  sku: string;
  name: string;
  type: ProductType;
  listPrice: string;
  cost: string;
  taxIds: number[];
  invoicePolicy: InvoicePolicy;
  routes: ProductRoute[];
  vendors: VendorRow[];
  purchaseTaxIds: number[];
  billPolicy: BillPolicy;
};
type ProductInput = ProductCreate & { vendors: ProductVendor[] };

export const TYPE_LABELS: Record<ProductType, string> = { storable: 'Storable', consumable: 'Consumable', service: 'Service' };
export const POLICY_LABELS: Record<InvoicePolicy, string> = { order: 'Ordered quantities', delivery: 'Delivered quantities' };
export const BILL_POLICY_LABELS: Record<BillPolicy, string> = { ordered: 'Ordered quantities', received: 'Received quantities' };
export const ROUTE_LABELS: Record<ProductRoute, string> = { buy: 'Buy', mto: 'Make to order', dropship: 'Drop-ship' };

let rowSeq = 0;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The form as API input; problems keyed like the server's field names. */
function toInput(f: ProductForm): { input: ProductInput; errors: Record<string, string> } {
  const currency = companyCurrency();
  const errors: Record<string, string> = {};
  const listPrice = f.listPrice.trim() === '' ? 0 : parseMoney(f.listPrice, currency);
  const cost = f.cost.trim() === '' ? 0 : parseMoney(f.cost, currency);
  if (listPrice === null) errors.listPrice = 'An amount such as 12.50';
  if (cost === null) errors.cost = 'An amount such as 12.50';
  const vendors: ProductVendor[] = [];
  f.vendors.forEach((v, i) => {
    const price = parseMoney(v.price, currency);
    const minQty = v.minQty.trim() === '' ? 1 : parseDecimal(v.minQty);
    const leadDays = v.leadDays.trim() === '' ? 0 : parseDecimal(v.leadDays);
    if (v.partnerId === null) errors[`vendors.${i}.partnerId`] = 'Choose a vendor';
    if (price === null) errors[`vendors.${i}.price`] = 'An amount';
    if (minQty === null || minQty < 0) errors[`vendors.${i}.minQty`] = 'A quantity';
    if (leadDays === null || leadDays < 0 || !Number.isInteger(leadDays)) errors[`vendors.${i}.leadDays`] = 'Whole days';
    if (v.partnerId !== null && price !== null && minQty !== null && leadDays !== null) {
      vendors.push({ partnerId: v.partnerId, price, minQty, leadDays });
    }
  });
  return {
    input: {
      sku: f.sku.trim(),
      name: f.name.trim(),
      type: f.type,
      listPrice: listPrice ?? 0,
      cost: cost ?? 0,
      taxIds: [...f.taxIds],
      invoicePolicy: f.invoicePolicy,
      routes: [...f.routes],
      vendors,
      purchaseTaxIds: [...f.purchaseTaxIds],
      billPolicy: f.billPolicy,
    },
    errors,
  };
}

/** Only what changed, with the version the form was filled from. */
function toPatch(input: ProductInput, p: Product): ProductPatch {
  const patch: ProductPatch = { version: p.version };
  if (input.sku !== p.sku) patch.sku = input.sku;
  if (input.name !== p.name) patch.name = input.name;
  if (input.type !== p.type) patch.type = input.type;
  if (input.listPrice !== p.listPrice) patch.listPrice = input.listPrice;
  if (input.cost !== p.cost) patch.cost = input.cost;
  if (!same([...(input.taxIds ?? [])].sort(), [...p.taxIds].sort())) patch.taxIds = input.taxIds;
  if (input.invoicePolicy !== p.invoicePolicy) patch.invoicePolicy = input.invoicePolicy;
  if (!same([...(input.routes ?? [])].sort(), [...p.routes].sort())) patch.routes = input.routes;
  if (!same(input.vendors, p.vendors)) patch.vendors = input.vendors;
  if (!same([...(input.purchaseTaxIds ?? [])].sort(), [...p.purchaseTaxIds].sort())) patch.purchaseTaxIds = input.purchaseTaxIds;
  if (input.billPolicy !== p.billPolicy) patch.billPolicy = input.billPolicy;
  return patch;
}

/**
 * The product form, for the list's dialog and the product's page alike: the record editor, plus
 * the vendors' names (a product holds their ids only) and the rows of the vendor table.
 */
export class ProductEditing {
  readonly vendorNames: Record<number, string> = $state({});
  readonly editor: RecordEditor<Product, ProductForm>;

  constructor(onsaved: (saved: Product) => Promise<void>) {
    this.editor = new RecordEditor<Product, ProductForm>({
      noun: 'product',
      label: (p) => p.sku,
      toForm: (p) => this.#toForm(p),
      schema: product,
      fetchCurrent: (p) => call(routes.products.get, { params: { id: p.id } }),
      onsaved,
      onedit: (p) => {
        if (p) void this.#fetchVendorNames(p);
      },
    });
  }

  #toForm(p: Product | null): ProductForm {
    const currency = companyCurrency();
    return {
      sku: p?.sku ?? '',
      name: p?.name ?? '',
      type: p?.type ?? 'storable',
      listPrice: p ? moneyInput(p.listPrice, currency) : '',
      cost: p ? moneyInput(p.cost, currency) : '',
      taxIds: p ? [...p.taxIds] : [],
      invoicePolicy: p?.invoicePolicy ?? 'order',
      routes: p ? [...p.routes] : [],
      vendors: (p?.vendors ?? []).map((v) => ({
        key: ++rowSeq,
        partnerId: v.partnerId,
        partnerName: this.vendorNames[v.partnerId] ?? `Partner #${v.partnerId}`,
        price: moneyInput(v.price, currency),
        minQty: String(v.minQty),
        leadDays: String(v.leadDays),
      })),
      purchaseTaxIds: p ? [...p.purchaseTaxIds] : [],
      billPolicy: p?.billPolicy ?? 'received',
    };
  }

  async #fetchVendorNames(p: Product): Promise<void> {
    const ids = p.vendors.map((v) => v.partnerId);
    const missing = ids.filter((id, i) => ids.indexOf(id) === i && !(id in this.vendorNames));
    const found = await Promise.all(missing.map((id) => call(routes.partners.get, { params: { id } }).catch(() => null)));
    for (const partner of found) if (partner) this.vendorNames[partner.id] = partner.name;
    for (const row of this.editor.form.vendors) {
      const name = row.partnerId === null ? undefined : this.vendorNames[row.partnerId];
      if (name) row.partnerName = name;
    }
  }

  /** Checks the form, then creates the product or saves the changes to the one being edited. */
  async save(): Promise<void> {
    const { input, errors } = toInput(this.editor.form);
    if (!this.editor.validate(errors)) return;
    await this.editor.save((p) =>
      p ? call(routes.products.update, { params: { id: p.id }, body: toPatch(input, p) }) : call(routes.products.create, { body: input }),
    );
  }

  toggleRoute(r: ProductRoute, on: boolean): void {
    const routes = this.editor.form.routes;
    this.editor.form.routes = on ? [...routes.filter((x) => x !== r), r] : routes.filter((x) => x !== r);
  }

  addVendor(): void {
    this.editor.form.vendors.push({ key: ++rowSeq, partnerId: null, partnerName: '', price: '', minQty: '1', leadDays: '0' });
  }

  removeVendor(i: number): void {
    this.editor.form.vendors.splice(i, 1);
  }

  /** Moves a vendor row up (-1) or down (+1): the first is the preferred vendor. */
  moveVendor(i: number, by: -1 | 1): void {
    const rows = this.editor.form.vendors;
    const j = i + by;
    if (j < 0 || j >= rows.length) return;
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }

  /** A vendor picked on a row: its name is remembered for the next time the form is filled. */
  pickVendor(row: VendorRow, partner: { id: number; name: string }): void {
    row.partnerId = partner.id;
    row.partnerName = partner.name;
    this.vendorNames[partner.id] = partner.name;
  }
}
