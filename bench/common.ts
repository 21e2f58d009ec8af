import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../test/support/client';

// What every bench shares: a pool of concurrent tasks, percentiles, and the seed of the order figures.

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Runs fn(0..n-1) with at most `concurrency` at a time. */
export async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await fn(i);
    }),
  );
}

export type Seed = { partnerId: number; productIds: number[]; taxIds: number[] };

/** Two taxes (naming their account, so invoices can be posted), a customer and five products. */
export async function seed(api: ApiClient): Promise<Seed> {
  const vat = (await api.get('/api/accounts?q=2400')).body.items[0]?.id ?? null;
  const t1 = await api.post('/api/taxes', { name: 'Bench VAT 20%', rate: 20, accountId: vat });
  const t2 = await api.post('/api/taxes', { name: 'Bench eco 0.5%', rate: 0.5, accountId: vat });
  const partner = await api.post('/api/partners', { name: 'Bench customer', email: 'bench@example.com', countryCode: 'FR' });
  const productIds: number[] = [];
  for (let i = 0; i < 5; i++) {
    const p = await api.post('/api/products', { sku: `BENCH-${i}`, name: `Bench product ${i}`, listPrice: 1999 + i * 100, taxIds: [t1.body.id, t2.body.id] });
    productIds.push(p.body.id);
  }
  return { partnerId: partner.body.id, productIds, taxIds: [t1.body.id, t2.body.id] };
}

/** Creates and confirms `count` 3-line orders (two taxes per line, a discount on the third) through the API. */
export async function createAndConfirm(api: ApiClient, s: Seed, count: number, concurrency: number): Promise<number[]> {
  const ids: number[] = [];
  await pool(count, concurrency, async (i) => {
    const lines = [0, 1, 2].map((k) => ({ productId: s.productIds[(i + k) % s.productIds.length]!, quantity: 1 + k, discount: k === 2 ? 10 : 0 }));
    const created = await api.post('/api/sale-orders', { partnerId: s.partnerId, lines });
    if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    const confirmed = await api.post(`/api/sale-orders/${created.body.id}/confirm`);
    if (confirmed.status !== 200) throw new Error(`confirm failed: ${JSON.stringify(confirmed.body)}`);
    ids.push(created.body.id);
  });
  return ids;
}

/** Invoices each order in one click and posts the invoice (gapless number, balanced entry). */
export async function invoiceAndPost(api: ApiClient, orderIds: number[], concurrency: number): Promise<void> {
  await pool(orderIds.length, concurrency, async (i) => {
    const created = await api.post(`/api/sale-orders/${orderIds[i]}/invoice`);
    if (created.status !== 201) throw new Error(`invoice failed: ${JSON.stringify(created.body)}`);
    const posted = await api.post(`/api/invoices/${created.body.invoiceIds[0]}/post`, {});
    if (posted.status !== 200) throw new Error(`post failed: ${JSON.stringify(posted.body)}`);
  });
}

/** The machine a result was measured on (shared machines: the load average says how busy it was). */
export function machine() {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? '',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => round(l, 1)),
    node: process.version,
  };
}

/**
 * Writes a run's results as bench/results/latest-<name>.json (the last run) and keeps a copy named by
 * date and machine (bench/results/<date>-<host>-<name>.json), so runs can be compared over time.
 */
export function saveResults(name: string, report: object): string {
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const body = `${JSON.stringify({ date, machine: machine(), ...report }, null, 2)}\n`;
  writeFileSync(path.join(dir, `latest-${name}.json`), body);
  const kept = path.join(dir, `${date.slice(0, 16).replace(/[:T]/g, '-')}-${os.hostname()}-${name}.json`);
  writeFileSync(kept, body);
  return path.relative(process.cwd(), kept);
}
