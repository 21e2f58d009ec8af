import { Op, UniqueConstraintError } from 'sequelize';
import type { User, UserCreate, UserPatch } from '../../../contracts/schemas/auth';
import type { ListQuery, List } from '../../../contracts/schemas/common';
import { rooms } from '../../../contracts/events';
import type { OrderAccess, Role } from '../../../contracts/states';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { afterCommit } from '../../db/transaction';
import { disconnectRoom } from '../../realtime/publisher';
import { runtime } from '../../runtime';
import { requireAccess, type Auth } from './access';
import { toUser } from './auth.service';
import { assertStrongPassword, hashPassword } from './password';
import { ApiTokenModel, UserModel } from './user.model';
import { likeTerm, orderFrom } from '../../http/list';

export async function listUsers(auth: Auth, query: ListQuery): Promise<List<User>> {
  requireAccess(auth, 'user.manage');
  const where = query.q ? { [Op.or]: [{ name: { [Op.like]: likeTerm(query.q) } }, { email: { [Op.like]: likeTerm(query.q) } }] } : {};
  const { rows, count } = await UserModel.findAndCountAll({
    where,
    limit: query.limit,
    offset: query.offset,
    order: orderFrom(query.sort, ['name', 'email', 'role', 'createdAt'], 'name'),
  });
  return { items: rows.map(toUser), total: count };
}

export async function getUser(auth: Auth, id: number): Promise<User> {
  requireAccess(auth, 'user.manage');
  const user = await UserModel.findByPk(id);
  if (!user) throw new NotFoundError('User', id);
  return toUser(user);
}

export async function createUser(auth: Auth, input: UserCreate): Promise<User> {
  requireAccess(auth, 'user.manage');
  assertStrongPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await withTransaction((t) =>
      UserModel.create(
        { email: input.email, name: input.name, role: input.role, active: input.active, orderAccess: input.orderAccess, passwordHash },
        { transaction: t },
      ),
    );
    return toUser(user);
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw new ConflictError(`A user with e-mail ${input.email} already exists`);
    throw err;
  }
}

export async function updateUser(auth: Auth, id: number, patch: UserPatch): Promise<User> {
  requireAccess(auth, 'user.manage');
  if (patch.password) assertStrongPassword(patch.password, { name: patch.name });
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  return withTransaction(async (t) => {
    const user = await UserModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!user) throw new NotFoundError('User', id);
    if (patch.version !== undefined && patch.version !== user.version) {
      throw new ConflictError('This user was changed by someone else', toUser(user));
    }
    if (user.id === auth.user.id && (patch.active === false || (patch.role && patch.role !== 'admin'))) {
      throw ValidationError.field(patch.active === false ? 'active' : 'role', 'you cannot deactivate or demote yourself');
    }
    const deactivating = patch.active === false && user.active;
    // Other rights (a role, an order access): the sockets opened under the old ones end, and the console
    // reconnects and joins its rooms again under the new ones.
    const rightsChanged = (patch.role !== undefined && patch.role !== user.role) || (patch.orderAccess !== undefined && patch.orderAccess !== user.orderAccess);
    user.set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(patch.orderAccess !== undefined && { orderAccess: patch.orderAccess }),
      ...(passwordHash && { passwordHash }),
    });
    await user.save({ transaction: t });
    // A new password also revokes the API tokens made under the old one.
    if (passwordHash) await ApiTokenModel.destroy({ where: { userId: id }, transaction: t });
    if (deactivating || passwordHash) {
      // A deactivated user (or one whose password changed) is signed out everywhere at once.
      afterCommit(t, async () => {
        await runtime().sessions.destroyForUser(id);
        disconnectRoom(rooms.user(id));
      });
    } else if (rightsChanged) afterCommit(t, () => disconnectRoom(rooms.user(id)));
    return toUser(user);
  });
}

// Read by chatter

/** A user as the chatter needs one: to name, to email, and to ask whether they may read a record. */
export type UserContact = { id: number; name: string; email: string; role: Role; orderAccess: OrderAccess };

const contactAttributes = ['id', 'name', 'email', 'role', 'orderAccess'] as const;
const toContact = (u: UserModel): UserContact => ({ id: u.id, name: u.name, email: u.email, role: u.role, orderAccess: u.orderAccess });

/** Display names by id (inactive users too: they still wrote what they wrote). */
export async function userNames(t: Tx | null, ids: (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!unique.length) return new Map();
  const rows = await UserModel.findAll({ where: { id: unique }, attributes: ['id', 'name'], transaction: t });
  return new Map(rows.map((u) => [u.id, u.name]));
}

export async function userExists(t: Tx, id: number): Promise<boolean> {
  return !!(await UserModel.findByPk(id, { attributes: ['id'], transaction: t }));
}

/** The active users among ids; with notifyByEmail, only those who chose to get their notifications by email. */
export async function activeUsers(t: Tx | null, ids: number[], opts: { notifyByEmail?: true } = {}): Promise<UserContact[]> {
  if (!ids.length) return [];
  const rows = await UserModel.findAll({
    where: { id: ids, active: true, ...(opts.notifyByEmail && { notifyByEmail: true }) },
    attributes: [...contactAttributes],
    transaction: t,
  });
  return rows.map(toContact);
}

/** Active users whose name or email contains q (all when q is empty), by name. */
export async function searchActiveUsers(t: Tx | null, q: string, limit: number): Promise<UserContact[]> {
  const term = likeTerm(q);
  const rows = await UserModel.findAll({
    where: { active: true, ...(q && { [Op.or]: [{ name: { [Op.like]: term } }, { email: { [Op.like]: term } }] }) },
    attributes: [...contactAttributes],
    order: [['name', 'ASC']],
    limit,
    transaction: t,
  });
  return rows.map(toContact);
}
