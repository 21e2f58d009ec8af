import { afterAll, beforeAll } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/events';
import type { Role } from '../../contracts/states';
import { publishJobProgress } from '../../jobs/listener';
import { processors } from '../../jobs/processors';
import { startWeb } from '../../server/main';
import { runtime } from '../../server/runtime';
import { ApiClient } from './client';
import { freshDatabase, type TestDb } from './env';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type TestServer = {
  url: string;
  port: number;
  env: Record<string, string>;
  mode: 'sqlite' | 'mysql';
  admin: ApiClient;
  /** A signed-in client of a new user with this role. */
  user(role: Role, name?: string): Promise<ApiClient>;
  anonymous(): ApiClient;
  socket(client: ApiClient | null, opts?: { token?: string }): Promise<TestSocket>;
};

/**
 * Starts a real web process (HTTP + Socket.IO) on a fresh database for this test file, and stops it
 * after. In the mysql project it runs in services mode: MariaDB, Redis sessions, Bull queues (the
 * jobs are processed in this process, as a worker would).
 */
export function useTestServer(opts: { env?: () => Record<string, string> } = {}): TestServer {
  const state = {} as TestServer & { close?: () => Promise<void>; db?: TestDb; sockets: TestSocket[] };
  state.sockets = [];
  let userSeq = 0;

  beforeAll(async () => {
    const db = await freshDatabase();
    const web = await startWeb({ ...db.env, ...opts.env?.(), PORT: '0', HOST: '127.0.0.1' });
    if (runtime().queues.mode === 'bull') runtime().queues.process(processors, publishJobProgress);
    state.db = db;
    state.close = web.close;
    state.env = db.env;
    state.mode = web.config.dialect;
    state.port = web.port;
    state.url = `http://127.0.0.1:${web.port}`;
    state.admin = await new ApiClient(state.url).login('admin@example.com', 'admin-password-1');
  });

  afterAll(async () => {
    for (const s of state.sockets) s.disconnect();
    await state.close?.();
    await state.db?.drop();
  });

  state.anonymous = () => new ApiClient(state.url);
  state.user = async (role, name) => {
    const n = ++userSeq;
    const email = `${role}${n}-${Date.now()}@example.com`;
    const res = await state.admin.post('/api/users', { email, name: name ?? `${role} user ${n}`, role, password: 'user-password-1' });
    if (res.status !== 201) throw new Error(`could not create user: ${JSON.stringify(res.body)}`);
    return new ApiClient(state.url).login(email, 'user-password-1');
  };
  state.socket = async (client, opts = {}) => {
    const s: TestSocket = ioClient(state.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ...(opts.token ? { auth: { token: opts.token } } : {}),
      ...(client?.cookie ? { extraHeaders: { cookie: client.cookie } } : {}),
    });
    state.sockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', (err) => reject(err));
    });
    return s;
  };
  return state;
}

/** Resolves with the next matching event, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}

/** Collects every payload of an event from now on. */
export function collect<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((p: Parameters<ServerToClientEvents[E]>[0]) => seen.push(p)) as never);
  return seen;
}

export function subscribe(socket: TestSocket, room: string) {
  return new Promise<{ ok: true } | { error: { code: string; message: string } }>((resolve) => socket.emit('subscribe', { room }, resolve));
}
