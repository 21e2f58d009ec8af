import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { AppError } from '../../http/errors';
import { redisCall } from '../../lib/redis';
import { runtime } from '../../runtime';
import { portalAccept, portalQuote, portalShip, portalView, sendPortalFile } from '../../workflows/vendor-portal.workflow';

/** Requests per minute, counted per address and link: a leaked link cannot be hammered, a guesser gets nowhere. */
function portalLimiter(): RequestHandler {
  const { config, redis } = runtime();
  return rateLimit({
    windowMs: 60_000,
    limit: config.portalRateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req: Request) => `${ipKeyGenerator(req.ip ?? '')}|${String(req.params.token ?? '').slice(0, 400)}`,
    ...(redis && {
      store: new RedisStore({
        sendCommand: (...args: string[]) => redisCall(() => redis.sendCommand<RedisReply>(args)),
        prefix: `${config.redisPrefix}:rl:portal:`,
      }),
    }),
    handler: (_req, _res, next) => next(new AppError(429, 'rate_limited', 'Too many requests for this link: wait a minute and try again')),
  });
}

/** The vendor portal's API: mounted before sign-in (the link's token is the key), rate-limited. */
export function portalRoutes() {
  const api = new ApiRouter('/api/portal');
  api.router.use('/:token', portalLimiter());
  api.handle(routes.portal.view, (_a, { params }) => portalView(params.token));
  api.handle(routes.portal.pdf, (_a, { params, res }) => sendPortalFile(params.token, res));
  api.handle(routes.portal.quote, (_a, { params, body }) => portalQuote(params.token, body));
  api.handle(routes.portal.accept, (_a, { params }) => portalAccept(params.token));
  api.handle(routes.portal.ship, (_a, { params, body }) => portalShip(params.token, body));
  return api.router;
}
