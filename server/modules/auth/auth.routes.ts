import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { AppError, UnauthorizedError } from '../../http/errors';
import { SESSION_COOKIE } from '../../http/middleware';
import { redisCall } from '../../lib/redis';
import { runtime } from '../../runtime';
import * as auth from './auth.service';
import * as users from './users.service';

function loginLimiter(): RequestHandler {
  const { config, redis } = runtime();
  return rateLimit({
    windowMs: 15 * 60_000,
    limit: config.loginRateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Counted per address and e-mail, so one attacker cannot lock everyone out. The e-mail is normalised
    // as login normalises it, so variants of one address (case, spaces) share one counter.
    keyGenerator: (req: Request) =>
      `${ipKeyGenerator(req.ip ?? '')}|${String((req.body as { email?: unknown } | undefined)?.email ?? '')
        .trim()
        .toLowerCase()}`,
    skipSuccessfulRequests: true,
    // Redis down: the count cannot be kept, so sign-in answers 503 at once (never lets everyone through).
    ...(redis && {
      store: new RedisStore({
        sendCommand: (...args: string[]) => redisCall(() => redis.sendCommand<RedisReply>(args)),
        prefix: `${config.redisPrefix}:rl:login:`,
      }),
    }),
    handler: (_req, _res, next) => next(new AppError(429, 'rate_limited', 'Too many sign-in attempts: wait a few minutes and try again')),
  });
}

export function authRoutes() {
  const api = new ApiRouter('/api/auth');
  api.router.post('/login', loginLimiter());
  api.handle(routes.auth.login, async (_a, { body, req, res }) => {
    const result = await auth.login(body);
    res.cookie(SESSION_COOKIE, result.token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: runtime().config.sessionTtlMs });
    return { user: result.user, csrfToken: result.csrfToken };
  });
  api.handle(routes.auth.logout, async (_a, { req, res }) => {
    await auth.logout(req.sessionToken);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  });
  api.handle(routes.auth.me, (a) => auth.me(a));
  api.handle(routes.auth.session, async (a) => ({ user: a ? await auth.me(a) : null }));
  api.handle(routes.auth.updateMe, (a, { body }) => auth.updateMe(a, body));
  api.handle(routes.auth.csrf, (a) => {
    if (!a) throw new UnauthorizedError();
    return { csrfToken: a.csrfToken ?? null };
  });
  api.handle(routes.auth.tokens, (a) => auth.listTokens(a));
  api.handle(routes.auth.createToken, (a, { body }) => auth.createToken(a, body.name));
  api.handle(routes.auth.revokeToken, (a, { id }) => auth.revokeToken(a, id));
  return api.router;
}

export function userRoutes() {
  const api = new ApiRouter('/api/users');
  api.handle(routes.users.list, (a, { query }) => users.listUsers(a, query));
  api.handle(routes.users.get, (a, { id }) => users.getUser(a, id));
  api.handle(routes.users.create, (a, { body }) => users.createUser(a, body));
  api.handle(routes.users.update, (a, { id, body }) => users.updateUser(a, id, body));
  return api.router;
}
