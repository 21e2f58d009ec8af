import { exportOrders } from '../jobs/processors/export-orders.job';
import { db } from '../server/db/sequelize';
import { startWeb } from '../server/main';
import { freshDatabase } from '../test/support/env';

// Run with --expose-gc (bench/run.ts does): exports N orders in this process and reports the heap in
// use after a full GC at every 10% of the job, against the heap before it. A streaming export keeps
// it flat whatever N is; RSS alone cannot tell that, since V8 grows its heap lazily between collections.
const rows = Number(process.argv[2] ?? '100000');
const kind = (process.argv[3] ?? 'sqlite') as 'sqlite' | 'mysql';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const database = await freshDatabase(kind);
const web = await startWeb({ ...database.env, PORT: '0' });
try {
  const now = kind === 'mysql' ? "'2026-01-01 00:00:00.000'" : "'2026-01-01 00:00:00.000 +00:00'";
  await db().query(
    `INSERT INTO partners (name, roles, isCompany, active, version, createdAt, updatedAt) VALUES ('Bench customer', '["customer"]', 0, 1, 0, ${now}, ${now})`,
  );
  for (let b = 0; b < rows; b += 1000) {
    const values = Array.from(
      { length: Math.min(1000, rows - b) },
      (_, i) => `('M${b + i}', 1, 1, 0, ${now}, 'sale', 'to_invoice', 'pending', 10000, 2050, 12050, 'EUR', 1, ${now}, ${now})`,
    );
    await db().query(
      `INSERT INTO sale_orders (name, partnerId, warehouseId, needsAttention, dateOrder, state, invoiceStatus, deliveryStatus, amountUntaxed, amountTax, amountTotal, currency, version, createdAt, updatedAt) VALUES ${values.join(',')}`,
    );
  }
  gc();
  const base = process.memoryUsage().heapUsed;
  const growth: number[] = [];
  const started = performance.now();
  const result = await exportOrders({
    id: `export-orders.memory-${rows}`,
    name: 'export-orders',
    data: { userId: 1, filters: {} },
    attempt: 1,
    attempts: 1,
    progress: async (pct) => {
      if (pct % 10 === 0) {
        gc();
        growth.push(Math.round(((process.memoryUsage().heapUsed - base) / 1048576) * 10) / 10);
      }
    },
  });
  console.log(
    JSON.stringify({
      rows: result.rows,
      seconds: Math.round(performance.now() - started) / 1000,
      heapGrowthAfterGcMb: growth,
      maxHeapGrowthMb: Math.max(...growth),
    }),
  );
} finally {
  await web.close();
  await database.drop();
}
process.exit(0);
