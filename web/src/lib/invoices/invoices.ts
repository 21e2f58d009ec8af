import type { InvoiceSummary } from '$contracts/schemas/invoices';

/** Today as YYYY-MM-DD in UTC: the day the server dates and ages invoices by. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Today as YYYY-MM-DD where the user is: the default of a date they pick. */
export function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Posted, not fully paid, and past its due date: the server's `overdue` filter. */
export function isOverdue(inv: Pick<InvoiceSummary, 'state' | 'amountResidual' | 'dueDate'>): boolean {
  return inv.state === 'posted' && inv.amountResidual > 0 && inv.dueDate !== null && inv.dueDate < todayUtc();
}

/** What the customer still owes: the residual of a posted invoice, nothing of a draft or a cancelled one. */
export function amountDue(inv: Pick<InvoiceSummary, 'state' | 'amountResidual'>): number {
  return inv.state === 'posted' ? inv.amountResidual : 0;
}
