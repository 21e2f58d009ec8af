import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type { z } from 'zod';
import type { ApiToken, LoginInput, LoginResult, MePatch, User, UserPatch, userCreate } from '$contracts/schemas/auth';
import type {
  Account,
  accountCreate,
  accountPatch,
  Journal,
  journalPatch,
  Product,
  ProductCreate,
  ProductPatch,
  Tax,
  taxCreate,
  taxPatch,
} from '$contracts/schemas/catalog';
import type { Channel, ChannelCreate, ChannelPatch, ChannelTest, ChannelTestResult } from '$contracts/schemas/channels';
import type { Attachment, Follower, MentionCandidate, Message, MessagePost, NotificationList } from '$contracts/schemas/chatter';
import type { List } from '$contracts/schemas/common';
import type { Company, CompanyPatch, Location, Warehouse, warehouseCreate } from '$contracts/schemas/company';
import type {
  PendingShipments,
  Picking,
  PickingSummary,
  pickingPatch,
  pickingReturn,
  pickingValidate,
  StockReportItem,
  stockAdjustment,
  stockTransfer,
} from '$contracts/schemas/inventory';
import type {
  AccountTotals,
  CreditNoteCreate,
  Invoice,
  invoiceBatch,
  invoiceListQuery,
  InvoicePatch,
  invoiceSend,
  InvoiceSummary,
  JournalItem,
  PaymentCreate,
  ReceivableRow,
} from '$contracts/schemas/invoices';
import type { ImportPreview, ImportStatus } from '$contracts/schemas/imports';
import type { JobStatus } from '$contracts/schemas/jobs';
import type { InboundMail, MailSetup, MailStatus, MailTemplate, MailTemplateKey, MailTemplatePreview, OutboxMail } from '$contracts/schemas/mail';
import type { Partner, PartnerCreate, PartnerPatch } from '$contracts/schemas/partners';
import type { SaleOrder, SaleOrderCreate, SaleOrderExportInput, SaleOrderPatch, SaleOrderSummary } from '$contracts/schemas/sales';
import type {
  InvoiceState,
  LocationKind,
  MoveType,
  PartnerRole,
  PaymentState,
  PickingState,
  PickingType,
  ProductRoute,
  ProductType,
  RecordModel,
  SaleOrderAction,
  SaleOrderState,
} from '$contracts/states';

export type FieldError = { field: string; message: string };

/** An error answered by the API: `{error: {code, message, details?, current?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    // On 409: the server's current record.
    readonly current?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for one input field, from `details`. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message;
  }

  /** A 409 for a stale `version` (not for a duplicate value, which is a 409 too). */
  get isStaleVersion(): boolean {
    return this.status === 409 && (this.current !== undefined || !/already (used|exists)/i.test(this.message));
  }
}

/** A save refused for a stale `version`, with the server's current record when it sent one. */
export type Conflict<T> = { current: T | null };

/** The conflict a failed save stands for; null when it failed for another reason. */
export function toConflict<T>(err: unknown, isRecord: (v: unknown) => v is T): Conflict<T> | null {
  return err instanceof ApiError && err.isStaleVersion ? { current: isRecord(err.current) ? err.current : null } : null;
}

type QueryValue = string | number | boolean | undefined | null | readonly string[];
export type Query = Record<string, QueryValue>;

type RequestOptions = {
  query?: Query;
  // How a list value goes into the query string: `state=a,b` (the default) or `state=a&state=b`.
  repeatArrays?: boolean;
  // JSON, or a FormData sent as multipart (the browser writes its Content-Type with the boundary).
  body?: unknown;
  // The login form wants the 401 itself; everywhere else a 401 means the session ended.
  redirectOn401?: boolean;
  // Signing in needs no token unless a session already exists (then the 403 retry fetches one).
  prefetchCsrf?: boolean;
};

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function toQueryString(query: Query | undefined, repeatArrays = false): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (repeatArrays) for (const v of value) params.append(key, v);
      else if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toFieldErrors(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d) => (isRecord(d) && typeof d.field === 'string' && typeof d.message === 'string' ? [{ field: d.field, message: d.message }] : []));
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy error page, an empty body): fall back to the status text below.
  }
  const err = isRecord(body) && isRecord(body.error) ? body.error : null;
  const code = err && typeof err.code === 'string' ? err.code : `http_${res.status}`;
  const message = err && typeof err.message === 'string' ? err.message : `The server answered ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, code, message, toFieldErrors(err?.details), err?.current);
}

function redirectToLogin(): void {
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname.startsWith('/login')) return;
  void goto(resolve(`/login?next=${encodeURIComponent(here)}`), { replaceState: true });
}

async function ensureCsrf(): Promise<void> {
  if (csrfToken) return;
  const res = await fetch('/api/auth/csrf', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) return;
  const body: unknown = await res.json();
  if (isRecord(body) && typeof body.csrfToken === 'string') csrfToken = body.csrfToken;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET') {
    if (opts.prefetchCsrf !== false) await ensureCsrf();
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  return fetch(`/api${path}${toQueryString(opts.query, opts.repeatArrays)}`, { method, headers, credentials: 'same-origin', body });
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, opts);
  if (res.status === 403 && method !== 'GET') {
    const err = await toApiError(res.clone());
    // A new session (another tab signed in again) has a new token: fetch it once and retry.
    if (err.code === 'csrf') {
      csrfToken = null;
      res = await send(method, path, { ...opts, prefetchCsrf: true });
    }
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && opts.redirectOn401 !== false) redirectToLogin();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const get = <T>(path: string, query?: Query) => request<T>('GET', path, { query });
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body });
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
const del = <T>(path: string) => request<T>('DELETE', path);

export type Page = { limit?: number; offset?: number; sort?: string; q?: string };

/** The record a chatter belongs to. */
export type RecordRef = { model: RecordModel; resId: number };

/** Who to add as a follower: a user of the console or a partner (a customer, a vendor). */
export type FollowerTarget = { userId: number } | { partnerId: number };

export type NotificationQuery = { unread?: boolean; limit?: number; offset?: number };
export type OutboxQuery = Page & { status?: MailStatus };
export type TemplatePreviewInput = { subject?: string; body?: string; resId?: number };

export type SaleOrderQuery = Page & {
  state?: readonly SaleOrderState[];
  partnerId?: number;
  needsAttention?: boolean;
  channelId?: number;
};

export type PickingQuery = {
  type?: PickingType;
  /** Any of these states. */
  state?: readonly PickingState[];
  saleOrderId?: number;
  q?: string;
  limit?: number;
  offset?: number;
};

export type StockReportQuery = { productId?: number; locationId?: number; q?: string; limit?: number; offset?: number };

/** What importing a CSV of counted quantities did: the rows applied and the rows refused. */
export type StockImportResult = { applied: number; errors: { row: number; message: string }[] };

/** A delivery note's file formats. */
export type DeliveryNoteFormat = 'pdf' | 'docx';

export type InvoiceSort = NonNullable<z.input<typeof invoiceListQuery>['sort']>;

export type InvoiceQuery = {
  moveType?: MoveType;
  state?: InvoiceState;
  paymentState?: PaymentState;
  partnerId?: number;
  saleOrderId?: number;
  dateFrom?: string;
  dateTo?: string;
  /** Posted, not fully paid, and past its due date. */
  overdue?: boolean;
  q?: string;
  sort?: InvoiceSort;
  limit?: number;
  offset?: number;
};

/** The customers' balances and aged receivables on a day, with their totals. */
export type ReceivablesReport = { asOf: string; items: ReceivableRow[]; totals: Omit<ReceivableRow, 'partnerId' | 'partnerName'> };
export type ReceivablesQuery = { asOf?: string; partnerId?: number };

/** A page of journal items, with the debit and credit totals of every item the filters match. */
export type JournalItemsReport = List<JournalItem> & { totals: AccountTotals[]; debit: number; credit: number };
export type JournalItemsQuery = {
  accountId?: number;
  partnerId?: number;
  invoiceId?: number;
  dateFrom?: string;
  dateTo?: string;
  limit?: number;
  offset?: number;
};

/** A column mapping of an import: the built-in ones (no id) and those saved. */
export type ImportProfile = { id: number | null; name: string; builtIn: boolean; mapping: ImportMapping };
/** Field → column header, or several headers joined by a space. */
export type ImportMapping = Record<string, string | string[]>;
/** How an import reads its file: a profile (name or id) or a mapping of its own. */
export type ImportStart = { file: File; dryRun: boolean; channelId?: number | null } & ({ profile: string } | { mapping: ImportMapping });

/** What drafting invoices or credit notes from an order or a return made. */
export type CreatedInvoices = { invoiceIds: number[] };

export const api = {
  auth: {
    async login(input: LoginInput): Promise<LoginResult> {
      const result = await request<LoginResult>('POST', '/auth/login', {
        body: input,
        redirectOn401: false,
        prefetchCsrf: false,
      });
      csrfToken = result.csrfToken;
      return result;
    },
    async logout(): Promise<void> {
      try {
        await post<void>('/auth/logout');
      } finally {
        csrfToken = null;
      }
    },
    me: (opts: { redirectOn401?: boolean } = {}) => request<User>('GET', '/auth/me', opts),
    updateMe: (input: MePatch) => patch<User>('/auth/me', input),
    tokens: () => get<ApiToken[]>('/auth/tokens'),
  },
  company: {
    get: () => get<Company>('/company'),
    /** Admins only. */
    update: (input: CompanyPatch) => patch<Company>('/company', input),
  },
  users: {
    list: (q: Page) => get<List<User>>('/users', q),
    create: (input: UserCreate) => post<User>('/users', input),
    update: (id: number, input: UserPatch) => patch<User>(`/users/${id}`, input),
  },
  partners: {
    list: (q: Page & { role?: PartnerRole }) => get<List<Partner>>('/partners', q),
    get: (id: number) => get<Partner>(`/partners/${id}`),
    create: (input: PartnerCreate) => post<Partner>('/partners', input),
    update: (id: number, input: PartnerPatch) => patch<Partner>(`/partners/${id}`, input),
  },
  products: {
    list: (q: Page & { type?: ProductType; route?: ProductRoute }) => get<List<Product>>('/products', q),
    get: (id: number) => get<Product>(`/products/${id}`),
    create: (input: ProductCreate) => post<Product>('/products', input),
    update: (id: number, input: ProductPatch) => patch<Product>(`/products/${id}`, input),
  },
  taxes: {
    list: (q: Page) => get<List<Tax>>('/taxes', q),
    create: (input: TaxInput) => post<Tax>('/taxes', input),
    update: (id: number, input: TaxPatch) => patch<Tax>(`/taxes/${id}`, input),
  },
  accounts: {
    list: (q: Page) => get<List<Account>>('/accounts', q),
    create: (input: AccountInput) => post<Account>('/accounts', input),
    /** Renames or renumbers an account (its type only while nothing relies on it). */
    update: (id: number, input: AccountPatch) => patch<Account>(`/accounts/${id}`, input),
  },
  journals: {
    list: () => get<List<Journal>>('/journals'),
    update: (id: number, input: JournalPatch) => patch<Journal>(`/journals/${id}`, input),
  },
  saleOrders: {
    list: (q: SaleOrderQuery) => get<List<SaleOrderSummary>>('/sale-orders', q),
    get: (id: number) => get<SaleOrder>(`/sale-orders/${id}`),
    create: (input: SaleOrderCreate) => post<SaleOrder>('/sale-orders', input),
    update: (id: number, input: SaleOrderPatch) => patch<SaleOrder>(`/sale-orders/${id}`, input),
    action: (id: number, action: SaleOrderAction) => post<SaleOrder>(`/sale-orders/${id}/${action}`),
    export: (filters: SaleOrderExportInput) => post<{ jobId: string }>('/sale-orders/export', filters),
    /** Drafts an invoice for what is invoiceable now (422 with the reason when nothing is). */
    invoice: (id: number) => post<CreatedInvoices>(`/sale-orders/${id}/invoice`),
  },
  pickings: {
    list: (q: PickingQuery) => request<List<PickingSummary>>('GET', '/pickings', { query: q, repeatArrays: true }),
    get: (id: number) => get<Picking>(`/pickings/${id}`),
    update: (id: number, input: PickingPatch) => patch<Picking>(`/pickings/${id}`, input),
    /** Tries to reserve the missing quantities again. */
    checkAvailability: (id: number) => post<Picking>(`/pickings/${id}/check-availability`),
    /** Without `moves`, everything reserved (inbound: everything) is done. */
    validate: (id: number, input: PickingValidateInput = {}) => post<{ picking: Picking; backorder: Picking | null }>(`/pickings/${id}/validate`, input),
    /** Creates the return of a done delivery; it is validated like any transfer. */
    createReturn: (id: number, input: PickingReturnInput) => post<Picking>(`/pickings/${id}/return`, input),
    cancel: (id: number) => post<Picking>(`/pickings/${id}/cancel`),
    /** The delivery note's download address. */
    documentUrl: (id: number, format: DeliveryNoteFormat) => `/api/pickings/${id}/${format}`,
    /** Drafts the credit notes for what a validated return brought back. */
    creditNote: (id: number, input: { reason?: string | null } = {}) => post<CreatedInvoices>(`/pickings/${id}/credit-note`, input),
  },
  invoices: {
    list: (q: InvoiceQuery) => get<List<InvoiceSummary>>('/invoices', q),
    get: (id: number) => get<Invoice>(`/invoices/${id}`),
    /** A draft's dates, note and lines (`lines` is the full new list). */
    update: (id: number, input: InvoicePatch) => patch<Invoice>(`/invoices/${id}`, input),
    post: (id: number, version?: number) => post<Invoice>(`/invoices/${id}/post`, { version }),
    /** Cancels a draft. */
    cancel: (id: number, version?: number) => post<Invoice>(`/invoices/${id}/cancel`, { version }),
    registerPayment: (id: number, input: PaymentCreate) => post<Invoice>(`/invoices/${id}/payments`, input),
    /** Drafts a credit note (of the whole invoice without `lines`); resolves with the credit note. */
    creditNote: (id: number, input: CreditNoteCreate) => post<Invoice>(`/invoices/${id}/credit-note`, input),
    send: (id: number, input: InvoiceSendInput) => post<Invoice>(`/invoices/${id}/send`, input),
    /** Invoices orders in a job; its progress comes as job.progress. */
    batch: (input: InvoiceBatchInput) => post<{ jobId: string }>('/invoices/batch', input),
    /** The document's address: a download, or with `inline` a PDF the browser shows. */
    documentUrl: (id: number, format: 'pdf' | 'docx', inline = false) => `/api/invoices/${id}/${format}${inline ? '?inline=1' : ''}`,
  },
  reports: {
    receivables: (q: ReceivablesQuery = {}) => get<ReceivablesReport>('/reports/receivables', q),
    journalItems: (q: JournalItemsQuery) => get<JournalItemsReport>('/reports/journal-items', q),
  },
  shipments: {
    /** Inbound and outbound transfers not done or cancelled, late ones first. */
    pending: () => get<PendingShipments>('/shipments/pending'),
  },
  stock: {
    report: (q: StockReportQuery) => get<List<StockReportItem>>('/stock/report', q),
    /** The same report as a CSV download. */
    reportCsvUrl: (q: StockReportQuery) => `/api/stock/report.csv${toQueryString({ ...q, limit: undefined, offset: undefined })}`,
    /** Sets the counted quantity on hand (by default in the main Stock location). */
    adjust: (input: StockAdjustmentInput) => post<StockReportItem>('/stock/adjustments', input),
    /** Moves free stock now to another internal location, or out to scrap: the rows of both locations after. */
    transfer: (input: StockTransferInput) => post<StockReportItem[]>('/stock/transfers', input),
    /** A CSV of counts: columns `sku,quantity[,location]`. */
    importCounts(file: File): Promise<StockImportResult> {
      const form = new FormData();
      form.set('file', file, file.name);
      return post<StockImportResult>('/stock/adjustments/import', form);
    },
  },
  warehouses: {
    list: (q: Page = {}) => get<List<Warehouse>>('/warehouses', q),
    /** A new warehouse, with its own Stock and Returns locations (admins only). */
    create: (input: WarehouseInput) => post<Warehouse>('/warehouses', input),
  },
  locations: {
    list: (q: Page & { warehouseId?: number; kind?: LocationKind } = {}) => get<List<Location>>('/locations', q),
  },
  channels: {
    list: () => get<List<Channel>>('/channels'),
    get: (id: number) => get<Channel>(`/channels/${id}`),
    /** Admins only. */
    create: (input: ChannelCreate) => post<Channel>('/channels', input),
    /** `credentials` replaces the stored ones. */
    update: (id: number, input: ChannelPatch) => patch<Channel>(`/channels/${id}`, input),
    /** Fetches the shop's new and changed orders now, in a job. */
    sync: (id: number) => post<{ jobId: string }>(`/channels/${id}/sync`),
    /** One request to the shop with the saved channel's settings and credentials, or the ones given; nothing saved. */
    test: (id: number | null, input: ChannelTest) => post<ChannelTestResult>(id === null ? '/channels/test' : `/channels/${id}/test`, input),
    /** Where the shop (or any system, for a webhook channel) posts its orders. */
    webhookUrl: (id: number) => `${window.location.origin}/api/webhooks/channels/${id}`,
  },
  imports: {
    /** The file's first rows, encoding, delimiter and the built-in profile it fits. */
    preview(file: File): Promise<ImportPreview> {
      const form = new FormData();
      form.set('file', file, file.name);
      return post<ImportPreview>('/imports/preview', form);
    },
    profiles: () => get<{ items: ImportProfile[]; total: number }>('/imports/profiles'),
    saveProfile: (input: { name: string; mapping: ImportMapping }) => post<ImportProfile>('/imports/profiles', input),
    deleteProfile: (id: number) => del<void>(`/imports/profiles/${id}`),
    /** Starts the import (or its dry run) in a job; its progress comes as job.progress. */
    start(input: ImportStart): Promise<{ jobId: string }> {
      const form = new FormData();
      form.set('file', input.file, input.file.name);
      if ('profile' in input) form.set('profile', input.profile);
      else form.set('mapping', JSON.stringify(input.mapping));
      form.set('dryRun', String(input.dryRun));
      if (input.channelId) form.set('channelId', String(input.channelId));
      return post<{ jobId: string }>('/imports', form);
    },
    get: (jobId: string) => get<ImportStatus>(`/imports/${encodeURIComponent(jobId)}`),
    /** The rejected rows as a CSV download. */
    errorsUrl: (jobId: string) => `/api/imports/${encodeURIComponent(jobId)}/errors.csv`,
  },
  jobs: {
    get: (id: string) => get<JobStatus>(`/jobs/${encodeURIComponent(id)}`),
  },
  messages: {
    list: (q: RecordRef & Page) => get<List<Message>>('/messages', q),
    post: (input: MessagePost) => post<Message>('/messages', input),
    /** Users who may read the record, for @mention autocomplete. */
    mentions: (q: RecordRef & { q: string }) => get<List<MentionCandidate>>('/messages/mentions', q),
  },
  attachments: {
    /** Uploads a file for a message not yet posted on the record; 413 / 415 when too large or of a refused type. */
    upload(ref: RecordRef, file: File): Promise<Attachment> {
      const form = new FormData();
      form.set('model', ref.model);
      form.set('resId', String(ref.resId));
      form.set('file', file, file.name);
      return post<Attachment>('/attachments', form);
    },
    remove: (id: number) => del<void>(`/attachments/${id}`),
  },
  followers: {
    list: (q: RecordRef) => get<List<Follower>>('/followers', q),
    follow: (input: RecordRef & FollowerTarget) => post<Follower>('/followers', input),
    /** Mutes (or unmutes) the signed-in user on the record, following it if needed. */
    mute: (input: RecordRef & { muted: boolean }) => post<Follower>('/followers/mute', input),
    remove: (id: number) => del<void>(`/followers/${id}`),
  },
  notifications: {
    list: (q: NotificationQuery = {}) => get<NotificationList>('/notifications', q),
    read: (id: number) => post<void>(`/notifications/${id}/read`),
    readAll: () => post<void>('/notifications/read-all'),
  },
  mail: {
    templates: {
      list: () => get<List<MailTemplate>>('/mail/templates'),
      get: (key: MailTemplateKey) => get<MailTemplate>(`/mail/templates/${key}`),
      update: (key: MailTemplateKey, input: { subject: string; body: string; version: number }) => patch<MailTemplate>(`/mail/templates/${key}`, input),
      /** Renders unsaved text against a record, or against sample data without `resId`. */
      preview: (key: MailTemplateKey, input: TemplatePreviewInput) => post<MailTemplatePreview>(`/mail/templates/${key}/preview`, input),
    },
    outbox: {
      list: (q: OutboxQuery) => get<List<OutboxMail>>('/mail/outbox', q),
      setup: () => get<MailSetup>('/mail/setup'),
      resend: (id: number) => post<OutboxMail>(`/mail/outbox/${id}/resend`),
    },
    inbound: {
      list: (q: Page & { state?: InboundMail['state'] } = {}) => get<List<InboundMail>>('/mail/inbound', q),
      assign: (id: number, ref: RecordRef) => post<InboundMail>(`/mail/inbound/${id}/assign`, ref),
    },
  },
};

// contracts/ exports these schemas without a named input type.
export type TaxInput = z.input<typeof taxCreate>;
export type TaxPatch = z.input<typeof taxPatch>;
export type UserCreate = z.input<typeof userCreate>;
export type PickingPatch = z.input<typeof pickingPatch>;
export type PickingValidateInput = NonNullable<z.input<typeof pickingValidate>>;
export type PickingReturnInput = z.input<typeof pickingReturn>;
export type StockAdjustmentInput = z.input<typeof stockAdjustment>;
export type StockTransferInput = z.input<typeof stockTransfer>;
export type WarehouseInput = z.input<typeof warehouseCreate>;
export type AccountInput = z.input<typeof accountCreate>;
export type AccountPatch = z.input<typeof accountPatch>;
export type JournalPatch = z.input<typeof journalPatch>;
export type InvoiceSendInput = z.input<typeof invoiceSend>;
export type InvoiceBatchInput = z.input<typeof invoiceBatch>;

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'The server cannot be reached. Check your connection and try again.';
  return err instanceof Error ? err.message : String(err);
}
