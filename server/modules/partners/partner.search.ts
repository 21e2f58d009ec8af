import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import { cached } from '../../db/cache';
import { db, isSqlite } from '../../db/sequelize';
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

// InnoDB's default full-text stopwords (they are not indexed, so a required one would match nothing)
// and its shortest indexed word (innodb_ft_min_token_size).
const INNODB_STOPWORDS = new Set(
  'a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www'.split(' '),
);
const INNODB_MIN_TOKEN = 3;

/** The words of a search text (letters and digits; accents are folded by the index). */
export function searchWords(q: string): string[] {
  return q
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
}

/**
 * The ids of the partners whose name or email has words starting with every word of `q` ("muller"
 * finds Jürgen Müller, "zoe.4322@example.com" the address), from the partners' full-text index:
 * FTS5 on SQLite, InnoDB FULLTEXT on MariaDB (words too short or too common for it: a LIKE on the
 * 20k-row table instead).
 */
export async function partnerIdsMatching(q: string): Promise<number[]> {
  const words = searchWords(q);
  if (!words.length) return [];
  if (isSqlite()) {
    const match = words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
    const rows = await db().query<{ id: number }>('SELECT rowid AS id FROM partners_fts WHERE partners_fts MATCH ?', {
      replacements: [match],
      type: QueryTypes.SELECT,
    });
    return rows.map((r) => Number(r.id));
  }
  const indexed = words.filter((w) => w.length >= INNODB_MIN_TOKEN && !INNODB_STOPWORDS.has(w.toLowerCase()));
  if (indexed.length) {
    const rows = await db().query<{ id: number }>(
      `SELECT id FROM ${PartnerModel.tableName} WHERE MATCH (name, email) AGAINST (? IN BOOLEAN MODE)${indexed.length < words.length ? ' AND (name LIKE ? OR email LIKE ?)' : ''}`,
      {
        replacements: [indexed.map((w) => `+${w}*`).join(' '), ...(indexed.length < words.length ? [likeTerm(q.trim()), likeTerm(q.trim())] : [])],
        type: QueryTypes.SELECT,
      },
    );
    return rows.map((r) => Number(r.id));
  }
  const rows = await PartnerModel.findAll({
    where: { [Op.or]: [{ name: { [Op.like]: likeTerm(q.trim()) } }, { email: { [Op.like]: likeTerm(q.trim()) } }] },
    attributes: ['id'],
    raw: true,
  });
  return rows.map((r) => r.id);
}

// How many partners there are, for weighing a search (a minute old at most: a planner's estimate, not a figure anyone reads).
const partnerTotal = cached('partners.count', () => PartnerModel.count());

/**
 * From this share of the partners on, a name search is broad (a common surname). A list's page then
 * costs about limit ÷ share rows along its sort's index, and a merge of the search's index ranges about
 * share × rows (every match, then a sort): at a million rows the two meet near 1 %; below 0.1 % the walk
 * would read a hundred thousand rows.
 */
const BROAD_SHARE = 0.005;

/**
 * The partners matching `q` (partnerIdsMatching), and whether they are a broad share of all partners:
 * a list searching by them reads best along its sort's index then (ignoreIndexes) and counts to a lower
 * limit (listCountLimit).
 */
export async function partnersMatching(q: string): Promise<{ ids: number[]; broad: boolean }> {
  const ids = await partnerIdsMatching(q);
  if (!ids.length) return { ids, broad: false };
  const total = await partnerTotal.get();
  return { ids, broad: total === 0 || ids.length / total >= BROAD_SHARE };
}

/**
 * A record search's OR of indexed conditions with its partner branch: `partnerId` among the partners
 * matching `text` (partnersMatching), unless `numberLike` (the text is a number: no partner is looked
 * for); `broad`, as partnersMatching says.
 */
export async function withPartnerBranch(or: WhereOptions[], text: string, numberLike: boolean): Promise<{ where: WhereOptions; broad: boolean }> {
  if (numberLike) return { where: { [Op.or]: or }, broad: false };
  const { ids, broad } = await partnersMatching(text);
  return { where: { [Op.or]: ids.length ? [...or, { partnerId: ids }] : or }, broad };
}
