import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { z } from 'zod';
import { apiToken, loginInput, mePatch, loginResult, tokenCreate, tokenCreated, user, userCreate, userPatch } from '../../../contracts/schemas/auth';
import { listOf, listQuery } from '../../../contracts/schemas/common';
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
  const api = new ApiRouter('/api/auth', 'auth');
  api.router.post('/login', loginLimiter());
  api.post('/login', { summary: 'Sign in: sets the session cookie', auth: false, body: loginInput, response: loginResult }, async (_a, { body, req, res }) => {
    const result = await auth.login(body);
    res.cookie(SESSION_COOKIE, result.token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: runtime().config.sessionTtlMs });
    return { user: result.user, csrfToken: result.csrfToken };
  });
  api.post('/logout', { summary: 'Sign out', auth: false }, async (_a, { req, res }) => {
    await auth.logout(req.sessionToken);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  });
  api.get('/me', { summary: 'The signed-in user', response: user }, (a) => auth.me(a));
  api.patch('/me', { summary: 'Change my name or email preference', body: mePatch, response: user }, (a, { body }) => auth.updateMe(a, body));
  api.get('/csrf', { summary: 'The CSRF token of this session', response: z.object({ csrfToken: z.string().nullable() }) }, (a) => {
    if (!a) throw new UnauthorizedError();
    return { csrfToken: a.csrfToken ?? null };
  });
  api.get('/tokens', { summary: 'My API tokens', response: z.array(apiToken) }, (a) => auth.listTokens(a));
  api.post('/tokens', { summary: 'Create an API token (shown once)', body: tokenCreate, response: tokenCreated, status: 201 }, (a, { body }) =>
    auth.createToken(a, body.name),
  );
  api.delete('/tokens/:id', { summary: 'Revoke an API token' }, (a, { id }) => auth.revokeToken(a, id));
  return api.router;
}

export function userRoutes() {
  const api = new ApiRouter('/api/users', 'users');
  api.get('/', { summary: 'List users (admins)', query: listQuery, response: listOf(user) }, (a, { query }) => users.listUsers(a, query));
  api.get('/:id', { summary: 'Read a user (admins)', response: user }, (a, { id }) => users.getUser(a, id));
  api.post('/', { summary: 'Create a user (admins)', body: userCreate, response: user, status: 201 }, (a, { body }) => users.createUser(a, body));
  api.patch('/:id', { summary: 'Change a user; deactivating ends their sessions and sockets', body: userPatch, response: user }, (a, { id, body }) =>
    users.updateUser(a, id, body),
  );
  return api.router;
}
