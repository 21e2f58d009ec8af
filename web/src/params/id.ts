import type { ParamMatcher } from '@sveltejs/kit';

// A record id in a page URL (`/orders/[id=id]`): a whole number above zero, read as the record pages
// read it. Anything else matches no route: the error page says there is no such record (routes/+error.svelte).
export const match = ((param: string): boolean => {
  const id = Number(param);
  return Number.isInteger(id) && id > 0;
}) satisfies ParamMatcher;
