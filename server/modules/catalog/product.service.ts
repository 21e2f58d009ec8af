import { Op, col, fn, where, type WhereOptions } from 'sequelize';
import type { z } from 'zod';
import type { Product, ProductCreate, ProductPatch } from '../../../contracts/schemas/catalog';
import { productCreate, productListQuery } from '../../../contracts/schemas/catalog';
import type { List } from '../../../contracts/schemas/common';
import type { ProductRoute, ProductType } from '../../../contracts/states';
import { iso } from '../../db/columns';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { partnerNames } from '../partners/partner.service';
import { ProductModel, ProductVendorModel } from './catalog.model';
import { taxRates } from './tax.service';

const withVendors = [{ model: ProductVendorModel, as: 'vendors' }];

export function toProduct(p: ProductModel): Product {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    type: p.type,
    listPrice: p.listPrice,
    cost: p.cost,
    taxIds: p.taxIds,
    invoicePolicy: p.invoicePolicy,
    routes: p.routes,
    purchaseTaxIds: p.purchaseTaxIds,
    billPolicy: p.billPolicy,
    vendors: [...(p.vendors ?? [])]
      .sort((a, b) => a.sequence - b.sequence)
      .map((v) => ({ partnerId: v.partnerId, price: v.price, minQty: v.minQty, leadDays: v.leadDays })),
    active: p.active,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    version: p.version,
  };
}

export async function listProducts(auth: Auth, query: z.infer<typeof productListQuery>): Promise<List<Product>> {
  requireAccess(auth, 'product.read');
  const and: WhereOptions<ProductModel>[] = [{ active: true }];
  if (query.q) and.push({ [Op.or]: [{ name: { [Op.like]: likeTerm(query.q) } }, { sku: { [Op.like]: likeTerm(query.q) } }] });
  if (query.type) and.push({ type: query.type });
  if (query.route) and.push({ routes: { [Op.like]: `%"${query.route}"%` } } as WhereOptions);
  const where = { [Op.and]: and };
  const [rows, count] = await Promise.all([
    ProductModel.findAll({
      where,
      include: withVendors,
      limit: query.limit,
      offset: query.offset,
      order: orderFrom(query.sort, ['name', 'sku', 'listPrice', 'createdAt'], 'name'),
    }),
    ProductModel.count({ where }),
  ]);
  return { items: rows.map(toProduct), total: count };
}

/** A product with its vendors, or a 404; t is null for a read outside a transaction. */
export async function findProduct(t: Tx | null, id: number): Promise<ProductModel> {
  const p = await ProductModel.findByPk(id, { include: withVendors, transaction: t });
  if (!p) throw new NotFoundError('Product', id);
  return p;
}

/** Products by SKU for another domain (an intake's lines); SKUs not known here are absent. */
export async function productsBySku(t: Tx | null, skus: string[]): Promise<Map<string, ProductModel>> {
  const unique = [...new Set(skus.filter(Boolean))];
  const rows = unique.length ? await ProductModel.findAll({ where: { sku: unique }, transaction: t }) : [];
  return new Map(rows.map((p) => [p.sku, p]));
}

/** How product names are compared: trimmed, in NFC, without case. */
export const nameKey = (name: string) => name.trim().normalize('NFC').toLowerCase();

/**
 * Active products by name, for lines that come without a SKU: keyed by nameKey; a name that two
 * products share matches neither.
 */
export async function productsByName(t: Tx | null, names: string[]): Promise<Map<string, ProductModel>> {
  const keys = [...new Set(names.map(nameKey).filter(Boolean))];
  if (!keys.length) return new Map();
  const rows = await ProductModel.findAll({
    where: { active: true, [Op.or]: [{ name: [...new Set(names.map((n) => n.trim()))] }, where(fn('lower', col('name')), { [Op.in]: keys })] },
    transaction: t,
  });
  const found = new Map<string, ProductModel | null>();
  for (const p of rows) {
    const key = nameKey(p.name);
    if (keys.includes(key)) found.set(key, found.has(key) && found.get(key)?.id !== p.id ? null : p);
  }
  return new Map([...found].filter((e): e is [string, ProductModel] => e[1] !== null));
}

/** Products by id for another domain; unknown ids are a 400 on `field`. */
export async function productsByIds(t: Tx | null, ids: number[], field: string): Promise<Map<number, ProductModel>> {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await ProductModel.findAll({ where: { id: unique }, transaction: t }) : [];
  const map = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.filter((i) => !map.has(i));
  if (missing.length) throw ValidationError.field(field, `unknown product ${missing.join(', ')}`);
  return map;
}

export async function getProduct(auth: Auth, id: number): Promise<Product> {
  requireAccess(auth, 'product.read');
  return toProduct(await findProduct(null, id));
}

async function checkRefs(t: Tx, input: { taxIds?: number[]; purchaseTaxIds?: number[]; vendors?: { partnerId: number }[] }): Promise<void> {
  if (input.taxIds) await taxRates(t, input.taxIds, 'taxIds');
  if (input.purchaseTaxIds) await taxRates(t, input.purchaseTaxIds, 'purchaseTaxIds');
  const vendorIds = [...new Set((input.vendors ?? []).map((v) => v.partnerId))];
  if (vendorIds.length) {
    const found = await partnerNames(t, vendorIds);
    const missing = vendorIds.filter((id) => !found.has(id));
    if (missing.length) throw ValidationError.field('vendors', `unknown partner ${missing.join(', ')}`);
  }
}

async function writeVendors(t: Tx, productId: number, vendors: ProductCreate['vendors']): Promise<void> {
  await ProductVendorModel.destroy({ where: { productId }, transaction: t });
  if (!vendors?.length) return;
  await ProductVendorModel.bulkCreate(
    vendors.map((v, i) => ({ productId, partnerId: v.partnerId, sequence: i, price: v.price, minQty: v.minQty ?? 1, leadDays: v.leadDays ?? 0 })),
    { transaction: t },
  );
}

export async function createProduct(auth: Auth, input: z.output<typeof productCreate>): Promise<Product> {
  requireAccess(auth, 'product.write');
  const id = await withTransaction(async (t) => {
    await checkRefs(t, input);
    if (await ProductModel.findOne({ where: { sku: input.sku }, transaction: t })) throw new ConflictError(`SKU ${input.sku} is already used`);
    const { vendors, ...fields } = input;
    const p = await ProductModel.create(fields, { transaction: t });
    await writeVendors(t, p.id, vendors);
    return p.id;
  });
  return getProduct(auth, id);
}

export async function updateProduct(auth: Auth, id: number, patch: ProductPatch): Promise<Product> {
  requireAccess(auth, 'product.write');
  await withTransaction(async (t) => {
    const p = await ProductModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE, include: withVendors });
    if (!p) throw new NotFoundError('Product', id);
    if (patch.version !== p.version) throw new ConflictError('This product was changed by someone else', toProduct(p));
    await checkRefs(t, patch);
    if (patch.sku && patch.sku !== p.sku && (await ProductModel.findOne({ where: { sku: patch.sku }, transaction: t }))) {
      throw new ConflictError(`SKU ${patch.sku} is already used`);
    }
    const { version: _v, vendors, ...fields } = patch;
    p.set(fields);
    if (vendors) {
      await writeVendors(t, id, vendors);
      p.changed('updatedAt', true);
    }
    await p.save({ transaction: t });
  });
  return getProduct(auth, id);
}

// Read by inventory

/** The product with this SKU (compared as the database compares it), or null. */
export function productBySku(t: Tx | null, sku: string): Promise<Pick<ProductModel, 'id'> | null> {
  return ProductModel.findOne({ where: { sku }, attributes: ['id'], transaction: t });
}

/** Storable products (id, name, SKU) by name, for the stock report: one product, or those whose name or SKU has q. */
export function storableProducts(t: Tx | null, filter: { productId?: number; q?: string }): Promise<Pick<ProductModel, 'id' | 'name' | 'sku'>[]> {
  const and: WhereOptions<ProductModel>[] = [{ type: 'storable' }];
  if (filter.productId) and.push({ id: filter.productId });
  if (filter.q) and.push({ [Op.or]: [{ name: { [Op.like]: likeTerm(filter.q) } }, { sku: { [Op.like]: likeTerm(filter.q) } }] });
  return ProductModel.findAll({ where: { [Op.and]: and }, attributes: ['id', 'name', 'sku'], order: [['name', 'ASC']], transaction: t });
}

// Read by the materials-flow graph

/** The types and routes the catalog's products have (each combination once): which flows can happen at all. */
export async function productRoutesInUse(t: Tx | null): Promise<{ type: ProductType; routes: ProductRoute[] }[]> {
  const rows = await ProductModel.findAll({ where: { active: true }, attributes: ['type', 'routes'], group: ['type', 'routes'], transaction: t });
  return rows.map((p) => ({ type: p.type, routes: p.routes ?? [] }));
}

// Read by accounting

/** SKUs by product id (unknown ids are absent). */
export async function productSkus(t: Tx | null, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await ProductModel.findAll({ where: { id: unique }, attributes: ['id', 'sku'], transaction: t }) : [];
  return new Map(rows.map((p) => [p.id, p.sku]));
}

/** Products by id (unknown ids are absent: the caller names the missing one). */
export async function productsById(t: Tx, ids: number[]): Promise<Map<number, ProductModel>> {
  const rows = ids.length ? await ProductModel.findAll({ where: { id: ids }, transaction: t }) : [];
  return new Map(rows.map((p) => [p.id, p]));
}

/** A product as other domains hold one (loaded through this module's functions or an association). */
export type ProductRecord = ProductModel;

// Read by purchasing

export type VendorPrice = { partnerId: number; price: number; minQty: number; leadDays: number };

/** A product's vendors in order of preference (the first is the preferred vendor). */
export function vendorsOf(p: ProductModel): VendorPrice[] {
  return [...(p.vendors ?? [])]
    .sort((a, b) => a.sequence - b.sequence || a.id - b.id)
    .map((v) => ({ partnerId: v.partnerId, price: v.price, minQty: v.minQty, leadDays: v.leadDays }));
}

/**
 * The purchase price of a quantity from a vendor (Odoo's seller selection): of that vendor's entries
 * whose minimum quantity the quantity reaches, the one with the largest minimum (the best price break);
 * without one, the product's cost (and the vendor's shortest lead time).
 */
export function purchasePrice(p: ProductModel, partnerId: number, quantity: number): { price: number; leadDays: number } {
  const entries = vendorsOf(p).filter((v) => v.partnerId === partnerId);
  const fits = entries.filter((v) => quantity >= v.minQty).sort((a, b) => b.minQty - a.minQty)[0];
  if (fits) return { price: fits.price, leadDays: fits.leadDays };
  return { price: p.cost, leadDays: entries.length ? Math.min(...entries.map((v) => v.leadDays)) : 0 };
}

/** Products by id with their vendors, for purchasing; unknown ids are a 400 on `field`. */
export async function productsWithVendors(t: Tx | null, ids: number[], field: string): Promise<Map<number, ProductModel>> {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await ProductModel.findAll({ where: { id: unique }, include: withVendors, transaction: t }) : [];
  const map = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.filter((i) => !map.has(i));
  if (missing.length) throw ValidationError.field(field, `unknown product ${missing.join(', ')}`);
  return map;
}
