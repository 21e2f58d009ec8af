import { ReplyError, type RedisOptions } from 'ioredis';
import { createClient, ErrorReply } from 'redis';
import { logger } from './logger';

// Our own connections (sessions, the sign-in limit, health, the Socket.IO adapter and emitter) are
// node-redis clients; Bull makes its own (ioredis) connections, with the options of commandClientOptions.
export type RedisClient = ReturnType<typeof createClient>;

// While Redis is down or not answering, nothing waits for it: a command fails at once when the
// connection is not ready (no offline queue), and after the command timeout when Redis does not answer.
// Callers turn that into a 503 (requests) or try again later (jobs, the reconciler).

/** Redis is not there (down, restarting, not answering in time): the request cannot be served now. */
export class RedisUnavailableError extends Error {
  constructor(cause?: unknown) {
    super(`Redis is not available${cause instanceof Error ? `: ${cause.message}` : ''}`);
    this.name = 'RedisUnavailableError';
  }
}

/** Whether an error means Redis could not be reached (not a command Redis refused). */
export function isRedisUnavailable(err: unknown): boolean {
  if (err instanceof RedisUnavailableError) return true;
  // A reply Redis gave (a wrong type, a script error) is not an outage.
  if (!(err instanceof Error) || err instanceof ErrorReply || err instanceof (ReplyError as new () => Error)) return false;
  const e: Error = err;
  // node-redis: the client is offline / closed, the socket closed; ioredis (Bull): no offline queue, timed out.
  return /client is offline|client is closed|Socket closed unexpectedly|Connection timeout|enableOfflineQueue|Command timed out|Connection is closed|MaxRetriesPerRequest|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Stream isn't writeable/i.test(
    `${e.name} ${e.message}`,
  );
}

let commandTimeoutMs = 2000;

/**
 * Runs a Redis call on our connections: it answers within the command timeout or fails, and a failure
 * to reach Redis becomes a RedisUnavailableError.
 */
export async function redisCall<T>(fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new RedisUnavailableError(new Error('Command timed out'))), commandTimeoutMs);
      }),
    ]);
  } catch (err) {
    throw isRedisUnavailable(err) ? new RedisUnavailableError(err) : err;
  } finally {
    clearTimeout(timer);
  }
}

export type RedisTimeouts = { commandTimeoutMs: number };

/**
 * Options of every command connection (ours and Bull's): a command times out, nothing is queued while
 * disconnected, and the client reconnects every second at most (a fresh Redis is found at once).
 */
export function commandClientOptions({ commandTimeoutMs }: RedisTimeouts): RedisOptions {
  return {
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
  };
}

const clients: RedisClient[] = [];

/**
 * A connected client; every client made here is closed by closeRedis(). While disconnected, a command
 * fails at once (no offline queue); calls made through redisCall also time out. A connection used for
 * SUBSCRIBE (the Socket.IO adapter's) subscribes again after a reconnect.
 */
export async function connectRedis(url: string, name: string, timeouts: RedisTimeouts): Promise<RedisClient> {
  commandTimeoutMs = timeouts.commandTimeoutMs;
  const client = createClient({
    url,
    name: `commercecore-${name}`,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.max(timeouts.commandTimeoutMs, 1000),
      // Reconnects every second at most: a Redis that is back is found at once.
      reconnectStrategy: (retries: number) => Math.min((retries + 1) * 100, 1000),
    },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger.error({ err: err.message, client: name }, 'redis error');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ client: name }, 'redis is back');
    down = false;
  });
  clients.push(client);
  await client.connect();
  return client;
}

/**
 * The client for fire-and-forget publishers (the Socket.IO adapter and emitter call PUBLISH without
 * waiting): a PUBLISH that fails while Redis is down is logged, never an unhandled rejection.
 */
export function publisher(client: RedisClient): RedisClient {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop !== 'publish' && prop !== 'sPublish' && prop !== 'PUBLISH' && prop !== 'SPUBLISH') return fn;
      return (...args: unknown[]) =>
        (fn(...args) as Promise<unknown>).catch((err: unknown) => {
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'a realtime event was not published (Redis is not available)');
          return 0;
        });
    },
  });
}

export async function closeRedis(): Promise<void> {
  const all = clients.splice(0);
  await Promise.all(all.map((c) => (c.isOpen ? c.quit().catch(() => c.disconnect().catch(() => undefined)) : undefined)));
}
