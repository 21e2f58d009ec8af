import { createWriteStream } from 'node:fs';
import { BaseError } from 'sequelize';
import { externalOrder, withoutNul, type ExternalOrder, type IntakeResult } from '../../contracts/schemas/channels';
import type { ImportError, ImportResult } from '../../contracts/schemas/imports';
import type { AttentionReason } from '../../contracts/schemas/sales';
import { csvWriter } from '../lib/csv';
import { logger } from '../lib/logger';
import { lineGross, taxAmount } from '../lib/money';
import { ChannelModel } from '../modules/channels/channel.model';
import { decimalToCents } from '../modules/channels/shopify';
import { receiveExternalOrders } from './order-intake.workflow';
import { csvRows, detectFormat, readHead, type CsvRow } from '../modules/imports/csv-source';
import { resolveColumns, type ImportField, type Mapping } from '../modules/imports/profiles';

// A CSV of orders into sale orders, streamed: rows are grouped into orders by reference (an order's
// rows are consecutive, its fields on the first of them), each order checked, then taken a chunk of
// orders per transaction through the same intake as the shops (customers, products and taxes matched
// once per chunk, orders and lines written in multi-row inserts), so a re-run of a file creates nothing
// new. Only what makes an order impossible to record rejects it (a quantity, price, amount or date that
// is not one), reported at the line its record starts on; the rest comes in, flagged with the reason
// where something needs a look. An order the database refuses has its chunk halved until it stands
// alone; a dry run does it all and rolls it back.

const MAX_ERRORS_KEPT = 1000;
// Orders are written a chunk at a time, each chunk in one transaction: up to this many orders or lines.
const CHUNK_ORDERS = 500;
const FIRST_CHUNK_ORDERS = 25;
const CHUNK_LINES = 2000;

type Group = { reference: string; rows: CsvRow[] };
/** An order checked and waiting to be written, with what its rows themselves need a look at. */
type Pending = { order: ExternalOrder; group: Group; noted: AttentionReason[] };

/** "19.99", "19,99", "1 234,50", "€19.99" → cents; anything else is an error. */
export function parseMoney(text: string): number {
  let t = text.replace(/[\s€$£]/g, '');
  if (/^-?\d+,\d{1,2}$/.test(t)) t = t.replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+,\d{1,2}$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else t = t.replace(/,(?=\d{3}\b)/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) throw new Error(`"${text}" is not an amount`);
  return decimalToCents(t);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** ISO 8601, "2026-11-20 10:15:00 +0100" (Shopify), "2026-11-20 10:15:00" (UTC) or "2026-11-20"; a day that does not exist is an error. */
export function parseDate(text: string): string {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  if (!m) throw new Error(`"${text}" is not a date (YYYY-MM-DD, with a time if known)`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as number[];
  const leap = year! % 4 === 0 && (year! % 100 !== 0 || year! % 400 === 0);
  const days = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month! - 1];
  if (!days || day! < 1 || day! > days || hour! > 23 || minute! > 59 || second! > 59) throw new Error(`"${text}" is not a real date`);
  const zone = m[7] ? (m[7] === 'Z' ? 'Z' : m[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
  const pad = (n: number) => String(n).padStart(2, '0');
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${pad(hour!)}:${pad(minute!)}:${pad(second!)}${zone}`);
  if (Number.isNaN(d.getTime())) throw new Error(`"${text}" is not a real date`);
  return d.toISOString();
}

/** A quantity as people write it: "2", "1.5", "0,25" (at most 3 decimals, more than 0). */
function parseQuantity(text: string): number | null {
  const t = text.trim();
  if (!/^\d+([.,]\d{1,3})?$/.test(t)) return null;
  const q = Number(t.replace(',', '.'));
  return q > 0 ? q : null;
}

/** The tax rates named in tax names such as "VAT 20%" or "DE MwSt. 19 %". */
function ratesIn(text: string): number[] {
  return [...new Set([...text.matchAll(/(\d{1,2}(?:[.,]\d{1,4})?)\s*%/g)].map((m) => Number(m[1]!.replace(',', '.'))))];
}

const FALSE = new Set(['false', 'no', '0', 'n']);

/** Why the database refused something, in its own words (Sequelize's wrapper may only say "Validation error"). */
function reason(err: unknown): string {
  const e = err as Error & { parent?: Error };
  return e instanceof BaseError && e.parent?.message ? `the database refused it (${e.parent.message})` : e.message;
}

class RowError extends Error {
  constructor(
    readonly row: CsvRow,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The taxes the shop charged, for files that give them per order (Shopify's "Tax 1 Name" = "VAT 20%"):
 * no tax at all when the order has none; one rate on every taxable line, and on shipping when the
 * order's taxes include it; several rates: each product's own taxes (the totals check tells the rest).
 */
function taxesOf(lines: ExternalOrder['lines'], taxable: boolean[], orderDiscount: number, shipping: number, names: string, taxTotal: number | null) {
  const rates = ratesIn(names);
  if (!rates.length && taxTotal === 0) return { lines: lines.map(() => [] as number[]), shipping: [] as number[] };
  if (rates.length !== 1) return { lines: lines.map(() => undefined), shipping: undefined };
  const rate = rates[0]!;
  const net = lines.reduce((s, l, i) => s + (taxable[i] ? lineGross(l) - l.discountAmount : 0), 0);
  const base = Math.max(0, net - orderDiscount);
  // Shipping is taxed when the order's taxes come nearer with it than without it.
  const shippingTaxed = shipping > 0 && taxTotal !== null && Math.abs(taxTotal - taxAmount(base + shipping, rate)) < Math.abs(taxTotal - taxAmount(base, rate));
  return { lines: taxable.map((t) => (t ? [rate] : [])), shipping: shippingTaxed ? [rate] : [] };
}

/**
 * What a group's rows hold that their encoding could not: a UTF-8 file with a row saved as Latin-1 by
 * another tool reads "Caf\uFFFD". The order is taken as read, flagged, for a person to correct.
 */
function garbled(group: Group): AttentionReason[] {
  return group.rows
    .filter((r) => r.cells.some((c) => c.includes('\uFFFD')))
    .map((r) => ({
      code: 'invalid_text' as const,
      message: `Line ${r.line} of the file is not valid text in its encoding: ${r.cells
        .filter((c) => c.includes('\uFFFD'))
        .map((c) => `"${c}"`)
        .join(', ')} was taken as read; correct it here (or save the file as UTF-8 and import it again)`,
    }));
}

/** The order of a group of rows, or the reason why not, at the row it concerns. */
function toOrder(group: Group, header: string[], cols: Map<ImportField, number[]>): ExternalOrder {
  const value = (row: CsvRow, f: ImportField): string => {
    const idx = cols.get(f);
    if (!idx) return '';
    return idx
      .map((i) => (row.cells[i] ?? '').trim())
      .filter(Boolean)
      .join(' ');
  };
  const first = group.rows[0]!;
  // The order's fields: from its first row, or the first row that has them.
  const orderRow = (f: ImportField) => group.rows.find((r) => value(r, f)) ?? null;
  const orderValue = (f: ImportField) => {
    const row = orderRow(f);
    return row ? value(row, f) : '';
  };
  const amount = (f: ImportField, what: string): number | null => {
    const row = orderRow(f);
    if (!row) return null;
    try {
      return parseMoney(value(row, f));
    } catch (err) {
      throw new RowError(row, `${what}: ${(err as Error).message}`);
    }
  };
  const lines: ExternalOrder['lines'] = [];
  const taxable: boolean[] = [];
  const explicitRates: (number[] | undefined)[] = [];
  for (const row of group.rows) {
    if (row.cells.length !== header.length) throw new RowError(row, `has ${row.cells.length} cells where the header has ${header.length}`);
    const qtyText = value(row, 'quantity');
    const quantity = parseQuantity(qtyText);
    if (quantity === null) throw new RowError(row, `quantity "${qtyText}" is not a positive number (at most 3 decimals)`);
    let unitPrice: number;
    let discountAmount = 0;
    try {
      unitPrice = parseMoney(value(row, 'unitPrice'));
    } catch (err) {
      throw new RowError(row, `unit price: ${(err as Error).message}`);
    }
    if (unitPrice < 0) throw new RowError(row, 'unit price is negative');
    const lineDiscountText = value(row, 'lineDiscount');
    if (lineDiscountText) {
      try {
        discountAmount = Math.abs(parseMoney(lineDiscountText));
      } catch (err) {
        throw new RowError(row, `line discount: ${(err as Error).message}`);
      }
    }
    const discountText = value(row, 'discount').replace('%', '');
    const discount = discountText ? Number(discountText.replace(',', '.')) : 0;
    if (!Number.isFinite(discount) || discount < 0 || discount > 100) throw new RowError(row, `discount "${discountText}" is not a percentage`);
    const rateText = value(row, 'taxRate').replace('%', '');
    const rate = rateText ? Number(rateText.replace(',', '.')) : null;
    if (rate !== null && (!Number.isFinite(rate) || rate < 0 || rate > 100)) throw new RowError(row, `tax rate "${rateText}" is not a percentage`);
    const sku = value(row, 'sku') || null;
    const name = value(row, 'productName') || sku || '';
    if (!name) throw new RowError(row, 'has neither a SKU nor a product name');
    lines.push({ sku, name, quantity, unitPrice, discount: Math.round(discount * 100) / 100, discountAmount });
    taxable.push(!FALSE.has(value(row, 'lineTaxable').toLowerCase()));
    explicitRates.push(rate !== null ? [rate] : undefined);
  }
  let date: string;
  const dateRow = orderRow('date');
  try {
    date = dateRow ? parseDate(value(dateRow, 'date')) : new Date().toISOString();
  } catch (err) {
    throw new RowError(dateRow ?? first, (err as Error).message);
  }
  const shippingCost = amount('shippingCost', 'shipping cost') ?? 0;
  const total = amount('total', 'total');
  const taxTotal = amount('taxTotal', 'taxes');
  // The order's whole discount, less what its lines got on their own, is the order discount.
  const wholeDiscount = Math.abs(amount('orderDiscount', 'discount amount') ?? 0);
  const orderDiscount = Math.max(0, wholeDiscount - lines.reduce((s, l) => s + l.discountAmount, 0));
  const taxes = taxesOf(lines, taxable, orderDiscount, shippingCost, orderValue('taxNames'), taxTotal);
  lines.forEach((l, i) => {
    const rates = explicitRates[i] ?? taxes.lines[i];
    if (rates) l.taxRates = rates;
  });
  const candidate = {
    externalId: group.reference,
    reference: group.reference,
    date,
    customer: {
      name: orderValue('customerName') || orderValue('shippingName') || null,
      email: orderValue('customerEmail') || null,
      phone: orderValue('customerPhone') || null,
    },
    shippingAddress: ['shippingStreet', 'shippingCity', 'shippingZip', 'shippingCountry'].some((f) => orderValue(f as ImportField))
      ? {
          name: orderValue('shippingName') || null,
          street: orderValue('shippingStreet') || null,
          street2: orderValue('shippingStreet2') || null,
          city: orderValue('shippingCity') || null,
          zip: orderValue('shippingZip') || null,
          state: orderValue('shippingState') || null,
          countryCode: orderValue('shippingCountry') || null,
          phone: orderValue('shippingPhone') || null,
        }
      : null,
    lines,
    shipping:
      shippingCost > 0 ? { name: orderValue('shippingMethod') || 'Shipping', amount: shippingCost, ...(taxes.shipping && { taxRates: taxes.shipping }) } : null,
    discountCodes: orderValue('discountCode')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    orderDiscount,
    note: orderValue('notes') || null,
    financialStatus: orderValue('financialStatus') || null,
    total,
    taxTotal,
  };
  const parsed = externalOrder.safeParse(withoutNul(candidate));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A line's problem is reported at that line's row.
    const lineIndex = issue.path[0] === 'lines' && typeof issue.path[1] === 'number' ? issue.path[1] : null;
    throw new RowError(lineIndex !== null ? (group.rows[lineIndex] ?? first) : first, `${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export type ImportInput = { file: string; mapping: Mapping; channelId: number; dryRun: boolean; errorsFile: string };

/** How far an import is: the rows taken, and the bytes of the file they span. */
export type ImportProgress = { rows: number; bytes: number };

export async function runImport(input: ImportInput, progress: (done: ImportProgress) => Promise<void>): Promise<ImportResult> {
  const format = detectFormat(await readHead(input.file));
  const channel = await ChannelModel.findByPk(input.channelId);
  if (!channel) throw new Error(`channel ${input.channelId} does not exist`);
  const result: ImportResult = {
    dryRun: input.dryRun,
    rows: 0,
    orders: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    rejected: 0,
    flagged: 0,
    flaggedOrders: [],
    errors: [],
    errorCount: 0,
    encoding: format.encoding,
    delimiter: format.delimiter === '\t' ? 'tab' : format.delimiter,
  };
  const errorsOut = csvWriter({ header: true, columns: ['row', 'record', 'reference', 'message'] });
  const done = new Promise<void>((resolve, reject) => errorsOut.pipe(createWriteStream(input.errorsFile)).on('finish', resolve).on('error', reject));
  const report = (row: CsvRow, reference: string | null, message: string) => {
    const e: ImportError = { row: row.line, record: row.record, reference, message: `Line ${row.line} (record ${row.record}): ${message}` };
    result.errorCount++;
    if (result.errors.length < MAX_ERRORS_KEPT) result.errors.push(e);
    errorsOut.write([e.row, e.record, e.reference ?? '', e.message]);
  };

  let header: string[] = [];
  let cols = new Map<ImportField, number[]>();
  const finished = new Set<string>();
  let current: Group | null = null;
  // Orders checked and waiting to be written, a chunk at a time.
  let pending: Pending[] = [];
  let lastBytes = 0;
  // The first chunks are small, so the first orders show (and the progress moves) at once; they double up to CHUNK_ORDERS.
  let chunkOrders = FIRST_CHUNK_ORDERS;
  let pendingLines = 0;

  const count = (r: IntakeResult, group: Group) => {
    if (r.status === 'created') result.created++;
    else if (r.status === 'updated' || r.status === 'noted') result.updated++;
    else result.skipped++;
    if (r.status !== 'unchanged' && r.status !== 'duplicate' && r.reasons.length) {
      result.flagged++;
      if (result.flaggedOrders.length < MAX_ERRORS_KEPT) {
        const row = group.rows[0]!;
        result.flaggedOrders.push({
          row: row.line,
          record: row.record,
          reference: group.reference,
          orderId: input.dryRun ? null : r.orderId,
          name: input.dryRun ? null : r.name,
          reasons: r.reasons,
        });
      }
    }
  };

  // A chunk the database refuses is halved until the order it refuses stands alone: that order is
  // reported, every other one is taken. A dry run goes the same way and is rolled back.
  const write = async (chunk: Pending[]): Promise<void> => {
    try {
      const results = await receiveExternalOrders(
        channel,
        chunk.map((c) => c.order),
        { dryRun: input.dryRun, noted: chunk.map((c) => c.noted) },
      );
      results.forEach((r, i) => count(r, chunk[i]!.group));
      return;
    } catch (err) {
      if (chunk.length > 1) {
        logger.warn({ err: reason(err), orders: chunk.length }, 'import chunk refused; taking it in halves');
        const half = Math.ceil(chunk.length / 2);
        await write(chunk.slice(0, half));
        await write(chunk.slice(half));
        return;
      }
      const { group } = chunk[0]!;
      report(group.rows[0]!, group.reference, `order ${group.reference} was not imported: ${reason(err)}`);
      result.rejected++;
    }
  };

  const writeChunk = async () => {
    const chunk = pending;
    pending = [];
    pendingLines = 0;
    if (chunk.length) await write(chunk);
  };

  const flush = async (group: Group) => {
    result.orders++;
    finished.add(group.reference);
    let order: ExternalOrder;
    try {
      order = toOrder(group, header, cols);
    } catch (err) {
      const at = err instanceof RowError ? err.row : group.rows[0]!;
      report(at, group.reference, `${(err as Error).message}; order ${group.reference} was not imported`);
      for (const r of group.rows) {
        if (r !== at) report(r, group.reference, `not imported with order ${group.reference} (see line ${at.line})`);
      }
      result.rejected++;
      return;
    }
    pending.push({ order, group, noted: garbled(group) });
    pendingLines += order.lines.length;
    if (pending.length >= chunkOrders || pendingLines >= CHUNK_LINES) {
      await writeChunk();
      chunkOrders = Math.min(CHUNK_ORDERS, chunkOrders * 2);
      // The row that ended this order is read but not yet taken.
      await progress({ rows: result.rows - 1, bytes: group.rows.at(-1)!.bytes });
    }
  };

  for await (const item of csvRows(input.file, format)) {
    if ('header' in item) {
      header = item.header;
      const resolved = resolveColumns(header, input.mapping);
      if (resolved.missing.length) {
        throw new Error(`The file has no column ${resolved.missing.map((m) => `"${m}"`).join(', ')} (its columns: ${header.slice(0, 30).join(', ')})`);
      }
      cols = resolved.columns;
      continue;
    }
    result.rows++;
    lastBytes = item.bytes;
    const refIdx = cols.get('reference')!;
    const reference = refIdx.map((i) => (item.cells[i] ?? '').trim()).join(' ');
    if (!reference) {
      report(item, null, 'no order reference');
      continue;
    }
    if (current && current.reference === reference) {
      current.rows.push(item);
      continue;
    }
    if (current) await flush(current);
    current = null;
    if (finished.has(reference)) {
      report(item, reference, `order ${reference} appeared earlier in the file; an order's rows must be together`);
      continue;
    }
    current = { reference, rows: [item] };
  }
  if (current) await flush(current);
  current = null;
  await writeChunk();
  if (!header.length) throw new Error('The file is empty');
  errorsOut.end();
  await done;
  await progress({ rows: result.rows, bytes: lastBytes });
  return result;
}
