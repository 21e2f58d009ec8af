import PDFDocument from 'pdfkit';
import { sellerDetailLines, type DocumentModel, type DocumentTable, type LabelledValue, type TextAlign } from './document.model';
import { qrCodePng } from './qr-code';

// Layout in points (1/72 in) on A4, with the 14 standard PDF fonts: nothing to embed or read from disk.
type Pdf = PDFKit.PDFDocument;
type Style = { bold?: boolean; size?: number; align?: TextAlign; color?: string };

const MARGIN = 56.7; // 2 cm, as in the DOCX
const QR_SIZE = 72; // 2.5 cm
const LABEL_WIDTH = 90;
const CELL_PADDING = 4;
const GAP = 18;

// The standard fonts only know WinAnsi (Windows-1252): Latin-1 plus these from its 0x80–0x9F range.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** The text as the standard fonts can draw it: any other character becomes '?'. */
export function winAnsi(text: string): string {
  let out = '';
  // NFC first, so an "e" followed by a combining accent becomes the one WinAnsi "é".
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    const code = char.codePointAt(0)!;
    const drawable = char === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char);
    out += drawable ? char : '?';
  }
  return out;
}

function contentWidth(pdf: Pdf): number {
  return pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
}

function setStyle(pdf: Pdf, style: Style): void {
  pdf
    .font(style.bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(style.size ?? 10)
    .fillColor(style.color ?? 'black');
}

function textHeight(pdf: Pdf, text: string, width: number, style: Style = {}): number {
  setStyle(pdf, style);
  return pdf.heightOfString(winAnsi(text), { width });
}

/** Draws the text in a box of the given width and returns the y below it. */
function write(pdf: Pdf, text: string, x: number, y: number, width: number, style: Style = {}): number {
  const safe = winAnsi(text);
  setStyle(pdf, style);
  pdf.text(safe, x, y, { width, align: style.align ?? 'left' });
  return y + pdf.heightOfString(safe, { width });
}

/** Starts a new page when the next `height` points would run into the bottom margin. */
function room(pdf: Pdf, y: number, height: number): number {
  if (y + height <= pdf.page.maxY()) return y;
  pdf.addPage();
  return pdf.page.margins.top;
}

/** "Label  value" lines, the labels in a column of their own. */
function fields(pdf: Pdf, items: LabelledValue[], x: number, y: number, width: number): number {
  for (const item of items) {
    const height = Math.max(textHeight(pdf, item.label, LABEL_WIDTH, { bold: true }), textHeight(pdf, item.value, width - LABEL_WIDTH));
    y = room(pdf, y, height);
    write(pdf, item.label, x, y, LABEL_WIDTH, { bold: true });
    write(pdf, item.value, x + LABEL_WIDTH, y, width - LABEL_WIDTH);
    y += height;
  }
  return y;
}

function header(pdf: Pdf, doc: DocumentModel, qr: Buffer | null, y: number): number {
  const x = pdf.page.margins.left;
  const width = contentWidth(pdf) - QR_SIZE - GAP;
  const top = y;
  y = write(pdf, doc.title, x, y, width, { bold: true, size: 20 });
  y = write(pdf, doc.number, x, y + 2, width, { bold: true, size: 14 }) + 6;
  y = fields(pdf, doc.dates, x, y, width);
  if (qr) pdf.image(qr, x + contentWidth(pdf) - QR_SIZE, top, { width: QR_SIZE, height: QR_SIZE });
  return qr ? Math.max(y, top + QR_SIZE) : y;
}

function addressBlocks(pdf: Pdf, doc: DocumentModel, y: number): number {
  const width = (contentWidth(pdf) - GAP) / 2;
  const block = (x: number, heading: string, name: string, lines: string[]) => {
    let bottom = write(pdf, heading, x, y, width, { bold: true, size: 8, color: '#666666' }) + 2;
    bottom = write(pdf, name, x, bottom, width, { bold: true, size: 11 });
    for (const line of lines) bottom = write(pdf, line, x, bottom, width);
    return bottom;
  };
  const left = pdf.page.margins.left;
  const seller = block(left, 'From', doc.seller.name, sellerDetailLines(doc.seller));
  const recipient = block(left + width + GAP, doc.recipient.heading, doc.recipient.name, doc.recipient.addressLines);
  return Math.max(seller, recipient);
}

function linesTable(pdf: Pdf, table: DocumentTable, y: number): number {
  const left = pdf.page.margins.left;
  const totalWeight = table.columns.reduce((s, c) => s + c.weight, 0);
  const widths = table.columns.map((c) => (contentWidth(pdf) * c.weight) / totalWeight);
  const starts = widths.map((_, i) => left + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const headers = table.columns.map((c) => c.header);

  const rowHeight = (cells: string[], bold: boolean) =>
    Math.max(...cells.map((cell, i) => textHeight(pdf, cell, widths[i]! - 2 * CELL_PADDING, { bold }))) + 2 * CELL_PADDING;
  const drawRow = (cells: string[], top: number, bold: boolean) => {
    const height = rowHeight(cells, bold);
    if (bold) pdf.rect(left, top, contentWidth(pdf), height).fill('#eeeeee');
    cells.forEach((cell, i) => {
      write(pdf, cell, starts[i]! + CELL_PADDING, top + CELL_PADDING, widths[i]! - 2 * CELL_PADDING, { bold, align: table.columns[i]!.align });
    });
    pdf
      .moveTo(left, top + height)
      .lineTo(left + contentWidth(pdf), top + height)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    return top + height;
  };

  const headerHeight = rowHeight(headers, true);
  // The header row never stands alone at the foot of a page.
  y = drawRow(headers, room(pdf, y, headerHeight + rowHeight(table.rows[0] ?? headers, false)), true);
  for (const row of table.rows) {
    const cells = table.columns.map((_, i) => row[i] ?? '');
    const top = room(pdf, y, rowHeight(cells, false));
    // On a new page the reader needs the column headers again.
    y = top === y ? drawRow(cells, y, false) : drawRow(cells, drawRow(headers, top, true), false);
  }
  return y;
}

function totals(pdf: Pdf, items: LabelledValue[], y: number): number {
  // Labels ("VAT 20% on €1,234.56") take two thirds; a row is as tall as its taller cell.
  const width = 300;
  const labelWidth = (width * 2) / 3;
  const x = pdf.page.margins.left + contentWidth(pdf) - width;
  for (const item of items) {
    y = room(pdf, y, Math.max(textHeight(pdf, item.label, labelWidth, { bold: true }), textHeight(pdf, item.value, width - labelWidth)));
    const below = write(pdf, item.label, x, y, labelWidth, { bold: true });
    y = Math.max(below, write(pdf, item.value, x + labelWidth, y, width - labelWidth, { align: 'right' }));
  }
  return y;
}

function pageNumbers(pdf: Pdf): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = 0; i < count; i++) {
    pdf.switchToPage(start + i);
    // The footer sits in the bottom margin, where pdfkit would otherwise start a new page.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    setStyle(pdf, { size: 8, color: '#666666' });
    pdf.text(`Page ${i + 1} of ${count}`, pdf.page.margins.left, pdf.page.height - bottom / 2, {
      width: contentWidth(pdf),
      align: 'center',
      lineBreak: false,
    });
    pdf.page.margins.bottom = bottom;
  }
}

function collect(pdf: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

export async function renderPdf(doc: DocumentModel): Promise<Buffer> {
  const qr = doc.qrCode ? await qrCodePng(doc.qrCode) : null;
  // Pages stay in memory until the end, so the footer can say how many there are.
  const pdf = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: `${doc.title} ${doc.number}` } });
  const output = collect(pdf);

  let y = header(pdf, doc, qr, pdf.page.margins.top) + GAP;
  y = addressBlocks(pdf, doc, y) + GAP;
  if (doc.references.length > 0) y = fields(pdf, doc.references, pdf.page.margins.left, y, contentWidth(pdf)) + GAP;
  y = linesTable(pdf, doc.table, y);
  if (doc.totals.length > 0) y = totals(pdf, doc.totals, y + GAP / 2);
  if (doc.notes) {
    const top = room(pdf, y + GAP, textHeight(pdf, doc.notes, contentWidth(pdf)));
    write(pdf, doc.notes, pdf.page.margins.left, top, contentWidth(pdf));
  }
  pageNumbers(pdf);
  pdf.end();
  return output;
}
