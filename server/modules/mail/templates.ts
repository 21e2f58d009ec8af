import Handlebars from 'handlebars';
import sanitizeHtml from 'sanitize-html';
import type { MailTemplate, MailTemplateKey, MailTemplatePreview } from '../../../contracts/schemas/mail';
import { MAIL_TEMPLATE_KEYS } from '../../../contracts/schemas/mail';
import { cached, invalidateAfterCommit } from '../../db/cache';
import { iso } from '../../db/columns';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { assertRecordAccess } from '../../lib/records';
import type { RecordModel } from '../../../contracts/states';
import { ensureCompany } from '../company/company.service';
import { MailTemplateModel } from './mail.model';
import { TEMPLATE_DEFINITIONS } from './template-definitions';

// Email templates: Handlebars text kept in the database, editable in settings. `{{x}}` escapes,
// `{{{x}}}` inserts HTML that is already safe (a sanitised message body). The built-in texts, until an
// admin saves their own, are in template-definitions.ts.

/** Builds the placeholder values of a template for one record (registered by the domain that owns it). */
export type TemplateContextBuilder = (t: Tx | null, resId: number) => Promise<object | null>;
const contextBuilders = new Map<MailTemplateKey, { model: RecordModel; build: TemplateContextBuilder }>();

/** `model`: the records the template is about; a preview for one is shown only to who may read it. */
export function registerTemplateContext(key: MailTemplateKey, model: RecordModel, build: TemplateContextBuilder): void {
  contextBuilders.set(key, { model, build });
}

const hb = Handlebars.create();
// Compiled templates by source text: every email renders one, and the text rarely changes.
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function compile(field: 'subject' | 'body', source: string): Handlebars.TemplateDelegate {
  const cached = compiled.get(source);
  if (cached) return cached;
  try {
    hb.precompile(source, { strict: false });
  } catch (err) {
    throw ValidationError.field(field, `is not a valid template: ${(err as Error).message.split('\n')[0]}`);
  }
  const fn = hb.compile(source, { strict: false });
  if (compiled.size >= 100) compiled.delete(compiled.keys().next().value!);
  compiled.set(source, fn);
  return fn;
}

export type RenderedMail = { subject: string; html: string; text: string };

/** Plain text for the text/plain part: tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  const stripped = sanitizeHtml(html.replace(/<\/(p|div|tr|li|h\d)>|<br\s*\/?>/gi, '$&\n'), { allowedTags: [], allowedAttributes: {} });
  return stripped
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function renderSource(subject: string, body: string, context: object): RenderedMail {
  const html = compile('body', body)(context);
  // A subject is one line of plain text: escaping is for HTML only.
  const subjectText = htmlToText(compile('subject', subject)(context)).replace(/\s+/g, ' ');
  return { subject: subjectText, html, text: htmlToText(html) };
}

type TemplateText = { subject: string; body: string; version: number; updatedAt: Date | null };

// The saved templates, read by every email: kept in memory, dropped in every process when one is saved.
const savedTemplates = cached('mail-templates', async () => new Map((await MailTemplateModel.findAll()).map((r) => [r.key, r])));

/** The saved text of a template; until it is first saved, the built-in one (version 0). Never writes. */
async function templateText(t: Tx | null, key: MailTemplateKey): Promise<TemplateText> {
  const row = t ? await MailTemplateModel.findOne({ where: { key }, transaction: t }) : (await savedTemplates.get()).get(key);
  if (row) return row;
  const d = TEMPLATE_DEFINITIONS[key];
  return { subject: d.subject, body: d.body, version: 0, updatedAt: null };
}

/** Renders the saved template with the given placeholder values. */
export async function renderTemplate(_t: Tx, key: MailTemplateKey, context: object): Promise<RenderedMail> {
  const text = await templateText(null, key);
  return renderSource(text.subject, text.body, context);
}

function toTemplate(key: MailTemplateKey, text: TemplateText): MailTemplate {
  const d = TEMPLATE_DEFINITIONS[key];
  return {
    key,
    name: d.name,
    description: d.description,
    subject: text.subject,
    body: text.body,
    placeholders: d.placeholders,
    version: text.version,
    updatedAt: text.updatedAt ? iso(text.updatedAt) : null,
  };
}

export async function listTemplates(auth: Auth): Promise<{ items: MailTemplate[]; total: number }> {
  requireAccess(auth, 'mail.read');
  const rows = [];
  for (const key of MAIL_TEMPLATE_KEYS) rows.push(toTemplate(key, await templateText(null, key)));
  return { items: rows, total: rows.length };
}

export async function getTemplate(auth: Auth, key: MailTemplateKey): Promise<MailTemplate> {
  requireAccess(auth, 'mail.read');
  return toTemplate(key, await templateText(null, key));
}

export async function updateTemplate(auth: Auth, key: MailTemplateKey, input: { subject: string; body: string; version: number }): Promise<MailTemplate> {
  requireAccess(auth, 'mail.template');
  // Both parts must compile before anything is saved.
  renderSource(input.subject, input.body, TEMPLATE_DEFINITIONS[key].sample);
  return withTransaction(async (t) => {
    const row = await MailTemplateModel.findOne({ where: { key }, transaction: t, lock: t.LOCK.UPDATE });
    const current = row ?? (await templateText(t, key));
    if (current.version !== input.version) throw new ConflictError('This template was changed by someone else', toTemplate(key, current));
    // The first save writes the row (a concurrent first save loses on the unique key: 409).
    const saved = row
      ? await row.update({ subject: input.subject, body: input.body }, { transaction: t })
      : await MailTemplateModel.create({ key, subject: input.subject, body: input.body, version: 1 }, { transaction: t });
    invalidateAfterCommit(t, 'mail-templates');
    return toTemplate(key, saved);
  });
}

/** Renders the given (unsaved) text, or the saved template, for a record or for sample values. */
export async function previewTemplate(
  auth: Auth,
  key: MailTemplateKey,
  input: { subject?: string; body?: string; resId?: number },
): Promise<MailTemplatePreview> {
  requireAccess(auth, 'mail.read');
  const row = await templateText(null, key);
  // Sample values, signed with the company's own name as every real email is.
  const sample = TEMPLATE_DEFINITIONS[key].sample as { company?: object };
  let context: object = { ...sample, company: { ...sample.company, name: (await ensureCompany(null)).name } };
  if (input.resId !== undefined) {
    const builder = contextBuilders.get(key);
    if (builder) await assertRecordAccess(auth, builder.model, input.resId);
    const built = builder ? await builder.build(null, input.resId) : null;
    if (!built) throw new NotFoundError('Record for the preview', input.resId);
    context = built;
  }
  const r = renderSource(input.subject ?? row.subject, input.body ?? row.body, context);
  return { subject: r.subject, html: r.html };
}
