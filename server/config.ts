import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { emailAddress } from '../contracts/schemas/common';

// Every environment variable, parsed and defaulted in one place (API.md "Running").

export const ROOT_DIR = path.resolve(import.meta.dirname, '..');

const databaseUrl = z
  .string()
  .trim()
  .refine((v) => /^sqlite:.+/.test(v) || isMysqlUrl(v), {
    message: 'must be sqlite:<path> or mysql://user:pass@host:port/db',
  });

function isMysqlUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'mysql:' || u.protocol === 'mariadb:') && !!u.hostname && u.pathname.length > 1;
  } catch {
    return false;
  }
}

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: databaseUrl.optional(),
  REDIS_URL: optional.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/.+/, 'must be redis://host:port')
      .optional(),
  ),
  ADMIN_EMAIL: emailAddress.default('admin@example.com'),
  ADMIN_PASSWORD: optional.pipe(z.string().min(10, 'must have at least 10 characters').optional()),
  SEED_DEMO: z.enum(['0', '1', 'true', 'false']).optional(),
  MAILGUN_API_KEY: optional,
  MAILGUN_DOMAIN: optional,
  MAILGUN_URL: optional.pipe(z.string().url().optional()),
  MAILGUN_WEBHOOK_SIGNING_KEY: optional,
  MAIL_FROM: optional,
  MAIL_SEND_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  MAIL_RETRY_DELAY_MS: z.coerce.number().int().min(1).default(30_000),
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  // How long a Redis command may take before the caller is told Redis is not available.
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  // How often the processing process puts back into the queues what the database says is waiting.
  JOB_RECONCILE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  CHANNEL_RETRY_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
  CHANNEL_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  SYNC_SCHEDULE: z.enum(['0', '1', 'true', 'false']).default('1'),
  // Every reorder rule checked on this interval (0: only after stock changes and on demand).
  REORDER_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(10_080).default(15),
  // Stock changes of one product within this window are checked once, at its end.
  REORDER_COALESCE_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  ATTACHMENTS_DIR: optional,
  ATTACHMENT_MAX_MB: z.coerce.number().positive().max(100).default(10),
  IMPORT_MAX_MB: z.coerce.number().positive().max(2000).default(200),
  IMPORT_CHUNK_ORDERS: z.coerce.number().int().min(1).max(5000).default(1000),
  CURRENCY: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code')
    .default('EUR'),
  SECRET_KEY: optional.pipe(z.string().min(32, 'must have at least 32 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Read by the logger itself (it exists before config): JSON when piped, short lines on a terminal.
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  // Profiling: every SQL statement with its duration, one JSON line each, appended to this file.
  SQL_LOG: optional,
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  // Vendor portal: requests per minute per link and address; days a new link stays valid.
  PORTAL_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  PORTAL_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Shops on the private network (or this machine) may be called: off, only public addresses are.
  CHANNEL_PRIVATE_NETWORK: z.enum(['0', '1', 'true', 'false']).default('0'),
  // Sockets a user may hold at once, over every web process (a tab holds one).
  SOCKETS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(30),
  // The board counts orders up to this many; beyond, it shows "10,000+" (counting every row of a
  // million-order filter would cost more than the list itself).
  BOARD_COUNT_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  // The console's address as browsers reach it (https://orders.example.com): a socket's Origin must be it.
  PUBLIC_URL: optional.pipe(z.string().url().optional()),
  // Which proxies' X-Forwarded-For to believe: only what the deployment says (the client's address is
  // what rate limits count by; a trusted header from anyone would let them rotate it).
  TRUST_PROXY: z
    .string()
    .trim()
    .default('loopback')
    .transform((v, ctx): boolean | number | string => {
      if (['0', 'false', 'none', ''].includes(v.toLowerCase())) return false;
      if (/^\d{1,2}$/.test(v)) return Number(v);
      if (!/^[\w.:/]+(\s*,\s*[\w.:/]+)*$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'a number of hops, or a list of addresses, subnets or loopback/linklocal/uniquelocal, or 0' });
        return z.NEVER;
      }
      return v;
    }),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 14),
  WEB_DIR: optional,
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only')
    .default('cc'),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  dialect: 'sqlite' | 'mysql';
  redisUrl: string | undefined;
  /** Prefix of every Redis key (queues, sessions, rate limits, socket fan-out): one Redis can serve several installs. */
  redisPrefix: string;
  adminEmail: string;
  adminPassword: string | undefined;
  seedDemo: boolean;
  mailgun: { apiKey: string; domain: string; url: string | undefined; signingKey: string | undefined } | undefined;
  mailFrom: string;
  /** Send attempts per email, the first retry after mailRetryDelayMs, doubling after each. */
  mailSendAttempts: number;
  mailRetryDelayMs: number;
  /** How long a worker holds a running job without renewing its lock: a job of a dead worker runs again after this. */
  jobLockMs: number;
  /** A Redis command not answered within this fails (503 for a request); nothing is queued while Redis is down. */
  redisCommandTimeoutMs: number;
  /** Interval of the sweep that re-queues waiting imports, exports, batches and emails whose queue job is missing. */
  jobReconcileMs: number;
  /** Calls to a shop: the first retry's delay (doubling), and how many tries before the sync fails. */
  channelRetryMs: number;
  channelAttempts: number;
  /** How often the processing process looks for channels due a sync (0: never, syncs only on demand). */
  /** Shop channels synced on their interval (repeatable jobs); off: only on demand (tests). */
  syncSchedule: boolean;
  /** Minutes between two checks of every reorder rule (a repeatable job; a timer in embedded mode); 0: none. */
  reorderIntervalMinutes: number;
  /** The stock changes of a product within this many ms are checked by one reorder job, run at the window's end. */
  reorderCoalesceMs: number;
  attachmentsDir: string;
  attachmentMaxBytes: number;
  /** The largest CSV of orders accepted for import. */
  importMaxBytes: number;
  /** The orders an import writes per transaction (at most; the first chunks are smaller). */
  importChunkOrders: number;
  currency: string;
  secretKey: string;
  logLevel: string;
  /** A file every SQL statement is appended to with its duration (profiling); unset: none. */
  sqlLog: string | undefined;
  loginRateLimit: number;
  socketsPerUser: number;
  boardCountLimit: number;
  /** Whether shop connectors may call private, loopback and link-local addresses. */
  channelPrivateNetwork: boolean;
  /** The console's address as browsers reach it; unset: the host each request was made to. */
  publicUrl: string | undefined;
  portalRateLimit: number;
  portalLinkDays: number;
  /** Express's `trust proxy`: whose X-Forwarded-For gives the client's address. */
  trustProxy: boolean | number | string;
  sessionTtlMs: number;
  webDir: string;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') refusePlaceholderSecrets(e);
  const dataDir = path.resolve(ROOT_DIR, e.DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? `sqlite:${path.join(e.DATA_DIR, 'commercecore.sqlite')}`;
  const dialect = databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'mysql';
  const mailgun =
    e.MAILGUN_API_KEY && e.MAILGUN_DOMAIN
      ? { apiKey: e.MAILGUN_API_KEY, domain: e.MAILGUN_DOMAIN, url: e.MAILGUN_URL, signingKey: e.MAILGUN_WEBHOOK_SIGNING_KEY }
      : undefined;
  const embedded = dialect === 'sqlite' && !e.REDIS_URL;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl,
    dialect,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    seedDemo: e.SEED_DEMO === undefined ? embedded : e.SEED_DEMO === '1' || e.SEED_DEMO === 'true',
    mailgun,
    mailFrom: e.MAIL_FROM ?? `orders@${e.MAILGUN_DOMAIN ?? 'localhost'}`,
    mailSendAttempts: e.MAIL_SEND_ATTEMPTS,
    mailRetryDelayMs: e.MAIL_RETRY_DELAY_MS,
    jobLockMs: e.JOB_LOCK_MS,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    jobReconcileMs: e.JOB_RECONCILE_MS,
    channelRetryMs: e.CHANNEL_RETRY_MS,
    channelAttempts: e.CHANNEL_ATTEMPTS,
    syncSchedule: e.SYNC_SCHEDULE === '1' || e.SYNC_SCHEDULE === 'true',
    reorderIntervalMinutes: e.REORDER_INTERVAL_MINUTES,
    reorderCoalesceMs: e.REORDER_COALESCE_MS,
    attachmentsDir: e.ATTACHMENTS_DIR ? path.resolve(ROOT_DIR, e.ATTACHMENTS_DIR) : path.join(dataDir, 'attachments'),
    attachmentMaxBytes: Math.round(e.ATTACHMENT_MAX_MB * 1024 * 1024),
    importMaxBytes: Math.round(e.IMPORT_MAX_MB * 1024 * 1024),
    importChunkOrders: e.IMPORT_CHUNK_ORDERS,
    currency: e.CURRENCY,
    secretKey: e.SECRET_KEY ?? loadOrCreateSecret(dataDir),
    logLevel: e.LOG_LEVEL,
    sqlLog: e.SQL_LOG ? path.resolve(ROOT_DIR, e.SQL_LOG) : undefined,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    trustProxy: e.TRUST_PROXY,
    publicUrl: e.PUBLIC_URL,
    portalRateLimit: e.PORTAL_RATE_LIMIT,
    portalLinkDays: e.PORTAL_LINK_DAYS,
    socketsPerUser: e.SOCKETS_PER_USER,
    boardCountLimit: e.BOARD_COUNT_LIMIT,
    channelPrivateNetwork: e.CHANNEL_PRIVATE_NETWORK === '1' || e.CHANNEL_PRIVATE_NETWORK === 'true',
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    webDir: e.WEB_DIR ? path.resolve(ROOT_DIR, e.WEB_DIR) : path.join(ROOT_DIR, 'web', 'build'),
  };
}

// Values that are examples, not secrets: an install started with one runs with a secret anyone can read.
const PLACEHOLDER = /replace|change[-_ ]?me|example|placeholder|secret-of|^(x+|0+|1234567890|password1?)$/i;

/** In production, SECRET_KEY must be set, and neither it nor ADMIN_PASSWORD may be a placeholder. */
function refusePlaceholderSecrets(e: { SECRET_KEY?: string; ADMIN_PASSWORD?: string }): void {
  const problems: string[] = [];
  if (!e.SECRET_KEY) problems.push('  SECRET_KEY: must be set in production (at least 32 random characters, e.g. `openssl rand -hex 32`)');
  else if (PLACEHOLDER.test(e.SECRET_KEY)) problems.push('  SECRET_KEY: is a placeholder; set a secret of your own (e.g. `openssl rand -hex 32`)');
  if (e.ADMIN_PASSWORD && PLACEHOLDER.test(e.ADMIN_PASSWORD)) problems.push('  ADMIN_PASSWORD: is a placeholder; choose a password of your own');
  if (problems.length) throw new ConfigError(`Invalid configuration for production (NODE_ENV=production):\n${problems.join('\n')}`);
}

// SECRET_KEY unset: generated once into data/ so sessions survive restarts (not in production).
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  return key;
}

// The sqlite file path, resolved against the project root.
export function sqliteStorage(config: Config): string {
  const p = config.databaseUrl.slice('sqlite:'.length);
  if (p === ':memory:') return p;
  return path.resolve(ROOT_DIR, p.replace(/^\/\//, ''));
}
