import { createHmac, timingSafeEqual } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import { Op, type WhereOptions } from 'sequelize';
import type { z } from 'zod';
import type { Attachment } from '../../../contracts/schemas/chatter';
import type { List } from '../../../contracts/schemas/common';
import type { InboundMail, inboundListQuery } from '../../../contracts/schemas/mail';
import type { RecordModel } from '../../../contracts/states';
import { iso } from '../../db/columns';
import type { Tx } from '../../db/transaction';
import { AppError, UnauthorizedError } from '../../http/errors';
import { recordRowsScope, recordSpec } from '../../lib/records';
import { runtime } from '../../runtime';
import { requireAccess, type Auth } from '../auth/access';
import { InboundModel, OutboxModel, WebhookTokenModel } from './mail.model';
import { recordOfAddress } from './reply-address';

// Mailgun's inbound route: the signature, the fields we read, and which record a reply answers.

/** How old a webhook's timestamp may be (and how far in the future, for clock skew). */
export const MAX_WEBHOOK_AGE_S = 15 * 60;

export type MailgunInbound = {
  recipient: string;
  sender: string;
  from: string;
  subject: string;
  bodyPlain: string;
  strippedText: string | undefined;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  timestamp: string;
  token: string;
  signature: string;
};

const field = (body: Record<string, unknown>, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = body[n];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
};

/** A header from Mailgun's `message-headers` (a JSON list of [name, value] pairs). */
function header(body: Record<string, unknown>, name: string): string | undefined {
  const direct = field(body, name, name.toLowerCase());
  if (direct) return direct;
  const raw = field(body, 'message-headers');
  if (!raw) return undefined;
  try {
    const pairs = JSON.parse(raw) as [string, string][];
    return pairs.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  } catch {
    return undefined;
  }
}

const MESSAGE_IDS = /<[^<>\s]+>/g;

export function parseInbound(body: Record<string, unknown>): MailgunInbound {
  const refs = header(body, 'References') ?? '';
  return {
    recipient: field(body, 'recipient') ?? '',
    sender: field(body, 'sender') ?? '',
    from: field(body, 'from', 'From') ?? '',
    subject: field(body, 'subject', 'Subject') ?? '',
    bodyPlain: field(body, 'body-plain') ?? '',
    strippedText: field(body, 'stripped-text'),
    messageId: header(body, 'Message-Id') ?? null,
    inReplyTo: header(body, 'In-Reply-To')?.match(MESSAGE_IDS)?.[0] ?? null,
    references: refs.match(MESSAGE_IDS) ?? [],
    timestamp: field(body, 'timestamp') ?? '',
    token: field(body, 'token') ?? '',
    signature: field(body, 'signature') ?? '',
  };
}

/**
 * Mailgun signs each delivery: signature = hex HMAC-SHA256(signing key, timestamp + token). Checked in
 * constant time; a timestamp more than 15 minutes off is stale. Throws unless the delivery is genuine.
 */
export function verifyMailgunSignature(m: Pick<MailgunInbound, 'timestamp' | 'token' | 'signature'>, now = Date.now()): void {
  const key = runtime().config.mailgun?.signingKey;
  if (!key) throw new AppError(503, 'not_configured', 'Inbound email is not configured: set MAILGUN_WEBHOOK_SIGNING_KEY');
  if (!/^\d{1,12}$/.test(m.timestamp) || !m.token || !/^[0-9a-f]{64}$/i.test(m.signature)) {
    throw new UnauthorizedError('The Mailgun signature is missing or malformed (timestamp, token, signature)');
  }
  const expected = createHmac('sha256', key)
    .update(m.timestamp + m.token)
    .digest();
  const given = Buffer.from(m.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnauthorizedError('The Mailgun signature does not match');
  if (Math.abs(now / 1000 - Number(m.timestamp)) > MAX_WEBHOOK_AGE_S) throw new UnauthorizedError('The Mailgun timestamp is stale');
}

export class ReplayedError extends AppError {
  constructor() {
    // 406: Mailgun does not retry a delivery we refuse with it.
    super(406, 'replayed', 'This Mailgun token was already used: the delivery is a replay');
  }
}

/** Remembers the token in t; a second use (a replay) throws, whichever process sees it. */
export async function claimToken(t: Tx, token: string): Promise<void> {
  if (await WebhookTokenModel.findOne({ where: { source: 'mailgun', token }, transaction: t })) throw new ReplayedError();
  try {
    await WebhookTokenModel.create({ source: 'mailgun', token: token.slice(0, 190) }, { transaction: t });
  } catch (err) {
    if ((err as Error).name === 'SequelizeUniqueConstraintError') throw new ReplayedError();
    throw err;
  }
  // Tokens older than the accepted age can no longer be replayed (their timestamp is stale): forget them.
  if (Math.random() < 0.05) {
    await WebhookTokenModel.destroy({ where: { createdAt: { [Op.lt]: new Date(Date.now() - 2 * MAX_WEBHOOK_AGE_S * 1000) } }, transaction: t });
  }
}

/** The bare address of `"Name" <a@b>` or `a@b`, lower-cased. */
export function bareAddress(value: string): string {
  const m = /<([^<>]+)>/.exec(value);
  return (m ? m[1]! : value).trim().toLowerCase();
}

/** The display name of `"Name" <a@b>`, if any. */
export function displayName(value: string): string | null {
  const m = /^\s*"?([^"<]*?)"?\s*</.exec(value);
  return m?.[1]?.trim() || null;
}

/** The reply's own text: Mailgun's stripped text, or the plain body without its quoted part and signature. */
export function replyText(m: MailgunInbound): string {
  const text = m.strippedText?.trim() ? m.strippedText : new EmailReplyParser().parseReply(m.bodyPlain);
  return text.replace(/\r\n?/g, '\n').trim();
}

/**
 * The record a reply names. Proven: by our signed reply address among its recipients, or by the
 * Message-Id of an email we sent (In-Reply-To, References), which only its recipients know. Not proven:
 * only by an unsigned address (`order+12@`, as we wrote them before they were signed, or guessed).
 */
export async function findRecord(t: Tx, m: MailgunInbound): Promise<{ model: RecordModel; resId: number; proven: boolean } | null> {
  let unsigned: { model: RecordModel; resId: number } | null = null;
  for (const address of m.recipient.split(',')) {
    const named = recordOfAddress(bareAddress(address));
    if (!named || !(await recordSpec(named.model)!.exists(named.resId))) continue;
    if (named.signed) return { model: named.model, resId: named.resId, proven: true };
    unsigned ??= { model: named.model, resId: named.resId };
  }
  const ids = [m.inReplyTo, ...m.references.reverse()].filter((x): x is string => !!x);
  if (ids.length) {
    // Only the Message-Ids we generated (a random UUID each), never an id chosen by anyone else.
    const sent = await OutboxModel.findOne({
      where: { messageIdHeader: ids, model: { [Op.ne]: null } },
      order: [['id', 'DESC']],
      transaction: t,
    });
    if (sent && (await recordSpec(sent.model!)?.exists(sent.resId!))) return { model: sent.model as RecordModel, resId: sent.resId!, proven: true };
  }
  return unsigned && { ...unsigned, proven: false };
}

export function toInboundMail(row: InboundModel, attachments: Attachment[]): InboundMail {
  return {
    id: row.id,
    sender: row.sender,
    recipient: row.recipient,
    subject: row.subject,
    text: row.text,
    state: row.state,
    model: row.model as RecordModel | null,
    resId: row.resId,
    messageId: row.messageId,
    unverifiedSender: row.unverifiedSender,
    suggestedModel: row.suggestedModel as RecordModel | null,
    suggestedResId: row.suggestedResId,
    attachments,
    receivedAt: iso(row.createdAt),
  };
}

/**
 * The received emails this user may see: all, or for a user limited to their own orders, those filed
 * under their records (the unassigned inbox names no record: it is not theirs).
 */
export function inboundScope(auth: Auth): WhereOptions {
  return recordRowsScope(auth) ?? {};
}

export async function listInbound(
  auth: Auth,
  query: z.output<typeof inboundListQuery>,
  attachmentsOf: (ids: number[]) => Promise<Map<number, Attachment[]>>,
): Promise<List<InboundMail>> {
  requireAccess(auth, 'mail.read');
  const where = { [Op.and]: [{ state: query.state }, inboundScope(auth)] };
  const [rows, total] = await Promise.all([
    InboundModel.findAll({ where, order: [['id', 'DESC']], limit: query.limit, offset: query.offset }),
    InboundModel.count({ where }),
  ]);
  const files = await attachmentsOf(rows.map((r) => r.id));
  return { items: rows.map((r) => toInboundMail(r, files.get(r.id) ?? [])), total };
}
