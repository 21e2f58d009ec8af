import type { ChannelModel } from '../channel.model';
import { channelSecrets } from '../channel.service';
import { fromWooCommerce, wooTime, type WooOrder } from '../woocommerce';
import { ShopError, shopFetch, shopJson } from './shop-http';
import type { SyncPage } from './shopify-sync';

// WooCommerce REST v3: orders modified after a time (GMT), oldest change first, 100 at a time, with the
// consumer key and secret as Basic auth. Offset pages shift when an order changes during a sync (it
// moves to the end, the others move up, one is skipped), so each request asks again from the last
// change taken, a second early (modified_after is exclusive; the repeat is recognised as unchanged).
// Only a full page of changes within one second goes on by page number.

const PER_PAGE = 100;
const GMT = (iso: string) => iso.replace(/\.\d+Z$|Z$/, '');

type WooAccess = { settings: Record<string, unknown>; secrets: { consumerKey?: string; consumerSecret?: string } | null; name: string };

/** The site's orders endpoint and its Basic auth. */
function wooApi({ settings, secrets, name }: WooAccess): { base: string; auth: string } {
  const { siteUrl } = settings as { siteUrl: string };
  if (!secrets?.consumerKey || !secrets.consumerSecret) throw new ShopError(`${name} has no consumer key and secret: set them on the channel`, false);
  return {
    base: `${siteUrl.replace(/\/+$/, '')}/wp-json/wc/v3/orders`,
    auth: `Basic ${Buffer.from(`${secrets.consumerKey}:${secrets.consumerSecret}`).toString('base64')}`,
  };
}

/** Test connection: the site's count of orders (X-WP-Total of a one-order page; the key checked). */
export async function wooCommerceOrderCount(access: WooAccess): Promise<number> {
  const { base, auth } = wooApi(access);
  const res = await shopFetch(`${base}?per_page=1`, { headers: { Authorization: auth, Accept: 'application/json' } }, access.name, 1);
  const total = Number(res.headers.get('x-wp-total'));
  if (!Array.isArray(await shopJson(res, access.name)) || !res.headers.has('x-wp-total') || !Number.isFinite(total)) {
    throw new ShopError(`${access.name} answered without a list of orders: is this the WordPress site's address?`, false);
  }
  return total;
}

export async function* wooCommercePages(channel: ChannelModel): AsyncGenerator<SyncPage> {
  const { base, auth } = wooApi({ settings: channel.settings, secrets: channelSecrets(channel), name: channel.name });
  let since = channel.cursor;
  let page = 1;
  for (;;) {
    const query = new URLSearchParams({ per_page: String(PER_PAGE), page: String(page), orderby: 'modified', order: 'asc', dates_are_gmt: 'true' });
    if (since) query.set('modified_after', GMT(new Date(Date.parse(since) - 1000).toISOString()));
    const res = await shopFetch(`${base}?${query.toString()}`, { headers: { Authorization: auth, Accept: 'application/json' } }, channel.name);
    const orders = await shopJson<WooOrder[]>(res, channel.name);
    if (!Array.isArray(orders)) throw new ShopError(`${channel.name} answered without a list of orders`, true);
    const taken = orders.map((o) => ({ ext: fromWooCommerce(o), updatedAt: wooTime(o.date_modified_gmt ?? o.date_created_gmt) }));
    yield { orders: taken };
    if (orders.length < PER_PAGE) return;
    const last = taken.reduce((m, o) => (o.updatedAt > m ? o.updatedAt : m), '');
    if (since && Date.parse(last) <= Date.parse(since) + 1000) page++;
    else {
      since = last;
      page = 1;
    }
  }
}
