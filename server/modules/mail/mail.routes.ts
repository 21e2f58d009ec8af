import { rm } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { multipart } from '../../http/upload';
import { runtime } from '../../runtime';
import { assignInbound, receiveMailgunReply } from '../../workflows/inbound-mail.workflow';
import { inboundAttachmentsOf } from '../chatter/attachments.service';
import { AppError } from '../../http/errors';
import { listInbound } from './inbound.service';
import * as outbox from './outbox.service';
import * as templates from './templates';

export function mailRoutes() {
  const api = new ApiRouter('/api/mail');
  api.handle(routes.mail.templates, (a) => templates.listTemplates(a));
  api.handle(routes.mail.template, (a, { params }) => templates.getTemplate(a, params.key));
  api.handle(routes.mail.updateTemplate, (a, { params, body }) => templates.updateTemplate(a, params.key, body));
  api.handle(routes.mail.previewTemplate, (a, { params, body }) => templates.previewTemplate(a, params.key, body ?? {}));

  api.handle(routes.mail.setup, (a) => outbox.mailSetupOf(a));
  api.handle(routes.mail.outbox, (a, { query }) => outbox.listOutbox(a, query));
  api.handle(routes.mail.outboxMail, (a, { id }) => outbox.getOutboxMail(a, id));
  api.handle(routes.mail.resend, (a, { id }) => outbox.resendMail(a, id));

  api.handle(routes.mail.inbound, (a, { query }) => listInbound(a, query, inboundAttachmentsOf));
  api.handle(routes.mail.assignInbound, (a, { id, body }) => assignInbound(a, id, body));
  return api.router;
}

/** Where an inbound email's files wait, unsigned, while it is read. */
export const inboundTmpDir = () => path.join(runtime().config.dataDir, 'inbound-tmp');

/** Mailgun's inbound route posts here (signed; no session). Attachments up to Mailgun's own 25 MB cap. */
export function mailWebhookRoutes() {
  const api = new ApiRouter('/api/webhooks/mailgun');
  api.router.post(
    '/inbound',
    express.urlencoded({ extended: false, limit: '30mb' }),
    // Mailgun caps a whole message at 25 MB: so do we, before anything is read.
    // Unsigned until read: its files are streamed to a temporary folder (never held in memory), kept only
    // once the signature is checked, and removed either way.
    multipart({
      anonymous: true,
      maxBytes: () => 25 * 1024 * 1024,
      maxTotalBytes: () => 26 * 1024 * 1024,
      maxFiles: 20,
      requireLength: true,
      toDir: inboundTmpDir,
      tooLarge: () => new AppError(413, 'payload_too_large', 'The email is over 25 MB'),
    }),
  );
  api.handle(routes.mailWebhooks.inbound, async (_a, { req }) => {
    const files = Array.isArray(req.files) ? req.files : [];
    // A body in no form Mailgun sends (plain text, none) reads as no fields: the signature check refuses it.
    const fields = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    try {
      return await receiveMailgunReply(
        fields,
        files.map((f) => ({ originalname: f.originalname, size: f.size, path: f.path })),
      );
    } finally {
      await Promise.all(files.map((f) => rm(f.path, { force: true })));
    }
  });
  return api.router;
}
