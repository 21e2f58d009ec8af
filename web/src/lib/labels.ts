import type { InvoiceStatus } from '$contracts/states';

// Labels the console shows in more than one feature (the state labels shared with the server are in contracts/states).

export { INVOICE_STATE_LABELS } from '$contracts/states';

/** An order's invoicing, as the board and the order page name it. */
export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = { no: 'Nothing to invoice', to_invoice: 'To invoice', invoiced: 'Invoiced' };
