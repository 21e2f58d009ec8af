import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';
import { BaseError } from 'sequelize';
import { externalOrder, type ExternalOrder, type IntakeResult } from '../../../contracts/schemas/channels';
import type { ImportError, ImportResult } from '../../../contracts/schemas/imports';
import { logger } from '../../lib/logger';
import { ProductModel } from '../catalog/catalog.model';
import { ChannelModel } from '../channels/channel.model';
import { decimalToCents } from '../channels/shopify';
import { SaleOrderModel } from '../sales/sale-order.model';
import { fingerprint, receiveExternalOrders } from '../../workflows/order-intake.workflow';
import { csvRows, detectFormat, readHead, type CsvRow } from './csv-source';
import type { ImportField, Mapping } from './profiles';

// A CSV of orders into sale orders, streamed: rows are grouped into orders by reference (an order's
// rows are consecutive, its fields on the first of them), each order checked, then taken a chunk of
// orders per transaction through the same intake as the shops (customers, products and taxes matched
// once per chunk, orders and lines written in multi-row inserts), so a re-run of a file creates nothing
// new. A bad row rejects its order only, and is reported with its line and the reason; an order the
// database refuses has its chunk halved until it stands alone; a dry run checks it all and writes nothing.

const MAX_ERRORS_KEPT = 1000;
// Orders are written a chunk at a time, each chunk in one transaction: up to this many orders or lines.
const CHUNK_ORDERS = 500;
const FIRST_CHUNK_ORDERS = 25;
const CHUNK_LINES = 2000;

type Group = { reference: string; rows: CsvRow[] };

/** "19.99", "19,99", "1 234,50", "€19.99" → cents; anything else is an error. */
export function parseMoney(text: string): number {
  let t = text.replace(/[\s€$£]/g, '');
  if (/^-?\d+,\d{1,2}$/.test(t)) t = t.replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+,\d{1,2}$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else t = t.replace(/,(?=\d{3}\b)/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) throw new Error(`"${text}" is not an amount`);
  return decimalToCents(t);
}

/** ISO 8601, "2026-11-20 10:15:00 +0100" (Shopify), "2026-11-20 10:15:00" (UTC) or "2026-11-20". */
export function parseDate(text: string): string {
  const t = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  if (!m) throw new Error(`"${text}" is not a date (YYYY-MM-DD, with a time if known)`);
  const zone = m[3] ? (m[3] === 'Z' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
  const iso = `${m[1]}T${m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : '00:00:00'}${zone}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`"${text}" is not a real date`);
  return d.toISOString();
}

/** Why the database refused something, in its own words (Sequelize's wrapper may only say "Validation error"). */
function reason(err: unknown): string {
  const e = err as Error & { parent?: Error };
  return e instanceof BaseError && e.parent?.message ? `the database refused it (${e.parent.message})` : e.message;
}

class RowError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function columnsOf(header: string[], map: Mapping): Map<ImportField, number[]> {
  const out = new Map<ImportField, number[]>();
  const missing: string[] = [];
  for (const [field, spec] of Object.entries(map) as [ImportField, string | string[]][]) {
    const names = Array.isArray(spec) ? spec : [spec];
    const idx = names.map((n) => header.findIndex((h) => h.toLowerCase() === n.toLowerCase()));
    if (idx.some((i) => i < 0)) missing.push(...names.filter((_, k) => idx[k]! < 0));
    else out.set(field, idx);
  }
  if (missing.length) throw new Error(`The file has no column ${missing.map((m) => `"${m}"`).join(', ')} (its columns: ${header.slice(0, 30).join(', ')})`);
  return out;
}

/** The order of a group of rows, or the first row's reason why not. */
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
  const orderValue = (f: ImportField) => group.rows.map((r) => value(r, f)).find((v) => v) ?? '';
  const lines: ExternalOrder['lines'] = [];
  for (const row of group.rows) {
    if (row.cells.length !== header.length) throw new RowError(row.line, `has ${row.cells.length} cells where the header has ${header.length}`);
    if (row.cells.some((c) => c.includes('\uFFFD'))) throw new RowError(row.line, 'is not valid text in the file’s encoding (save the file as UTF-8)');
    const qtyText = value(row, 'quantity');
    const quantity = Number(qtyText.replace(',', '.'));
    if (!qtyText || !Number.isFinite(quantity) || quantity <= 0 || Math.round(quantity * 1000) !== quantity * 1000) {
      throw new RowError(row.line, `quantity "${qtyText}" is not a positive number (at most 3 decimals)`);
    }
    let unitPrice: number;
    try {
      unitPrice = parseMoney(value(row, 'unitPrice'));
    } catch (err) {
      throw new RowError(row.line, `unit price: ${(err as Error).message}`);
    }
    if (unitPrice < 0) throw new RowError(row.line, 'unit price is negative');
    const discountText = value(row, 'discount').replace('%', '');
    const discount = discountText ? Number(discountText.replace(',', '.')) : 0;
    if (!Number.isFinite(discount) || discount < 0 || discount > 100) throw new RowError(row.line, `discount "${discountText}" is not a percentage`);
    const rateText = value(row, 'taxRate').replace('%', '');
    const rate = rateText ? Number(rateText.replace(',', '.')) : null;
    if (rate !== null && (!Number.isFinite(rate) || rate < 0 || rate > 100)) throw new RowError(row.line, `tax rate "${rateText}" is not a percentage`);
    const sku = value(row, 'sku') || null;
    const name = value(row, 'productName') || sku || '';
    if (!name) throw new RowError(row.line, 'has neither a SKU nor a product name');
    lines.push({ sku, name, quantity, unitPrice, discount: Math.round(discount * 100) / 100, ...(rate !== null && { taxRates: [rate] }) });
  }
  let date: string;
  const dateText = orderValue('date');
  try {
    date = dateText ? parseDate(dateText) : new Date().toISOString();
  } catch (err) {
    throw new RowError(group.rows.find((r) => value(r, 'date'))?.line ?? first.line, (err as Error).message);
  }
  let shippingCost = 0;
  const shippingText = orderValue('shippingCost');
  if (shippingText) {
    try {
      shippingCost = parseMoney(shippingText);
    } catch (err) {
      throw new RowError(first.line, `shipping cost: ${(err as Error).message}`);
    }
  }
  const email = orderValue('customerEmail').toLowerCase() || null;
  const country = orderValue('shippingCountry').toUpperCase();
  const candidate = {
    externalId: group.reference,
    reference: group.reference,
    date,
    customer: {
      name: orderValue('customerName') || orderValue('shippingName') || email || `Customer of ${group.reference}`,
      email,
      phone: orderValue('customerPhone') || null,
    },
    shippingAddress: orderValue('shippingStreet')
      ? {
          name: orderValue('shippingName') || null,
          street: orderValue('shippingStreet') || null,
          street2: orderValue('shippingStreet2') || null,
          city: orderValue('shippingCity') || null,
          zip: orderValue('shippingZip') || null,
          state: orderValue('shippingState') || null,
          countryCode: /^[A-Z]{2}$/.test(country) ? country : null,
          phone: orderValue('shippingPhone') || null,
        }
      : null,
    lines,
    shipping: shippingCost > 0 ? { name: 'Shipping', amount: shippingCost } : null,
    note: orderValue('notes') || null,
    financialStatus: orderValue('financialStatus') || null,
  };
  const parsed = externalOrder.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RowError(first.line, `${issue.path.join('.')}: ${issue.message}`);
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
    errors: [],
    errorCount: 0,
    encoding: format.encoding,
    delimiter: format.delimiter === '\t' ? 'tab' : format.delimiter,
  };
  const errorsOut = stringify({ header: true, columns: ['row', 'reference', 'message'] });
  const done = new Promise<void>((resolve, reject) => errorsOut.pipe(createWriteStream(input.errorsFile)).on('finish', resolve).on('error', reject));
  const report = (e: ImportError) => {
    result.errorCount++;
    if (result.errors.length < MAX_ERRORS_KEPT) result.errors.push(e);
    errorsOut.write([e.row, e.reference ?? '', e.message]);
  };
  const knownSkus = new Set<string>();
  const missingSkus = new Set<string>();

  let header: string[] = [];
  let cols = new Map<ImportField, number[]>();
  const finished = new Set<string>();
  let current: Group | null = null;
  // Orders checked and waiting to be written, a chunk at a time.
  let pending: { order: ExternalOrder; group: Group }[] = [];
  let lastBytes = 0;
  // The first chunks are small, so the first orders show (and the progress moves) at once; they double up to CHUNK_ORDERS.
  let chunkOrders = FIRST_CHUNK_ORDERS;
  let pendingLines = 0;

  const count = (status: IntakeResult['status']) => {
    if (status === 'created') result.created++;
    else if (status === 'updated' || status === 'noted') result.updated++;
    else result.skipped++;
  };

  const writeChunk = async () => {
    const chunk = pending;
    pending = [];
    pendingLines = 0;
    if (!chunk.length) return;
    if (input.dryRun) {
      const existing = await SaleOrderModel.findAll({
        where: { channelId: channel.id, externalId: chunk.map((c) => c.order.externalId) },
        attributes: ['externalId', 'externalHash'],
      });
      const hashes = new Map(existing.map((o) => [o.externalId, o.externalHash]));
      for (const { order } of chunk) {
        if (!hashes.has(order.externalId)) result.created++;
        else if (hashes.get(order.externalId) === fingerprint(order)) result.skipped++;
        else result.updated++;
      }
      return;
    }
    await write(chunk);
  };

  // A chunk the database refuses is halved until the order it refuses stands alone: that order is
  // reported, every other one is taken.
  const write = async (chunk: { order: ExternalOrder; group: Group }[]): Promise<void> => {
    try {
      for (const r of await receiveExternalOrders(
        channel,
        chunk.map((c) => c.order),
      )) {
        count(r.status);
      }
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
      report({
        row: group.rows[0]!.line,
        reference: group.reference,
        message: `Row ${group.rows[0]!.line}: order ${group.reference} was not imported: ${reason(err)}`,
      });
      result.rejected++;
    }
  };

  const flush = async (group: Group) => {
    result.orders++;
    finished.add(group.reference);
    let order: ExternalOrder;
    try {
      order = toOrder(group, header, cols);
    } catch (err) {
      const line = err instanceof RowError ? err.line : group.rows[0]!.line;
      report({ row: line, reference: group.reference, message: `Row ${line}: ${(err as Error).message}; order ${group.reference} was not imported` });
      for (const r of group.rows) {
        if (r.line !== line) {
          report({ row: r.line, reference: group.reference, message: `Row ${r.line}: not imported with order ${group.reference} (see row ${line})` });
        }
      }
      result.rejected++;
      return;
    }
    // Unknown SKUs do not stop an order (it lands flagged); each is reported with its row.
    const skus = [...new Set(order.lines.map((l) => l.sku).filter((s): s is string => !!s && !knownSkus.has(s) && !missingSkus.has(s)))];
    if (skus.length) {
      for (const p of await ProductModel.findAll({ where: { sku: skus }, attributes: ['sku'] })) knownSkus.add(p.sku);
      for (const sku of skus) if (!knownSkus.has(sku)) missingSkus.add(sku);
    }
    const unknown = order.lines.map((l, i) => ({ l, row: group.rows[i]! })).filter(({ l }) => !l.sku || !knownSkus.has(l.sku));
    for (const { l, row } of unknown) {
      report({
        row: row.line,
        reference: group.reference,
        message: `Row ${row.line}: ${l.sku ? `unknown SKU "${l.sku}"` : 'no SKU'}; order ${group.reference} is imported flagged "needs attention"`,
      });
    }
    if (unknown.length) result.flagged++;
    pending.push({ order, group });
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
      cols = columnsOf(header, input.mapping);
      continue;
    }
    result.rows++;
    lastBytes = item.bytes;
    const refIdx = cols.get('reference')!;
    const reference = refIdx.map((i) => (item.cells[i] ?? '').trim()).join(' ');
    if (!reference) {
      report({ row: item.line, reference: null, message: `Row ${item.line}: no order reference` });
      continue;
    }
    if (current && current.reference === reference) {
      current.rows.push(item);
      continue;
    }
    if (current) await flush(current);
    current = null;
    if (finished.has(reference)) {
      report({ row: item.line, reference, message: `Row ${item.line}: order ${reference} appeared earlier in the file; an order's rows must be together` });
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
