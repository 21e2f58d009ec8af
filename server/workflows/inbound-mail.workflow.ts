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
import { findPartnerByEmail } from '../modules/partners/partner.service';
import { escapeHtml } from '../lib/html';

// An emailed reply, from Mailgun's route to the chatter: checked, matched to its record, posted there
// as a comment by its sender (followers notified), or kept in the unassigned inbox. One transaction:
// a refused delivery writes nothing, an accepted one writes everything.

/** Plain text as paragraphs of safe HTML. */
function textToHtml(text: string, fallback: string): string {
  const paragraphs = text
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!paragraphs.length) return `<p><em>${escapeHtml(fallback || '(no text)')}</em></p>`;
  return sanitizeBody(paragraphs.map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`).join(''));
}

/** Posts the email as a comment by its sender on the record, and marks it assigned. */
async function fileReply(t: Tx, inbound: InboundModel, record: { model: RecordModel; resId: number }, attach: (messageId: number) => Promise<void>) {
  const email = bareAddress(inbound.sender);
  const partner = await findPartnerByEmail(email, t);
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
      return (await attachmentsOf([m.id], t)).get(m.id) ?? [];
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
    const record = await findRecord(mail, t);
    const inbound = await InboundModel.create(
      {
        sender: (mail.from || mail.sender).slice(0, 320),
        recipient: mail.recipient.slice(0, 320),
        subject: mail.subject.slice(0, 500),
        text: replyText(mail),
        messageIdHeader: mail.messageId?.slice(0, 255) ?? null,
        inReplyTo: mail.inReplyTo?.slice(0, 255) ?? null,
        state: 'unassigned',
        model: null,
        resId: null,
        messageId: null,
      },
      { transaction: t },
    );
    if (!record) {
      await saveReceivedFiles(t, files, { model: null, resId: null, messageId: null, inboundId: inbound.id });
      publish(t, rooms.mailBoard, 'mail.unassigned', { id: inbound.id });
      return { status: 'unassigned', inboundId: inbound.id };
    }
    const message = await fileReply(t, inbound, record, async (messageId) => {
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
    await fileReply(t, inbound, record, (messageId) => relinkInboundFiles(t, inbound.id, { id: messageId, ...record }));
    return inbound;
  });
  return toInboundMail(row, (await attachmentsOf([row.messageId!])).get(row.messageId!) ?? []);
}
