import type { z } from 'zod';
import { channelCredentials, channelSettings, type Channel, type ChannelPatch, type channelCreate } from '../../../contracts/schemas/channels';
import type { List } from '../../../contracts/schemas/common';
import type { ChannelKind } from '../../../contracts/states';
import { iso } from '../../db/columns';
import { isSqlite } from '../../db/sequelize';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError } from '../../http/errors';
import { parse } from '../../http/handler';
import { open, seal } from '../../lib/secrets';
import { requireAccess, type Auth } from '../auth/access';
import { orderCountsByChannel } from '../sales/sale-order.channel';
import { ChannelDeliveryModel, ChannelModel } from './channel.model';
import { scheduleChannelSync, syncSoon } from './channel-schedule';

// Channels: the shops orders come from. Settings are shown; credentials are sealed at rest and never
// leave the server (the API says only whether they are set).

export function settingsFor(kind: ChannelKind, value: unknown): Record<string, unknown> {
  return parse(channelSettings[kind], value, 'settings') as Record<string, unknown>;
}

/** Credentials as given, checked for the kind (400 naming the field), not sealed: for a test of the connection. */
export function credentialsFor(kind: ChannelKind, value: unknown): Record<string, unknown> {
  return parse(channelCredentials[kind], value, 'credentials') as Record<string, unknown>;
}

function sealedCredentials(kind: ChannelKind, value: unknown): string | null {
  const parsed = credentialsFor(kind, value);
  return Object.keys(parsed).length ? seal(JSON.stringify(parsed)) : null;
}

/** The channel's credentials, opened (for its connector only). */
export function channelSecrets<T = Record<string, string>>(c: Pick<ChannelModel, 'credentials'>): T | null {
  return c.credentials ? (JSON.parse(open(c.credentials)) as T) : null;
}

function toChannel(c: ChannelModel, orderCount: number): Channel {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    settings: c.settings,
    hasCredentials: c.credentials !== null,
    syncIntervalMinutes: c.syncIntervalMinutes,
    active: c.active,
    cursor: c.cursor,
    lastSyncAt: c.lastSyncAt ? iso(c.lastSyncAt) : null,
    lastError: c.lastError,
    lastErrorAt: c.lastErrorAt ? iso(c.lastErrorAt) : null,
    orderCount,
    version: c.version,
  };
}

export async function findChannel(t: Tx | null, id: number): Promise<ChannelModel> {
  const c = await channelById(t, id);
  if (!c) throw new NotFoundError('Channel', id);
  return c;
}

/** The channel, or null when there is none with this id. */
export function channelById(t: Tx | null, id: number): Promise<ChannelModel | null> {
  return ChannelModel.findByPk(id, { transaction: t });
}

/** Channel names by id (unknown ids are absent): the board's badges and the reports' labels. */
export async function channelNames(t: Tx | null, ids: (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!unique.length) return new Map();
  const rows = await ChannelModel.findAll({ where: { id: unique }, attributes: ['id', 'name'], transaction: t });
  return new Map(rows.map((c) => [c.id, c.name]));
}

/** The standing channel of CSV imports that name no channel, made the first time it is needed. */
export async function csvImportChannel(t: Tx | null): Promise<ChannelModel> {
  const [c] = await ChannelModel.findOrCreate({
    where: { name: 'CSV imports' },
    defaults: { kind: 'csv', name: 'CSV imports', settings: {}, credentials: null, cursor: null, lastSyncAt: null, lastError: null, lastErrorAt: null },
    transaction: t,
  });
  return c;
}

/** One intake at a time per channel: the channel's row serialises them (MySQL; SQLite runs one transaction at a time). */
export async function lockChannel(t: Tx, channel: ChannelModel): Promise<void> {
  // Locking a missing order row would take gap locks that deadlock concurrent deliveries.
  if (!isSqlite()) await ChannelModel.findByPk(channel.id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
}

/** A webhook delivery recorded in t: false when the channel had it already (a repeated delivery). */
export async function claimDelivery(t: Tx, channel: ChannelModel, deliveryId: string): Promise<boolean> {
  if (await ChannelDeliveryModel.findOne({ where: { channelId: channel.id, deliveryId }, transaction: t })) return false;
  await ChannelDeliveryModel.create({ channelId: channel.id, deliveryId }, { transaction: t });
  return true;
}

export async function listChannels(auth: Auth): Promise<List<Channel>> {
  requireAccess(auth, 'channel.read');
  const rows = await ChannelModel.findAll({ order: [['name', 'ASC']] });
  const counts = await orderCountsByChannel(
    null,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toChannel(r, counts.get(r.id) ?? 0)), total: rows.length };
}

export async function getChannel(auth: Auth, id: number): Promise<Channel> {
  requireAccess(auth, 'channel.read');
  const c = await findChannel(null, id);
  return toChannel(c, (await orderCountsByChannel(null, [id])).get(id) ?? 0);
}

export async function createChannel(auth: Auth, input: z.output<typeof channelCreate>): Promise<Channel> {
  requireAccess(auth, 'channel.write');
  const settings = settingsFor(input.kind, input.settings);
  const credentials = input.credentials === undefined ? null : sealedCredentials(input.kind, input.credentials);
  const c = await withTransaction(async (t) => {
    if (await ChannelModel.findOne({ where: { name: input.name }, transaction: t })) throw new ConflictError(`A channel named "${input.name}" exists already`);
    return ChannelModel.create(
      {
        kind: input.kind,
        name: input.name,
        settings,
        credentials,
        syncIntervalMinutes: input.syncIntervalMinutes,
        active: input.active,
        cursor: null,
        lastSyncAt: null,
        lastError: null,
        lastErrorAt: null,
      },
      { transaction: t },
    );
  });
  await scheduleChannelSync(c);
  await syncSoon(c, auth.user.id, 'added');
  return toChannel(c, 0);
}

export async function updateChannel(auth: Auth, id: number, patch: ChannelPatch): Promise<Channel> {
  requireAccess(auth, 'channel.write');
  const { c, switchedOn } = await withTransaction(async (t) => {
    const c = await ChannelModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!c) throw new NotFoundError('Channel', id);
    if (patch.version !== c.version) throw new ConflictError(`${c.name} was changed by someone else`);
    if (patch.name !== undefined && patch.name !== c.name) {
      if (await ChannelModel.findOne({ where: { name: patch.name }, transaction: t })) {
        throw new ConflictError(`A channel named "${patch.name}" exists already`);
      }
      c.name = patch.name;
    }
    if (patch.settings !== undefined) c.settings = settingsFor(c.kind, patch.settings);
    if (patch.credentials !== undefined) c.credentials = sealedCredentials(c.kind, patch.credentials);
    if (patch.syncIntervalMinutes !== undefined) c.syncIntervalMinutes = patch.syncIntervalMinutes;
    const switchedOn = patch.active === true && !c.active;
    if (patch.active !== undefined) c.active = patch.active;
    await c.save({ transaction: t });
    return { c, switchedOn };
  });
  await scheduleChannelSync(c);
  if (switchedOn) await syncSoon(c, auth.user.id, 'on');
  return getChannel(auth, id);
}
