import type { Role } from './states';

const ALL: Role[] = ['admin', 'sales', 'warehouse', 'accounting', 'purchase'];

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
  'partner.write': ['admin', 'sales', 'accounting', 'purchase'],
  'product.read': ALL,
  'product.write': ['admin', 'sales', 'purchase'],
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
  'invoice.read': ['admin', 'sales', 'accounting', 'purchase'],
  'invoice.create': ['admin', 'sales', 'accounting'],
  'invoice.write': ['admin', 'accounting'],
  // Sales channels: everyone sees them (the board's channel badge); admins set them up.
  'channel.read': ALL,
  'channel.write': ['admin'],
  'mail.read': ['admin', 'sales', 'accounting', 'purchase'],
  'mail.send': ['admin', 'sales', 'accounting', 'purchase'],
  // Purchasing: everyone sees RFQs and purchase orders (the order page shows the POs that serve it);
  // buyers manage them and the reorder rules; warehouse staff validate receipts (inventory.write);
  // accounting posts and pays the bills (invoice.write). A bill is drafted from a PO by buyers or accounting.
  'purchase.read': ALL,
  'purchase.write': ['admin', 'purchase'],
  'bill.create': ['admin', 'purchase', 'accounting'],
  'mail.template': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;
