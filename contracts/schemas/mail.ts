import { z } from 'zod';
import { RECORD_MODELS } from '../states';
import { attachment } from './chatter';

export const MAIL_STATUSES = ['queued', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export const MAIL_TEMPLATE_KEYS = [
  'order_confirmation',
  'message_notification',
  'invoice_email',
  'rfq',
  'purchase_order',
  'shipping_confirmation',
  'rfq_declined',
] as const;
export type MailTemplateKey = (typeof MAIL_TEMPLATE_KEYS)[number];

export const mailTemplate = z.object({
  key: z.enum(MAIL_TEMPLATE_KEYS),
  name: z.string(),
  description: z.string(),
  subject: z.string().describe('Handlebars template'),
  body: z.string().describe('Handlebars template of the HTML body'),
  /** The placeholders this template can use, e.g. `order.name`. */
  placeholders: z.array(z.object({ name: z.string(), description: z.string() })),
  version: z.number().int(),
  /** null: never saved, the built-in text. */
  updatedAt: z.string().nullable(),
});
export type MailTemplate = z.infer<typeof mailTemplate>;

export const templateKeyParam = z.object({ key: z.enum(MAIL_TEMPLATE_KEYS) });

export const mailTemplatePatch = z
  .object({
    subject: z.string().trim().min(1).max(500),
    body: z.string().trim().min(1).max(100_000),
    version: z.number().int().nonnegative(),
  })
  .strict();

/** Renders a template (the saved one, or the given unsaved text) for a record, or for sample data. */
export const mailTemplatePreviewInput = z
  .object({
    subject: z.string().max(500),
    body: z.string().max(100_000),
    resId: z.number().int().positive(),
  })
  .partial();
export const mailTemplatePreview = z.object({ subject: z.string(), html: z.string() });
export type MailTemplatePreview = z.infer<typeof mailTemplatePreview>;

/** How mail leaves and comes back on this install. */
export const mailSetup = z.object({
  transport: z.enum(['mailgun', 'none']).describe('none: emails stay queued in the outbox'),
  from: z.string(),
  domain: z.string().describe('the domain of reply addresses (order+<id>.<signature>@domain)'),
  inbound: z.boolean().describe('replies are accepted on /api/webhooks/mailgun/inbound'),
});
export type MailSetup = z.infer<typeof mailSetup>;

export const outboxMail = z.object({
  id: z.number().int(),
  key: z.string().describe('idempotency key: the same key is never sent twice'),
  to: z.string(),
  cc: z.string().nullable(),
  from: z.string(),
  replyTo: z.string().nullable(),
  subject: z.string(),
  html: z.string(),
  messageId: z.string().describe('the Message-ID header; replies name it in In-Reply-To'),
  status: z.enum(MAIL_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  providerId: z.string().nullable(),
  model: z.enum(RECORD_MODELS).nullable(),
  resId: z.number().int().nullable(),
  attachments: z.array(attachment),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxMail = z.infer<typeof outboxMail>;

export const outboxListQuery = z.object({
  status: z.enum(MAIL_STATUSES).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export const INBOUND_STATES = ['unassigned', 'assigned'] as const;
export const inboundMail = z.object({
  id: z.number().int(),
  sender: z.string(),
  recipient: z.string(),
  subject: z.string(),
  text: z.string().describe('the reply without its quoted part'),
  state: z.enum(INBOUND_STATES),
  model: z.enum(RECORD_MODELS).nullable(),
  resId: z.number().int().nullable(),
  messageId: z.number().int().nullable().describe('the chatter message it became'),
  unverifiedSender: z
    .boolean()
    .describe('the sender is not among the partners of the record the email names (its customer, partners following it): it waits here, unfiled'),
  suggestedModel: z
    .enum(RECORD_MODELS)
    .nullable()
    .describe('the record the email names, when it was not filed there (an unverified sender, an unsigned reply address)'),
  suggestedResId: z.number().int().nullable(),
  attachments: z.array(attachment),
  receivedAt: z.string(),
});
export type InboundMail = z.infer<typeof inboundMail>;

export const inboundListQuery = z.object({
  state: z.enum(INBOUND_STATES).default('unassigned'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

/** Files an unassigned reply under a record: it becomes a comment by its sender there. */
export const inboundAssign = z.object({ model: z.enum(RECORD_MODELS), resId: z.number().int().positive() });
