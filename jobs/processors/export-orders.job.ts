import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Op } from 'sequelize';
import type { ExportOrdersResult } from '../../contracts/jobs';
import { SaleOrderModel } from '../../server/modules/sales/sale-order.model';
import { filterWhere, partnerInclude } from '../../server/modules/sales/sale-order.service';
import { csvWriter } from '../../server/lib/csv';
import { exportFilePath } from '../../server/modules/jobs/job.service';
import type { JobContext } from '../queues';

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

// Reads the matching orders in id order, one batch at a time, and streams them to the CSV file, so
// memory stays flat however many orders match.
export async function exportOrders(job: JobContext<'export-orders'>): Promise<ExportOrdersResult> {
  const where = { [Op.and]: [filterWhere(job.data.filters), job.data.ownOnly ? { createdById: job.data.userId } : {}] };
  const total = await SaleOrderModel.count({ where, include: [partnerInclude] });
  const file = exportFilePath(job.id);
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
        await job.progress(Math.min(pct, 99));
      }
    }
  }

  await pipeline(Readable.from(records()), csvWriter({ header: true, columns: COLUMNS }), createWriteStream(partial));
  await rename(partial, file);
  return { file: path.basename(file), rows, url: `/api/jobs/${encodeURIComponent(job.id)}/download` };
}
