import { Op, type WhereOptions } from 'sequelize';
import type { List, ListQuery } from '../../../contracts/schemas/common';
import type { Location, Warehouse } from '../../../contracts/schemas/company';
import { cached, invalidateAfterCommit } from '../../db/cache';
import { withTransaction, type Tx } from '../../db/transaction';
import type { LocationKind } from '../../../contracts/states';
import { ConflictError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { LocationModel, WarehouseModel } from './warehouse.model';

export async function listWarehouses(auth: Auth, query: ListQuery): Promise<List<Warehouse>> {
  requireAccess(auth, 'inventory.read');
  const where = query.q ? { [Op.or]: [{ name: { [Op.like]: likeTerm(query.q) } }, { code: { [Op.like]: likeTerm(query.q) } }] } : {};
  const { rows, count } = await WarehouseModel.findAndCountAll({
    where,
    limit: query.limit,
    offset: query.offset,
    order: orderFrom(query.sort, ['id', 'name', 'code'], 'id'),
  });
  return { items: rows.map((w) => ({ id: w.id, name: w.name, code: w.code })), total: count };
}

export async function listLocations(auth: Auth, query: ListQuery & { warehouseId?: number; kind?: LocationKind }): Promise<List<Location>> {
  requireAccess(auth, 'inventory.read');
  const and: WhereOptions<LocationModel>[] = [];
  if (query.q) and.push({ name: { [Op.like]: likeTerm(query.q) } });
  if (query.warehouseId) and.push({ warehouseId: query.warehouseId });
  if (query.kind) and.push({ kind: query.kind });
  const { rows, count } = await LocationModel.findAndCountAll({
    where: { [Op.and]: and },
    limit: query.limit,
    offset: query.offset,
    order: orderFrom(query.sort, ['id', 'name', 'kind'], 'id'),
  });
  return {
    items: rows.map((l) => ({ id: l.id, name: l.name, kind: l.kind, warehouseId: l.warehouseId, isReturns: l.isReturns })),
    total: count,
  };
}

// Warehouses and their locations, read by every order and picking: kept in memory, dropped in every
// process when a warehouse is added. A warehouse not in the copy (made in this transaction, or just now
// elsewhere) is read from the database.
const layout = cached('warehouses', async () => ({
  warehouses: await WarehouseModel.findAll({ order: [['id', 'ASC']] }),
  locations: await LocationModel.findAll({ order: [['id', 'ASC']] }),
}));

/** A warehouse (read-only), or null. */
export async function findWarehouse(t: Tx | null, id: number): Promise<WarehouseModel | null> {
  return (await layout.get()).warehouses.find((w) => w.id === id) ?? (await WarehouseModel.findByPk(id, { transaction: t }));
}

/** Every location (read-only), from the copy in memory when it knows the warehouse, else from the database. */
export async function allLocations(t: Tx | null, warehouseId: number): Promise<LocationModel[]> {
  const known = await layout.get();
  if (known.locations.some((l) => l.warehouseId === warehouseId)) return known.locations;
  return LocationModel.findAll({ order: [['id', 'ASC']], transaction: t });
}

/** The warehouse an order ships from: the one asked for (which must exist), else the first. */
export async function resolveWarehouseId(t: Tx | null, id: number | null | undefined): Promise<number> {
  if (id) {
    if (!(await findWarehouse(t, id))) throw ValidationError.field('warehouseId', `warehouse ${id} does not exist`);
    return id;
  }
  const main = (await layout.get()).warehouses[0];
  if (main) return main.id;
  const first = await WarehouseModel.findOne({ order: [['id', 'ASC']], transaction: t });
  if (!first) throw new Error('no warehouse: migrations did not run');
  return first.id;
}

/** A warehouse's name (a purchase order prints where its goods go), or null when there is none. */
export async function warehouseName(t: Tx | null, id: number): Promise<string | null> {
  return (await WarehouseModel.findByPk(id, { attributes: ['name'], transaction: t }))?.name ?? null;
}

/** A new warehouse with its two internal locations; its picking numbers start at the first picking. */
export async function createWarehouse(auth: Auth, input: { name: string; code: string }): Promise<Warehouse> {
  requireAccess(auth, 'company.write');
  const w = await withTransaction(async (t) => {
    if (await WarehouseModel.findOne({ where: { code: input.code }, transaction: t })) {
      throw new ConflictError(`A warehouse with code ${input.code} exists already`);
    }
    const w = await WarehouseModel.create(input, { transaction: t });
    await LocationModel.bulkCreate(
      [
        { name: `${w.code}/Stock`, kind: 'internal', warehouseId: w.id, isReturns: false },
        { name: `${w.code}/Returns`, kind: 'internal', warehouseId: w.id, isReturns: true },
      ],
      { transaction: t },
    );
    invalidateAfterCommit(t, 'warehouses');
    return w;
  });
  return { id: w.id, name: w.name, code: w.code };
}

/** Every warehouse's code by id, in id order (the first is the main warehouse). */
export async function warehouseCodes(t: Tx | null): Promise<Map<number, string>> {
  const rows = await WarehouseModel.findAll({ attributes: ['id', 'code'], order: [['id', 'ASC']], transaction: t });
  return new Map(rows.map((w) => [w.id, w.code]));
}
