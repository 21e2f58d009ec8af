import type { User } from '$contracts/schemas/auth';
import type { Company } from '$contracts/schemas/company';
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

// The roles the server lets read the outbox, the unassigned inbox and the mail templates.
const MAIL_ROLES: readonly string[] = ['admin', 'sales', 'accounting'];

export function canReadMail(): boolean {
  return MAIL_ROLES.includes(session.user?.role ?? '');
}

/** Sending a message (emailed to the followers, the customer included): the same roles (mail.send). */
export function canSendMail(): boolean {
  return MAIL_ROLES.includes(session.user?.role ?? '');
}

// The roles the server lets validate transfers and adjust stock; everyone may read them.
const STOCK_ROLES: readonly string[] = ['admin', 'warehouse'];

export function canManageStock(): boolean {
  return STOCK_ROLES.includes(session.user?.role ?? '');
}

// The roles the server lets read invoices and draft them from orders.
const INVOICE_ROLES: readonly string[] = ['admin', 'sales', 'accounting'];
// The roles the server lets post invoices, register payments, credit and send them.
const ACCOUNTING_ROLES: readonly string[] = ['admin', 'accounting'];

export function canReadInvoices(): boolean {
  return INVOICE_ROLES.includes(session.user?.role ?? '');
}

/** Drafting invoices from orders, editing and cancelling drafts. */
export function canDraftInvoices(): boolean {
  return INVOICE_ROLES.includes(session.user?.role ?? '');
}

/** Posting, payments, credit notes, sending; also the chart of accounts and the journals. */
export function canManageInvoices(): boolean {
  return ACCOUNTING_ROLES.includes(session.user?.role ?? '');
}

// The roles the server lets import orders from CSV files (saleOrder.import).
const IMPORT_ROLES: readonly string[] = ['admin', 'sales'];

export function canImportOrders(): boolean {
  return IMPORT_ROLES.includes(session.user?.role ?? '');
}
