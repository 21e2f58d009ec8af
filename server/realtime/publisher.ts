import type { EventName, EventPayload } from '../../contracts/events';
import { afterCommit, type Tx } from '../db/transaction';

// Anything that can emit to rooms: the Socket.IO server in a web process, the Redis emitter in a worker.
export type RoomEmitter = {
  to(room: string | string[]): {
    emit(event: string, payload: unknown): unknown;
    disconnectSockets(close?: boolean): unknown;
  };
};

let emitter: RoomEmitter | undefined;

export function setEmitter(e: RoomEmitter | undefined): void {
  emitter = e;
}

/** Emits now: for what is not tied to a transaction (job progress, presence). */
export function emitNow<E extends EventName>(rooms: string | string[], event: E, payload: EventPayload<E>): void {
  emitter?.to(rooms).emit(event, payload);
}

/** Rooms, or a function that finds them once the change is committed (e.g. the owner's board). */
export type Targets = string | string[] | (() => Promise<string[]>);

/** Queues an event to go out once t commits; nothing is sent for a rolled-back change. */
export function publish<E extends EventName>(t: Tx, rooms: Targets, event: E, payload: EventPayload<E> | (() => Promise<EventPayload<E>>)): void {
  afterCommit(t, async () => {
    const [to, body] = await Promise.all([typeof rooms === 'function' ? rooms() : rooms, typeof payload === 'function' ? payload() : payload]);
    emitNow(to, event, body);
  });
}

/**
 * Rooms every socket joins for what it was opened with (never subscribable): its session, its API token.
 * Ending one of those ends its sockets, on every web process.
 */
export const accessRooms = {
  session: (id: string) => `session:${id}`,
  token: (id: number) => `token:${id}`,
};

export function disconnectRoom(room: string): void {
  emitter?.to(room).disconnectSockets(true);
}
