import { Emitter } from '@socket.io/redis-emitter';
import { bootstrap, redisTimeouts } from '../server/bootstrap';
import { ConfigError, loadConfig } from '../server/config';
import { connectRedis, publisher } from '../server/lib/redis';
import { logger } from '../server/lib/logger';
import { setEmitter } from '../server/realtime/publisher';
import { publishJobProgress } from './listener';
import { processors } from './processors';
import { startReconciler } from './reconciler';

/** A queue worker: runs the Bull processors and emits their events to the web processes through Redis. */
export async function startWorker(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  if (!config.redisUrl) throw new ConfigError('The worker needs REDIS_URL: without it, jobs run inside the web process (npm start).');
  const booted = await bootstrap(config);
  setEmitter(new Emitter(publisher(await connectRedis(config.redisUrl, 'emitter', redisTimeouts(config))), { key: `${config.redisPrefix}:io` }));
  booted.queues.process(processors, publishJobProgress);
  const reconciler = startReconciler();
  await reconciler.sweep();
  return {
    ...booted,
    async shutdown() {
      reconciler.stop();
      await booted.shutdown();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startWorker()
    .then((w) => {
      console.log('CommerceCore worker is processing jobs');
      const stop = async () => {
        await w.shutdown();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    })
    .catch((err: unknown) => {
      if (err instanceof ConfigError) console.error(err.message);
      else logger.error({ err }, 'worker failed to start');
      process.exit(1);
    });
}
