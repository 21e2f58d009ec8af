import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  sectionPageSizeDefaults,
} from 'docx';
import { sellerDetailLines, type DocumentModel, type LabelledValue, type TextAlign } from './document.model';
import { qrCodePng } from './qr-code';

// Word units: twips (1/20 pt) for layout, half-points for font sizes, pixels at 96 dpi for images.
const MARGIN = 1134; // 2 cm, as in the PDF
const CONTENT_WIDTH = sectionPageSizeDefaults.WIDTH - 2 * MARGIN; // the default page is A4
const QR_PIXELS = 96; // 2.5 cm
const RULE = { style: BorderStyle.SINGLE, size: 4, color: '999999' } as const;

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } satisfies Record<TextAlign, unknown>;

function line(text: string, options: { bold?: boolean; size?: number; align?: TextAlign } = {}): Paragraph {
  return new Paragraph({ alignment: ALIGN[options.align ?? 'left'], children: [new TextRun({ text, bold: options.bold, size: options.size })] });
}

function labelled(item: LabelledValue, align: TextAlign = 'left'): Paragraph {
  return new Paragraph({ alignment: ALIGN[align], children: [new TextRun({ text: `${item.label}: `, bold: true }), new TextRun(item.value)] });
}

/** The content width shared between columns in proportion to their weights. */
function columnTwips(weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => Math.floor((CONTENT_WIDTH * w) / total));
}

/** Columns laid out without borders: a page layout, not a data table. */
function layoutTable(cells: Paragraph[][], weights: number[]): Table {
  const twips = columnTwips(weights);
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: twips,
    borders: TableBorders.NONE,
    rows: [new TableRow({ children: cells.map((children, i) => new TableCell({ children, width: { size: twips[i]!, type: WidthType.DXA } })) })],
  });
}

async function header(doc: DocumentModel): Promise<Table> {
  const left = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(doc.title)] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(doc.number)] }),
    ...doc.dates.map((d) => labelled(d)),
  ];
  const right = doc.qrCode
    ? [
        new Paragraph({
          alignment: AlignmentType.RIGHT,
          children: [
            new ImageRun({
              type: 'png',
              data: await qrCodePng(doc.qrCode),
              transformation: { width: QR_PIXELS, height: QR_PIXELS },
              altText: { name: 'QR code', description: doc.qrCode, title: doc.qrCode },
            }),
          ],
        }),
      ]
    : [new Paragraph('')];
  return layoutTable([left, right], [3, 1]);
}

function addressBlocks(doc: DocumentModel): Table {
  const seller = [line('From', { bold: true, size: 16 }), line(doc.seller.name, { bold: true }), ...sellerDetailLines(doc.seller).map((l) => line(l))];
  const recipient = [
    line(doc.recipient.heading, { bold: true, size: 16 }),
    line(doc.recipient.name, { bold: true }),
    ...doc.recipient.addressLines.map((l) => line(l)),
  ];
  return layoutTable([seller, recipient], [1, 1]);
}

function linesTable(doc: DocumentModel): Table {
  const { columns, rows } = doc.table;
  const twips = columnTwips(columns.map((c) => c.weight));
  const cell = (text: string, i: number, bold: boolean) =>
    new TableCell({
      width: { size: twips[i]!, type: WidthType.DXA },
      shading: bold ? { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' } : undefined,
      children: [line(text, { bold, align: columns[i]!.align })],
    });
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: twips,
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
    borders: { top: RULE, bottom: RULE, left: RULE, right: RULE, insideHorizontal: RULE, insideVertical: RULE },
    rows: [
      // Word repeats the header row at the top of every page the table runs onto.
      new TableRow({ tableHeader: true, children: columns.map((c, i) => cell(c.header, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: columns.map((_, i) => cell(r[i] ?? '', i, false)) })),
    ],
  });
}

const spacer = () => new Paragraph('');

export async function renderDocx(doc: DocumentModel): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [await header(doc), spacer(), addressBlocks(doc), spacer()];
  if (doc.references.length > 0) children.push(...doc.references.map((r) => labelled(r)), spacer());
  children.push(linesTable(doc));
  if (doc.totals.length > 0) children.push(spacer(), ...doc.totals.map((t) => labelled(t, 'right')));
  if (doc.notes) children.push(spacer(), ...doc.notes.split('\n').map((l) => line(l)));
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ size: 16, children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })],
      }),
    ],
  });
  const file = new Document({
    title: `${doc.title} ${doc.number}`,
    styles: { default: { document: { run: { font: 'Arial', size: 20 } } } },
    sections: [{ properties: { page: { margin: { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN } } }, footers: { default: footer }, children }],
  });
  return Packer.toBuffer(file);
}
