import { literal } from 'sequelize';
import type { SaleOrderState } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { SaleOrderLineModel, SaleOrderModel } from './sale-order.model';

// Reads of sale orders for other domains (accounting, purchasing): their names and states, and an
// order's lines as a subquery.

/** Order names by id (unknown ids are absent). */
export async function orderNames(t: Tx | null, ids: (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!unique.length) return new Map();
  const rows = await SaleOrderModel.findAll({ where: { id: unique }, attributes: ['id', 'name'], transaction: t });
  return new Map(rows.map((o) => [o.id, o.name]));
}

/** Order names and their owners (creators, for the own-orders rule) by id, in one read (unknown ids are absent). */
export async function orderNamesAndOwners(t: Tx | null, ids: (number | null)[]): Promise<Map<number, { name: string; owner: number | null }>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!unique.length) return new Map();
  const rows = await SaleOrderModel.findAll({ where: { id: unique }, attributes: ['id', 'name', 'createdById'], transaction: t });
  return new Map(rows.map((o) => [o.id, { name: o.name, owner: o.createdById }]));
}

/** Order names and states by id (unknown ids are absent). */
export async function orderStates(t: Tx | null, ids: (number | null)[]): Promise<Map<number, { name: string; state: SaleOrderState }>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!unique.length) return new Map();
  const rows = await SaleOrderModel.findAll({ where: { id: unique }, attributes: ['id', 'name', 'state'], transaction: t });
  return new Map(rows.map((o) => [o.id, { name: o.name, state: o.state }]));
}

/** The ids of an order's lines, as a subquery (for `saleLineId IN (…)` in any domain's WHERE). */
export function orderLineIds(orderId: number): ReturnType<typeof literal> {
  return literal(`(SELECT id FROM ${SaleOrderLineModel.tableName} WHERE orderId = ${Number(orderId)})`);
}
