import { Op } from 'sequelize';
import type { Tx } from '../../db/transaction';
import { PurchaseLineDemandModel } from './purchase-order.model';

// What other domains may ask about purchase lines (read by the materials-flow graph).

const CHUNK = 1000;

/**
 * Which of these purchase lines were bought for sale order lines (make-to-order demand): one query
 * per thousand ids on the demands' purchase-line index, whatever else the lines were bought for.
 */
export async function mtoPurchaseLineIds(t: Tx | null, purchaseLineIds: number[]): Promise<Set<number>> {
  const ids = [...new Set(purchaseLineIds)];
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await PurchaseLineDemandModel.findAll({
      where: { purchaseLineId: ids.slice(i, i + CHUNK), kind: 'mto', saleLineId: { [Op.ne]: null } },
      attributes: ['purchaseLineId'],
      raw: true,
      transaction: t,
    });
    for (const r of rows) out.add(Number(r.purchaseLineId));
  }
  return out;
}
