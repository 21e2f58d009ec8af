import { Op } from 'sequelize';
import type { SearchHit } from '../../../contracts/schemas/search';
import { PICKING_STATE_LABELS, PICKING_TYPE_LABELS } from '../../../contracts/states';
import { likeTerm, numberTiers, searchTiers } from '../../http/list';
import { can, type Auth } from '../auth/access';
import { pickingScope } from './picking.access';
import { PickingModel } from './stock.model';

/**
 * Transfers for the global search, under the transfers' record rule: by number (WH/OUT/00042, or 42),
 * then by origin (the order or purchase order they serve), the newest first.
 */
export async function searchPickings(auth: Auth, q: string, limit: number): Promise<SearchHit[] | null> {
  if (!can(auth, 'inventory.read')) return null;
  const term = likeTerm(q);
  const rows = await searchTiers(
    [...numberTiers('name', q), { [Op.or]: [{ name: { [Op.like]: term } }, { origin: { [Op.like]: term } }] }],
    limit,
    (where, n) =>
      PickingModel.findAll({
        where: { [Op.and]: [where, pickingScope(auth)] },
        attributes: ['id', 'name', 'type', 'state', 'origin'],
        order: [['id', 'DESC']],
        limit: n,
      }),
  );
  return rows.map((p) => ({
    kind: 'picking',
    id: p.id,
    label: p.name,
    detail: [PICKING_TYPE_LABELS[p.type], p.origin, PICKING_STATE_LABELS[p.state]].filter(Boolean).join(' · '),
  }));
}
