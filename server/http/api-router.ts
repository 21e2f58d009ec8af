import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { paramNames, type HandlerResult, type Route, type ServerBody, type ServerParams, type ServerQuery } from '../../contracts/api/route';
import { requireAccess, type Auth } from '../modules/auth/access';
import { UnauthorizedError, ValidationError } from './errors';
import { parse } from './handler';
import { registerOperation } from './openapi';

export type RouteInput<R extends Route> = {
  id: number;
  /** The path parameters: `id` a positive integer, the others text without NUL (or as the route's `params` schema has them). */
  params: ServerParams<R>;
  param: (name: string) => string;
  query: ServerQuery<R>;
  body: ServerBody<R>;
  req: Request;
  res: Response;
};

type Handler<R extends Route> = (auth: Auth, input: RouteInput<R>) => HandlerResult<R> | Promise<HandlerResult<R>>;

const positiveId = z.coerce.number().int().positive();

/** A path parameter as text; one holding a NUL character (no key may: databases refuse or cut it) is a 400. */
function pathParam(req: Request, name: string): string {
  const value = String(req.params[name] ?? '');
  if (value.includes('\u0000')) throw ValidationError.field(name, 'contains a NUL character');
  return value;
}

/** Describes a route of contracts/api in GET /api/openapi.json (ApiRouter does it for the routes it binds). */
export function describeRoute(route: Route): void {
  registerOperation({
    method: route.method,
    path: route.path,
    tag: route.tag,
    params: paramNames(route.path),
    summary: route.summary,
    query: route.query,
    body: route.body,
    response: route.response,
    status: route.status,
    auth: route.auth,
  });
}

/**
 * An Express router for the routes of contracts/api under one base path. Each route is declared there
 * once (method, path, zod schemas, permission); a routes file binds its handler here. The schemas
 * validate the request (400 naming each field), the permission is checked before the handler (403),
 * and the route is described in GET /api/openapi.json. The handler's result is type-checked against
 * the response schema; returning nothing answers 204.
 */
export class ApiRouter {
  readonly router = Router();
  constructor(private readonly base: `/api${string}`) {}

  handle<const R extends Route>(route: R, fn: Handler<R>): this {
    if (route.path !== this.base && !route.path.startsWith(`${this.base}/`)) throw new Error(`${route.path} is not under ${this.base}`);
    const path = route.path.slice(this.base.length) || '/';
    const names = paramNames(route.path);
    describeRoute(route);
    const enforced = route.auth !== false && route.enforce !== false ? route.permission : null;
    this.router[route.method](path, async (req: Request, res: Response) => {
      if (route.auth !== false && !req.auth) throw new UnauthorizedError();
      const id = names.includes('id') ? parse(positiveId, req.params.id, 'id') : 0;
      const query = (route.query ? parse(route.query, req.query) : undefined) as ServerQuery<R>;
      const body = (route.body ? parse(route.body, req.body) : undefined) as ServerBody<R>;
      const text: Record<string, string | number> = {};
      for (const name of names) text[name] = name === 'id' ? id : pathParam(req, name);
      const params = (route.params ? parse(route.params, text) : text) as ServerParams<R>;
      if (enforced) requireAccess(req.auth, enforced);
      const result = await fn(req.auth as Auth, { id, params, param: (name) => pathParam(req, name), query, body, req, res });
      if (res.headersSent) return;
      if (result === undefined) res.status(204).end();
      else res.status(route.status ?? 200).json(result);
    });
    return this;
  }
}
