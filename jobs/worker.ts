import { Emitter } from '@socket.io/redis-emitter';
import { bootstrap } from '../server/bootstrap';
import { ConfigError, loadConfig } from '../server/config';
import { connectRedis } from '../server/lib/redis';
import { logger } from '../server/lib/logger';
import { enqueueWaitingMail } from '../server/modules/mail/outbox.service';
import { setEmitter } from '../server/realtime/publisher';
import { publishJobProgress } from './listener';
import { processors } from './processors';
import { scheduleChannelSyncs } from '../server/modules/channels/channel-schedule';

/** A queue worker: runs the Bull processors and emits their events to the web processes through Redis. */
export async function startWorker(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  if (!config.redisUrl) throw new ConfigError('The worker needs REDIS_URL: without it, jobs run inside the web process (npm start).');
  const booted = await bootstrap(config);
  setEmitter(new Emitter(await connectRedis(config.redisUrl, 'emitter'), { key: `${config.redisPrefix}:io` }));
  booted.queues.process(processors, publishJobProgress);
  await enqueueWaitingMail();
  await scheduleChannelSyncs();
  return booted;
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
