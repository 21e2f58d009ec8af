import type { RequestInit, Response } from 'undici';
import { AppError } from '../../../http/errors';
import { RefusedAddressError, outboundFetch } from '../../../lib/outbound';
import { runtime } from '../../../runtime';

// Calls to a shop's API: a 429 waits as long as the shop's Retry-After says (never hammered), a 5xx
// or a network failure is retried with exponential backoff; what still fails is an error that names
// the shop's answer in a short status line (never the body: the URL was typed by a person, and what
// answers there is not ours to show). Authentication failures are not retried: they need a person.
// Only public addresses are called, unless the installation allows the private network.

export class ShopError extends AppError {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(502, 'shop_error', message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `attempts`: tries before giving up (the configured CHANNEL_ATTEMPTS unless given: a person waiting asks once). */
export async function shopFetch(url: string, init: RequestInit, shop: string, attempts?: number): Promise<Response> {
  const { channelRetryMs } = runtime().config;
  const channelAttempts = attempts ?? runtime().config.channelAttempts;
  let lastError = '';
  for (let attempt = 1; attempt <= channelAttempts; attempt++) {
    let res: Response;
    try {
      res = await outboundFetch(url, { ...init, signal: AbortSignal.timeout(30_000) }, { privateNetwork: runtime().config.channelPrivateNetwork });
    } catch (err) {
      const refused =
        err instanceof RefusedAddressError ? err : (err as { cause?: unknown }).cause instanceof RefusedAddressError ? (err as { cause: Error }).cause : null;
      if (refused) throw new ShopError(`${shop} was not called: ${refused.message}`, false);
      lastError = `${shop} could not be reached: ${(err as Error).message}`;
      await sleep(channelRetryMs * 2 ** (attempt - 1));
      continue;
    }
    if (res.ok) return res;
    const body = await statusLine(res);
    if (res.status === 401 || res.status === 403) throw new ShopError(`${shop} refused the credentials (${res.status}): check the channel's API key`, false);
    if (res.status === 429) {
      // Leaky bucket: wait what the shop asks (seconds, possibly fractional), at least a little.
      const after = Number(res.headers.get('retry-after'));
      lastError = `${shop} is rate limiting (429)`;
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 60_000) : channelRetryMs);
      attempt--; // a 429 is the shop pacing us, not a failure: it does not use up an attempt
      continue;
    }
    if (res.status >= 500) {
      lastError = `${shop} answered ${body}`;
      await sleep(channelRetryMs * 2 ** (attempt - 1));
      continue;
    }
    throw new ShopError(`${shop} answered ${body}`, false);
  }
  throw new ShopError(lastError || `${shop} did not answer`, true);
}

/**
 * A shop's error as a short status line: its status, and the error message of a shop API's JSON answer
 * (Shopify's `errors`, WooCommerce's `message`) cut short; nothing else of the body.
 */
async function statusLine(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  let said = '';
  try {
    const json = JSON.parse(text) as { errors?: unknown; message?: unknown };
    const message = typeof json.errors === 'string' ? json.errors : typeof json.message === 'string' ? json.message : '';
    said = message.replace(/\s+/g, ' ').slice(0, 120);
  } catch {
    // Not a shop API's JSON: its body is not shown.
  }
  return `${res.status}${res.statusText ? ` ${res.statusText}` : ''}${said ? `: ${said}` : ''}`;
}

/** A shop's JSON answer; an answer that is not JSON (a web page: the wrong address) is a clear error. */
export async function shopJson<T>(res: Response, shop: string): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    const type = (res.headers.get('content-type') ?? 'no content type').split(';')[0];
    throw new ShopError(`${shop} answered with something other than JSON (${type}): is this the shop's API address?`, false);
  }
}
