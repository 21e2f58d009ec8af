import type { OrderAccess, Role } from '../../../contracts/states';
import { ForbiddenError, UnauthorizedError } from '../../http/errors';

/** orderAccess `own`: only the sale orders this user created (absent: all). */
export type AuthUser = { id: number; email: string; name: string; role: Role; orderAccess?: OrderAccess };
export type Auth = {
  user: AuthUser;
  via: 'session' | 'token';
  sessionId?: string;
  /** The API token a request came with (its sockets end when it is revoked). */
  tokenId?: number;
  csrfToken?: string;
};

const ALL: Role[] = ['admin', 'sales', 'warehouse', 'accounting'];

// Who may do what: the one table every access check reads.
export const PERMISSIONS = {
  'user.manage': ['admin'],
  'company.read': ALL,
  'company.write': ['admin'],
  'account.read': ALL,
  'account.write': ['admin', 'accounting'],
  'tax.read': ALL,
  'tax.write': ['admin', 'accounting'],
  'partner.read': ALL,
  'partner.write': ['admin', 'sales', 'accounting'],
  'product.read': ALL,
  'product.write': ['admin', 'sales'],
  'inventory.read': ALL,
  // Validating, cancelling and returning pickings, counting stock.
  'inventory.write': ['admin', 'warehouse'],
  'saleOrder.read': ALL,
  'saleOrder.write': ['admin', 'sales'],
  'saleOrder.export': ['admin', 'sales', 'accounting'],
  // CSV imports of orders.
  'saleOrder.import': ['admin', 'sales'],
  // The outbox, the unassigned inbox and the templates (reading); changing templates is for admins.
  // Invoices: sales may draft them from their orders; posting, payments and credit notes are accounting's.
  'invoice.read': ['admin', 'sales', 'accounting'],
  'invoice.create': ['admin', 'sales', 'accounting'],
  'invoice.write': ['admin', 'accounting'],
  // Sales channels: everyone sees them (the board's channel badge); admins set them up.
  'channel.read': ALL,
  'channel.write': ['admin'],
  'mail.read': ['admin', 'sales', 'accounting'],
  'mail.send': ['admin', 'sales', 'accounting'],
  'mail.template': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

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
