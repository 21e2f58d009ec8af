import type { Order } from 'sequelize';
import { isSqlite } from '../db/sequelize';
import { ValidationError } from './errors';

/** `sort=-createdAt` → [['createdAt', 'DESC']], allowing only the listed fields; id breaks ties. */
export function orderFrom(sort: string | undefined, allowed: readonly string[], fallback: string): Order {
  const s = sort ?? fallback;
  const desc = s.startsWith('-');
  const field = desc ? s.slice(1) : s;
  if (!allowed.includes(field)) throw ValidationError.field('sort', `must be one of ${allowed.join(', ')} (prefix - for descending)`);
  return [
    [field, desc ? 'DESC' : 'ASC'],
    ['id', desc ? 'DESC' : 'ASC'],
  ];
}

/** A contains-match for LIKE. MySQL escapes % and _ with a backslash; SQLite has no default escape, so
 * there they stay wildcards (a looser match, never a wrong miss). */
export function likeTerm(q: string): string {
  return isSqlite() ? `%${q}%` : `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
