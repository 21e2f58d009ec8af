import type { z } from 'zod';
import type { Permission } from '../permissions';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

type Schema = z.ZodTypeAny;

/**
 * One route of the API, declared once: the server binds a handler to it (server/http/api-router.ts),
 * validates with its schemas and documents it in GET /api/openapi.json; the console calls it through
 * it (web/src/lib/api.ts), its types taken from the same schemas.
 */
export type Route = {
  readonly method: Method;
  /** The full path, `:name` for each path parameter (`:id`: a positive integer). */
  readonly path: `/api/${string}`;
  /** The OpenAPI tag. */
  readonly tag: string;
  readonly summary: string;
  /** Path parameters other than `:id` that have a schema of their own (a 400 names the parameter). */
  readonly params?: Schema;
  readonly query?: Schema;
  readonly body?: Schema;
  readonly response?: Schema;
  /** The status of a success with a body (default 200); a handler returning nothing answers 204. */
  readonly status?: number;
  /** false: anonymous callers allowed (signed webhooks, signing in). */
  readonly auth?: boolean;
  /**
   * The role permission the route takes, checked before the handler runs (403 as the services answer it).
   * null: any signed-in user; what they may see is the handler's rule (their own rows, the record's rule).
   */
  readonly permission: Permission | null;
  /**
   * false: the permission is declared but the handler checks it, later than the router would (the record
   * is read first, so a missing one is a 404 for everyone; or an upload must be removed on refusal).
   */
  readonly enforce?: boolean;
  /** How a list goes into the query string: `state=a,b` (join, the default) or `state=a&state=b` (repeat). */
  readonly queryArrays?: 'join' | 'repeat';
  /** The body is multipart/form-data (a file and its fields): the console sends a FormData. */
  readonly multipart?: boolean;
  /** The answer is a file (a download), not JSON: the console links to it. */
  readonly file?: boolean;
};

/** Declares a group's routes under one OpenAPI tag: `const route = routeGroup('invoices')`. */
export function routeGroup(tag: string) {
  return <const R extends Omit<Route, 'tag'>>(route: R): R & { readonly tag: string } => ({ ...route, tag });
}

type SchemaOf<R, K extends 'params' | 'query' | 'body' | 'response'> = R extends { readonly [P in K]: infer S extends Schema } ? S : undefined;

/** The names of a path's parameters: '/api/imports/:jobId/errors.csv' → 'jobId'. */
export type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer Rest}`
  ? N | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer N}`
    ? N
    : never;

type ParamValues<R extends Route, Out extends boolean> =
  SchemaOf<R, 'params'> extends infer S extends Schema
    ? Out extends true
      ? z.output<S>
      : z.input<S>
    : { [K in ParamNames<R['path']>]: K extends 'id' ? number : string };

// ---------------------------------------------------------------------------------------------------
// The server's side: what a handler receives and what it must return.

/** The path parameters as the handler gets them (validated; `id` a number). */
export type ServerParams<R extends Route> = ParamValues<R, true>;
export type ServerQuery<R extends Route> = SchemaOf<R, 'query'> extends infer S extends Schema ? z.output<S> : undefined;
export type ServerBody<R extends Route> = SchemaOf<R, 'body'> extends infer S extends Schema ? z.output<S> : undefined;
/** What a handler returns: what the response schema accepts (nothing for a file it writes itself). */
export type HandlerResult<R extends Route> = R extends { readonly file: true }
  ? void
  : SchemaOf<R, 'response'> extends infer S extends Schema
    ? z.input<S>
    : void;

// ---------------------------------------------------------------------------------------------------
// The console's side: what a call sends and what it gets.

type QueryValue<T> = T extends readonly (infer E)[] ? readonly E[] : T;

/** A query as the client writes it: each field in its query-string form or as the server parses it. */
export type Query<R extends Route> =
  SchemaOf<R, 'query'> extends infer S extends Schema
    ? {
        [K in keyof z.input<S> | keyof z.output<S>]?: QueryValue<
          (K extends keyof z.input<S> ? z.input<S>[K] : never) | (K extends keyof z.output<S> ? z.output<S>[K] : never)
        >;
      }
    : never;
export type Body<R extends Route> = R extends { readonly multipart: true } ? FormData : SchemaOf<R, 'body'> extends infer S extends Schema ? z.input<S> : never;
export type Params<R extends Route> = ParamValues<R, false>;
/** What a call resolves with: the response schema's output (nothing for a 204). */
export type Result<R extends Route> = R extends { readonly file: true } ? never : SchemaOf<R, 'response'> extends infer S extends Schema ? z.output<S> : void;

type ParamsPart<R extends Route> = [ParamNames<R['path']>] extends [never] ? object : { params: Params<R> };
type QueryPart<R extends Route> = R extends { readonly query: Schema } ? { query?: Query<R> } : object;
type BodyPart<R extends Route> = R extends { readonly multipart: true }
  ? { body: FormData }
  : R extends { readonly body: Schema }
    ? undefined extends Body<R>
      ? { body?: Body<R> }
      : { body: Body<R> }
    : object;

/** The input of a call: `{ params, query, body }` as the route has them. */
export type CallInput<R extends Route> = ParamsPart<R> & QueryPart<R> & BodyPart<R>;
/** The input argument, optional when nothing in it is required. */
export type CallArgs<R extends Route> = object extends CallInput<R> ? [input?: CallInput<R>] : [input: CallInput<R>];

/** The route's path with its parameters filled in (each encoded). */
export function pathOf(route: Pick<Route, 'path'>, params: Record<string, string | number> = {}): string {
  return route.path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
}

/** The names of a path's parameters, in order. */
export function paramNames(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
}
