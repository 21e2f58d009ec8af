import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

// A local stand-in for a vendor's order endpoint, as a careful vendor would write one: it checks the
// signature (HMAC-SHA256 of "<timestamp>.<raw body>" under the shared secret) and the timestamp's age,
// and acts on each Idempotency-Key once (a repeat is answered 200 without acting again).

export type VendorRequest = { headers: IncomingMessage['headers']; body: string; signatureValid: boolean; key: string };

export type VendorEndpoint = {
  url: string;
  secret: string;
  /** Every request received, repeats included. */
  requests: VendorRequest[];
  /** The orders acted on: one per idempotency key. */
  processed: { key: string; payload: Record<string, unknown> }[];
  /** Answer every request with this status until set back to 200. */
  failWith: number;
  /** The next request is acted on but never answered (its sender is cut off first). */
  holdNext: boolean;
  held: number;
};

function verify(secret: string, req: IncomingMessage, body: string): boolean {
  const timestamp = String(req.headers['x-commercecore-timestamp'] ?? '');
  const given = String(req.headers['x-commercecore-signature'] ?? '').replace(/^sha256=/, '');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const g = Buffer.from(given, 'hex');
  return g.length === expected.length && timingSafeEqual(g, expected);
}

export function useVendorEndpoint(secret = 'vendor-shared-secret-0123456789'): VendorEndpoint {
  const state: VendorEndpoint = { url: '', secret, requests: [], processed: [], failWith: 200, holdNext: false, held: 0 };
  let server: Server;
  const heldResponses: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const key = String(req.headers['idempotency-key'] ?? '');
        const signatureValid = verify(state.secret, req, body);
        state.requests.push({ headers: req.headers, body, signatureValid, key });
        if (!signatureValid) return void res.writeHead(401).end('bad signature');
        if (state.failWith !== 200) return void res.writeHead(state.failWith).end('busy, try later');
        if (!state.processed.some((p) => p.key === key)) state.processed.push({ key, payload: JSON.parse(body) as Record<string, unknown> });
        if (state.holdNext) {
          state.holdNext = false;
          state.held += 1;
          heldResponses.push(res);
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
  });
  afterAll(async () => {
    for (const r of heldResponses) r.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return state;
}
