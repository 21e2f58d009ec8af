import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Op } from 'sequelize';
import type { JobDataMap } from '../../../contracts/jobs';
import type { SaleOrderExportInput } from '../../../contracts/schemas/sales';
import { requireAccess, type Auth } from '../auth/access';
import { startJobRun } from '../jobs/job-run.service';
import { csvWriter } from '../../lib/csv';
import { ownOrdersOnly } from './sale-order.access';
import { SaleOrderModel } from './sale-order.model';
import { filterWhere, partnerInclude } from './sale-order.service';

/** Queues a CSV export of the orders matching the board's filters (kept until done, Redis or not); the job's result names the file. */
export async function exportSaleOrders(auth: Auth, filters: SaleOrderExportInput): Promise<{ jobId: string }> {
  requireAccess(auth, 'saleOrder.export');
  const jobId = await startJobRun('export-orders', { userId: auth.user.id, filters, ...(ownOrdersOnly(auth) && { ownOnly: true }) });
  return { jobId };
}

const BATCH = 1000;
const COLUMNS = [
  'name',
  'date',
  'customer',
  'state',
  'invoice_status',
  'delivery_status',
  'channel_id',
  'external_id',
  'untaxed',
  'tax',
  'total',
  'currency',
  'needs_attention',
  'discount_code',
  'order_discount',
  'attention_reasons',
];

const cents = (n: number) => (n / 100).toFixed(2);

/**
 * Writes the orders matching the board's filters to a CSV file (through the one CSV writer): reads them
 * in id order, one batch at a time, and streams them, so memory stays flat however many orders match.
 * `onProgress` gets the percentage done (below 100 until the file is complete).
 */
export async function writeOrdersCsv(
  file: string,
  request: JobDataMap['export-orders'],
  onProgress: (pct: number) => Promise<void>,
): Promise<{ rows: number }> {
  const where = { [Op.and]: [await filterWhere(request.filters), request.ownOnly ? { createdById: request.userId } : {}] };
  const total = await SaleOrderModel.count({ where });
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.part`;
  let rows = 0;
  let lastPct = -1;

  async function* records() {
    let afterId = 0;
    for (;;) {
      const batch = await SaleOrderModel.findAll({
        where: { [Op.and]: [where, { id: { [Op.gt]: afterId } }] },
        include: [partnerInclude],
        order: [['id', 'ASC']],
        limit: BATCH,
      });
      if (!batch.length) return;
      for (const o of batch) {
        yield [
          o.name,
          o.dateOrder.toISOString(),
          o.partner?.name ?? '',
          o.state,
          o.invoiceStatus,
          o.deliveryStatus,
          o.channelId ?? '',
          o.externalId ?? '',
          cents(o.amountUntaxed),
          cents(o.amountTax),
          cents(o.amountTotal),
          o.currency,
          o.needsAttention ? 'yes' : 'no',
          o.discountCode ?? '',
          cents(o.orderDiscount),
          (o.attentionReasons ?? []).map((r) => r.message).join('; '),
        ];
      }
      rows += batch.length;
      afterId = batch[batch.length - 1]!.id;
      const pct = total ? Math.floor((rows / total) * 100) : 100;
      if (pct !== lastPct) {
        lastPct = pct;
        await onProgress(Math.min(pct, 99));
      }
    }
  }

  await pipeline(Readable.from(records()), csvWriter({ header: true, columns: COLUMNS }), createWriteStream(partial));
  await rename(partial, file);
  return { rows };
}
