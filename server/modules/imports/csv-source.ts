import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';

// Reading an uploaded CSV as a stream: its encoding (UTF-8, with or without BOM, else Windows-1252)
// and delimiter (, ; tab |) found from its first bytes; rows come one at a time with their line number.

export type CsvFormat = { encoding: 'utf-8' | 'windows-1252'; delimiter: string };

const DELIMITERS = [',', ';', '\t', '|'];

export function detectFormat(head: Buffer): CsvFormat {
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  let encoding: CsvFormat['encoding'] = 'utf-8';
  if (!bom) {
    // UTF-8 unless its invalid sequences outnumber its valid non-ASCII characters: a UTF-8 file with a
    // stray Latin-1 row stays UTF-8 (that row is reported), a Latin-1 file is read as Windows-1252.
    // A multi-byte character cut at the end of the sample is not counted.
    const text = new TextDecoder('utf-8').decode(head.subarray(0, Math.max(0, head.length - 4)));
    let invalid = 0;
    let valid = 0;
    for (const ch of text) {
      if (ch === '\uFFFD') invalid++;
      else if (ch.charCodeAt(0) > 0x7f) valid++;
    }
    if (invalid > valid) encoding = 'windows-1252';
  }
  const firstLine = new TextDecoder(encoding).decode(head).split(/\r?\n/)[0] ?? '';
  // The delimiter that splits the header line most (outside quotes).
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const delimiter = DELIMITERS.map((d) => ({ d, n: unquoted.split(d).length })).sort((a, b) => b.n - a.n)[0]!;
  return { encoding, delimiter: delimiter.n > 1 ? delimiter.d : ',' };
}

export async function readHead(path: string, bytes = 64 * 1024): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * A row (a record of the file): the physical line where it starts (1 = the header; a quoted field may
 * hold line breaks, so a record may span several lines), its number among the records after the header,
 * its cells, and how far into the file it ends (bytes, about).
 */
export type CsvRow = { line: number; record: number; cells: string[]; bytes: number };

/** The file's rows after its header: cells as text (a ragged row keeps its own length). */
export async function* csvRows(path: string, format: CsvFormat): AsyncGenerator<{ header: string[] } | CsvRow> {
  const lines = new LineIndex();
  const parser = createReadStream(path)
    .pipe(new DecoderStream(format.encoding, lines))
    .pipe(parse({ delimiter: format.delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }));
  let header: string[] | null = null;
  let record = 0;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
    const line = lines.recordStart(rec.info.bytes);
    if (!header) {
      header = rec.record.map((h) => h.trim());
      yield { header };
      continue;
    }
    yield { line, record: ++record, cells: rec.record, bytes: rec.info.bytes };
  }
}

/**
 * Where records start: the parser says where each record ends (in bytes of the UTF-8 text it reads);
 * the line breaks before that are counted here (CR LF, LF or CR, each one line), skipping the empty
 * lines between records. Only the text not yet passed is kept.
 */
class LineIndex {
  private chunks: Buffer[] = [];
  private offset = 0; // bytes passed so far
  private line = 1; // the line at `offset`
  private lastCr = false; // the byte before `offset` was a CR (a CR LF counts once)

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  /** The first line of the record that ends at byte `end`; the counting moves on to `end`. */
  recordStart(end: number): number {
    let start: number | null = null;
    while (this.offset < end && this.chunks.length) {
      const chunk = this.chunks[0]!;
      const take = Math.min(chunk.length, end - this.offset);
      for (let i = 0; i < take; i++) {
        const b = chunk[i]!;
        if (b === 0x0a) {
          if (!this.lastCr) this.line++;
          this.lastCr = false;
        } else if (b === 0x0d) {
          this.line++;
          this.lastCr = true;
        } else {
          this.lastCr = false;
          start ??= this.line;
        }
      }
      this.offset += take;
      if (take === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(take);
    }
    return start ?? this.line;
  }
}

/** Bytes to UTF-8 from a given encoding, streaming (a character split across chunks is kept whole). */
class DecoderStream extends Transform {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  constructor(
    encoding: CsvFormat['encoding'],
    private readonly lines: LineIndex,
  ) {
    super();
    this.decoder = new TextDecoder(encoding);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.out(this.decoder.decode(chunk, { stream: true }), cb);
  }
  override _flush(cb: TransformCallback): void {
    this.out(this.decoder.decode(), cb);
  }
  // The parser reads the same bytes the line index counts.
  private out(text: string, cb: TransformCallback): void {
    const bytes = Buffer.from(text, 'utf8');
    this.lines.push(bytes);
    cb(null, bytes);
  }
}
