import { randomBytes } from 'node:crypto';
import type { ApiToken, LoginInput, MePatch, User } from '../../../contracts/schemas/auth';
import { iso } from '../../db/columns';
import { withTransaction, type Tx } from '../../db/transaction';
import { NotFoundError, UnauthorizedError } from '../../http/errors';
import { runtime } from '../../runtime';
import { accessRooms, disconnectRoom } from '../../realtime/publisher';
import type { Auth } from './access';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { hashToken } from './session-store';
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

function authUser(u: UserModel) {
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

export async function authenticateSession(token: string): Promise<Auth | null> {
  const session = await runtime().sessions.get(token);
  if (!session) return null;
  const user = await UserModel.findByPk(session.userId);
  if (!user?.active) return null;
  return { user: authUser(user), via: 'session', sessionId: session.id, csrfToken: session.csrfToken };
}

export async function authenticateToken(token: string): Promise<Auth | null> {
  const row = await ApiTokenModel.findOne({ where: { tokenHash: hashToken(token) } });
  if (!row) return null;
  const user = await UserModel.findByPk(row.userId);
  if (!user?.active) return null;
  // Recorded at most once a minute, so busy integrations do not write on every request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await withTransaction((t) => row.update({ lastUsedAt: new Date() }, { transaction: t }));
  }
  return { user: authUser(user), via: 'token', tokenId: row.id };
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
