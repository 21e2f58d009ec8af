import type { List } from '../../../contracts/schemas/common';
import type { Location, Warehouse } from '../../../contracts/schemas/company';
import type { Tx } from '../../db/transaction';
import { ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { LocationModel, WarehouseModel } from './warehouse.model';

export async function listWarehouses(auth: Auth): Promise<List<Warehouse>> {
  requireAccess(auth, 'inventory.read');
  const rows = await WarehouseModel.findAll({ order: [['id', 'ASC']] });
  return { items: rows.map((w) => ({ id: w.id, name: w.name, code: w.code })), total: rows.length };
}

export async function listLocations(auth: Auth, warehouseId?: number): Promise<List<Location>> {
  requireAccess(auth, 'inventory.read');
  const rows = await LocationModel.findAll({ where: warehouseId ? { warehouseId } : {}, order: [['id', 'ASC']] });
  return {
    items: rows.map((l) => ({ id: l.id, name: l.name, kind: l.kind, warehouseId: l.warehouseId, isReturns: l.isReturns })),
    total: rows.length,
  };
}

/** The warehouse an order ships from: the one asked for (which must exist), else the first. */
export async function resolveWarehouseId(id: number | null | undefined, t?: Tx): Promise<number> {
  if (id) {
    if (!(await WarehouseModel.findByPk(id, { transaction: t }))) throw ValidationError.field('warehouseId', `warehouse ${id} does not exist`);
    return id;
  }
  const first = await WarehouseModel.findOne({ order: [['id', 'ASC']], transaction: t });
  if (!first) throw new Error('no warehouse: migrations did not run');
  return first.id;
}
