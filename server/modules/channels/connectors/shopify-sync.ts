import type { ExternalOrder } from '../../../../contracts/schemas/channels';
import type { ChannelModel } from '../channel.model';
import { channelSecrets } from '../channel.service';
import { fromShopify, type ShopifyOrder } from '../shopify';
import { ShopError, shopFetch } from './shop-http';

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

export async function* shopifyPages(channel: ChannelModel): AsyncGenerator<SyncPage> {
  const settings = channel.settings as { shopUrl: string; apiVersion?: string };
  const token = channelSecrets<{ accessToken?: string }>(channel)?.accessToken;
  if (!token) throw new ShopError(`${channel.name} has no access token: set it on the channel`, false);
  const base = settings.shopUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ status: 'any', limit: '250', order: 'updated_at asc' });
  if (channel.cursor) query.set('updated_at_min', channel.cursor);
  let url: string | null = `${base}/admin/api/${settings.apiVersion ?? '2024-10'}/orders.json?${query.toString()}`;
  while (url) {
    const res = await shopFetch(url, { headers: { 'X-Shopify-Access-Token': token, Accept: 'application/json' } }, channel.name);
    const body = (await res.json()) as { orders?: ShopifyOrder[] };
    if (!Array.isArray(body.orders)) throw new ShopError(`${channel.name} answered without an orders list`, true);
    yield { orders: body.orders.map((o) => ({ ext: fromShopify(o), updatedAt: o.updated_at ?? o.created_at })) };
    url = nextLink(res.headers.get('link'));
  }
}
