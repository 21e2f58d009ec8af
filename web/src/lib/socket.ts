import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, EventName, RoomAck, ServerToClientEvents } from '$contracts/events';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

type RoomListener = {
  room: string;
  // Called after a reconnect once the room is joined again: events sent meanwhile are lost.
  onResync?: () => void;
  onError?: (error: { code: string; message: string }) => void;
};

let socket: AppSocket | null = null;
let everConnected = false;
let status: ConnectionStatus = 'offline';
const roomListeners = new Set<RoomListener>();
const statusListeners = new Set<(s: ConnectionStatus) => void>();

function setStatus(s: ConnectionStatus): void {
  status = s;
  for (const l of statusListeners) l(s);
}

function listenersOf(room: string): RoomListener[] {
  return [...roomListeners].filter((l) => l.room === room);
}

function join(s: AppSocket, room: string, resync: boolean): void {
  s.emit('subscribe', { room }, (res: RoomAck) => {
    for (const l of listenersOf(room)) {
      if ('error' in res) l.onError?.(res.error);
      else if (resync) l.onResync?.();
    }
  });
}

/** The one connection of this tab; the session cookie authenticates it. */
export function getSocket(): AppSocket {
  if (socket) return socket;
  const s: AppSocket = io({ transports: ['websocket'], withCredentials: true });
  socket = s;
  setStatus('connecting');
  s.on('connect', () => {
    const resync = everConnected;
    everConnected = true;
    setStatus('online');
    for (const room of new Set([...roomListeners].map((l) => l.room))) join(s, room, resync);
  });
  s.on('disconnect', (reason) => {
    // A server shutting down (a deploy, a restart) disconnects everyone on purpose, and Socket.IO
    // does not retry after that by itself. A session that is no longer valid fails the next handshake.
    if (reason === 'io server disconnect') {
      setStatus('connecting');
      setTimeout(
        () => {
          if (socket === s && !s.connected) s.connect();
        },
        1000 + Math.random() * 2000,
      );
      return;
    }
    setStatus(s.active ? 'connecting' : 'offline');
  });
  s.on('connect_error', () => setStatus(s.active ? 'connecting' : 'offline'));
  return s;
}

export function closeSocket(): void {
  socket?.disconnect();
  socket = null;
  everConnected = false;
  roomListeners.clear();
  setStatus('offline');
}

/**
 * Joins a room for as long as the caller needs it, joins it again after every reconnect and then
 * calls `onResync` so the caller refetches what it shows. Returns the function that leaves.
 */
export function subscribeRoom(room: string, handlers: { onResync?: () => void; onError?: RoomListener['onError'] } = {}): () => void {
  const s = getSocket();
  const listener: RoomListener = { room, ...handlers };
  const alreadyJoined = listenersOf(room).length > 0;
  roomListeners.add(listener);
  if (s.connected && !alreadyJoined) join(s, room, false);
  return () => {
    roomListeners.delete(listener);
    // Another view of this tab may still be in the room.
    if (listenersOf(room).length === 0 && s === socket && s.connected) s.emit('unsubscribe', { room });
  };
}

/** Listens to one server event; returns the function that stops listening. */
export function onEvent<E extends EventName>(event: E, handler: ServerToClientEvents[E]): () => void {
  const s = getSocket();
  // socket.io's typed `on` cannot narrow a generic event name; the event map still types `handler`.
  const listener = handler as unknown as (...args: unknown[]) => void;
  const untyped = s as unknown as Socket;
  untyped.on(event as string, listener);
  return () => {
    untyped.off(event as string, listener);
  };
}

/** Follows the connection state; calls back at once with the current one. */
export function onConnectionStatus(cb: (s: ConnectionStatus) => void): () => void {
  statusListeners.add(cb);
  cb(status);
  return () => {
    statusListeners.delete(cb);
  };
}
