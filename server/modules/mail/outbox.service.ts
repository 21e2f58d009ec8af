import { randomUUID } from 'node:crypto';
import { Op, UniqueConstraintError, type WhereOptions } from 'sequelize';
import type { z } from 'zod';
import { rooms } from '../../../contracts/events';
import type { List } from '../../../contracts/schemas/common';
import type { MailSetup, MailStatus, OutboxMail, outboxListQuery } from '../../../contracts/schemas/mail';
import type { RecordModel } from '../../../contracts/states';
import { iso } from '../../db/columns';
import { afterCommit, withTransaction, type Tx } from '../../db/transaction';
import { InvalidStateError, NotFoundError } from '../../http/errors';
import { likeTerm } from '../../http/list';
import { logger } from '../../lib/logger';
import { emitNow, publish } from '../../realtime/publisher';
import { runtime } from '../../runtime';
import { recordOwner, recordRowsScope } from '../../lib/records';
import { requireAccess, type Auth } from '../auth/access';
import { OutboxModel, type MailAttachmentRef } from './mail.model';
import { mailTransport, type OutgoingAttachment } from './transport';

// The outbox: every outbound email is a row, written in the transaction of what caused it, and sent
// after commit by the send-mail job (retries with backoff). A row is unique by its key, and a sent row
// is never sent again, so a repeated cause or a repeated job sends nothing twice.

export type MailInput = {
  /** Idempotency key, e.g. `message:12:partner:4`: a second row with the same key is never written. */
  key: string;
  to: string;
  cc?: string | null;
  subject: string;
  html: string;
  text: string;
  replyTo?: string | null;
  inReplyTo?: string | null;
  model?: RecordModel | null;
  resId?: number | null;
  chatterMessageId?: number | null;
  attachments?: MailAttachmentRef[];
  /** The owner of the record (its order's creator), when the caller knows it: not read again to announce the email. */
  owner?: number | null;
};

/** The domain of our addresses: Mailgun's sending domain, or the sender's. */
export function mailDomain(): string {
  const { mailgun, mailFrom } = runtime().config;
  return mailgun?.domain ?? mailFrom.slice(mailFrom.lastIndexOf('@') + 1).replace(/>.*$/, '');
}

/** Quotes a display name for an address header. */
export function formatAddress(name: string | null | undefined, email: string): string {
  const clean = (name ?? '').replace(/[\r\n"<>]/g, '').trim();
  return clean ? `"${clean}" <${email}>` : email;
}

/** How mail leaves and comes back here (shown above the outbox). */
export function mailSetupOf(auth: Auth): MailSetup {
  requireAccess(auth, 'mail.read');
  const { mailgun, mailFrom } = runtime().config;
  return { transport: mailTransport() ? 'mailgun' : 'none', from: mailFrom, domain: mailDomain(), inbound: !!mailgun?.signingKey };
}

export function sendJobId(row: Pick<OutboxModel, 'id' | 'sends'>): string {
  return `mail-${row.id}-${row.sends}`;
}

function announce(row: OutboxModel): { id: number; status: MailStatus; attempts: number } {
  return { id: row.id, status: row.status, attempts: row.attempts };
}

/** The mail board, and the board of the owner of the record the email is about (own-orders users). */
function mailTargets(row: Pick<OutboxModel, 'model' | 'resId'>, known?: number | null): () => Promise<string[]> {
  return async () => {
    const owner = known !== undefined ? known : await recordOwner(null, row.model, row.resId);
    return [rooms.mailBoard, ...(owner ? [rooms.ownBoard(rooms.mailBoard, owner)] : [])];
  };
}

/** mail.updated now (outside a transaction: the send job's progress); never fails the send. */
async function announceNow(row: OutboxModel): Promise<void> {
  try {
    emitNow(await mailTargets(row)(), 'mail.updated', announce(row));
  } catch (err) {
    logger.warn({ err: (err as Error).message, outboxId: row.id }, 'mail.updated not announced');
  }
}

/** The outbox rows this user may see: all, or for a user limited to their own orders, those about their records. */
function outboxScope(auth: Auth): WhereOptions {
  return recordRowsScope(auth) ?? {};
}

async function visibleRow(t: Tx | null, auth: Auth, id: number, lock = false): Promise<OutboxModel> {
  const r = await OutboxModel.findOne({ where: { [Op.and]: [{ id }, outboxScope(auth)] }, transaction: t, ...(t && lock && { lock: t.LOCK.UPDATE }) });
  if (!r) throw new NotFoundError('Email', id);
  return r;
}

async function enqueueSend(row: Pick<OutboxModel, 'id' | 'sends'>): Promise<void> {
  if (!mailTransport()) return;
  const { queues, config } = runtime();
  await queues.enqueue('send-mail', { outboxId: row.id }, { jobId: sendJobId(row), attempts: config.mailSendAttempts, backoffMs: config.mailRetryDelayMs });
}

/** Writes one outbound email in t; it is sent once t commits. Returns the existing row for a known key. */
export async function queueMail(t: Tx, input: MailInput, fromName?: string | null): Promise<OutboxModel> {
  let row: OutboxModel;
  try {
    // Inserted straight away: a key is new but for a retried step, which the unique key then catches.
    row = await OutboxModel.create(
      {
        key: input.key,
        toAddress: input.to,
        cc: input.cc ?? null,
        fromAddress: formatAddress(fromName, runtime().config.mailFrom),
        replyTo: input.replyTo ?? null,
        subject: input.subject.slice(0, 500),
        html: input.html,
        text: input.text,
        messageIdHeader: `<${randomUUID()}@${mailDomain()}>`,
        inReplyTo: input.inReplyTo ?? null,
        model: input.model ?? null,
        resId: input.resId ?? null,
        chatterMessageId: input.chatterMessageId ?? null,
        attachmentIds: input.attachments ?? [],
        status: 'queued',
        lastError: null,
        providerId: null,
        sentAt: null,
      },
      { transaction: t },
    );
  } catch (err) {
    if (!(err instanceof UniqueConstraintError)) throw err;
    const existing = await OutboxModel.findOne({ where: { key: input.key }, transaction: t });
    if (!existing) throw err;
    return existing;
  }
  afterCommit(t, () => enqueueSend(row));
  publish(t, mailTargets(row, input.owner), 'mail.updated', announce(row));
  return row;
}

export function toOutboxMail(row: OutboxModel): OutboxMail {
  return {
    id: row.id,
    key: row.key,
    to: row.toAddress,
    cc: row.cc,
    from: row.fromAddress,
    replyTo: row.replyTo,
    subject: row.subject,
    html: row.html,
    messageId: row.messageIdHeader,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    providerId: row.providerId,
    model: row.model as RecordModel | null,
    resId: row.resId,
    attachments: row.attachmentIds.map((a) => ({ ...a, url: `/api/attachments/${a.id}` })),
    createdAt: iso(row.createdAt),
    sentAt: row.sentAt ? iso(row.sentAt) : null,
  };
}

export async function listOutbox(auth: Auth, query: z.output<typeof outboxListQuery>): Promise<List<OutboxMail>> {
  requireAccess(auth, 'mail.read');
  const where: WhereOptions[] = [];
  where.push(outboxScope(auth));
  if (query.status) where.push({ status: query.status });
  if (query.q) where.push({ [Op.or]: [{ toAddress: { [Op.like]: likeTerm(query.q) } }, { subject: { [Op.like]: likeTerm(query.q) } }] });
  const filter = { [Op.and]: where };
  const [rows, total] = await Promise.all([
    OutboxModel.findAll({ where: filter, order: [['id', 'DESC']], limit: query.limit, offset: query.offset }),
    OutboxModel.count({ where: filter }),
  ]);
  return { items: rows.map(toOutboxMail), total };
}

export async function getOutboxMail(auth: Auth, id: number): Promise<OutboxMail> {
  requireAccess(auth, 'mail.read');
  return toOutboxMail(await visibleRow(null, auth, id));
}

/** A failed email goes back to the queue for a fresh round of attempts. */
export async function resendMail(auth: Auth, id: number): Promise<OutboxMail> {
  requireAccess(auth, 'mail.send');
  const row = await withTransaction(async (t) => {
    const r = await visibleRow(t, auth, id, true);
    if (r.status !== 'failed') throw new InvalidStateError(`Only a failed email can be sent again; this one is ${r.status}`);
    r.status = 'queued';
    r.sends += 1;
    await r.save({ transaction: t });
    afterCommit(t, () => enqueueSend(r));
    publish(t, mailTargets(r), 'mail.updated', announce(r));
    return r;
  });
  return toOutboxMail(row);
}

export type AttachmentLoader = (ids: MailAttachmentRef[]) => Promise<OutgoingAttachment[]>;

/**
 * Sends one outbox row through the transport (the send-mail job). Sent: marked sent. Failed: the
 * error and the attempt are recorded; on the last attempt the row is `failed`, otherwise it stays
 * `queued` and the error is rethrown so the queue retries it after a backoff.
 */
export async function deliverOutboxMail(id: number, attempt: { final: boolean }, loadAttachments: AttachmentLoader): Promise<{ status: MailStatus }> {
  const row = await OutboxModel.findByPk(id);
  if (!row) return { status: 'failed' };
  if (row.status !== 'queued') return { status: row.status };
  const transport = mailTransport();
  if (!transport) return { status: 'queued' };
  // The previous attempt died mid-send (its process was killed): it may have reached the provider.
  // Mailgun is asked for that Message-ID first, so the email is not sent twice.
  if (row.sendingAt) {
    const known = await transport.lookup(row.messageIdHeader).catch((err: unknown) => {
      // Mailgun's events cannot be read: the email is sent (a copy is better than an email lost).
      logger.warn({ outboxId: id, err: err instanceof Error ? err.message : String(err) }, 'could not ask Mailgun whether an interrupted email was sent');
      return null;
    });
    if (known) {
      await withTransaction((t) =>
        OutboxModel.update(
          { status: 'sent', attempts: row.attempts + 1, lastError: null, providerId: known.providerId, sentAt: new Date(), sendingAt: null },
          { where: { id, status: 'queued' }, transaction: t },
        ),
      );
      await row.reload();
      await announceNow(row);
      return { status: 'sent' };
    }
  }
  await withTransaction((t) => OutboxModel.update({ sendingAt: new Date() }, { where: { id, status: 'queued' }, transaction: t }));
  try {
    const res = await transport.send({
      from: row.fromAddress,
      to: splitAddresses(row.toAddress),
      cc: splitAddresses(row.cc ?? ''),
      replyTo: row.replyTo,
      subject: row.subject,
      html: row.html,
      text: row.text,
      messageId: row.messageIdHeader,
      inReplyTo: row.inReplyTo,
      attachments: await loadAttachments(row.attachmentIds),
      outboxId: row.id,
    });
    await withTransaction((t) =>
      OutboxModel.update(
        { status: 'sent', attempts: row.attempts + 1, lastError: null, providerId: res.providerId, sentAt: new Date(), sendingAt: null },
        { where: { id, status: 'queued' }, transaction: t },
      ),
    );
    await row.reload();
    await announceNow(row);
    return { status: 'sent' };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await withTransaction((t) =>
      OutboxModel.update(
        { status: attempt.final ? 'failed' : 'queued', attempts: row.attempts + 1, lastError: message.slice(0, 2000), sendingAt: null },
        { where: { id, status: 'queued' }, transaction: t },
      ),
    );
    await row.reload();
    await announceNow(row);
    logger.warn({ outboxId: id, final: attempt.final, err: message }, 'email not sent');
    throw err;
  }
}

/** Addresses in a header value, split at commas outside quotes. */
export function splitAddresses(value: string): string[] {
  return (value.match(/(?:"[^"]*"|[^,])+/g) ?? []).map((a) => a.trim()).filter(Boolean);
}

/**
 * At start: queues every row still waiting, e.g. written while the process that would send it was
 * down, or before Mailgun was configured. Job ids are deterministic, so nothing is queued twice.
 */
export async function enqueueWaitingMail(): Promise<number> {
  if (!mailTransport()) return 0;
  const rows = await OutboxModel.findAll({ where: { status: 'queued' }, attributes: ['id', 'sends'], order: [['id', 'ASC']], limit: 10_000 });
  for (const r of rows) await enqueueSend(r);
  return rows.length;
}

// Read by accounting

/** Whether a mail with this key is in the outbox already (a keyed send that happened). */
export async function outboxHasKey(t: Tx, key: string): Promise<boolean> {
  return (await OutboxModel.count({ where: { key }, transaction: t })) > 0;
}
