import { domainToASCII } from 'node:url';
import Mailgun from 'mailgun.js';
import { runtime } from '../../runtime';

export type OutgoingAttachment = { filename: string; data: Buffer; contentType: string };
export type OutgoingMail = {
  from: string;
  to: string[];
  cc: string[];
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  attachments: OutgoingAttachment[];
  /** Our outbox id, echoed back by the provider in its events. */
  outboxId: number;
};

export type MailTransport = {
  readonly name: string;
  /** Sends one email; resolves with the provider's id for it, throws with the provider's reason. */
  send(mail: OutgoingMail): Promise<{ providerId: string | null }>;
  /** Whether the provider accepted an email with this Message-ID (after a send whose outcome was lost). */
  lookup(messageId: string): Promise<{ providerId: string | null } | null>;
};

/** Mailgun's messages API through the official client (`MAILGUN_API_KEY`, `MAILGUN_DOMAIN`, `MAILGUN_URL`). */
class MailgunTransport implements MailTransport {
  readonly name = 'mailgun';
  private readonly client;
  constructor(
    key: string,
    private readonly domain: string,
    url: string | undefined,
  ) {
    this.client = new Mailgun(FormData).client({ username: 'api', key, ...(url && { url }) });
  }

  // Mailgun's events API, filtered by the Message-ID we set: an `accepted` event means it has the email.
  private async findAccepted(messageId: string): Promise<{ providerId: string | null } | null> {
    try {
      const res = await this.client.events.get(this.domain, { 'message-id': messageId.replace(/^<|>$/g, ''), event: 'accepted', limit: 1 } as never);
      const item = (res.items as { id?: string; message?: { headers?: Record<string, string> } }[])[0];
      return item ? { providerId: item.message?.headers?.['message-id'] ? `<${item.message.headers['message-id']}>` : (item.id ?? null) } : null;
    } catch (err) {
      throw new Error(describeMailgunError(err));
    }
  }

  lookup(messageId: string): Promise<{ providerId: string | null } | null> {
    return this.findAccepted(messageId);
  }

  async send(mail: OutgoingMail): Promise<{ providerId: string | null }> {
    try {
      const res = await this.client.messages.create(this.domain, {
        from: mail.from,
        to: mail.to.map(deliverable),
        ...(mail.cc.length && { cc: mail.cc.map(deliverable) }),
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        'h:Message-Id': mail.messageId,
        ...(mail.replyTo && { 'h:Reply-To': mail.replyTo }),
        ...(mail.inReplyTo && { 'h:In-Reply-To': mail.inReplyTo, 'h:References': mail.inReplyTo }),
        'v:outbox-id': String(mail.outboxId),
        // A Blob carries its type into the multipart part (a bare Buffer would go as application/octet-stream).
        ...(mail.attachments.length && {
          attachment: mail.attachments.map((a) => ({ filename: a.filename, data: new Blob([a.data], { type: a.contentType }), contentType: a.contentType })),
        }),
      });
      return { providerId: res.id ?? null };
    } catch (err) {
      throw new Error(describeMailgunError(err));
    }
  }
}

/**
 * An address as mail servers route it: an international domain (müller.de) in its ASCII form
 * (xn--mller-kva.de); the local part stays as it is (josé@…, sent with SMTPUTF8).
 */
export function deliverable(address: string): string {
  return address.replace(/@([^\s>]+)/, (whole, domain: string) => {
    const ascii = domainToASCII(domain);
    return ascii ? `@${ascii}` : whole;
  });
}

function describeMailgunError(err: unknown): string {
  const e = err as { status?: number; details?: string; message?: string; type?: string };
  const detail = (e.details || e.message || String(err)).toString().slice(0, 500);
  return e.status ? `Mailgun answered ${e.status}: ${detail}` : `Mailgun could not be reached: ${detail}`;
}

let cached: { key: string; transport: MailTransport | null } | undefined;

/** The configured transport, or null when mail stays in the outbox (no MAILGUN_* set). */
export function mailTransport(): MailTransport | null {
  const mg = runtime().config.mailgun;
  const key = mg ? `${mg.apiKey}|${mg.domain}|${mg.url ?? ''}` : '';
  if (cached?.key !== key) cached = { key, transport: mg ? new MailgunTransport(mg.apiKey, mg.domain, mg.url) : null };
  return cached.transport;
}
