import { goto, replaceState } from '$app/navigation';
import { resolve } from '$app/paths';
import type { PathnameWithSearchOrHash, ResolvedPathname } from '$app/types';

/**
 * The resolved address of a path of this app known only at run time (a `next=` parameter, a
 * navigation put on hold). Anything that is not a same-site path falls back to the order board.
 */
export function resolveInApp(path: string): ResolvedPathname {
  const safe = (path.startsWith('/') && !path.startsWith('//') ? path : '/') as PathnameWithSearchOrHash;
  // resolve() takes any path of the app, but with this many routes TypeScript can no longer match a
  // run-time one against the signature of each.
  return (resolve as (path: PathnameWithSearchOrHash) => ResolvedPathname)(safe);
}

/** goto() a path of this app known only at run time. */
export function gotoInApp(path: string, opts?: Parameters<typeof goto>[1]): Promise<void> {
  return goto(resolveInApp(path), opts);
}

/** Shows a path of this app known only at run time in the address bar, without navigating. */
export function replaceStateInApp(path: string): void {
  replaceState(resolveInApp(path), {});
}

/** An address of this app with its query parameters as `write` sets them. */
export function withParams(url: URL, write: (params: URLSearchParams) => void): URL {
  const next = new URL(url);
  write(next.searchParams);
  return next;
}
