import type { IntakeResult } from '../../contracts/schemas/channels';
import { readChannelWebhook, type RawRequest } from '../modules/channels/channel-webhook';
import { receiveExternalOrder } from './order-intake.workflow';

// An order pushed by a shop to its channel's webhook: the channel checks the signature and reads the
// order, the intake takes it (once per delivery id).

export async function receiveChannelWebhook(channelId: number, req: RawRequest): Promise<IntakeResult | { status: 'ignored'; reason: string }> {
  const delivery = await readChannelWebhook(channelId, req);
  if (delivery.status === 'ignored') return delivery;
  return receiveExternalOrder(delivery.channel, delivery.order, delivery.deliveryId);
}
