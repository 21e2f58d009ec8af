import type { User } from '$contracts/schemas/auth';
import { PERMISSIONS, type Permission } from '$contracts/permissions';
import type { Company } from '$contracts/schemas/company';
import type { Role } from '$contracts/states';
import { call, routes } from './api';

type Session = {
  user: User | null;
  company: Company | null;
};

export const session: Session = $state({ user: null, company: null });

/** The company currency formats amounts that carry none of their own (product prices, vendor prices). */
export function companyCurrency(): string | null {
  return session.company?.currency ?? null;
}

export async function loadCompany(): Promise<void> {
  try {
    session.company = await call(routes.company.get);
  } catch {
    // Amounts then show without a currency symbol; nothing else depends on it.
    session.company = null;
  }
}

export function isAdmin(): boolean {
  return session.user?.role === 'admin';
}

/** Whether the signed-in user's role holds a permission: the server's own table (contracts/permissions). */
export function may(permission: Permission): boolean {
  const role = session.user?.role;
  return role !== undefined && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** The outbox, the unassigned inbox and the mail templates. */
export function canReadMail(): boolean {
  return may('mail.read');
}

/** Sending a message (emailed to the followers, the customer included). */
export function canSendMail(): boolean {
  return may('mail.send');
}

/** Validating transfers and adjusting stock; everyone may read them. */
export function canManageStock(): boolean {
  return may('inventory.write');
}

export function canReadInvoices(): boolean {
  return may('invoice.read');
}

/** Drafting invoices from orders, editing and cancelling drafts. */
export function canDraftInvoices(): boolean {
  return may('invoice.create');
}

/** Posting, payments, credit notes, sending; also the chart of accounts and the journals. */
export function canManageInvoices(): boolean {
  return may('invoice.write');
}

/** Importing orders from CSV files. */
export function canImportOrders(): boolean {
  return may('saleOrder.import');
}

/** The purchase board, the replenishment report and the reorder rules (everyone reads them). */
export function canReadPurchases(): boolean {
  return may('purchase.read');
}

/** RFQs and purchase orders, reorder rules, ordering from the replenishment report or a delivery's shortage. */
export function canManagePurchases(): boolean {
  return may('purchase.write');
}

/** Drafting a vendor bill from a purchase order. */
export function canCreateBills(): boolean {
  return may('bill.create');
}
