import { Op } from 'sequelize';
import type { InboundMail } from '../../contracts/schemas/mail';
import type { RecordModel } from '../../contracts/states';
import { rooms } from '../../contracts/events';
import { withTransaction, type Tx } from '../db/transaction';
import { InvalidStateError, NotFoundError } from '../http/errors';
import { publish } from '../realtime/publisher';
import { requireAccess, type Auth } from '../modules/auth/access';
import { attachmentsOf, relinkInboundFiles, saveReceivedFiles, type IncomingFile } from '../modules/chatter/attachments.service';
import { createMessage, sanitizeBody } from '../modules/chatter/chatter.service';
import { recordPartnerIds } from '../modules/chatter/followers.service';
import { assertRecordAccess } from '../lib/records';
import { InboundModel } from '../modules/mail/mail.model';
import {
  bareAddress,
  claimToken,
  inboundScope,
  displayName,
  findRecord,
  parseInbound,
  replyText,
  toInboundMail,
  verifyMailgunSignature,
} from '../modules/mail/inbound.service';
import { findPartnersByEmail } from '../modules/partners/partner.service';
import { escapeHtml } from '../lib/html';

// An emailed reply, from Mailgun's route to the chatter: checked, matched to its record, posted there
// as a comment by its sender (followers notified), or kept in the unassigned inbox. One transaction:
// a refused delivery writes nothing, an accepted one writes everything.
// A reply is filed by itself only when both hold: it names its record by proof (our signed reply
// address, or the Message-Id of an email we sent), and its sender is one of the record's partners (its
// customer or vendor, a partner who follows it). Otherwise it waits for staff, with the record it names
// as a suggestion and the sender flagged when it is not one of them.

/** Plain text as paragraphs of safe HTML. */
function textToHtml(text: string, fallback: string): string {
  const paragraphs = text
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!paragraphs.length) return `<p><em>${escapeHtml(fallback || '(no text)')}</em></p>`;
  return sanitizeBody(paragraphs.map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`).join(''));
}

type Sender = { partner: { id: number; name: string } | null; verified: boolean };

/** Who sent the email, as far as the record knows: verified when its address is one of the record's partners. */
async function senderOf(t: Tx, sender: string, record: { model: RecordModel; resId: number }): Promise<Sender> {
  const partners = await findPartnersByEmail(bareAddress(sender), t);
  if (!partners.length) return { partner: null, verified: false };
  const own = await recordPartnerIds(t, record.model, record.resId);
  const known = partners.find((p) => own.has(p.id));
  return known ? { partner: known, verified: true } : { partner: partners[0]!, verified: false };
}

/** Posts the email as a comment by its sender on the record, and marks it assigned. */
async function fileReply(
  t: Tx,
  inbound: InboundModel,
  record: { model: RecordModel; resId: number },
  { partner }: Sender,
  attach: (messageId: number) => Promise<void>,
) {
  const email = bareAddress(inbound.sender);
  const message = await createMessage(
    t,
    {
      model: record.model,
      resId: record.resId,
      type: 'comment',
      body: textToHtml(inbound.text, inbound.subject),
      author: { partnerId: partner?.id ?? null, name: partner?.name ?? displayName(inbound.sender) ?? email, email: inbound.sender },
      excludePartnerIds: partner ? [partner.id] : [],
    },
    async (m) => {
      await attach(m.id);
      return (await attachmentsOf(t, [m.id])).get(m.id) ?? [];
    },
  );
  await inbound.update({ state: 'assigned', model: record.model, resId: record.resId, messageId: message.id }, { transaction: t });
  return message;
}

export type InboundResult = { status: 'filed'; inboundId: number; messageId: number } | { status: 'unassigned'; inboundId: number };

/** POST /api/webhooks/mailgun/inbound: form fields as Mailgun posts them, plus the attached files. */
export async function receiveMailgunReply(body: Record<string, unknown>, files: IncomingFile[]): Promise<InboundResult> {
  const mail = parseInbound(body);
  verifyMailgunSignature(mail);
  return withTransaction(async (t) => {
    await claimToken(t, mail.token);
    const named = await findRecord(t, mail);
    const sender = (mail.from || mail.sender).slice(0, 320);
    const from = named && (await senderOf(t, sender, named));
    const filed = !!named?.proven && !!from?.verified;
    const inbound = await InboundModel.create(
      {
        sender,
        recipient: mail.recipient.slice(0, 320),
        subject: mail.subject.slice(0, 500),
        text: replyText(mail),
        messageIdHeader: mail.messageId?.slice(0, 255) ?? null,
        inReplyTo: mail.inReplyTo?.slice(0, 255) ?? null,
        state: 'unassigned',
        model: null,
        resId: null,
        messageId: null,
        unverifiedSender: !!from && !from.verified,
        suggestedModel: !filed ? (named?.model ?? null) : null,
        suggestedResId: !filed ? (named?.resId ?? null) : null,
      },
      { transaction: t },
    );
    if (!filed) {
      await saveReceivedFiles(t, files, { model: null, resId: null, messageId: null, inboundId: inbound.id });
      publish(t, rooms.mailBoard, 'mail.unassigned', { id: inbound.id });
      return { status: 'unassigned', inboundId: inbound.id };
    }
    const record = { model: named.model, resId: named.resId };
    const message = await fileReply(t, inbound, record, from, async (messageId) => {
      await saveReceivedFiles(t, files, { ...record, messageId, inboundId: null });
    });
    return { status: 'filed', inboundId: inbound.id, messageId: message.id };
  });
}

/** Files an unassigned reply under a record chosen by staff. */
export async function assignInbound(auth: Auth, id: number, record: { model: RecordModel; resId: number }): Promise<InboundMail> {
  requireAccess(auth, 'mail.send');
  await assertRecordAccess(auth, record.model, record.resId, 'read');
  const row = await withTransaction(async (t) => {
    const inbound = await InboundModel.findOne({ where: { [Op.and]: [{ id }, inboundScope(auth)] }, transaction: t, lock: t.LOCK.UPDATE });
    if (!inbound) throw new NotFoundError('Received email', id);
    if (inbound.state !== 'unassigned') throw new InvalidStateError(`This email is already filed under ${inbound.model} ${inbound.resId}`);
    // Staff vouch for the email: its sender is named as the partner they are, if known.
    const from = await senderOf(t, inbound.sender, record);
    await fileReply(t, inbound, record, from, (messageId) => relinkInboundFiles(t, inbound.id, { id: messageId, ...record }));
    return inbound;
  });
  return toInboundMail(row, (await attachmentsOf(null, [row.messageId!])).get(row.messageId!) ?? []);
}
