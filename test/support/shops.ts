import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll } from 'vitest';
import type { ShopifyOrder } from '../../server/modules/channels/shopify';
import type { WooOrder } from '../../server/modules/channels/woocommerce';

// A local stand-in for Shopify's Admin REST API (GET /admin/api/<version>/orders.json), answering as
// Shopify does: X-Shopify-Access-Token, updated_at_min, limit (at most 250), cursor paging with
// `Link: <…page_info=…>; rel="next"`, 429 with Retry-After when asked to, 5xx when asked to.

export type ShopifyStandIn = {
  url: string;
  token: string;
  orders: ShopifyOrder[];
  /** The next N requests answer 429 with Retry-After (seconds). */
  rateLimitNext: number;
  retryAfter: string;
  /** The next N requests answer 500. */
  failNext: number;
  /** Every request for a next page (page_info) answers 500: the shop breaks down mid-sync. */
  failNextPages: boolean;
  /** Requests for a next page are answered after this many ms (a slow shop, to stop a sync mid-way). */
  nextPageDelayMs: number;
  /** Every request's query, in order. */
  requests: Record<string, string>[];
};

export function useShopifyStandIn(): ShopifyStandIn {
  const state: ShopifyStandIn = {
    url: '',
    token: 'shpat_standin_token',
    orders: [],
    rateLimitNext: 0,
    retryAfter: '0.3',
    failNext: 0,
    failNextPages: false,
    nextPageDelayMs: 0,
    requests: [],
  };
  let server: Server;
  beforeAll(async () => {
    const app = express();
    // GET /admin/api/<version>/orders/count.json: the shop's count of orders, as Shopify answers it.
    app.get('/admin/api/:version/orders/count.json', (req, res) => {
      state.requests.push({ ...(req.query as Record<string, string>), path: 'count' });
      if (req.header('x-shopify-access-token') !== state.token) {
        return void res.status(401).json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      }
      res.json({ count: state.orders.length });
    });
    app.get('/admin/api/:version/orders.json', async (req, res) => {
      const query = req.query as Record<string, string>;
      state.requests.push(query);
      if (query.page_info && state.nextPageDelayMs) await new Promise((r) => setTimeout(r, state.nextPageDelayMs));
      if (req.header('x-shopify-access-token') !== state.token) {
        return void res.status(401).json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      }
      if (state.rateLimitNext > 0) {
        state.rateLimitNext--;
        return void res
          .status(429)
          .set('Retry-After', state.retryAfter)
          .json({ errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' });
      }
      if (state.failNextPages && query.page_info) return void res.status(503).json({ errors: 'Service Unavailable' });
      if (state.failNext > 0) {
        state.failNext--;
        return void res.status(500).json({ errors: 'Internal Server Error' });
      }
      // A page_info carries the filter of the first request; no other filter may come with it.
      let filter: { min: string | null; offset: number };
      if (query.page_info) {
        if (query.updated_at_min || query.status) {
          return void res.status(400).json({ errors: { page_info: 'page_info cannot be combined with other filters' } });
        }
        filter = JSON.parse(Buffer.from(query.page_info, 'base64url').toString()) as { min: string | null; offset: number };
      } else filter = { min: query.updated_at_min ?? null, offset: 0 };
      const limit = Math.min(250, Number(query.limit ?? 50));
      const matching = state.orders
        .filter((o) => !filter.min || Date.parse(o.updated_at ?? o.created_at) >= Date.parse(filter.min))
        .sort((a, b) => Date.parse(a.updated_at ?? a.created_at) - Date.parse(b.updated_at ?? b.created_at) || Number(a.id) - Number(b.id));
      const page = matching.slice(filter.offset, filter.offset + limit);
      if (filter.offset + limit < matching.length) {
        const next = Buffer.from(JSON.stringify({ min: filter.min, offset: filter.offset + limit })).toString('base64url');
        res.set('Link', `<${state.url}/admin/api/${req.params.version}/orders.json?limit=${limit}&page_info=${next}>; rel="next"`);
      }
      res.json({ orders: page });
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return state;
}

// A local stand-in for WooCommerce's REST v3 (GET /wp-json/wc/v3/orders): Basic auth with the consumer
// key and secret, modified_after (GMT), page/per_page with X-WP-Total and X-WP-TotalPages, money as strings.
export type WooStandIn = {
  url: string;
  key: string;
  secret: string;
  orders: WooOrder[];
  rateLimitNext: number;
  failNext: number;
  requests: Record<string, string>[];
};

export function useWooCommerceStandIn(): WooStandIn {
  const state: WooStandIn = { url: '', key: 'ck_standin', secret: 'cs_standin', orders: [], rateLimitNext: 0, failNext: 0, requests: [] };
  let server: Server;
  beforeAll(async () => {
    const app = express();
    app.get('/wp-json/wc/v3/orders', (req, res) => {
      const query = req.query as Record<string, string>;
      state.requests.push(query);
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      if (auth !== `${state.key}:${state.secret}`) {
        return void res.status(401).json({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
      }
      if (state.rateLimitNext > 0) {
        state.rateLimitNext--;
        return void res.status(429).set('Retry-After', '1').json({ code: 'too_many_requests', message: 'Too many requests.' });
      }
      if (state.failNext > 0) {
        state.failNext--;
        return void res.status(500).json({ code: 'internal_server_error', message: 'There has been a critical error on this website.' });
      }
      const after = query.modified_after ? Date.parse(`${query.modified_after}Z`) : null;
      const perPage = Math.min(100, Number(query.per_page ?? 10));
      const page = Number(query.page ?? 1);
      const matching = state.orders
        .filter((o) => after === null || Date.parse(`${o.date_modified_gmt}Z`) > after)
        .sort((a, b) => Date.parse(`${a.date_modified_gmt}Z`) - Date.parse(`${b.date_modified_gmt}Z`) || a.id - b.id);
      res.set('X-WP-Total', String(matching.length));
      res.set('X-WP-TotalPages', String(Math.max(1, Math.ceil(matching.length / perPage))));
      res.json(matching.slice((page - 1) * perPage, page * perPage));
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return state;
}
