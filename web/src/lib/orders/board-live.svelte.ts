import type { OrderEvent } from '$contracts/events';
import { rooms } from '$contracts/events';
import { followRoom } from '$lib/live.svelte';

type BoardHandlers = {
  // After a reconnect: events sent meanwhile are lost, the view loads again.
  onResync: () => void;
  onCreated: (e: OrderEvent) => void;
  onUpdated: (e: OrderEvent) => void;
};

/** Follows the orders board for as long as the calling component lives. */
export function followBoard(handlers: BoardHandlers): void {
  followRoom(rooms.ordersBoard, handlers.onResync, { 'order.created': handlers.onCreated, 'order.updated': handlers.onUpdated });
}
