import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BUILT_IN_PROFILES } from '../server/modules/imports/profiles';
import { runImport } from '../server/workflows/import.workflow';
import { channelFor } from '../server/modules/imports/import.service';
import { ProductModel } from '../server/modules/catalog/catalog.model';
import { startWeb } from '../server/main';
import { writeShopifyExport } from '../test/factories/csv';
import { freshDatabase } from '../test/support/env';

// Run with --expose-gc (bench/run.ts does): imports a Shopify export of N orders (3 lines each) in this
// process, through the same pipeline as the import job, and reports the heap in use after a full GC
// at every tenth of the rows, against the heap before it. A streamed import in chunks keeps it flat
// whatever N is; RSS alone cannot tell that, since V8 grows its heap lazily between collections.
const orders = Number(process.argv[2] ?? '100000');
const kind = (process.argv[3] ?? 'mysql') as 'sqlite' | 'mysql';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const SKUS = ['BENCH-CSV-1', 'BENCH-CSV-2', 'BENCH-CSV-3', 'BENCH-CSV-4', 'BENCH-CSV-5'];
const database = await freshDatabase(kind);
const web = await startWeb({ ...database.env, PORT: '0' });
const file = path.join(os.tmpdir(), `commercecore-import-memory-${process.pid}.csv`);
try {
  for (const sku of SKUS) {
    await ProductModel.create({ sku, name: sku, type: 'consumable', listPrice: 999, cost: 0, taxIds: [], invoicePolicy: 'order', routes: [], active: true });
  }
  const { rows } = await writeShopifyExport(file, { first: 0, count: orders, skus: SKUS });
  gc();
  const base = process.memoryUsage().heapUsed;
  const growth: number[] = [];
  let next = rows / 10;
  const started = performance.now();
  const result = await runImport(
    { file, mapping: BUILT_IN_PROFILES.shopify, channelId: await channelFor(undefined), dryRun: false, errorsFile: `${file}.errors.csv` },
    async ({ rows: done }) => {
      if (done < next) return;
      next += rows / 10;
      gc();
      growth.push(Math.round(((process.memoryUsage().heapUsed - base) / 1048576) * 10) / 10);
    },
  );
  if (result.created !== orders) throw new Error(`created ${result.created} of ${orders}: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      orders,
      lines: rows,
      seconds: Math.round(seconds * 10) / 10,
      linesPerSecond: Math.round(rows / seconds),
      heapGrowthAfterGcMb: growth,
      maxHeapGrowthMb: Math.max(...growth),
    }),
  );
} finally {
  await rm(file, { force: true });
  await rm(`${file}.errors.csv`, { force: true });
  await web.close();
  await database.drop();
}
process.exit(0);
