import type { JobState, RecordModel, SaleOrderState } from './states';
import type { SaleOrderSummary } from './schemas/sales';
import type { PickingSummary } from './schemas/inventory';
import type { InvoiceSummary } from './schemas/invoices';
import type { PurchaseOrderSummary } from './schemas/purchasing';
import type { PurchaseOrderState, TenderState } from './states';
import type { TenderSummary } from './schemas/tenders';

export type RecordRef = { model: RecordModel; id: number };
export type PresenceUser = { id: number; name: string };

export type OrderEvent = {
  id: number;
  version: number;
  order: SaleOrderSummary;
  // What it was before the change (always on order.updated), so a listener can tell what moved.
  before?: { state: SaleOrderState; version: number };
  by?: PresenceUser;
};
export type OrderUpdatedEvent = OrderEvent & { before: { state: SaleOrderState; version: number } };

export type RecordEvent = { id: number; version: number; model: RecordModel };

/** A picking changed (created, reserved, validated, cancelled): its new summary. */
export type PickingEvent = RecordEvent & { picking: PickingSummary };

/** An invoice or credit note changed (created, edited, posted, paid, sent): its new summary. */
export type InvoiceEvent = RecordEvent & { invoice: InvoiceSummary };

/** An RFQ or purchase order changed (created, edited, sent, confirmed, received, billed, cancelled): its new summary. */
export type PurchaseOrderEvent = RecordEvent & {
  purchaseOrder: PurchaseOrderSummary;
  before?: { state: PurchaseOrderState; version: number };
  by?: PresenceUser;
};

/** A call for tenders changed (created, sent, an answer received, chosen, cancelled): its new summary. */
export type TenderEvent = RecordEvent & {
  tender: TenderSummary;
  before?: { state: TenderState; version: number };
  by?: PresenceUser;
};

export type JobProgressEvent = {
  id: string;
  name: string;
  state: JobState;
  progress: number;
  result?: unknown;
  failedReason?: string | null;
};

export type PresenceEvent = { room: string; users: PresenceUser[] };

// The typed Socket.IO event map: the server and the console both compile against it.
export type ServerToClientEvents = {
  'order.created': (e: OrderEvent) => void;
  'order.updated': (e: OrderUpdatedEvent) => void;
  /** On board:shipments, record:picking:<id> and the order's record room. */
  'picking.updated': (e: PickingEvent) => void;
  /** On-hand or reserved quantity changed, on board:shipments and board:stock. */
  'stock.changed': (e: { productId: number; locationId: number }) => void;
  /** On board:invoices, record:invoice:<id> and the order's record room. */
  'invoice.updated': (e: InvoiceEvent) => void;
  /** On board:purchases, record:purchaseOrder:<id> and the record rooms of the sale orders it serves. */
  'purchaseOrder.updated': (e: PurchaseOrderEvent) => void;
  /** On board:purchases and record:tender:<id>. */
  'tender.updated': (e: TenderEvent) => void;
  'message.posted': (e: { id: number; model: RecordModel; resId: number; type: 'comment' | 'note' | 'tracking' }) => void;
  'notification.created': (e: { id: number }) => void;
  /** An outbox row changed (queued, sent, failed), on board:mail. */
  'mail.updated': (e: { id: number; status: 'queued' | 'sent' | 'failed'; attempts: number }) => void;
  /** An inbound email matched no record, on board:mail. */
  'mail.unassigned': (e: { id: number }) => void;
  'import.progress': (e: JobProgressEvent) => void;
  'job.progress': (e: JobProgressEvent) => void;
  'presence.changed': (e: PresenceEvent) => void;
};

export type RoomAck = { ok: true } | { error: { code: string; message: string } };

export type ClientToServerEvents = {
  subscribe: (msg: { room: string }, ack?: (res: RoomAck) => void) => void;
  unsubscribe: (msg: { room: string }, ack?: (res: RoomAck) => void) => void;
};

export type EventName = keyof ServerToClientEvents;
export type EventPayload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export const rooms = {
  ordersBoard: 'board:orders',
  /**
   * What a user limited to their own orders is given when they subscribe to a board (orders, shipments,
   * invoices, mail): the board's events about their own orders only.
   */
  ownBoard: (board: string, userId: number) => `${board}:user:${userId}`,
  shipmentsBoard: 'board:shipments',
  /** The stock report. */
  stockBoard: 'board:stock',
  /** The outbox and the unassigned inbox. */
  mailBoard: 'board:mail',
  /** The invoice lists and reports. */
  invoicesBoard: 'board:invoices',
  /** The purchase board (RFQs and purchase orders) and the replenishment page. */
  purchasesBoard: 'board:purchases',
  record: (model: RecordModel, id: number) => `record:${model}:${id}`,
  user: (id: number) => `user:${id}`,
} as const;
