import { Router } from 'express';
import { z } from 'zod';
import { db } from '../db/sequelize';
import { registerOperation } from './openapi';
import type { RedisClient } from '../lib/redis';
import { runtime } from '../runtime';

const HEALTH_PING_MS = 500;

function pingWithin(redis: RedisClient, ms: number): Promise<'ok' | 'error'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('error'), ms);
    redis
      .ping()
      .then(
        () => resolve('ok'),
        () => resolve('error'),
      )
      .finally(() => clearTimeout(timer));
  });
}

const health = z.object({ status: z.enum(['ok', 'degraded']), db: z.enum(['ok', 'error']), redis: z.enum(['ok', 'error', 'disabled']) });

export function healthRoutes(): Router {
  const r = Router();
  registerOperation({
    method: 'get',
    path: '/api/health',
    tag: 'ops',
    params: [],
    summary: 'Liveness of the web process, its database and Redis',
    response: health,
    auth: false,
  });
  r.get('/health', async (_req, res) => {
    const dbOk = await db()
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    const redis = runtime().redis;
    // Answers at once while Redis is down (the client knows it is not connected), and within half a
    // second when it is connected but not answering.
    const redisState = !redis ? 'disabled' : !redis.isReady ? 'error' : await pingWithin(redis, HEALTH_PING_MS);
    const ok = dbOk && redisState !== 'error';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', db: dbOk ? 'ok' : 'error', redis: redisState });
  });
  return r;
}
