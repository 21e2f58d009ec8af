import { Op } from 'sequelize';
import type { SearchHit } from '../../../contracts/schemas/search';
import { likePrefix, likeTerm, searchTiers } from '../../http/list';
import { can, type Auth } from '../auth/access';
import { PartnerModel } from './partner.model';

/** Active partners for the global search, as their list shows them: names starting with the text first, then any name or email containing it. */
export async function searchPartners(auth: Auth, q: string, limit: number): Promise<SearchHit[] | null> {
  if (!can(auth, 'partner.read')) return null;
  const term = likeTerm(q);
  const rows = await searchTiers(
    [{ name: { [Op.like]: likePrefix(q) } }, { [Op.or]: [{ name: { [Op.like]: term } }, { email: { [Op.like]: term } }] }],
    limit,
    (where, n) =>
      PartnerModel.findAll({
        where: { [Op.and]: [where, { active: true }] },
        attributes: ['id', 'name', 'email', 'city', 'roles'],
        order: [
          ['name', 'ASC'],
          ['id', 'ASC'],
        ],
        limit: n,
      }),
  );
  return rows.map((p) => ({
    kind: 'partner',
    id: p.id,
    label: p.name,
    detail: [p.email, p.city, p.roles.includes('vendor') ? 'Vendor' : null].filter(Boolean).join(' · '),
  }));
}
