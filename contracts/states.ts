// One source for every state list. Server, jobs and console import these.

export const ROLES = ['admin', 'sales', 'warehouse', 'accounting', 'purchase'] as const;
export type Role = (typeof ROLES)[number];

// Which sale orders a user may see: every order, or only those they created ("own orders only").
export const ORDER_ACCESS = ['all', 'own'] as const;
export type OrderAccess = (typeof ORDER_ACCESS)[number];

export const SALE_ORDER_STATES = ['draft', 'sent', 'sale', 'done', 'cancel'] as const;
export type SaleOrderState = (typeof SALE_ORDER_STATES)[number];

export const SALE_ORDER_STATE_LABELS: Record<SaleOrderState, string> = {
  draft: 'Quotation',
  sent: 'Quotation sent',
  sale: 'Sales order',
  done: 'Locked',
  cancel: 'Cancelled',
};

export const INVOICE_STATUSES = ['no', 'to_invoice', 'invoiced'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * Why an order is flagged "needs attention": a line not matched to a product, a tax rate we do not have,
 * the shop's totals differing from ours, a customer's contact detail that could not be kept, text a file
 * did not hold in its encoding, the shop changing an order confirmed here.
 */
export const ATTENTION_CODES = [
  'unmatched_product',
  'unknown_tax',
  'total_mismatch',
  'invalid_email',
  'invalid_contact',
  'invalid_text',
  'shop_changed',
] as const;
export type AttentionCode = (typeof ATTENTION_CODES)[number];

export const DELIVERY_STATUSES = ['pending', 'partial', 'full'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const PRODUCT_TYPES = ['storable', 'consumable', 'service'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export const INVOICE_POLICIES = ['order', 'delivery'] as const;
export type InvoicePolicy = (typeof INVOICE_POLICIES)[number];

export const PRODUCT_ROUTES = ['buy', 'mto', 'dropship'] as const;
export type ProductRoute = (typeof PRODUCT_ROUTES)[number];

/** What a vendor bill may cover of a purchase line: what was ordered, or what was received (Odoo's control policy). */
export const BILL_POLICIES = ['ordered', 'received'] as const;
export type BillPolicy = (typeof BILL_POLICIES)[number];

/** How a delivery move gets its goods: reserved from stock, or waiting for the units bought for it (make-to-order). */
export const PROCURE_METHODS = ['mts', 'mto'] as const;
export type ProcureMethod = (typeof PROCURE_METHODS)[number];

export const PARTNER_ROLES = ['customer', 'vendor'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export const ACCOUNT_TYPES = ['receivable', 'payable', 'income', 'expense', 'tax', 'bank', 'cash'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

// Pickings (transfers): their types and states (Odoo's stock.picking).
export const PICKING_TYPES = ['incoming', 'outgoing', 'return', 'dropship'] as const;
export type PickingType = (typeof PICKING_TYPES)[number];

export const PICKING_TYPE_LABELS: Record<PickingType, string> = {
  incoming: 'Receipt',
  outgoing: 'Delivery',
  return: 'Return',
  dropship: 'Drop-ship',
};

export const PICKING_STATES = ['draft', 'waiting', 'confirmed', 'assigned', 'done', 'cancel'] as const;
export type PickingState = (typeof PICKING_STATES)[number];

export const PICKING_STATE_LABELS: Record<PickingState, string> = {
  draft: 'Draft',
  waiting: 'Waiting another operation',
  confirmed: 'Waiting for stock',
  assigned: 'Ready',
  done: 'Done',
  cancel: 'Cancelled',
};

const OPEN_PICKING_STATES: readonly PickingState[] = ['draft', 'waiting', 'confirmed', 'assigned'];

/** Late: not done, and scheduled for a day before today (UTC); what is due today is not late yet. One rule for server and console. */
export function isLatePicking(state: PickingState, scheduledDate: Date | string, now: Date | number = Date.now()): boolean {
  const n = new Date(now);
  const today = Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate());
  return OPEN_PICKING_STATES.includes(state) && new Date(scheduledDate).getTime() < today;
}

/** A move's state; a picking's state is derived from its moves. */
export const MOVE_STATES = ['draft', 'waiting', 'confirmed', 'partially_available', 'assigned', 'done', 'cancel'] as const;
export type MoveState = (typeof MOVE_STATES)[number];

export const JOURNAL_TYPES = ['sale', 'purchase', 'bank', 'cash'] as const;
export type JournalType = (typeof JOURNAL_TYPES)[number];

/** The type of account a journal posts to by default. */
export const JOURNAL_ACCOUNT_TYPES: Record<JournalType, AccountType> = { sale: 'income', purchase: 'expense', bank: 'bank', cash: 'cash' };

export const LOCATION_KINDS = ['internal', 'vendor', 'customer', 'adjustment'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const JOB_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;
export type JobState = (typeof JOB_STATES)[number];

// Record models addressed by chatter, rooms and events.
export const RECORD_MODELS = ['saleOrder', 'purchaseOrder', 'picking', 'invoice', 'partner', 'product', 'tender'] as const;
export type RecordModel = (typeof RECORD_MODELS)[number];

// Which sale-order action is allowed from which state.
export const SALE_ORDER_TRANSITIONS = {
  send: ['draft', 'sent'],
  confirm: ['draft', 'sent'],
  cancel: ['draft', 'sent', 'sale'],
  lock: ['sale'],
  unlock: ['done'],
  draft: ['cancel'],
} as const satisfies Record<string, readonly SaleOrderState[]>;
export type SaleOrderAction = keyof typeof SALE_ORDER_TRANSITIONS;

export function canTransition(action: SaleOrderAction, state: SaleOrderState): boolean {
  return (SALE_ORDER_TRANSITIONS[action] as readonly SaleOrderState[]).includes(state);
}

/** The state each sale-order action leads to. */
export const SALE_ORDER_ACTION_TARGETS: Record<SaleOrderAction, SaleOrderState> = {
  send: 'sent',
  confirm: 'sale',
  cancel: 'cancel',
  lock: 'done',
  unlock: 'sale',
  draft: 'draft',
};

/** The action that moves an order from one state to another (a quotation to a sales order: confirm), or null when none does. */
export function saleOrderActionTo(from: SaleOrderState, to: SaleOrderState): SaleOrderAction | null {
  if (from === to) return null;
  const actions = Object.keys(SALE_ORDER_ACTION_TARGETS) as SaleOrderAction[];
  return actions.find((a) => SALE_ORDER_ACTION_TARGETS[a] === to && canTransition(a, from)) ?? null;
}

// Invoices (Odoo's account.move): customer invoices, credit notes and vendor bills.
export const MOVE_TYPES = ['out_invoice', 'out_refund', 'in_invoice', 'in_refund'] as const;
export type MoveType = (typeof MOVE_TYPES)[number];

export const INVOICE_STATES = ['draft', 'posted', 'cancel'] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];

export const INVOICE_STATE_LABELS: Record<InvoiceState, string> = { draft: 'Draft', posted: 'Posted', cancel: 'Cancelled' };

export const PAYMENT_STATES = ['not_paid', 'partial', 'paid', 'reversed'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const PAYMENT_METHODS = ['bank', 'cash'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const MOVE_TYPE_LABELS: Record<MoveType, string> = {
  out_invoice: 'Invoice',
  out_refund: 'Credit note',
  in_invoice: 'Vendor bill',
  in_refund: 'Vendor credit note',
};
/** Vendor bills and vendor credit notes (the purchase side). */
export const isVendorMoveType = (t: MoveType) => t === 'in_invoice' || t === 'in_refund';
export const PAYMENT_STATE_LABELS: Record<PaymentState, string> = { not_paid: 'Not paid', partial: 'Partially paid', paid: 'Paid', reversed: 'Reversed' };

/** How a batch invoices the selected orders: one invoice per order, or one per customer. */
export const INVOICE_GROUPINGS = ['order', 'customer'] as const;
export type InvoiceGrouping = (typeof INVOICE_GROUPINGS)[number];

// Sales channels: where orders come from.
export const CHANNEL_KINDS = ['shopify', 'woocommerce', 'webhook', 'csv'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

// Purchase orders (Odoo's purchase.order): an RFQ until confirmed.
/** A vendor order notification: waiting to be sent (or retried), sent (2xx), failed after its last attempt. */
export const VENDOR_NOTIFICATION_STATUSES = ['queued', 'sent', 'failed'] as const;
export type VendorNotificationStatus = (typeof VENDOR_NOTIFICATION_STATUSES)[number];

export const PURCHASE_ORDER_STATES = ['draft', 'sent', 'purchase', 'done', 'cancel'] as const;
export type PurchaseOrderState = (typeof PURCHASE_ORDER_STATES)[number];

export const PURCHASE_ORDER_STATE_LABELS: Record<PurchaseOrderState, string> = {
  draft: 'RFQ',
  sent: 'RFQ sent',
  purchase: 'Purchase order',
  done: 'Done',
  cancel: 'Cancelled',
};

/** Which purchase-order action is allowed from which state. */
export const PURCHASE_ORDER_TRANSITIONS = {
  send: ['draft', 'sent', 'purchase'],
  confirm: ['draft', 'sent'],
  cancel: ['draft', 'sent', 'purchase'],
  draft: ['cancel'],
} as const satisfies Record<string, readonly PurchaseOrderState[]>;
export type PurchaseOrderAction = keyof typeof PURCHASE_ORDER_TRANSITIONS;

export function canTransitionPurchase(action: PurchaseOrderAction, state: PurchaseOrderState): boolean {
  return (PURCHASE_ORDER_TRANSITIONS[action] as readonly PurchaseOrderState[]).includes(state);
}

/** Why a purchase line was bought: a sale line (make-to-order, or drop-shipped to its customer), a delivery's shortage, a reorder rule, a person. */
export const DEMAND_KINDS = ['mto', 'shortage', 'reorder', 'manual', 'dropship'] as const;
export type DemandKind = (typeof DEMAND_KINDS)[number];

// Calls for tenders (Odoo's purchase requisitions): one RFQ per vendor, compared, the best lines chosen.
export const TENDER_STATES = ['draft', 'open', 'chosen', 'cancel'] as const;
export type TenderState = (typeof TENDER_STATES)[number];

export const TENDER_STATE_LABELS: Record<TenderState, string> = {
  draft: 'Draft',
  open: 'Open',
  chosen: 'Chosen',
  cancel: 'Cancelled',
};
