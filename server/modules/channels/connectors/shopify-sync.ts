import type { ExternalOrder } from '../../../../contracts/schemas/channels';
import type { ChannelModel } from '../channel.model';
import { channelSecrets } from '../channel.service';
import { fromShopify, type ShopifyOrder } from '../shopify';
import { ShopError, shopFetch, shopJson } from './shop-http';

// Shopify's Admin REST API: orders updated since the cursor, oldest first, 250 a page, following the
// `Link: <…page_info=…>; rel="next"` header (a page_info request takes no other filter).

export type SyncPage = { orders: { ext: ExternalOrder; updatedAt: string }[] };

function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>;\s*rel="?next"?/.exec(part.trim());
    if (m) return m[1]!;
  }
  return null;
}

type ShopifyAccess = { settings: Record<string, unknown>; secrets: { accessToken?: string } | null; name: string };

/** The shop's orders endpoint and the headers that reach it. */
function shopifyApi({ settings, secrets, name }: ShopifyAccess): { orders: string; headers: Record<string, string> } {
  const { shopUrl, apiVersion } = settings as { shopUrl: string; apiVersion?: string };
  if (!secrets?.accessToken) throw new ShopError(`${name} has no access token: set it on the channel`, false);
  return {
    orders: `${shopUrl.replace(/\/+$/, '')}/admin/api/${apiVersion ?? '2024-10'}/orders`,
    headers: { 'X-Shopify-Access-Token': secrets.accessToken, Accept: 'application/json' },
  };
}

/** Test connection: the shop's count of orders (one request, the token checked). */
export async function shopifyOrderCount(access: ShopifyAccess): Promise<number> {
  const api = shopifyApi(access);
  const res = await shopFetch(`${api.orders}/count.json?status=any`, { headers: api.headers }, access.name, 1);
  const body = await shopJson<{ count?: number }>(res, access.name);
  if (typeof body.count !== 'number') throw new ShopError(`${access.name} answered without a count of orders: is this the shop's address?`, false);
  return body.count;
}

export async function* shopifyPages(channel: ChannelModel): AsyncGenerator<SyncPage> {
  const api = shopifyApi({ settings: channel.settings, secrets: channelSecrets<{ accessToken?: string }>(channel), name: channel.name });
  const query = new URLSearchParams({ status: 'any', limit: '250', order: 'updated_at asc' });
  if (channel.cursor) query.set('updated_at_min', channel.cursor);
  let url: string | null = `${api.orders}.json?${query.toString()}`;
  while (url) {
    const res = await shopFetch(url, { headers: api.headers }, channel.name);
    const body = await shopJson<{ orders?: ShopifyOrder[] }>(res, channel.name);
    if (!Array.isArray(body.orders)) throw new ShopError(`${channel.name} answered without an orders list`, true);
    yield { orders: body.orders.map((o) => ({ ext: fromShopify(o), updatedAt: o.updated_at ?? o.created_at })) };
    url = nextLink(res.headers.get('link'));
  }
}
