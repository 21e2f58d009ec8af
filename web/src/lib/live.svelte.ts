import type { EventName, ServerToClientEvents } from '$contracts/events';
import { onEvent, subscribeRoom } from './socket';

export type RoomListeners = { [E in EventName]?: ServerToClientEvents[E] };

/**
 * Joins a room and listens to some of its events for as long as the calling component lives. After a
 * reconnect, `onResync` reloads what the view shows: events sent meanwhile are lost.
 */
export function followRoom(room: string, onResync: () => void, listeners: RoomListeners): void {
  $effect(() => {
    const events = Object.keys(listeners) as EventName[];
    const offs = [subscribeRoom(room, { onResync }), ...events.map((e) => onEvent(e, listeners[e] as ServerToClientEvents[typeof e]))];
    return () => offs.forEach((off) => off());
  });
}
