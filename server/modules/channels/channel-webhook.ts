import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { externalOrder, withoutNul, type ExternalOrder } from '../../../contracts/schemas/channels';
import { AppError, ConflictError, UnauthorizedError, ValidationError } from '../../http/errors';
import { parse } from '../../http/handler';
import type { ChannelModel } from './channel.model';
import { channelSecrets, findChannel } from './channel.service';
import { fromShopify, type ShopifyOrder } from './shopify';
import { fromWooCommerce, type WooOrder } from './woocommerce';

// Orders pushed by shops: POST /api/webhooks/channels/:id. Each kind signs its body its own way
// (Shopify: base64 HMAC-SHA256 in X-Shopify-Hmac-Sha256; WooCommerce: X-WC-Webhook-Signature; our
// generic JSON: hex in X-CommerceCore-Signature), checked over the raw bytes in constant time before
// anything is read; the delivery id makes a repeated delivery change nothing (the channel-webhook
// workflow takes the order).

export type RawRequest = Request & { rawBody?: Buffer };

function sameDigest(given: string | undefined, expected: Buffer, encoding: 'base64' | 'hex'): boolean {
  if (!given) return false;
  const a = Buffer.from(given.trim().replace(/^sha256=/, ''), encoding);
  return a.length === expected.length && timingSafeEqual(a, expected);
}

function parseOrder(value: unknown): ExternalOrder {
  return parse(externalOrder, withoutNul(value));
}

/** What a shop pushed: an order to take (with the delivery's id when the shop gives one), or nothing to take. */
export type WebhookDelivery =
  { status: 'order'; channel: ChannelModel; order: ExternalOrder; deliveryId: string | null } | { status: 'ignored'; reason: string };

/** A delivery to a channel's webhook, its signature checked and its order read (nothing is written). */
export async function readChannelWebhook(channelId: number, req: RawRequest): Promise<WebhookDelivery> {
  const channel = await findChannel(null, channelId);
  if (!channel.active) throw new ConflictError(`${channel.name} is paused: its orders are not taken`);
  const raw = req.rawBody;
  // WooCommerce pings a new webhook with a form body (webhook_id=N): answered, nothing to take.
  if (!raw?.length && channel.kind === 'woocommerce' && req.is('application/x-www-form-urlencoded')) return { status: 'ignored', reason: 'ping' };
  if (!raw?.length) throw ValidationError.field('body', 'a JSON body is required');
  const secrets = channelSecrets<{ webhookSecret?: string; secret?: string }>(channel);
  const header = (name: string) => req.header(name) ?? undefined;
  const hmac = (secret: string) => createHmac('sha256', secret).update(raw).digest();

  switch (channel.kind) {
    case 'shopify': {
      if (!secrets?.webhookSecret) throw new AppError(503, 'not_configured', `${channel.name} has no webhook secret: set it on the channel`);
      if (!sameDigest(header('x-shopify-hmac-sha256'), hmac(secrets.webhookSecret), 'base64')) {
        throw new UnauthorizedError('The Shopify signature does not match');
      }
      const topic = header('x-shopify-topic') ?? '';
      if (!/^orders\/(create|updated|paid|edited|fulfilled|partially_fulfilled)$/.test(topic)) {
        return { status: 'ignored', reason: `topic ${topic || '(none)'} is not an order` };
      }
      let order: ExternalOrder;
      try {
        order = parseOrder(fromShopify(req.body as ShopifyOrder));
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw ValidationError.field('body', `not a Shopify order: ${(err as Error).message}`);
      }
      return { status: 'order', channel, order, deliveryId: header('x-shopify-webhook-id') ?? null };
    }
    case 'webhook': {
      if (!secrets?.secret) throw new AppError(503, 'not_configured', `${channel.name} has no secret: set it on the channel`);
      if (!sameDigest(header('x-commercecore-signature'), hmac(secrets.secret), 'hex')) throw new UnauthorizedError('The signature does not match');
      return { status: 'order', channel, order: parseOrder(req.body), deliveryId: header('x-commercecore-delivery') ?? null };
    }
    case 'woocommerce': {
      if (!secrets?.webhookSecret) throw new AppError(503, 'not_configured', `${channel.name} has no webhook secret: set it on the channel`);
      if (!sameDigest(header('x-wc-webhook-signature'), hmac(secrets.webhookSecret), 'base64')) {
        throw new UnauthorizedError('The WooCommerce signature does not match');
      }
      const topic = header('x-wc-webhook-topic') ?? '';
      if (!/^order\.(created|updated|restored)$/.test(topic)) return { status: 'ignored', reason: `topic ${topic || '(none)'} is not an order` };
      let order: ExternalOrder;
      try {
        order = parseOrder(fromWooCommerce(req.body as WooOrder));
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw ValidationError.field('body', `not a WooCommerce order: ${(err as Error).message}`);
      }
      return { status: 'order', channel, order, deliveryId: header('x-wc-webhook-delivery-id') ?? null };
    }
    case 'csv':
      throw new AppError(422, 'invalid_state', `${channel.name} is a CSV channel: its orders come in as files (Imports)`);
  }
}
