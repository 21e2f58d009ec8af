import { PERMISSIONS, type Permission } from '../../../contracts/permissions';
import type { OrderAccess, Role } from '../../../contracts/states';
import { ForbiddenError, UnauthorizedError } from '../../http/errors';

/** orderAccess `own`: only the sale orders this user created (absent: all). */
export type AuthUser = { id: number; email: string; name: string; role: Role; orderAccess?: OrderAccess };
export type Auth = {
  user: AuthUser;
  /** portal: a vendor acting through a portal link (see portalActor). */
  via: 'session' | 'token' | 'portal';
  sessionId?: string;
  /** The API token a request came with (its sockets end when it is revoked). */
  tokenId?: number;
  csrfToken?: string;
};

export { PERMISSIONS, type Permission };

/**
 * orderAccess `own`: the user sees only the sale orders they created, and of what belongs to an order
 * (pickings, invoices, their files, emails, report rows, board events) only what belongs to those.
 */
export function limitedToOwnOrders(auth: Pick<Auth, 'user'>): boolean {
  return auth.user.orderAccess === 'own';
}

export function can(auth: Auth, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(auth.user.role);
}

export function requireAccess(auth: Auth | undefined, permission: Permission): Auth {
  if (!auth) throw new UnauthorizedError();
  if (!can(auth, permission)) throw new ForbiddenError(`Your role (${auth.user.role}) may not ${describe(permission)}`);
  return auth;
}

function describe(permission: Permission): string {
  const [thing, verb] = permission.split('.');
  return `${verb} ${thing}s`;
}
