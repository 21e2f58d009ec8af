import type { Sequelize } from 'sequelize';
import { createQueues } from '../jobs/create-queues';
import type { Config } from './config';
import { resetCaches, startCacheBus } from './db/cache';
import { initModels } from './db/models';
import { migrate } from './db/migrate';
import { domains } from './domains';
import { closeDb, connectDb } from './db/sequelize';
import { connectRedis, closeRedis } from './lib/redis';
import { DbSessionStore, RedisSessionStore } from './modules/auth/session-store';
import { ensureCompany } from './modules/company/company.service';
import { setRuntime, type Runtime } from './runtime';

export const redisTimeouts = (config: Config) => ({ commandTimeoutMs: config.redisCommandTimeoutMs });

export type Booted = Runtime & { sequelize: Sequelize; shutdown(): Promise<void> };

/**
 * Connects what every process needs: the database (migrated), Redis when configured, the session
 * store and the queues. Web, worker, migrate and tests all start here.
 */
export async function bootstrap(config: Config, opts: { migrate?: boolean } = {}): Promise<Booted> {
  resetCaches();
  const sequelize = await connectDb(config);
  if (opts.migrate !== false) await migrate(sequelize);
  initModels(sequelize, domains);
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, 'main', redisTimeouts(config)) : undefined;
  if (redis) await startCacheBus(config.redisUrl!, config.redisPrefix, redis, redisTimeouts(config));
  const queues = createQueues(config.redisUrl, config.redisPrefix, { lockMs: config.jobLockMs, ...redisTimeouts(config) });
  const rt: Runtime = { config, redis, queues, sessions: redis ? new RedisSessionStore(redis, config.redisPrefix) : new DbSessionStore() };
  setRuntime(rt);
  await ensureCompany(null);
  return {
    ...rt,
    sequelize,
    async shutdown() {
      await queues.close();
      resetCaches();
      await closeRedis();
      await closeDb();
    },
  };
}
