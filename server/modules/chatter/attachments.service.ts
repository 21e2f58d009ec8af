import { createHash, randomUUID } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Response } from 'express';
import { Op } from 'sequelize';
import type { Attachment } from '../../../contracts/schemas/chatter';
import type { RecordModel } from '../../../contracts/states';
import { withTransaction, type Tx } from '../../db/transaction';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../../http/errors';
import { assertRecordAccess } from '../../lib/records';
import { logger } from '../../lib/logger';
import { runtime } from '../../runtime';
import { can, limitedToOwnOrders, type Auth } from '../auth/access';
import { AttachmentModel } from './message.model';

// Files on messages: stored under ATTACHMENTS_DIR (default data/attachments), described by a row,
// downloadable by whoever may read the record (an upload not yet posted: by its uploader only).

/** What may be attached, by file extension; the stored type comes from here, never from the client. */
const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  txt: 'text/plain',
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  zip: 'application/zip',
  eml: 'message/rfc822',
};
export const ALLOWED_EXTENSIONS = Object.keys(TYPES);

export class UnsupportedTypeError extends AppError {
  constructor(name: string) {
    super(415, 'unsupported_type', `${name}: this type of file cannot be attached (allowed: ${ALLOWED_EXTENSIONS.join(', ')})`, [
      { field: 'file', message: 'unsupported type' },
    ]);
  }
}

export function tooLargeError(): AppError {
  const mb = runtime().config.attachmentMaxBytes / 1024 / 1024;
  return new AppError(413, 'payload_too_large', `The file is larger than the ${mb % 1 ? mb.toFixed(1) : mb} MB an attachment may have`, [
    { field: 'file', message: 'too large' },
  ]);
}

/** A received file: in memory (`buffer`), or streamed to a temporary file (`path`, the caller removes it). */
export type IncomingFile = { originalname: string; size: number; buffer?: Buffer; path?: string };

async function sha256Of(file: IncomingFile): Promise<string> {
  const hash = createHash('sha256');
  if (file.buffer) return hash.update(file.buffer).digest('hex');
  for await (const chunk of createReadStream(file.path!)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A safe display name: no path, no control characters, at most 200 characters. */
function cleanName(name: string): string {
  const base = [...path.basename(name.replace(/\\/g, '/'))]
    .filter((c) => c.charCodeAt(0) >= 32 && c !== '\u007f' && c !== '"')
    .join('')
    .trim();
  return (base || 'file').slice(-200);
}

export function mimeTypeOf(name: string): string | undefined {
  const ext = path.extname(name).slice(1).toLowerCase();
  return TYPES[ext];
}

export function toAttachment(a: AttachmentModel): Attachment {
  return { id: a.id, name: a.name, mimeType: a.mimeType, size: a.size, url: `/api/attachments/${a.id}` };
}

/** Checks the file and writes it to storage; the caller records the row. */
export async function storeFile(file: IncomingFile): Promise<{ name: string; mimeType: string; size: number; sha256: string; storageKey: string }> {
  const name = cleanName(file.originalname);
  const mimeType = mimeTypeOf(name);
  if (!mimeType) throw new UnsupportedTypeError(name);
  if (file.size > runtime().config.attachmentMaxBytes) throw tooLargeError();
  if (file.size === 0) throw ValidationError.field('file', 'is empty');
  const sha256 = await sha256Of(file);
  const now = new Date();
  const storageKey = path.posix.join(String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), `${randomUUID()}`);
  const full = path.join(runtime().config.attachmentsDir, storageKey);
  await mkdir(path.dirname(full), { recursive: true });
  if (file.buffer) await writeFile(full, file.buffer, { flag: 'wx' });
  else await copyFile(file.path!, full, fsConstants.COPYFILE_EXCL);
  return { name, mimeType, size: file.size, sha256, storageKey };
}

function filePath(a: Pick<AttachmentModel, 'storageKey'>): string {
  return path.join(runtime().config.attachmentsDir, a.storageKey);
}

export async function readAttachment(a: Pick<AttachmentModel, 'storageKey'>): Promise<Buffer> {
  return readFile(filePath(a));
}

/** Upload before posting: the file waits, private to its uploader, until a message names it. */
export async function uploadAttachment(auth: Auth, ref: { model: RecordModel; resId: number }, file: IncomingFile | undefined): Promise<Attachment> {
  if (!file) throw ValidationError.field('file', 'is required (multipart form field "file")');
  await assertRecordAccess(auth, ref.model, ref.resId);
  const stored = await storeFile(file);
  try {
    const row = await withTransaction((t) =>
      AttachmentModel.create({ ...stored, model: ref.model, resId: ref.resId, messageId: null, inboundId: null, uploadedBy: auth.user.id }, { transaction: t }),
    );
    return toAttachment(row);
  } catch (err) {
    await rm(filePath(stored), { force: true });
    throw err;
  }
}

/** Writes files received by email (in t), for a message or an unassigned inbound email. */
export async function saveReceivedFiles(
  t: Tx,
  files: IncomingFile[],
  owner: { model: RecordModel | null; resId: number | null; messageId: number | null; inboundId: number | null },
): Promise<AttachmentModel[]> {
  const rows: AttachmentModel[] = [];
  for (const f of files) {
    try {
      const stored = await storeFile(f);
      rows.push(await AttachmentModel.create({ ...stored, ...owner, uploadedBy: null }, { transaction: t }));
    } catch (err) {
      // A file we may not keep (type, size) is named in the log; the email itself is never dropped.
      if (err instanceof AppError && err.status < 500) logger.warn({ name: f.originalname, reason: err.message }, 'inbound attachment skipped');
      else throw err;
    }
  }
  return rows;
}

/** Links the caller's pending uploads to a new message; each must be theirs, for this record, and unused. */
export async function linkUploads(t: Tx, auth: Auth, ids: number[], message: { id: number; model: string; resId: number }): Promise<AttachmentModel[]> {
  if (!ids.length) return [];
  const unique = [...new Set(ids)];
  const rows = await AttachmentModel.findAll({
    where: { id: unique, uploadedBy: auth.user.id, messageId: null, inboundId: null, model: message.model, resId: message.resId },
    transaction: t,
  });
  if (rows.length !== unique.length) {
    const missing = unique.filter((id) => !rows.some((r) => r.id === id));
    throw ValidationError.field('attachmentIds', `${missing.join(', ')}: not an upload of yours for this record, or already posted`);
  }
  await AttachmentModel.update({ messageId: message.id }, { where: { id: unique }, transaction: t });
  return rows;
}

/** Moves the files of an unassigned email to the message it became. */
export async function relinkInboundFiles(t: Tx, inboundId: number, message: { id: number; model: string; resId: number }): Promise<void> {
  await AttachmentModel.update({ messageId: message.id, model: message.model, resId: message.resId }, { where: { inboundId }, transaction: t });
}

/** The files of these messages, read in t (null: outside any transaction). */
export async function attachmentsOf(t: Tx | null, messageIds: number[]): Promise<Map<number, Attachment[]>> {
  const map = new Map<number, Attachment[]>();
  if (!messageIds.length) return map;
  const rows = await AttachmentModel.findAll({ where: { messageId: { [Op.in]: messageIds } }, order: [['id', 'ASC']], transaction: t });
  for (const r of rows) map.set(r.messageId!, [...(map.get(r.messageId!) ?? []), toAttachment(r)]);
  return map;
}

export async function inboundAttachmentsOf(inboundIds: number[]): Promise<Map<number, Attachment[]>> {
  const map = new Map<number, Attachment[]>();
  if (!inboundIds.length) return map;
  const rows = await AttachmentModel.findAll({ where: { inboundId: { [Op.in]: inboundIds } }, order: [['id', 'ASC']] });
  for (const r of rows) map.set(r.inboundId!, [...(map.get(r.inboundId!) ?? []), toAttachment(r)]);
  return map;
}

/** Who may fetch a file: for a posted one, whoever may read the record; an unassigned email's, mail staff. */
async function readable(auth: Auth, id: number): Promise<AttachmentModel> {
  const a = await AttachmentModel.findByPk(id);
  if (!a) throw new NotFoundError('Attachment', id);
  if (a.messageId === null && a.inboundId === null) {
    // A pending upload is its uploader's alone; to anyone else it does not exist.
    if (a.uploadedBy !== auth.user.id) throw new NotFoundError('Attachment', id);
    return a;
  }
  if (a.messageId === null) {
    if (!can(auth, 'mail.read')) throw new ForbiddenError('Your role may not read received email');
    // An unassigned email names no order: not one of a user limited to their own orders.
    if (limitedToOwnOrders(auth)) throw new ForbiddenError('You may see the files of your own orders only');
    return a;
  }
  await assertRecordAccess(auth, a.model!, a.resId!);
  return a;
}

export async function sendAttachment(auth: Auth, id: number, res: Response): Promise<void> {
  const a = await readable(auth, id);
  const data = await readAttachment(a).catch(() => {
    throw new NotFoundError('The file of attachment', id);
  });
  const ascii = a.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.setHeader('Content-Type', a.mimeType);
  res.setHeader('Content-Length', String(data.length));
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(a.name)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', 'private, no-store');
  res.end(data);
}

/** Removes an upload that was never posted (posted files stay with their message). */
export async function deleteUpload(auth: Auth, id: number): Promise<void> {
  const a = await AttachmentModel.findByPk(id);
  if (!a || a.uploadedBy !== auth.user.id || a.inboundId !== null) throw new NotFoundError('Attachment', id);
  if (a.messageId !== null) throw new ValidationError('A posted attachment stays with its message');
  await withTransaction((t) => AttachmentModel.destroy({ where: { id, messageId: null }, transaction: t }));
  await rm(filePath(a), { force: true });
}

/** Uploads never posted are dropped after a day (the composer was closed, the browser crashed). */
export async function purgeStaleUploads(maxAgeMs = 86_400_000): Promise<number> {
  const stale = await AttachmentModel.findAll({
    where: { messageId: null, inboundId: null, createdAt: { [Op.lt]: new Date(Date.now() - maxAgeMs) } },
    limit: 1000,
  });
  for (const a of stale) {
    const gone = await withTransaction((t) => AttachmentModel.destroy({ where: { id: a.id, messageId: null }, transaction: t }));
    if (gone) await rm(filePath(a), { force: true });
  }
  return stale.length;
}
