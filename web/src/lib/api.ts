import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { z } from 'zod';
import { routes } from '$contracts/api';
import { errorBody } from '$contracts/schemas/common';
import { pathOf, type Body, type CallArgs, type CallInput, type Result, type Route } from '$contracts/api/route';

// The transport of the console's API calls. The routes, their inputs and their results are declared once
// in contracts/api (the server binds its handlers to the same declarations):
//   call(routes.invoices.post, { params: { id }, body: { version } })  →  Promise<Invoice>

export { routes };

export type FieldError = { field: string; message: string };

/** An error answered by the API: `{error: {code, message, details?, current?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    // On 409: the server's current record.
    readonly current?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for one input field, from `details`. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message;
  }

  /** A 409 for a stale `version` (not for a duplicate value, which is a 409 too). */
  get isStaleVersion(): boolean {
    return this.status === 409 && (this.current !== undefined || !/already (used|exists)/i.test(this.message));
  }
}

/** A save refused for a stale `version`, with the server's current record when it sent one. */
export type Conflict<T> = { current: T | null };

/** The conflict a failed save stands for (its record read with the record's schema); null when it failed for another reason. */
export function toConflict<T>(err: unknown, record: z.ZodType<T, z.ZodTypeDef, unknown>): Conflict<T> | null {
  if (!(err instanceof ApiError && err.isStaleVersion)) return null;
  const current = record.safeParse(err.current);
  return { current: current.success ? current.data : null };
}

type RequestOptions = {
  // The login form wants the 401 itself; everywhere else a 401 means the session ended.
  redirectOn401?: boolean;
  // Signing in needs no token unless a session already exists (then the 403 retry fetches one).
  prefetchCsrf?: boolean;
};

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

function toQueryString(query: Record<string, unknown> | undefined, repeatArrays = false): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query as Record<string, QueryValue>)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (repeatArrays) for (const v of value) params.append(key, String(v));
      else if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

type AnyInput = { params?: Record<string, string | number>; query?: Record<string, unknown>; body?: unknown };

/** The address of a route: `/api/…` with its parameters and query (for links, downloads and webhooks). */
export function urlOf<const R extends Route>(route: R, ...[input]: CallArgs<R>): string {
  const { params, query } = (input ?? {}) as AnyInput;
  return `${pathOf(route, params)}${toQueryString(query, route.queryArrays === 'repeat')}`;
}

const fieldError = z.object({ field: z.string(), message: z.string() });

function toFieldErrors(details: unknown[] | undefined): FieldError[] {
  return (details ?? []).flatMap((d) => {
    const parsed = fieldError.safeParse(d);
    return parsed.success ? [parsed.data] : [];
  });
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy error page, an empty body): fall back to the status text below.
  }
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return new ApiError(res.status, `http_${res.status}`, `The server answered ${res.status} ${res.statusText}`.trim());
  const err = parsed.data.error;
  return new ApiError(res.status, err.code, err.message, toFieldErrors(err.details), err.current);
}

/** Sends the browser to the sign-in page, coming back here afterwards. */
export function redirectToLogin(): void {
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname.startsWith('/login')) return;
  void goto(resolve(`/login?next=${encodeURIComponent(here)}`), { replaceState: true });
}

async function ensureCsrf(): Promise<void> {
  if (csrfToken) return;
  try {
    csrfToken = (await request(routes.auth.csrf, {}, { redirectOn401: false })).csrfToken;
  } catch {
    // Not signed in (or a Bearer caller): the request goes without a token, and the server says why.
  }
}

async function send(method: string, url: string, payload: unknown, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (payload instanceof FormData) {
    // Multipart: the browser writes its Content-Type with the boundary.
    body = payload;
  } else if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(payload);
  }
  if (method !== 'GET') {
    if (opts.prefetchCsrf !== false) await ensureCsrf();
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  return fetch(url, { method, headers, credentials: 'same-origin', body });
}

/** Calls a route with options of the transport (no redirect on 401, no CSRF token fetched first). */
export async function request<const R extends Route>(route: R, input: CallInput<R>, opts: RequestOptions = {}): Promise<Result<R>> {
  const method = route.method.toUpperCase();
  const url = urlOf(route, ...([input] as CallArgs<R>));
  const { body } = input as AnyInput;
  let res = await send(method, url, body, opts);
  if (res.status === 403 && method !== 'GET') {
    const err = await toApiError(res.clone());
    // A new session (another tab signed in again) has a new token: fetch it once and retry.
    if (err.code === 'csrf') {
      csrfToken = null;
      res = await send(method, url, body, { ...opts, prefetchCsrf: true });
    }
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && opts.redirectOn401 !== false) redirectToLogin();
    throw err;
  }
  if (res.status === 204) return undefined as Result<R>;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as Result<R>;
}

/** Calls a route: its params, query and body typed by its declaration, its result by its response schema. */
export function call<const R extends Route>(route: R, ...[input]: CallArgs<R>): Promise<Result<R>> {
  return request(route, (input ?? {}) as CallInput<R>);
}

/** Signs in: the session cookie is set, and the CSRF token of the new session kept. */
export async function login(body: Body<typeof routes.auth.login>): Promise<Result<typeof routes.auth.login>> {
  const result = await request(routes.auth.login, { body }, { redirectOn401: false, prefetchCsrf: false });
  csrfToken = result.csrfToken;
  return result;
}

/** Signs out: the session ends, and its CSRF token with it. */
export async function logout(): Promise<void> {
  try {
    await call(routes.auth.logout);
  } finally {
    csrfToken = null;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'The server cannot be reached. Check your connection and try again.';
  return err instanceof Error ? err.message : String(err);
}
