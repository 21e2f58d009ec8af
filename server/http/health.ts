import { Router } from 'express';
import type { z } from 'zod';
import { routes } from '../../contracts/api';
import { db } from '../db/sequelize';
import { describeRoute } from './api-router';
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

export function healthRoutes(): Router {
  const r = Router();
  // Not an ApiRouter route: a degraded process answers 503 with the same body.
  describeRoute(routes.ops.health);
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
    const body: z.input<typeof routes.ops.health.response> = { status: ok ? 'ok' : 'degraded', db: dbOk ? 'ok' : 'error', redis: redisState };
    res.status(ok ? 200 : 503).json(body);
  });
  return r;
}
