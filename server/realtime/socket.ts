import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { rooms, type ClientToServerEvents, type PresenceUser, type RoomAck, type ServerToClientEvents } from '../../contracts/events';
import type { Auth } from '../modules/auth/access';
import { authenticateSession, authenticateToken } from '../modules/auth/auth.service';
import { bearerFrom, sessionTokenFrom } from '../http/middleware';
import { originAllowed } from '../http/security-headers';
import { publisher, type RedisClient } from '../lib/redis';
import { authorizeRoom, boardRoomFor, isRecordRoom } from './rooms';
import { accessRooms, setEmitter } from './publisher';
import { publishFirstAdapter } from './adapter';

type SocketData = { auth: Auth };
/** Between web processes: how many sockets a user holds on each (the per-user limit). */
type InterServerEvents = { userSockets: (userId: number, ack: (count: number) => void) => void };
export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

async function authenticateSocket(socket: IoSocket): Promise<Auth | null> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string' && token) return authenticateToken(token);
  const bearer = bearerFrom(socket.handshake.headers.authorization);
  if (bearer) return authenticateToken(bearer);
  const session = sessionTokenFrom(socket.handshake.headers.cookie);
  return session ? authenticateSession(session) : null;
}

/** A socket's rooms are bounded (its own socket id and user room included): rooms cost every publish a lookup. */
export const MAX_ROOMS_PER_SOCKET = 100;

/** Who is in a record room, across every web process (the Redis adapter answers for the others). */
async function publishPresence(io: IoServer, room: string): Promise<void> {
  const sockets = await io.in(room).fetchSockets();
  const users = new Map<number, PresenceUser>();
  for (const s of sockets) {
    const u = s.data.auth?.user;
    if (u) users.set(u.id, { id: u.id, name: u.name });
  }
  io.to(room).emit('presence.changed', { room, users: [...users.values()] });
}

export function createSocketServer(
  http: HttpServer,
  redis?: { pub: RedisClient; sub: RedisClient; key: string },
  opts: { publicUrl?: string; socketsPerUser?: number } = {},
): IoServer {
  const io: IoServer = new Server(http, {
    // WebSocket first: no sticky sessions needed behind a load balancer; polling stays as a fallback.
    transports: ['websocket', 'polling'],
    serveClient: false,
    // A browser's handshake from another site's page is refused (cross-site WebSocket hijacking).
    allowRequest: (req, callback) => callback(null, originAllowed(req, opts.publicUrl)),
    ...(redis && { adapter: publishFirstAdapter(publisher(redis.pub), redis.sub, { key: redis.key }) }),
  });

  // A user's sockets here: its user room's members. Every process answers for its own, so a handshake
  // costs one count per process (fetchSockets would ship every one of the user's sockets, handshake and all).
  const here = (userId: number) => io.of('/').adapter.rooms.get(rooms.user(userId))?.size ?? 0;
  io.on('userSockets', (userId, ack) => ack(here(userId)));
  const userSockets = async (userId: number) => {
    const elsewhere = redis ? await io.serverSideEmitWithAck('userSockets', userId) : [];
    return elsewhere.reduce((sum, n) => sum + n, here(userId));
  };

  io.use((socket, next) => {
    authenticateSocket(socket)
      .then(async (auth) => {
        if (!auth) return next(new Error('unauthorized'));
        // A user's sockets, on every web process, are bounded (a tab holds one).
        const limit = opts.socketsPerUser ?? 30;
        if ((await userSockets(auth.user.id)) >= limit) return next(new Error(`too many connections: at most ${limit} per user`));
        socket.data.auth = auth;
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  });

  io.on('connection', (socket) => {
    const auth = socket.data.auth;
    // Its user's room, and the rooms of what it was opened with: ending the session or the token, or
    // changing the user's rights, ends it (the console reconnects and is authorised again).
    const ownRooms = [
      rooms.user(auth.user.id),
      ...(auth.sessionId ? [accessRooms.session(auth.sessionId)] : []),
      ...(auth.tokenId ? [accessRooms.token(auth.tokenId)] : []),
    ];
    void socket.join(ownRooms);
    // Its own id is a room too: those are not the client's choice, so they do not count.
    const fixedRooms = ownRooms.length + 1;

    const reply = (ack: ((r: RoomAck) => void) | undefined, r: RoomAck) => {
      if (typeof ack === 'function') ack(r);
    };

    socket.on('subscribe', (msg, ack) => {
      const room = typeof msg?.room === 'string' ? msg.room : '';
      // Rooms cost every publish a lookup: a socket holds a bounded number (a console holds a handful).
      if (!socket.rooms.has(room) && socket.rooms.size - fixedRooms >= MAX_ROOMS_PER_SOCKET) {
        return reply(ack, { error: { code: 'limit', message: `a socket may subscribe to at most ${MAX_ROOMS_PER_SOCKET} rooms: leave some first` } });
      }
      authorizeRoom(auth, room)
        .then(async (joined) => {
          await socket.join(joined);
          reply(ack, { ok: true });
          if (isRecordRoom(room)) await publishPresence(io, room);
        })
        .catch((err: unknown) => {
          const e = err as { code?: string; message?: string };
          reply(ack, { error: { code: e.code ?? 'forbidden', message: e.message ?? 'not allowed' } });
        });
    });

    socket.on('unsubscribe', (msg, ack) => {
      const room = typeof msg?.room === 'string' ? msg.room : '';
      if (room === rooms.user(auth.user.id)) return reply(ack, { error: { code: 'forbidden', message: 'the user room cannot be left' } });
      void (async () => {
        await socket.leave(room);
        // A board left is the room it was given for it.
        const given = boardRoomFor(auth, room);
        if (given !== room) await socket.leave(given);
        reply(ack, { ok: true });
        if (isRecordRoom(room)) await publishPresence(io, room);
      })();
    });

    socket.on('disconnecting', () => {
      const left = [...socket.rooms].filter(isRecordRoom);
      // After the socket is gone, tell each record room who is still there.
      socket.once('disconnect', () => {
        for (const room of left) void publishPresence(io, room).catch(() => undefined);
      });
    });
  });

  setEmitter(io);
  return io;
}
