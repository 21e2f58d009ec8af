import type { PurchaseOrderEvent } from '$contracts/events';
import { rooms } from '$contracts/events';
import { followRoom } from '$lib/live.svelte';

/** Follows the purchase board for as long as the calling component lives: every RFQ and PO created or changed. */
export function followPurchaseBoard(onResync: () => void, onUpdated: (e: PurchaseOrderEvent) => void): void {
  followRoom(rooms.purchasesBoard, onResync, { 'purchaseOrder.updated': onUpdated });
}
