import { rm } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import { z } from 'zod';
import { listOf } from '../../../contracts/schemas/common';
import {
  inboundAssign,
  inboundListQuery,
  inboundMail,
  mailSetup,
  mailTemplate,
  mailTemplatePatch,
  mailTemplatePreview,
  mailTemplatePreviewInput,
  outboxListQuery,
  outboxMail,
  templateKeyParam,
} from '../../../contracts/schemas/mail';
import { ApiRouter } from '../../http/api-router';
import { parse } from '../../http/handler';
import { multipart } from '../../http/upload';
import { runtime } from '../../runtime';
import { assignInbound, receiveMailgunReply } from '../../workflows/inbound-mail.workflow';
import { inboundAttachmentsOf } from '../chatter/attachments.service';
import { AppError } from '../../http/errors';
import { listInbound } from './inbound.service';
import * as outbox from './outbox.service';
import * as templates from './templates';

const keyOf = (param: (n: string) => string) => parse(templateKeyParam, { key: param('key') }).key;

export function mailRoutes() {
  const api = new ApiRouter('/api/mail', 'mail');
  api.get('/templates', { summary: 'Email templates', response: listOf(mailTemplate) }, (a) => templates.listTemplates(a));
  api.get('/templates/:key', { summary: 'One email template', response: mailTemplate }, (a, { param }) => templates.getTemplate(a, keyOf(param)));
  api.patch('/templates/:key', { summary: 'Change a template (admins)', body: mailTemplatePatch, response: mailTemplate }, (a, { param, body }) =>
    templates.updateTemplate(a, keyOf(param), body),
  );
  api.post(
    '/templates/:key/preview',
    {
      summary: 'Render a template (the given text or the saved one) for a record or sample values',
      body: mailTemplatePreviewInput,
      response: mailTemplatePreview,
    },
    (a, { param, body }) => templates.previewTemplate(a, keyOf(param), body ?? {}),
  );

  api.get('/setup', { summary: 'How mail leaves (Mailgun or nowhere) and whether replies come back', response: mailSetup }, (a) => outbox.mailSetupOf(a));
  api.get('/outbox', { summary: 'Every outbound email, newest first', query: outboxListQuery, response: listOf(outboxMail) }, (a, { query }) =>
    outbox.listOutbox(a, query),
  );
  api.get('/outbox/:id', { summary: 'One outbound email', response: outboxMail }, (a, { id }) => outbox.getOutboxMail(a, id));
  api.post('/outbox/:id/resend', { summary: 'Send a failed email again', response: outboxMail }, (a, { id }) => outbox.resendMail(a, id));

  api.get(
    '/inbound',
    { summary: 'Received emails (default: those that matched no record)', query: inboundListQuery, response: listOf(inboundMail) },
    (a, { query }) => listInbound(a, query, inboundAttachmentsOf),
  );
  api.post('/inbound/:id/assign', { summary: 'File a received email under a record', body: inboundAssign, response: inboundMail }, (a, { id, body }) =>
    assignInbound(a, id, body),
  );
  return api.router;
}

/** Where an inbound email's files wait, unsigned, while it is read. */
export const inboundTmpDir = () => path.join(runtime().config.dataDir, 'inbound-tmp');

/** Mailgun's inbound route posts here (signed; no session). Attachments up to Mailgun's own 25 MB cap. */
export function mailWebhookRoutes() {
  const api = new ApiRouter('/api/webhooks/mailgun', 'webhooks');
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
  api.post(
    '/inbound',
    {
      summary: 'Mailgun inbound route: a signed reply lands in the chatter of its record, or in the unassigned inbox',
      auth: false,
      response: z.object({ status: z.enum(['filed', 'unassigned']), inboundId: z.number().int(), messageId: z.number().int().optional() }),
    },
    async (_a, { req }) => {
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
    },
  );
  return api.router;
}
