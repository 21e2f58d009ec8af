import { z } from 'zod';
import { routeGroup } from './route';

const route = routeGroup('ops');

export const ops = {
  health: route({
    method: 'get',
    path: '/api/health',
    summary: 'Liveness of the web process, its database and Redis',
    auth: false,
    response: z.object({ status: z.enum(['ok', 'degraded']), db: z.enum(['ok', 'error']), redis: z.enum(['ok', 'error', 'disabled']) }),
    // 503 with the same body when the database or Redis is down.
    permission: null,
  }),
};
