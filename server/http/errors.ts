import type { ZodError } from 'zod';

export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'invalid_state'
  | 'rate_limited'
  | 'csrf'
  | 'payload_too_large'
  | 'length_required'
  | 'unsupported_type'
  | 'replayed'
  | 'not_configured'
  | 'shop_error'
  | 'unavailable'
  | 'invalid_link'
  | 'link_expired'
  | 'internal';

export type FieldError = { field: string; message: string };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown[],
    readonly current?: unknown,
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: FieldError[] = []) {
    super(400, 'validation', message, details);
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError(`${field}: ${message}`, [{ field, message }]);
  }
  static fromZod(err: ZodError, prefix?: string): ValidationError {
    const details = err.issues.map((i) => ({
      field: [prefix, ...i.path].filter((p) => p !== undefined && p !== '').join('.') || '(body)',
      message: i.message,
    }));
    const first = details[0];
    return new ValidationError(first ? `${first.field}: ${first.message}` : 'Invalid input', details);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id?: number | string) {
    super(404, 'not_found', id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

/** For `.catch(nullIfNotFound)`: a missing record reads as null; any other failure still throws. */
export function nullIfNotFound(err: unknown): null {
  if (err instanceof NotFoundError) return null;
  throw err;
}

export class ConflictError extends AppError {
  constructor(message: string, current?: unknown) {
    super(409, 'conflict', message, undefined, current);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(403, 'forbidden', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in first') {
    super(401, 'unauthorized', message);
  }
}

export class InvalidStateError extends AppError {
  constructor(message: string, details?: FieldError[]) {
    super(422, 'invalid_state', message, details);
  }
}

/** A service the request needs (Redis) is down or not answering: try again shortly. */
export class UnavailableError extends AppError {
  constructor(message = 'A service this request needs is not available at the moment: try again shortly') {
    super(503, 'unavailable', message);
  }
}
