import { externalOrder, withoutNul, type ExternalOrder } from '../../../contracts/schemas/channels';
import type { AttentionReason } from '../../../contracts/schemas/sales';
import { lineGross, taxAmount } from '../../lib/money';
import type { CsvRow } from './csv-source';
import { plainOrder } from './import.check';
import { parseDate, parseMoney, parseQuantity, ratesIn } from './import.values';
import type { ImportField } from './profiles';

// A file's rows into orders: an order's rows are consecutive, grouped by its reference, its fields on
// the first row that has them, one line per row. Only what makes an order impossible to record rejects
// it (a quantity, price, amount or date that is not one), reported at the row it concerns; what needs
// a look is said, for the intake to flag.

/** An order's rows, as the file gives them. */
export type RowGroup = { reference: string; rows: CsvRow[] };

/** The file's columns: its header, and the cells each field is read from. */
export type Columns = { header: string[]; cols: Map<ImportField, number[]> };

const FALSE = new Set(['false', 'no', '0', 'n']);

/** Why a group of rows is not an order, at the row it concerns. */
export class RowError extends Error {
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
export function garbled(group: RowGroup): AttentionReason[] {
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
export function toOrder(group: RowGroup, { header, cols }: Columns): ExternalOrder {
  const value = (row: CsvRow, f: ImportField): string => {
    const idx = cols.get(f);
    if (!idx) return '';
    if (idx.length === 1) return (row.cells[idx[0]!] ?? '').trim();
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
  // The candidate is made of the rows' cells only: it holds a NUL only where a cell does.
  const nul = group.rows.some((r) => r.cells.some((c) => c.includes('\u0000')));
  // Most orders are plainly valid: the schema is asked only about the others (the same errors).
  const plain = nul ? null : plainOrder(candidate);
  if (plain) return plain;
  const parsed = externalOrder.safeParse(nul ? withoutNul(candidate) : candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A line's problem is reported at that line's row.
    const lineIndex = issue.path[0] === 'lines' && typeof issue.path[1] === 'number' ? issue.path[1] : null;
    throw new RowError(lineIndex !== null ? (group.rows[lineIndex] ?? first) : first, `${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
