import type { Role } from './states';

const ALL: Role[] = ['admin', 'sales', 'warehouse', 'accounting'];

// Who may do what: the one table every access check reads (the server's, and the route table's).
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
