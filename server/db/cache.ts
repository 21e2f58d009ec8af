import { logger } from '../lib/logger';
import { connectRedis, publisher, type RedisClient, type RedisTimeouts } from '../lib/redis';
import { afterCommit, type Tx } from './transaction';

// Records that rarely change (the company, taxes, email templates) read once and kept in memory, so a
// busy path does not read them on every request. A change drops the copy once its transaction commits,
// in this process at once and, through Redis, in every other process (web replicas, workers); a copy
// is also dropped after a minute, in case a message was missed while Redis was away.

const TTL_MS = 60_000;

type Cache = { invalidate(): void };
const caches = new Map<string, Cache>();

let bus: { channel: string; publish: RedisClient } | undefined;

/** A value loaded on first use and kept until invalidated (or a minute old). Treat it as read-only. */
export function cached<T>(name: string, load: () => Promise<T>): { get(): Promise<T> } {
  if (caches.has(name)) throw new Error(`cache ${name} is declared twice`);
  let value: Promise<T> | undefined;
  let loadedAt = 0;
  caches.set(name, {
    invalidate: () => {
      value = undefined;
    },
  });
  return {
    get() {
      if (value && Date.now() - loadedAt < TTL_MS) return value;
      const p = load();
      value = p;
      loadedAt = Date.now();
      // A failed load is not kept: the next caller tries again.
      p.catch(() => {
        if (value === p) value = undefined;
      });
      return p;
    },
  };
}

/** Drops the named copies in every process once t commits (nothing for a rolled-back change). */
export function invalidateAfterCommit(t: Tx, ...names: string[]): void {
  afterCommit(t, () => invalidate(...names));
}

/** Drops the named copies here and, when Redis is configured, in every other process. */
export function invalidate(...names: string[]): void {
  invalidateHere(names);
  if (bus) void bus.publish.publish(bus.channel, JSON.stringify(names));
}

function invalidateHere(names: string[]): void {
  for (const n of names) caches.get(n)?.invalidate();
}

/** Listens for other processes' invalidations (services mode); every copy is dropped on a reconnect. */
export async function startCacheBus(url: string, prefix: string, client: RedisClient, timeouts: RedisTimeouts): Promise<void> {
  const channel = `${prefix}:cache-invalidate`;
  const subscriber = await connectRedis(url, 'cache', timeouts);
  subscriber.on('ready', () => invalidateHere([...caches.keys()]));
  await subscriber.subscribe(channel, (message) => {
    try {
      invalidateHere(JSON.parse(message) as string[]);
    } catch (err) {
      logger.warn({ err }, 'a cache invalidation message could not be read');
      invalidateHere([...caches.keys()]);
    }
  });
  bus = { channel, publish: publisher(client) };
}

/** Drops every copy and stops publishing (a process that connects again, or to another database, starts empty). */
export function resetCaches(): void {
  bus = undefined;
  invalidateHere([...caches.keys()]);
}
