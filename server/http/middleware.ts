import { timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { BaseError, ForeignKeyConstraintError, OptimisticLockError, UniqueConstraintError } from 'sequelize';
import { authenticateSession, authenticateToken } from '../modules/auth/auth.service';
import { isRedisUnavailable } from '../lib/redis';
import { AppError, ConflictError, UnavailableError, ValidationError } from './errors';

export const SESSION_COOKIE = 'cc_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookies(cookieHeader)[SESSION_COOKIE] || undefined;
}

export function bearerFrom(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m?.[1];
}

/** Resolves the caller from a Bearer token or the session cookie; anonymous requests pass through. */
export async function authenticate(req: Request, _res: Response, next: NextFunction): Promise<void> {
  try {
    const bearer = bearerFrom(req.headers.authorization);
    if (bearer) {
      req.auth = (await authenticateToken(bearer)) ?? undefined;
    } else {
      const token = sessionTokenFrom(req.headers.cookie);
      if (token) {
        req.sessionToken = token;
        req.auth = (await authenticateSession(token)) ?? undefined;
      }
    }
    next();
  } catch (err) {
    next(err);
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookie-authenticated requests that change state must echo the session's CSRF token. */
export function csrf(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method) || req.auth?.via !== 'session') return next();
  const sent = req.get('x-csrf-token');
  if (!sent || !req.auth.csrfToken || !equal(sent, req.auth.csrfToken)) {
    return next(new AppError(403, 'csrf', 'Missing or wrong X-CSRF-Token header (get one from GET /api/auth/csrf)'));
  }
  next();
}

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const e = toAppError(err);
  if (e.status === 503) req.log?.warn({ err: (err as Error).message }, 'request refused: a service is not available');
  else if (e.status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) return;
  res.status(e.status).json({
    error: {
      code: e.code,
      message: e.message,
      ...(e.details && { details: e.details }),
      ...(e.current !== undefined && { current: e.current }),
    },
  });
};

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isRedisUnavailable(err)) return new UnavailableError('Sessions and queues are not available at the moment (Redis is not answering): try again shortly');
  if (err instanceof OptimisticLockError) return new ConflictError('This record was changed by someone else: reload it');
  if (err instanceof UniqueConstraintError) {
    const field = err.errors[0]?.path ?? 'value';
    return new ConflictError(`${field} is already used by another record`);
  }
  if (err instanceof ForeignKeyConstraintError) return new ValidationError('A referenced record does not exist or is still in use');
  const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
  const type = (err as { type?: string }).type;
  if (type === 'entity.parse.failed') return new ValidationError('The request body is not valid JSON');
  if (type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'The request body is too large');
  if (status && status >= 400 && status < 500) return new AppError(status, 'validation', (err as Error).message);
  if (err instanceof BaseError) return new AppError(500, 'internal', 'A database error occurred');
  return new AppError(500, 'internal', 'Something went wrong on our side');
}
