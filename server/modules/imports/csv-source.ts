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

/** A row: its line in the file (1 = the header), its cells, and how far into the file it ends (bytes, about). */
export type CsvRow = { line: number; cells: string[]; bytes: number };

/** The file's rows after its header: cells as text (a ragged row keeps its own length). */
export async function* csvRows(path: string, format: CsvFormat): AsyncGenerator<{ header: string[] } | CsvRow> {
  const parser = createReadStream(path)
    .pipe(new DecoderStream(format.encoding))
    .pipe(parse({ delimiter: format.delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }));
  let header: string[] | null = null;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
    if (!header) {
      header = rec.record.map((h) => h.trim());
      yield { header };
      continue;
    }
    yield { line: rec.info.lines, cells: rec.record, bytes: rec.info.bytes };
  }
}

/** Bytes to text in a given encoding, streaming (a character split across chunks is kept whole). */
class DecoderStream extends Transform {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  constructor(encoding: CsvFormat['encoding']) {
    super({ decodeStrings: false });
    this.decoder = new TextDecoder(encoding);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    cb(null, this.decoder.decode(chunk, { stream: true }));
  }
  override _flush(cb: TransformCallback): void {
    cb(null, this.decoder.decode());
  }
}
