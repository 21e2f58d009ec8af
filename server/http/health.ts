import { Router } from 'express';
import { z } from 'zod';
import { db } from '../db/sequelize';
import { registerOperation } from './openapi';
import { runtime } from '../runtime';

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
    const redisState = !redis
      ? 'disabled'
      : await redis.ping().then(
          () => 'ok' as const,
          () => 'error' as const,
        );
    const ok = dbOk && redisState !== 'error';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', db: dbOk ? 'ok' : 'error', redis: redisState });
  });
  return r;
}
