import { fn, col, literal } from 'sequelize';
import { utcDay } from '../../db/dates';
import type { Auth } from '../auth/access';
import { InvoiceModel } from './invoice.model';
import { invoiceWhere, type InvoiceFilter } from './invoice.service';

// Figures of the invoices list for other screens (the dashboard): how many a filter selects and what they
// still owe, by how late they are (the aged receivables' buckets), added up by the database.

export type AgedAmounts = { days1to30: number; days31to60: number; days61to90: number; daysOver90: number };

/** The invoices the list shows under a filter: their count, their open amount and that amount by days past due. */
export async function invoiceFigures(auth: Auth, filter: InvoiceFilter): Promise<{ count: number; residual: number; aged: AgedAmounts }> {
  // Days past the due date, as of today: 1–30 means due on or after the day 30 days ago.
  const since = (days: number) => InvoiceModel.sequelize!.escape(utcDay(-days));
  const bucket = (from: number, to: number | null) =>
    fn('SUM', literal(`CASE WHEN dueDate < ${since(from - 1)}${to === null ? '' : ` AND dueDate >= ${since(to)}`} THEN amountResidual ELSE 0 END`));
  const [row] = (await InvoiceModel.findAll({
    where: await invoiceWhere(auth, filter),
    attributes: [
      [fn('COUNT', col('id')), 'count'],
      [fn('SUM', col('amountResidual')), 'residual'],
      [bucket(1, 30), 'days1to30'],
      [bucket(31, 60), 'days31to60'],
      [bucket(61, 90), 'days61to90'],
      [bucket(91, null), 'daysOver90'],
    ],
    raw: true,
  })) as unknown as Record<'count' | 'residual' | keyof AgedAmounts, number | string | null>[];
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  return {
    count: n(row?.count),
    residual: n(row?.residual),
    aged: { days1to30: n(row?.days1to30), days31to60: n(row?.days31to60), days61to90: n(row?.days61to90), daysOver90: n(row?.daysOver90) },
  };
}
