// One description of a printable document (delivery note, invoice, credit note) that every renderer
// (DOCX, PDF) lays out the same way. Values are display text already: renderers format nothing.

export type TextAlign = 'left' | 'center' | 'right';

/** A labelled value: a date, a reference ("Order", "S00012") or a total. */
export type LabelledValue = { label: string; value: string };

export type SellerBlock = {
  name: string;
  addressLines: string[];
  vatId: string | null;
  email: string | null;
  phone: string | null;
};

export type RecipientBlock = {
  /** What the block is, e.g. "Deliver to" or "Bill to". */
  heading: string;
  name: string;
  addressLines: string[];
};

export type TableColumn = {
  header: string;
  align: TextAlign;
  /** Share of the table's width, relative to the other columns. */
  weight: number;
};

export type DocumentTable = {
  columns: TableColumn[];
  /** Each row holds one cell per column. */
  rows: string[][];
};

export type DocumentModel = {
  title: string;
  number: string;
  dates: LabelledValue[];
  seller: SellerBlock;
  recipient: RecipientBlock;
  references: LabelledValue[];
  table: DocumentTable;
  /** Empty when the document has no amounts (a delivery note). */
  totals: LabelledValue[];
  notes: string | null;
  /** Printed as a QR code, so a scanner finds the record (e.g. the picking name). */
  qrCode: string | null;
};

/** The seller's lines under its name: address, then VAT id and contact details where known. */
export function sellerDetailLines(seller: SellerBlock): string[] {
  const lines = [...seller.addressLines];
  if (seller.vatId) lines.push(`VAT ${seller.vatId}`);
  const contact = [seller.email, seller.phone].filter((v): v is string => !!v);
  if (contact.length > 0) lines.push(contact.join(' · '));
  return lines;
}
