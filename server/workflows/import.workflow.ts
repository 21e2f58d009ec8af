import { createWriteStream } from 'node:fs';
import { BaseError } from 'sequelize';
import type { ExternalOrder, IntakeResult } from '../../contracts/schemas/channels';
import type { ImportError, ImportResult } from '../../contracts/schemas/imports';
import type { AttentionReason } from '../../contracts/schemas/sales';
import { csvWriter } from '../lib/csv';
import { logger } from '../lib/logger';
import { runtime } from '../runtime';
import type { ChannelModel } from '../modules/channels/channel.model';
import { channelById } from '../modules/channels/channel.service';
import { csvRows, detectFormat, readHead, type CsvFormat, type CsvRow } from '../modules/imports/csv-source';
import { garbled, RowError, toOrder, type Columns, type RowGroup } from '../modules/imports/import.rows';
import { resolveColumns, type Mapping } from '../modules/imports/profiles';
import { receiveExternalOrders } from './order-intake.workflow';

// A CSV of orders into sale orders, streamed: rows are grouped into orders by reference (an order's
// rows are consecutive, its fields on the first of them), each order checked, then taken a chunk of
// orders per transaction through the same intake as the shops (customers, products and taxes matched
// once per chunk, orders and lines written in multi-row inserts), so a re-run of a file creates nothing
// new. Only what makes an order impossible to record rejects it (a quantity, price, amount or date that
// is not one), reported at the line its record starts on; the rest comes in, flagged with the reason
// where something needs a look. An order the database refuses has its chunk halved until it stands
// alone; a dry run does it all and rolls it back.

const MAX_ERRORS_KEPT = 1000;
// Orders are written a chunk at a time, each chunk in one transaction: up to IMPORT_CHUNK_ORDERS
// orders, or four lines an order (the file's orders may have many).
const FIRST_CHUNK_ORDERS = 25;
const LINES_PER_ORDER = 4;
// While a chunk is written, the reading lets its statements' answers in after this many orders.
const YIELD_EVERY = 10;

export type ImportInput = { file: string; mapping: Mapping; channelId: number; dryRun: boolean; errorsFile: string };

/** How far an import is: the rows taken, and the bytes of the file they span. */
export type ImportProgress = { rows: number; bytes: number };
type Progress = (done: ImportProgress) => Promise<void>;

/** An order checked and waiting to be written, with what its rows themselves need a look at. */
type Pending = { order: ExternalOrder; group: RowGroup; noted: AttentionReason[] };

/** An import under way: what it reads into, what it has counted, and the orders waiting for their chunk. */
type ImportRun = {
  input: ImportInput;
  channel: ChannelModel;
  result: ImportResult;
  /** A row not taken, written to the errors file (and kept in the result, the first MAX_ERRORS_KEPT). */
  report: (row: CsvRow, reference: string | null, message: string) => void;
  /** The errors file, written to its end. */
  closeReport: () => Promise<void>;
  pending: Pending[];
  pendingLines: number;
  // The first chunks are small, so the first orders show (and the progress moves) at once; they double up to maxChunkOrders.
  chunkOrders: number;
  maxChunkOrders: number;
  chunkLines: number;
  /** The chunk being written while the next is read (one at a time, in the file's order). */
  writing: Promise<void> | null;
  /** A chunk is being written: the reading lets its statements' answers in every few orders. */
  busy: boolean;
  /** Orders read since the reading last let them in. */
  sinceYield: number;
  /** The progress told so far (in order; a chunk's write does not wait for it). */
  told: Promise<void>;
  /** The bytes of the file its rows read so far span. */
  lastBytes: number;
};

export async function runImport(input: ImportInput, progress: Progress): Promise<ImportResult> {
  const format = await readSource(input.file);
  const channel = await resolveChannel(input.channelId);
  const run = startRun(input, channel, format);
  try {
    for await (const { group, columns } of parseRecords(run, format)) {
      const order = mapRows(run, group, columns);
      if (order) await queueOrder(run, order, progress);
    }
    await intakeChunk(run);
    await run.writing;
    await run.told;
  } catch (err) {
    // A file that cannot be read on stops the import once the chunk being written is.
    await run.writing?.catch(() => undefined);
    await run.told.catch(() => undefined);
    throw err;
  }
  return finish(run, progress);
}

/** The file's encoding and delimiter, from its first bytes. */
async function readSource(file: string): Promise<CsvFormat> {
  return detectFormat(await readHead(file));
}

async function resolveChannel(channelId: number): Promise<ChannelModel> {
  const channel = await channelById(null, channelId);
  if (!channel) throw new Error(`channel ${channelId} does not exist`);
  return channel;
}

/** The run's empty result, and its errors file opened. */
function startRun(input: ImportInput, channel: ChannelModel, format: CsvFormat): ImportRun {
  const chunkOrders = runtime().config.importChunkOrders;
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
  const closeReport = () => {
    errorsOut.end();
    return done;
  };
  return {
    input,
    channel,
    result,
    report,
    closeReport,
    pending: [],
    pendingLines: 0,
    chunkOrders: Math.min(FIRST_CHUNK_ORDERS, chunkOrders),
    maxChunkOrders: chunkOrders,
    chunkLines: chunkOrders * LINES_PER_ORDER,
    writing: null,
    busy: false,
    sinceYield: 0,
    told: Promise.resolve(),
    lastBytes: 0,
  };
}

/**
 * The file's records grouped into orders by reference, each group as soon as its last row is read
 * (the first row of the next order). A row without a reference, or of an order whose rows came
 * earlier, is reported and left out.
 */
async function* parseRecords(run: ImportRun, format: CsvFormat): AsyncGenerator<{ group: RowGroup; columns: Columns }> {
  const { input, result, report } = run;
  let columns: Columns | null = null;
  const finished = new Set<string>();
  let current: RowGroup | null = null;
  for await (const item of csvRows(input.file, format)) {
    if ('header' in item) {
      const resolved = resolveColumns(item.header, input.mapping);
      if (resolved.missing.length) {
        throw new Error(`The file has no column ${resolved.missing.map((m) => `"${m}"`).join(', ')} (its columns: ${item.header.slice(0, 30).join(', ')})`);
      }
      columns = { header: item.header, cols: resolved.columns };
      continue;
    }
    result.rows++;
    run.lastBytes = item.bytes;
    const refIdx = columns!.cols.get('reference')!;
    const reference = refIdx.map((i) => (item.cells[i] ?? '').trim()).join(' ');
    if (!reference) {
      report(item, null, 'no order reference');
      continue;
    }
    if (current && current.reference === reference) {
      current.rows.push(item);
      continue;
    }
    if (current) {
      finished.add(current.reference);
      yield { group: current, columns: columns! };
    }
    current = null;
    if (finished.has(reference)) {
      report(item, reference, `order ${reference} appeared earlier in the file; an order's rows must be together`);
      continue;
    }
    current = { reference, rows: [item] };
  }
  if (current) {
    finished.add(current.reference);
    yield { group: current, columns: columns! };
  }
  if (!columns) throw new Error('The file is empty');
}

/** A group of rows as the order it makes, or null when it makes none (its rows are reported). */
function mapRows(run: ImportRun, group: RowGroup, columns: Columns): Pending | null {
  const { result, report } = run;
  result.orders++;
  try {
    return { order: toOrder(group, columns), group, noted: garbled(group) };
  } catch (err) {
    const at = err instanceof RowError ? err.row : group.rows[0]!;
    report(at, group.reference, `${(err as Error).message}; order ${group.reference} was not imported`);
    for (const r of group.rows) {
      if (r !== at) report(r, group.reference, `not imported with order ${group.reference} (see line ${at.line})`);
    }
    result.rejected++;
    return null;
  }
}

/** An order waits for its chunk; a full chunk is taken (while the next is read), and the progress told once it is. */
async function queueOrder(run: ImportRun, pending: Pending, progress: Progress): Promise<void> {
  run.pending.push(pending);
  run.pendingLines += pending.order.lines.length;
  if (run.pending.length >= run.chunkOrders || run.pendingLines >= run.chunkLines) {
    // The row that ended this order is read but not yet taken.
    const done = { rows: run.result.rows - 1, bytes: pending.group.rows.at(-1)!.bytes };
    await intakeChunk(run, () => progress(done));
    run.chunkOrders = Math.min(run.maxChunkOrders, run.chunkOrders * 2);
  } else if (run.busy && ++run.sinceYield >= YIELD_EVERY) {
    // The file's rows come in microtasks, which would hold the answers to the chunk's statements back
    // until a read of the file: the write waits for the reading otherwise.
    run.sinceYield = 0;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * The orders waiting, taken in one transaction once the chunk before them is (chunks are written one
 * at a time, in order: a chunk sees every order of the chunks before it). The file is read on
 * meanwhile, so reading and writing overlap; `then` runs once this chunk is written.
 */
async function intakeChunk(run: ImportRun, then?: () => Promise<void>): Promise<void> {
  const chunk = run.pending;
  run.pending = [];
  run.pendingLines = 0;
  await run.writing;
  if (!chunk.length) return;
  run.busy = true;
  const writing = intake(run, chunk).finally(() => (run.busy = false));
  // Told once the chunk is written, after what was told before; the next chunk does not wait for it.
  if (then) run.told = Promise.all([run.told, writing]).then(then);
  // Awaited before the next chunk (or at the end), where a failure stops the import; not unhandled meanwhile.
  writing.catch(() => undefined);
  run.told.catch(() => undefined);
  run.writing = writing;
}

// A chunk the database refuses is halved until the order it refuses stands alone: that order is
// reported, every other one is taken. A dry run goes the same way and is rolled back.
async function intake(run: ImportRun, chunk: Pending[]): Promise<void> {
  try {
    const results = await receiveExternalOrders(
      run.channel,
      chunk.map((c) => c.order),
      { dryRun: run.input.dryRun, noted: chunk.map((c) => c.noted) },
    );
    results.forEach((r, i) => count(run, r, chunk[i]!.group));
    return;
  } catch (err) {
    if (chunk.length > 1) {
      logger.warn({ err: reason(err), orders: chunk.length }, 'import chunk refused; taking it in halves');
      const half = Math.ceil(chunk.length / 2);
      await intake(run, chunk.slice(0, half));
      await intake(run, chunk.slice(half));
      return;
    }
    const { group } = chunk[0]!;
    run.report(group.rows[0]!, group.reference, `order ${group.reference} was not imported: ${reason(err)}`);
    run.result.rejected++;
  }
}

/** An order taken, counted by what the intake did with it. */
function count({ input, result }: ImportRun, r: IntakeResult, group: RowGroup): void {
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
}

/** Why the database refused something, in its own words (Sequelize's wrapper may only say "Validation error"). */
function reason(err: unknown): string {
  const e = err as Error & { parent?: Error };
  return e instanceof BaseError && e.parent?.message ? `the database refused it (${e.parent.message})` : e.message;
}

/** The errors file written, the progress at its end: the report. */
async function finish(run: ImportRun, progress: Progress): Promise<ImportResult> {
  await run.closeReport();
  await progress({ rows: run.result.rows, bytes: run.lastBytes });
  return run.result;
}
