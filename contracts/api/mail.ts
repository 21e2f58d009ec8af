import { z } from 'zod';
import { listOf } from '../schemas/common';
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
} from '../schemas/mail';
import { routeGroup } from './route';

const route = routeGroup('mail');

export const mail = {
  templates: route({ method: 'get', path: '/api/mail/templates', summary: 'Email templates', response: listOf(mailTemplate), permission: 'mail.read' }),
  template: route({
    method: 'get',
    path: '/api/mail/templates/:key',
    summary: 'One email template',
    params: templateKeyParam,
    response: mailTemplate,
    permission: 'mail.read',
  }),
  updateTemplate: route({
    method: 'patch',
    path: '/api/mail/templates/:key',
    summary: 'Change a template (admins)',
    params: templateKeyParam,
    body: mailTemplatePatch,
    response: mailTemplate,
    permission: 'mail.template',
  }),
  previewTemplate: route({
    method: 'post',
    path: '/api/mail/templates/:key/preview',
    summary: 'Render a template (the given text or the saved one) for a record or sample values',
    params: templateKeyParam,
    body: mailTemplatePreviewInput,
    response: mailTemplatePreview,
    permission: 'mail.read',
  }),
  setup: route({
    method: 'get',
    path: '/api/mail/setup',
    summary: 'How mail leaves (Mailgun or nowhere) and whether replies come back',
    response: mailSetup,
    permission: 'mail.read',
  }),
  outbox: route({
    method: 'get',
    path: '/api/mail/outbox',
    summary: 'Every outbound email, newest first',
    query: outboxListQuery,
    response: listOf(outboxMail),
    permission: 'mail.read',
  }),
  outboxMail: route({ method: 'get', path: '/api/mail/outbox/:id', summary: 'One outbound email', response: outboxMail, permission: 'mail.read' }),
  resend: route({ method: 'post', path: '/api/mail/outbox/:id/resend', summary: 'Send a failed email again', response: outboxMail, permission: 'mail.send' }),
  inbound: route({
    method: 'get',
    path: '/api/mail/inbound',
    summary: 'Received emails (default: those that matched no record)',
    query: inboundListQuery,
    response: listOf(inboundMail),
    permission: 'mail.read',
  }),
  assignInbound: route({
    method: 'post',
    path: '/api/mail/inbound/:id/assign',
    summary: 'File a received email under a record',
    body: inboundAssign,
    response: inboundMail,
    permission: 'mail.send',
  }),
};

/** Mailgun's inbound route posts here (signed; no session). */
export const mailWebhooks = {
  inbound: routeGroup('webhooks')({
    method: 'post',
    path: '/api/webhooks/mailgun/inbound',
    summary: 'Mailgun inbound route: a signed reply lands in the chatter of its record, or in the unassigned inbox',
    auth: false,
    multipart: true,
    response: z.object({ status: z.enum(['filed', 'unassigned']), inboundId: z.number().int(), messageId: z.number().int().optional() }),
    permission: null,
  }),
};
