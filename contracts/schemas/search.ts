import { z } from 'zod';

// The console's global search (GET /api/search, the command palette): records of several domains found
// by number or name, grouped by kind. Each domain answers for its own records under its own rules.

/** What the search finds, in the order its groups are listed. */
export const SEARCH_KINDS = ['saleOrder', 'partner', 'product', 'picking', 'invoice'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SEARCH_KIND_LABELS: Record<SearchKind, string> = {
  saleOrder: 'Orders',
  partner: 'Partners',
  product: 'Products',
  picking: 'Transfers',
  invoice: 'Invoices',
};

const kindList = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',') : undefined))
  .pipe(z.array(z.enum(SEARCH_KINDS)).min(1).optional());

export const searchQuery = z.object({
  q: z.string().trim().min(1, 'type at least one character').max(100).describe('a number, a name, a reference, an email or a SKU'),
  limit: z.coerce.number().int().min(1).max(20).default(5).describe('hits per kind'),
  kinds: kindList.describe(`a comma-separated list of ${SEARCH_KINDS.join(', ')} (absent: all)`),
});
export type SearchQuery = z.infer<typeof searchQuery>;

export const searchHit = z.object({
  kind: z.enum(SEARCH_KINDS),
  id: z.number().int(),
  /** The record's number or name, as it is shown on its page. */
  label: z.string(),
  /** What tells two hits apart: the customer, the state, the email, the SKU… */
  detail: z.string(),
});
export type SearchHit = z.infer<typeof searchHit>;

/** The hits of each kind the user may read (a kind their role may not read is absent), best match first. */
export const searchResult = z.object({
  groups: z.array(z.object({ kind: z.enum(SEARCH_KINDS), hits: z.array(searchHit) })),
});
export type SearchResult = z.infer<typeof searchResult>;
