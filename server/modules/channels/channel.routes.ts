import { z } from 'zod';
import { channel, channelCreate, channelPatch, channelTest, channelTestResult, intakeResult } from '../../../contracts/schemas/channels';
import { listOf } from '../../../contracts/schemas/common';
import { ApiRouter } from '../../http/api-router';
import { receiveChannelWebhook } from '../../workflows/channel-webhook.workflow';
import * as channels from './channel.service';
import type { RawRequest } from './channel-webhook';
import { requestSync, testConnection } from './channel-sync';

export function channelRoutes() {
  const api = new ApiRouter('/api/channels', 'channels');
  api.get('/', { summary: 'Sales channels (shops, webhooks, CSV)', response: listOf(channel) }, (a) => channels.listChannels(a));
  api.get('/:id', { summary: 'A channel: its settings, sync state and last error (never its credentials)', response: channel }, (a, { id }) =>
    channels.getChannel(a, id),
  );
  api.post('/', { summary: 'Add a channel', body: channelCreate, response: channel, status: 201 }, (a, { body }) => channels.createChannel(a, body));
  api.post(
    '/test',
    {
      summary: 'Test connection with settings and credentials not saved yet (one request to the shop; nothing written)',
      body: channelTest,
      response: channelTestResult,
    },
    (a, { body }) => testConnection(a, null, body),
  );
  api.post(
    '/:id/test',
    {
      summary: "Test connection with the channel's settings and credentials, or the ones given (one request to the shop; nothing written)",
      body: channelTest.default({}),
      response: channelTestResult,
    },
    (a, { id, body }) => testConnection(a, id, body),
  );
  api.patch('/:id', { summary: 'Change a channel (credentials: replaces them)', body: channelPatch, response: channel }, (a, { id, body }) =>
    channels.updateChannel(a, id, body),
  );
  api.post(
    '/:id/sync',
    { summary: "Fetch the shop's new and changed orders now (a job)", response: z.object({ jobId: z.string() }), status: 202 },
    (a, { id }) => requestSync(a, id),
  );
  return api.router;
}

/** Orders pushed by shops, signed per kind (no session: the signature is the proof). */
export function channelWebhookRoutes() {
  const api = new ApiRouter('/api/webhooks/channels', 'channels');
  api.post(
    '/:id',
    {
      summary: 'An order pushed by a shop (Shopify or WooCommerce webhook, or the generic JSON): signature checked, deduplicated by delivery id',
      auth: false,
      response: z.union([intakeResult, z.object({ status: z.literal('ignored'), reason: z.string() })]),
    },
    (_a, { id, req }) => receiveChannelWebhook(id, req as RawRequest),
  );
  return api.router;
}
