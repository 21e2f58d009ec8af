import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { receiveChannelWebhook } from '../../workflows/channel-webhook.workflow';
import * as channels from './channel.service';
import type { RawRequest } from './channel-webhook';
import { requestSync, testConnection } from './channel-sync';

export function channelRoutes() {
  const api = new ApiRouter('/api/channels');
  api.handle(routes.channels.list, (a) => channels.listChannels(a));
  api.handle(routes.channels.get, (a, { id }) => channels.getChannel(a, id));
  api.handle(routes.channels.create, (a, { body }) => channels.createChannel(a, body));
  api.handle(routes.channels.test, (a, { body }) => testConnection(a, null, body));
  api.handle(routes.channels.testSaved, (a, { id, body }) => testConnection(a, id, body));
  api.handle(routes.channels.update, (a, { id, body }) => channels.updateChannel(a, id, body));
  api.handle(routes.channels.sync, (a, { id }) => requestSync(a, id));
  return api.router;
}

/** Orders pushed by shops, signed per kind (no session: the signature is the proof). */
export function channelWebhookRoutes() {
  const api = new ApiRouter('/api/webhooks/channels');
  api.handle(routes.channelWebhooks.receive, (_a, { id, req }) => receiveChannelWebhook(id, req as RawRequest));
  return api.router;
}
