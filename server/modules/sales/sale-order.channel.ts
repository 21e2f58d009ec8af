import { col, fn } from 'sequelize';
import type { Tx } from '../../db/transaction';
import { SaleOrderModel } from './sale-order.model';

// Sale orders as the channels see them: how many each channel brought, and the orders a channel's
// external ids stand for (an order is unique by channel and external id).

/** The number of orders of each channel (a channel without orders is absent). */
export async function orderCountsByChannel(t: Tx | null, channelIds: number[]): Promise<Map<number, number>> {
  if (!channelIds.length) return new Map();
  const rows = (await SaleOrderModel.findAll({
    where: { channelId: channelIds },
    attributes: ['channelId', [fn('COUNT', col('id')), 'n']],
    group: ['channelId'],
    raw: true,
    transaction: t,
  })) as unknown as { channelId: number; n: number | string }[];
  return new Map(rows.map((r) => [r.channelId, Number(r.n)]));
}

/** The orders of a channel with these external ids. */
export function ordersByExternalIds(t: Tx, channelId: number, externalIds: string[]): Promise<SaleOrderModel[]> {
  return SaleOrderModel.findAll({ where: { channelId, externalId: externalIds }, transaction: t });
}

/** The order of a channel with this external id, or null. */
export function orderByExternalId(t: Tx, channelId: number, externalId: string): Promise<SaleOrderModel | null> {
  return SaleOrderModel.findOne({ where: { channelId, externalId }, transaction: t });
}
