import { createClient } from 'redis';
import { logger } from './logger';

export type RedisClient = ReturnType<typeof createClient>;

const clients: RedisClient[] = [];

/** A connected node-redis client; every client made here is closed by closeRedis(). */
export async function connectRedis(url: string, name = 'main'): Promise<RedisClient> {
  const client = createClient({ url, name: `commercecore-${name}` });
  client.on('error', (err: Error) => logger.error({ err: err.message, client: name }, 'redis error'));
  await client.connect();
  clients.push(client);
  return client;
}

export async function closeRedis(): Promise<void> {
  const all = clients.splice(0);
  await Promise.all(all.map((c) => (c.isOpen ? c.quit().catch(() => undefined) : undefined)));
}
