import { Op } from 'sequelize';
import type { SearchHit } from '../../../contracts/schemas/search';
import { likePrefix, likeTerm, searchTiers } from '../../http/list';
import { can, type Auth } from '../auth/access';
import { ProductModel } from './catalog.model';

/** Active products for the global search: the SKU itself, SKUs then names starting with the text, then any SKU or name containing it. */
export async function searchProducts(auth: Auth, q: string, limit: number): Promise<SearchHit[] | null> {
  if (!can(auth, 'product.read')) return null;
  const term = likeTerm(q);
  const rows = await searchTiers(
    [
      { sku: q },
      { sku: { [Op.like]: likePrefix(q) } },
      { name: { [Op.like]: likePrefix(q) } },
      { [Op.or]: [{ name: { [Op.like]: term } }, { sku: { [Op.like]: term } }] },
    ],
    limit,
    (where, n) =>
      ProductModel.findAll({
        where: { [Op.and]: [where, { active: true }] },
        attributes: ['id', 'sku', 'name'],
        order: [
          ['name', 'ASC'],
          ['id', 'ASC'],
        ],
        limit: n,
      }),
  );
  return rows.map((p) => ({ kind: 'product', id: p.id, label: p.name, detail: p.sku }));
}
