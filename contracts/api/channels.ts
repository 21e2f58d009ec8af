import { z } from 'zod';
import { channel, channelCreate, channelPatch, channelTest, channelTestResult, intakeResult } from '../schemas/channels';
import { listOf } from '../schemas/common';
import { jobCreated } from '../schemas/jobs';
import { routeGroup } from './route';

const route = routeGroup('channels');

export const channels = {
  list: route({
    method: 'get',
    path: '/api/channels',
    summary: 'Sales channels (shops, webhooks, CSV)',
    response: listOf(channel),
    permission: 'channel.read',
  }),
  get: route({
    method: 'get',
    path: '/api/channels/:id',
    summary: 'A channel: its settings, sync state and last error (never its credentials)',
    response: channel,
    permission: 'channel.read',
  }),
  create: route({
    method: 'post',
    path: '/api/channels',
    summary: 'Add a channel',
    body: channelCreate,
    response: channel,
    status: 201,
    permission: 'channel.write',
  }),
  test: route({
    method: 'post',
    path: '/api/channels/test',
    summary: 'Test connection with settings and credentials not saved yet (one request to the shop; nothing written)',
    body: channelTest,
    response: channelTestResult,
    permission: 'channel.write',
  }),
  testSaved: route({
    method: 'post',
    path: '/api/channels/:id/test',
    summary: "Test connection with the channel's settings and credentials, or the ones given (one request to the shop; nothing written)",
    body: channelTest.default({}),
    response: channelTestResult,
    permission: 'channel.write',
  }),
  update: route({
    method: 'patch',
    path: '/api/channels/:id',
    summary: 'Change a channel (credentials: replaces them)',
    body: channelPatch,
    response: channel,
    permission: 'channel.write',
  }),
  sync: route({
    method: 'post',
    path: '/api/channels/:id/sync',
    summary: "Fetch the shop's new and changed orders now (a job)",
    response: jobCreated,
    status: 202,
    permission: 'channel.write',
  }),
};

/** Orders pushed by shops, signed per kind (no session: the signature is the proof). */
export const channelWebhooks = {
  receive: route({
    method: 'post',
    path: '/api/webhooks/channels/:id',
    summary: 'An order pushed by a shop (Shopify or WooCommerce webhook, or the generic JSON): signature checked, deduplicated by delivery id',
    auth: false,
    response: z.union([intakeResult, z.object({ status: z.literal('ignored'), reason: z.string() })]),
    permission: null,
  }),
};
