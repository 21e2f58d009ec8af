import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

// Browser hardening. Every response: no MIME sniffing, framed only by the console itself (its PDF
// preview), a strict referrer, no powerful features, cross-origin isolation of resources. The console's
// page: a Content-Security-Policy that runs only its own scripts (and the one inline bootstrap script
// SvelteKit writes into index.html, by its hash), connects only to its own origin, and is framed by no one.

export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: false,
      frameguard: { action: 'sameorigin' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      crossOriginEmbedderPolicy: false,
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
    (_req, res, next) => {
      res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
      next();
    },
  ];
}

/** The console page's policy, allowing its inline scripts by their hashes. */
export function consolePolicy(indexHtml: string): string {
  const hashes = [...indexHtml.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    // Svelte sets style attributes (widths, heights).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    // The invoice's PDF preview is the console's own document.
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

export function readConsolePolicy(indexFile: string): string {
  return consolePolicy(readFileSync(indexFile, 'utf8'));
}

/**
 * A WebSocket (or polling) handshake from a browser names its page's origin: only the console's own
 * (the PUBLIC_URL, or the host the request was made to) may open a socket with the session cookie.
 * Clients that are no browser send no Origin and authenticate with a token.
 */
export function originAllowed(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  if (publicUrl) return host === new URL(publicUrl).host;
  return host === req.headers.host;
}
