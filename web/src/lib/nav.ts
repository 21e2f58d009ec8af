import type { PathnameWithSearchOrHash } from '$app/types';

/**
 * An address of this app known only at run time (a `next=` parameter, a navigation put on hold),
 * typed for `resolve()`. Anything that is not a same-site path falls back to the order board.
 */
export function inAppPath(path: string): PathnameWithSearchOrHash {
  return (path.startsWith('/') && !path.startsWith('//') ? path : '/') as PathnameWithSearchOrHash;
}
