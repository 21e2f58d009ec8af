import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bootstrap } from '../server/bootstrap';
import { ConfigError, loadConfig } from '../server/config';
import { AppError } from '../server/http/errors';
import { runImport } from '../server/workflows/import.workflow';
import { channelFor, resolveMapping } from '../server/modules/imports/import.service';

// npm run import -- <file.csv> (--profile shopify|woocommerce|<saved name or id> | --mapping '<json>') [--dry-run] [--channel <id>]
// Imports a CSV of orders straight into the configured database (no web process needed), with the
// same pipeline as the console's imports; the rejected rows are written next to the file.

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main(): Promise<number> {
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--') && a.endsWith('.csv')) ?? args[0];
  if (!file || file.startsWith('--')) {
    console.error("usage: npm run import -- <file.csv> --profile <shopify|woocommerce|name> [--mapping '<json>'] [--dry-run] [--channel <id>]");
    return 2;
  }
  const booted = await bootstrap(loadConfig());
  const work = await mkdtemp(path.join(os.tmpdir(), 'commercecore-import-'));
  try {
    const mapping = await resolveMapping({ profile: flag('profile'), mapping: flag('mapping') });
    const channelId = await channelFor(flag('channel'));
    const copy = path.join(work, 'orders.csv');
    await copyFile(file, copy);
    const errorsFile = `${file.replace(/\.csv$/i, '')}.errors.csv`;
    let last = 0;
    const result = await runImport({ file: copy, mapping, channelId, dryRun: args.includes('--dry-run'), errorsFile }, async ({ rows }) => {
      if (rows - last >= 5000) {
        last = rows;
        process.stdout.write(`  ${rows} rows read\n`);
      }
    });
    console.log(
      `${result.dryRun ? 'Dry run (nothing written): ' : ''}${result.rows} records, ${result.orders} orders: ${result.created} created, ${result.updated} updated, ${result.skipped} already imported, ${result.rejected} rejected, ${result.flagged} flagged (${result.encoding}, "${result.delimiter}")`,
    );
    for (const e of result.errors.slice(0, 20)) console.log(`  ${e.message}`);
    for (const f of result.flaggedOrders.slice(0, 20)) {
      console.log(`  Flagged ${f.name ?? f.reference} (line ${f.row}): ${f.reasons.map((r) => r.message).join('; ')}`);
    }
    if (result.errorCount) console.log(`${result.errorCount} rows reported: ${errorsFile}`);
    return 0;
  } catch (err) {
    console.error(
      err instanceof AppError
        ? `${err.message}${err.details?.length ? `: ${(err.details as { field: string; message: string }[]).map((d) => `${d.field} ${d.message}`).join('; ')}` : ''}`
        : err,
    );
    return 1;
  } finally {
    await rm(work, { recursive: true, force: true });
    await booted.shutdown();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
