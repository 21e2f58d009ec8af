import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import multer from 'multer';
import { afterAll, beforeAll } from 'vitest';

// A local stand-in for Mailgun's messages API (POST /v3/<domain>/messages, multipart, basic auth
// api:<key>), answering like Mailgun does, so the real mailgun.js client is what the tests drive.

export type SentMail = {
  domain: string;
  fields: Record<string, string | string[]>;
  files: { field: string; filename: string; contentType: string; data: Buffer }[];
};

export type MailgunStandIn = {
  url: string;
  apiKey: string;
  domain: string;
  signingKey: string;
  sent: SentMail[];
  /** Answer every request with this status (500: Mailgun is failing) until set back to 200. */
  failWith: number;
  env(): Record<string, string>;
  /** A webhook delivery signed like Mailgun signs it (timestamp, token, signature), or with overrides. */
  sign(opts?: { timestamp?: number; token?: string; key?: string }): { timestamp: string; token: string; signature: string };
};

export function useMailgunStandIn(): MailgunStandIn {
  const state: MailgunStandIn = {
    url: '',
    apiKey: `key-${randomBytes(8).toString('hex')}`,
    domain: 'mg.example.test',
    signingKey: randomBytes(16).toString('hex'),
    sent: [],
    failWith: 200,
    env: () => ({
      MAILGUN_API_KEY: state.apiKey,
      MAILGUN_DOMAIN: state.domain,
      MAILGUN_URL: state.url,
      MAILGUN_WEBHOOK_SIGNING_KEY: state.signingKey,
      MAIL_FROM: `orders@${state.domain}`,
      MAIL_SEND_ATTEMPTS: '3',
      MAIL_RETRY_DELAY_MS: '40',
    }),
    sign: (opts = {}) => {
      const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
      const token = opts.token ?? randomBytes(25).toString('hex');
      const signature = createHmac('sha256', opts.key ?? state.signingKey)
        .update(timestamp + token)
        .digest('hex');
      return { timestamp, token, signature };
    },
  };
  let server: Server;

  beforeAll(async () => {
    const app = express();
    const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8' }); // as Mailgun reads file names: UTF-8
    app.post('/v3/:domain/messages', upload.any(), (req, res) => {
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      if (auth !== `api:${state.apiKey}`) return void res.status(401).send('Forbidden');
      if (state.failWith !== 200) return void res.status(state.failWith).json({ message: 'Internal error, try again later' });
      const id = `<${Date.now()}.${randomBytes(6).toString('hex')}@${req.params.domain}>`;
      state.sent.push({
        domain: String(req.params.domain),
        fields: req.body as Record<string, string | string[]>,
        files: ((req.files as Express.Multer.File[]) ?? []).map((f) => ({
          field: f.fieldname,
          filename: f.originalname,
          contentType: f.mimetype,
          data: f.buffer,
        })),
      });
      res.json({ id, message: 'Queued. Thank you.' });
    });
    // The events API (GET /v3/<domain>/events?message-id=…&event=accepted), as Mailgun answers it.
    app.get('/v3/:domain/events', (req, res) => {
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      if (auth !== `api:${state.apiKey}`) return void res.status(401).send('Forbidden');
      const wanted = String(req.query['message-id'] ?? '');
      const items = state.sent
        .filter((m) => m.domain === req.params.domain && (!wanted || String(m.fields['h:Message-Id']).replace(/^<|>$/g, '') === wanted))
        .map((m) => ({
          event: 'accepted',
          id: randomBytes(8).toString('hex'),
          timestamp: Date.now() / 1000,
          message: {
            headers: { 'message-id': String(m.fields['h:Message-Id']).replace(/^<|>$/g, ''), to: String(m.fields.to), subject: String(m.fields.subject) },
          },
        }));
      res.json({ items, paging: { next: `${state.url}/v3/${req.params.domain}/events/next`, previous: `${state.url}/v3/${req.params.domain}/events/prev` } });
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return state;
}
