import { Op, UniqueConstraintError, type WhereOptions } from 'sequelize';
import type { z } from 'zod';
import type { List } from '../../../contracts/schemas/common';
import type { ReorderRule, reorderRuleCreate, reorderRuleListQuery, reorderRulePatch } from '../../../contracts/schemas/purchasing';
import { isSqlite } from '../../db/sequelize';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { productsWithVendors } from '../catalog/product.service';
import { resolveWarehouseId } from '../inventory/warehouse.service';
import { r3 } from './purchase-order.lines';
import { ReorderRuleModel } from './reorder-rule.model';
import { rulesChanged } from './reorder-schedule';

// Reorder rules: keep a storable product between min and max in a warehouse, ordering in multiples.
// One rule per product and warehouse. What they order is replenishment.workflow.ts.

export type RuleRecord = Pick<ReorderRuleModel, 'id' | 'productId' | 'warehouseId' | 'min' | 'max' | 'multiple' | 'active'>;

export function toReorderRule(r: ReorderRuleModel): ReorderRule {
  return {
    id: r.id,
    productId: r.productId,
    warehouseId: r.warehouseId,
    min: r.min,
    max: r.max,
    multiple: r.multiple,
    active: r.active,
    lastRunAt: r.lastRunAt ? new Date(r.lastRunAt).toISOString() : null,
    version: r.version,
  };
}

/**
 * What a rule orders when the forecast is below its minimum: up to its maximum, rounded up to its
 * multiple (in thousandths, so 0.1-multiples round exactly); nothing at or above the minimum.
 */
export function reorderQuantity(rule: Pick<RuleRecord, 'min' | 'max' | 'multiple'>, forecast: number): number {
  if (forecast >= rule.min) return 0;
  const missing = Math.round((rule.max - forecast) * 1000);
  const step = Math.max(1, Math.round(rule.multiple * 1000));
  return r3((Math.ceil(missing / step) * step) / 1000);
}

export async function listReorderRules(auth: Auth, query: z.output<typeof reorderRuleListQuery>): Promise<List<ReorderRule>> {
  requireAccess(auth, 'purchase.read');
  const and: WhereOptions[] = [];
  if (query.productId) and.push({ productId: query.productId });
  if (query.warehouseId) and.push({ warehouseId: query.warehouseId });
  if (query.q) and.push({ [Op.or]: [{ '$product.sku$': { [Op.like]: likeTerm(query.q) } }, { '$product.name$': { [Op.like]: likeTerm(query.q) } }] });
  const { rows, count } = await ReorderRuleModel.findAndCountAll({
    where: { [Op.and]: and },
    include: [{ association: 'product', attributes: [] }],
    limit: query.limit,
    offset: query.offset,
    order: orderFrom(query.sort, ['id', 'min', 'max', 'createdAt', 'lastRunAt'], 'id'),
  });
  return { items: rows.map(toReorderRule), total: count };
}

/** Only storable products have stock to keep: an unknown product or another type is a 400. */
async function storableProduct(t: Tx, productId: number): Promise<void> {
  const product = (await productsWithVendors(t, [productId], 'productId')).get(productId)!;
  if (product.type !== 'storable') {
    throw ValidationError.field('productId', `${product.name} is a ${product.type}: only storable products have stock to reorder`);
  }
}

const duplicate = (productId: number, warehouseId: number) =>
  new ConflictError(`Product ${productId} has a reorder rule in warehouse ${warehouseId} already: change that one`);

export async function createReorderRule(auth: Auth, input: z.output<typeof reorderRuleCreate>): Promise<ReorderRule> {
  requireAccess(auth, 'purchase.write');
  let warehouseId = input.warehouseId ?? 0;
  try {
    return await withTransaction(async (t) => {
      await storableProduct(t, input.productId);
      warehouseId = await resolveWarehouseId(t, input.warehouseId);
      if (await ReorderRuleModel.findOne({ where: { productId: input.productId, warehouseId }, attributes: ['id'], transaction: t })) {
        throw duplicate(input.productId, warehouseId);
      }
      const rule = await ReorderRuleModel.create(
        { productId: input.productId, warehouseId, min: r3(input.min), max: r3(input.max), multiple: r3(input.multiple), active: input.active },
        { transaction: t },
      );
      rulesChanged(t);
      return toReorderRule(rule);
    });
  } catch (err) {
    // Two creations of the same rule at once: the unique index refuses the second.
    if (err instanceof UniqueConstraintError) throw duplicate(input.productId, warehouseId);
    throw err;
  }
}

async function loadRule(t: Tx, id: number): Promise<ReorderRuleModel> {
  const rule = await ReorderRuleModel.findByPk(id, { transaction: t, ...(!isSqlite() && { lock: t.LOCK.UPDATE }) });
  if (!rule) throw new NotFoundError('Reorder rule', id);
  return rule;
}

export async function updateReorderRule(auth: Auth, id: number, patch: z.output<typeof reorderRulePatch>): Promise<ReorderRule> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const rule = await loadRule(t, id);
    if (patch.version !== rule.version) throw new ConflictError('The reorder rule was changed by someone else', toReorderRule(rule));
    const min = patch.min ?? rule.min;
    const max = patch.max ?? rule.max;
    if (max < min) throw ValidationError.field('max', `must be at least min (${min})`);
    rule.set({ min: r3(min), max: r3(max) });
    if (patch.multiple !== undefined) rule.multiple = r3(patch.multiple);
    if (patch.active !== undefined) rule.active = patch.active;
    rule.changed('updatedAt', true);
    await rule.save({ transaction: t });
    rulesChanged(t);
    return toReorderRule(rule);
  });
}

export async function removeReorderRule(auth: Auth, id: number): Promise<void> {
  requireAccess(auth, 'purchase.write');
  await withTransaction(async (t) => {
    const rule = await loadRule(t, id);
    await rule.destroy({ transaction: t });
    rulesChanged(t);
  });
}

// Read by the replenishment workflow

/** Active rules by id order after `afterId` (a page of the scheduler's walk), of these products when given. */
export function activeRulesAfter(afterId: number, limit: number, productIds?: number[]): Promise<RuleRecord[]> {
  return ReorderRuleModel.findAll({
    where: { active: true, id: { [Op.gt]: afterId }, ...(productIds && { productId: productIds }) },
    attributes: ['id', 'productId', 'warehouseId', 'min', 'max', 'multiple', 'active'],
    order: [['id', 'ASC']],
    limit,
  });
}

/** The active rules of a warehouse (the replenishment report). */
export function activeRulesOf(t: Tx | null, warehouseId: number): Promise<RuleRecord[]> {
  return ReorderRuleModel.findAll({
    where: { active: true, warehouseId },
    attributes: ['id', 'productId', 'warehouseId', 'min', 'max', 'multiple', 'active'],
    order: [['id', 'ASC']],
    transaction: t,
  });
}

/**
 * The rules, their rows locked for t in id order (MySQL; SQLite runs one transaction at a time): the
 * checks of a rule take turns, each reading the forecast after the one before committed. Rules gone
 * or switched off since are left out. Taken first in its transaction, before any plain read, so that
 * read sees what the check before wrote.
 */
export async function lockRules(t: Tx, ids: number[]): Promise<RuleRecord[]> {
  const rules = await ReorderRuleModel.findAll({ where: { id: ids }, order: [['id', 'ASC']], transaction: t, ...(!isSqlite() && { lock: t.LOCK.UPDATE }) });
  return rules.filter((r) => r.active);
}

/** Notes when these rules were last checked (one statement; the version stays: a check is no edit). */
export async function markRulesChecked(ids: number[], at: Date): Promise<void> {
  if (ids.length) await ReorderRuleModel.update({ lastRunAt: at }, { where: { id: ids }, silent: true });
}
