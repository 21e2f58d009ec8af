import { Op } from 'sequelize';
import type { SearchHit } from '../../../contracts/schemas/search';
import { SALE_ORDER_STATE_LABELS } from '../../../contracts/states';
import { likeTerm, numberTiers, searchTiers } from '../../http/list';
import { can, type Auth } from '../auth/access';
import { orderScope } from './sale-order.access';
import { SaleOrderModel } from './sale-order.model';
import { partnerInclude } from './sale-order.service';

/**
 * Orders for the global search, as the board would list them to this user: by number first, then by
 * the shop's reference or the customer's name, the newest first. null: the role may not read orders.
 */
export async function searchSaleOrders(auth: Auth, q: string, limit: number): Promise<SearchHit[] | null> {
  if (!can(auth, 'saleOrder.read')) return null;
  const term = likeTerm(q);
  const rows = await searchTiers(
    [...numberTiers('name', q), { [Op.or]: [{ name: { [Op.like]: term } }, { externalId: { [Op.like]: term } }, { '$partner.name$': { [Op.like]: term } }] }],
    limit,
    (where, n) =>
      SaleOrderModel.findAll({
        where: { [Op.and]: [where, orderScope(auth)] },
        include: [partnerInclude],
        attributes: ['id', 'name', 'externalId', 'state'],
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit: n,
      }),
  );
  return rows.map((o) => ({
    kind: 'saleOrder',
    id: o.id,
    label: o.name,
    detail: [o.partner?.name, o.externalId && `ref. ${o.externalId}`, SALE_ORDER_STATE_LABELS[o.state]].filter(Boolean).join(' · '),
  }));
}
