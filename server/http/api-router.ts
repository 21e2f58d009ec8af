import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Auth } from '../modules/auth/access';
import { UnauthorizedError, ValidationError } from './errors';
import { parse } from './handler';
import { registerOperation } from './openapi';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export type RouteSpec<Q extends z.ZodTypeAny, B extends z.ZodTypeAny> = {
  summary: string;
  query?: Q;
  body?: B;
  response?: z.ZodTypeAny;
  status?: number;
  /** false: anonymous callers allowed (the handler gets auth undefined). */
  auth?: boolean;
};

export type RouteInput<Q extends z.ZodTypeAny, B extends z.ZodTypeAny> = {
  id: number;
  param: (name: string) => string;
  query: z.output<Q>;
  body: z.output<B>;
  req: Request;
  res: Response;
};

const positiveId = z.coerce.number().int().positive();

/**
 * An Express router whose routes declare their zod schemas once: the schemas validate the request
 * (400 naming each field) and describe the operation in GET /api/openapi.json.
 */
/** A path parameter as text; one holding a NUL character (no key may: databases refuse or cut it) is a 400. */
function pathParam(req: Request, name: string): string {
  const value = String(req.params[name] ?? '');
  if (value.includes('\u0000')) throw ValidationError.field(name, 'contains a NUL character');
  return value;
}

export class ApiRouter {
  readonly router = Router();
  constructor(
    private readonly base: string,
    private readonly tag: string,
  ) {}

  get<Q extends z.ZodTypeAny = z.ZodUndefined, B extends z.ZodTypeAny = z.ZodUndefined>(path: string, spec: RouteSpec<Q, B>, fn: Handler<Q, B>) {
    return this.add('get', path, spec, fn);
  }
  post<Q extends z.ZodTypeAny = z.ZodUndefined, B extends z.ZodTypeAny = z.ZodUndefined>(path: string, spec: RouteSpec<Q, B>, fn: Handler<Q, B>) {
    return this.add('post', path, spec, fn);
  }
  patch<Q extends z.ZodTypeAny = z.ZodUndefined, B extends z.ZodTypeAny = z.ZodUndefined>(path: string, spec: RouteSpec<Q, B>, fn: Handler<Q, B>) {
    return this.add('patch', path, spec, fn);
  }
  delete<Q extends z.ZodTypeAny = z.ZodUndefined, B extends z.ZodTypeAny = z.ZodUndefined>(path: string, spec: RouteSpec<Q, B>, fn: Handler<Q, B>) {
    return this.add('delete', path, spec, fn);
  }

  private add<Q extends z.ZodTypeAny, B extends z.ZodTypeAny>(method: Method, path: string, spec: RouteSpec<Q, B>, fn: Handler<Q, B>): this {
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    registerOperation({ method, path: `${this.base}${path}`.replace(/\/$/, '') || '/', tag: this.tag, params, ...spec });
    this.router[method](path, async (req: Request, res: Response) => {
      if (spec.auth !== false && !req.auth) throw new UnauthorizedError();
      const input: RouteInput<Q, B> = {
        id: params.includes('id') ? parse(positiveId, req.params.id, 'id') : 0,
        param: (name) => pathParam(req, name),
        query: (spec.query ? parse(spec.query, req.query) : undefined) as z.output<Q>,
        body: (spec.body ? parse(spec.body, req.body) : undefined) as z.output<B>,
        req,
        res,
      };
      const result = await fn(req.auth as Auth, input);
      if (res.headersSent) return;
      if (result === undefined) res.status(204).end();
      else res.status(spec.status ?? 200).json(result);
    });
    return this;
  }
}

type Handler<Q extends z.ZodTypeAny, B extends z.ZodTypeAny> = (auth: Auth, input: RouteInput<Q, B>) => unknown;
