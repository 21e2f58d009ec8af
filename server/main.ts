import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publishJobProgress } from '../jobs/listener';
import { processors } from '../jobs/processors';
import { startReconciler } from '../jobs/reconciler';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { seedDemo } from './demo/seed-demo';
import { connectRedis } from './lib/redis';
import { redisTimeouts } from './bootstrap';
import { logFormat, logger } from './lib/logger';
import { ensureFirstAdmin } from './modules/auth/auth.service';
import { purgeStaleUploads } from './modules/chatter/attachments.service';
import { createSocketServer } from './realtime/socket';

/** Starts the web process: HTTP + Socket.IO (+ the job processors in embedded mode). */
export async function startWeb(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  const booted = await bootstrap(config);
  const admin = await ensureFirstAdmin();
  if (config.seedDemo) await seedDemo();
  await purgeStaleUploads();

  const http = createServer(createApp());
  const redisPair = config.redisUrl
    ? {
        pub: await connectRedis(config.redisUrl, 'io-pub', redisTimeouts(config)),
        sub: await connectRedis(config.redisUrl, 'io-sub', redisTimeouts(config)),
        key: `${config.redisPrefix}:io`,
      }
    : undefined;
  const io = createSocketServer(http, redisPair, { publicUrl: config.publicUrl, socketsPerUser: config.socketsPerUser });
  // Embedded mode: no worker process, so this one runs the jobs.
  const reconciler = booted.queues.mode === 'in-process' ? startReconciler() : undefined;
  if (reconciler) {
    booted.queues.process(processors, publishJobProgress);
    await reconciler.sweep();
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    config,
    admin,
    io,
    async close() {
      reconciler?.stop();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await booted.shutdown();
    },
  };
}

async function main() {
  const web = await startWeb();
  const mode =
    web.config.dialect === 'sqlite' && !web.config.redisUrl
      ? 'embedded (SQLite, in-process jobs)'
      : `services (${web.config.dialect}${web.config.redisUrl ? ' + Redis' : ''})`;
  const lines = [`CommerceCore is running in ${mode} mode`, `  Console: http://localhost:${web.port}/`];
  if (web.admin) {
    lines.push(`  Sign in: ${web.admin.email} / ${web.admin.password ?? '(the ADMIN_PASSWORD you set)'}`);
    if (web.admin.password) lines.push('  (the password was generated: note it now, it is not shown again)');
  }
  const format = logFormat() === 'pretty' ? 'short lines on this terminal' : 'JSON lines on standard output';
  lines.push(`  Logs: ${format} (LOG_LEVEL=${web.config.logLevel}; LOG_FORMAT=json|pretty to choose)`);
  console.log(lines.join('\n'));
  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await web.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error('CommerceCore failed to start:', err);
    process.exit(1);
  });
}
