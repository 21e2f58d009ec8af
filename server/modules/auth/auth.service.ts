import { randomBytes } from 'node:crypto';
import type { ApiToken, LoginInput, MePatch, User } from '../../../contracts/schemas/auth';
import { QueryTypes } from 'sequelize';
import { iso } from '../../db/columns';
import { db } from '../../db/sequelize';
import { withTransaction, type Tx } from '../../db/transaction';
import { NotFoundError, UnauthorizedError } from '../../http/errors';
import { runtime } from '../../runtime';
import { accessRooms, disconnectRoom } from '../../realtime/publisher';
import type { Auth } from './access';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { DbSessionStore, hashToken } from './session-store';
import { ApiTokenModel, UserModel } from './user.model';

export function toUser(u: UserModel): User {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    orderAccess: u.orderAccess,
    active: u.active,
    notifyByEmail: u.notifyByEmail,
    createdAt: iso(u.createdAt),
    updatedAt: iso(u.updatedAt),
    version: u.version,
  };
}

function authUser(u: Pick<UserModel, 'id' | 'email' | 'name' | 'role' | 'orderAccess'>) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, orderAccess: u.orderAccess };
}

export async function login(input: LoginInput) {
  const user = await UserModel.findOne({ where: { email: input.email } });
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyPassword(await dummyPasswordHash(), input.password);
  if (!user || !ok || !user.active) throw new UnauthorizedError('Wrong e-mail or password');
  const { config, sessions } = runtime();
  const session = await sessions.create(user.id, config.sessionTtlMs);
  return { user: toUser(user), token: session.token, csrfToken: session.csrfToken };
}

/** Signs out: the session ends, and so do the sockets opened with it (on every web process). */
export async function logout(sessionToken: string | undefined): Promise<void> {
  if (!sessionToken) return;
  const session = await runtime().sessions.get(sessionToken);
  await runtime().sessions.destroy(sessionToken);
  if (session) disconnectRoom(accessRooms.session(session.id));
}

/** Whom a request is from: one indexed query reads the user with what identifies the request. */
type AuthRow = Pick<UserModel, 'id' | 'email' | 'name' | 'role' | 'orderAccess'>;
const USER_COLUMNS = 'u.id AS id, u.email AS email, u.name AS name, u.role AS role, u.orderAccess AS orderAccess';

export async function authenticateSession(token: string): Promise<Auth | null> {
  const { sessions } = runtime();
  // Sessions in the database are read with their user in one statement; in Redis, the user is the one query.
  if (sessions instanceof DbSessionStore) {
    const id = hashToken(token);
    const [row] = await db().query<AuthRow & { csrfToken: string }>(
      `SELECT ${USER_COLUMNS}, s.csrfToken AS csrfToken FROM sessions s JOIN users u ON u.id = s.userId
        WHERE s.id = :id AND s.expiresAt >= :now AND u.active = :active`,
      { replacements: { id, now: new Date(), active: true }, type: QueryTypes.SELECT },
    );
    return row ? { user: authUser(row), via: 'session', sessionId: id, csrfToken: row.csrfToken } : null;
  }
  const session = await sessions.get(token);
  if (!session) return null;
  const user = await UserModel.findOne({ where: { id: session.userId, active: true }, attributes: ['id', 'email', 'name', 'role', 'orderAccess'] });
  if (!user) return null;
  return { user: authUser(user), via: 'session', sessionId: session.id, csrfToken: session.csrfToken };
}

// A token's last use is recorded at most once a minute, so busy integrations do not write on every request.
const LAST_USE_EVERY_MS = 60_000;

export async function authenticateToken(token: string): Promise<Auth | null> {
  const [row] = await db().query<AuthRow & { tokenId: number; stale: number | string }>(
    `SELECT ${USER_COLUMNS}, t.id AS tokenId, CASE WHEN t.lastUsedAt IS NULL OR t.lastUsedAt < :cutoff THEN 1 ELSE 0 END AS stale
       FROM api_tokens t JOIN users u ON u.id = t.userId
      WHERE t.tokenHash = :hash AND u.active = :active`,
    { replacements: { hash: hashToken(token), cutoff: new Date(Date.now() - LAST_USE_EVERY_MS), active: true }, type: QueryTypes.SELECT },
  );
  if (!row) return null;
  if (Number(row.stale)) {
    await withTransaction((t) => ApiTokenModel.update({ lastUsedAt: new Date() }, { where: { id: row.tokenId }, transaction: t }));
  }
  return { user: authUser(row), via: 'token', tokenId: row.tokenId };
}

export async function me(auth: Auth): Promise<User> {
  const user = await UserModel.findByPk(auth.user.id);
  if (!user) throw new NotFoundError('User', auth.user.id);
  return toUser(user);
}

export async function updateMe(auth: Auth, patch: MePatch): Promise<User> {
  const user = await withTransaction(async (t) => {
    const u = await UserModel.findByPk(auth.user.id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!u) throw new NotFoundError('User', auth.user.id);
    await u.update(patch, { transaction: t });
    return u;
  });
  return toUser(user);
}

function toApiToken(t: ApiTokenModel): ApiToken {
  return { id: t.id, name: t.name, createdAt: iso(t.createdAt), lastUsedAt: t.lastUsedAt ? iso(t.lastUsedAt) : null };
}

export async function createToken(auth: Auth, name: string) {
  const token = `cc_${randomBytes(32).toString('base64url')}`;
  const row = await withTransaction((t) =>
    ApiTokenModel.create({ userId: auth.user.id, name, tokenHash: hashToken(token), lastUsedAt: null }, { transaction: t }),
  );
  return { id: row.id, name: row.name, token };
}

export async function listTokens(auth: Auth): Promise<ApiToken[]> {
  const rows = await ApiTokenModel.findAll({ where: { userId: auth.user.id }, order: [['id', 'ASC']] });
  return rows.map(toApiToken);
}

export async function revokeToken(auth: Auth, id: number): Promise<void> {
  const n = await withTransaction((t) => ApiTokenModel.destroy({ where: { id, userId: auth.user.id }, transaction: t }));
  if (!n) throw new NotFoundError('Token', id);
  disconnectRoom(accessRooms.token(id));
}

/** The first administrator, created when no user exists; the password is generated and printed when unset. */
export async function ensureFirstAdmin(): Promise<{ email: string; password: string | null } | null> {
  const { config } = runtime();
  if ((await UserModel.count()) > 0) return null;
  const password = config.adminPassword ?? randomBytes(9).toString('base64url');
  await withTransaction(async (t) => {
    if ((await UserModel.count({ transaction: t })) > 0) return;
    await UserModel.create({ email: config.adminEmail, name: 'Administrator', role: 'admin', passwordHash: await hashPassword(password) }, { transaction: t });
  });
  return { email: config.adminEmail, password: config.adminPassword ? null : password };
}

/**
 * Who acts when a vendor ships through the vendor portal: the document's buyer (else the first active
 * administrator) as the user the records name, with the warehouse's rights only, and the vendor's name.
 * The link, not the user, decides what may be done: the portal checks it first.
 */
export async function portalActor(t: Tx | null, buyerId: number | null, vendorName: string): Promise<Auth> {
  const buyer = buyerId ? await UserModel.findOne({ where: { id: buyerId, active: true }, transaction: t }) : null;
  const user = buyer ?? (await UserModel.findOne({ where: { role: 'admin', active: true }, order: [['id', 'ASC']], transaction: t }));
  if (!user) throw new UnauthorizedError('No active user can stand for the vendor portal');
  return { user: { id: user.id, email: user.email, name: `${vendorName} (vendor portal)`, role: 'warehouse' }, via: 'portal' };
}

/** A job acting for a user: their rights as they are now; a deactivated user's job may do nothing. */
export async function authForUser(userId: number): Promise<Auth> {
  const user = await UserModel.findByPk(userId);
  if (!user?.active) throw new UnauthorizedError('The user who started this job is no longer active');
  return { user: authUser(user), via: 'token' };
}
