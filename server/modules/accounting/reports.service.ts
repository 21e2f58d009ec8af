import { Op, fn, col, type WhereOptions } from 'sequelize';
import type { z } from 'zod';
import type { List } from '../../../contracts/schemas/common';
import type { AccountTotals, JournalItem, ReceivableRow, journalItemQuery, receivablesQuery } from '../../../contracts/schemas/invoices';
import { requireAccess, type Auth } from '../auth/access';
import { partnerNames } from '../partners/partner.service';
import { AccountModel } from './account.model';
import { InvoiceModel, JournalItemModel, PaymentModel } from './invoice.model';
import { invoiceScope, ownInvoiceIds } from './invoice.access';
import { today } from './invoice.mapper';
import { ownOrdersOnly } from '../sales/sale-order.access';
import { toJournalItem } from './journal-entries';

// Accounting reports: the customers' balances with their aged receivables, and the journal items with
// debit and credit totals per account. Every figure comes from posted records (entries, residuals).

const DAY = 86_400_000;

// The record rule in the reports: a user limited to their own orders sees the figures of their orders'
// invoices only (their entries, residuals and payments), never a customer's whole account.
function ownRows(auth: Auth): { invoiceId?: { [Op.in]: ReturnType<typeof ownInvoiceIds> } } {
  return ownOrdersOnly(auth) ? { invoiceId: { [Op.in]: ownInvoiceIds(auth.user.id) } } : {};
}

export async function receivables(
  auth: Auth,
  query: z.output<typeof receivablesQuery>,
): Promise<{ asOf: string; items: ReceivableRow[]; totals: Omit<ReceivableRow, 'partnerId' | 'partnerName'> }> {
  requireAccess(auth, 'invoice.read');
  const asOf = query.asOf ?? today();
  const receivableIds = (await AccountModel.findAll({ where: { type: 'receivable' }, attributes: ['id'] })).map((a) => a.id);
  const partnerFilter = query.partnerId ? { partnerId: query.partnerId } : {};
  const [balances, open, payments] = await Promise.all([
    JournalItemModel.findAll({
      where: { accountId: receivableIds, partnerId: { [Op.ne]: null }, date: { [Op.lte]: asOf }, ...partnerFilter, ...ownRows(auth) },
      attributes: ['partnerId', [fn('SUM', col('debit')), 'debit'], [fn('SUM', col('credit')), 'credit']],
      group: ['partnerId'],
      raw: true,
    }) as unknown as Promise<{ partnerId: number; debit: string | number; credit: string | number }[]>,
    InvoiceModel.findAll({
      where: {
        [Op.and]: [
          { state: 'posted', amountResidual: { [Op.gt]: 0 }, invoiceDate: { [Op.lte]: asOf }, moveType: ['out_invoice', 'out_refund'], ...partnerFilter },
          invoiceScope(auth),
        ],
      },
      attributes: ['partnerId', 'moveType', 'dueDate', 'invoiceDate', 'amountResidual'],
    }),
    PaymentModel.findAll({
      where: { direction: 'inbound', date: { [Op.lte]: asOf }, ...partnerFilter, ...ownRows(auth) },
      attributes: ['partnerId', 'amount', 'amountApplied'],
    }),
  ]);
  const rows = new Map<number, ReceivableRow>();
  const row = (partnerId: number) => {
    let r = rows.get(partnerId);
    if (!r) {
      r = { partnerId, partnerName: '', balance: 0, notDue: 0, days1to30: 0, days31to60: 0, days61to90: 0, daysOver90: 0, credit: 0 };
      rows.set(partnerId, r);
    }
    return r;
  };
  for (const b of balances) row(b.partnerId).balance = Number(b.debit) - Number(b.credit);
  const asOfTime = Date.parse(`${asOf}T00:00:00Z`);
  for (const inv of open) {
    const r = row(inv.partnerId);
    if (inv.moveType === 'out_refund') {
      r.credit += inv.amountResidual;
      continue;
    }
    const late = Math.floor((asOfTime - Date.parse(`${inv.dueDate ?? inv.invoiceDate}T00:00:00Z`)) / DAY);
    if (late <= 0) r.notDue += inv.amountResidual;
    else if (late <= 30) r.days1to30 += inv.amountResidual;
    else if (late <= 60) r.days31to60 += inv.amountResidual;
    else if (late <= 90) r.days61to90 += inv.amountResidual;
    else r.daysOver90 += inv.amountResidual;
  }
  for (const p of payments) if (p.amount > p.amountApplied) row(p.partnerId).credit += p.amount - p.amountApplied;
  const items = [...rows.values()].filter((r) => r.balance || r.notDue || r.days1to30 || r.days31to60 || r.days61to90 || r.daysOver90 || r.credit);
  const names = await partnerNames(
    null,
    items.map((r) => r.partnerId),
  );
  for (const r of items) r.partnerName = names.get(r.partnerId) ?? '';
  items.sort((a, b) => b.balance - a.balance || a.partnerName.localeCompare(b.partnerName));
  const keys = ['balance', 'notDue', 'days1to30', 'days31to60', 'days61to90', 'daysOver90', 'credit'] as const;
  const totals = Object.fromEntries(keys.map((k) => [k, items.reduce((s, r) => s + r[k], 0)])) as Omit<ReceivableRow, 'partnerId' | 'partnerName'>;
  return { asOf, items, totals };
}

function itemWhere(auth: Auth, q: z.output<typeof journalItemQuery>): WhereOptions<JournalItemModel> {
  const and: WhereOptions<JournalItemModel>[] = [ownRows(auth)];
  if (q.accountId) and.push({ accountId: q.accountId });
  if (q.partnerId) and.push({ partnerId: q.partnerId });
  if (q.invoiceId) and.push({ invoiceId: q.invoiceId });
  if (q.dateFrom) and.push({ date: { [Op.gte]: q.dateFrom } });
  if (q.dateTo) and.push({ date: { [Op.lte]: q.dateTo } });
  return { [Op.and]: and };
}

export async function journalItems(
  auth: Auth,
  query: z.output<typeof journalItemQuery>,
): Promise<List<JournalItem> & { totals: AccountTotals[]; debit: number; credit: number }> {
  requireAccess(auth, 'invoice.read');
  const where = itemWhere(auth, query);
  const [rows, total, sums, accounts] = await Promise.all([
    JournalItemModel.findAll({ where, order: [['id', 'DESC']], limit: query.limit, offset: query.offset }),
    JournalItemModel.count({ where }),
    JournalItemModel.findAll({
      where,
      attributes: ['accountId', [fn('SUM', col('debit')), 'debit'], [fn('SUM', col('credit')), 'credit']],
      group: ['accountId'],
      raw: true,
    }) as unknown as Promise<{ accountId: number; debit: string | number; credit: string | number }[]>,
    AccountModel.findAll(),
  ]);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const totals = sums
    .map((s) => {
      const a = byId.get(s.accountId)!;
      const debit = Number(s.debit);
      const credit = Number(s.credit);
      return { accountId: a.id, accountCode: a.code, accountName: a.name, accountType: a.type, debit, credit, balance: debit - credit };
    })
    .sort((a, b) => a.accountCode.localeCompare(b.accountCode));
  return {
    items: rows.map((i) => toJournalItem(i, byId)),
    total,
    totals,
    debit: totals.reduce((s, t) => s + t.debit, 0),
    credit: totals.reduce((s, t) => s + t.credit, 0),
  };
}
