// npm test: builds the console when its sources changed (the browser tests use it), runs every vitest
// project (unit, integration on SQLite and on MariaDB + Redis, e2e in Chromium) and ends with the line
// `N passed, N failed`. Extra arguments go to vitest (e.g. `npm test -- --project sqlite`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureWebBuild } from './ensure-web-build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

const wantsE2e = !args.includes('--project') || args.includes('e2e');
if (wantsE2e && !ensureWebBuild()) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

const summaryFile = path.join(root, 'test-results', 'summary.json');
rmSync(summaryFile, { force: true });
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', ...args], { cwd: root, stdio: 'inherit' });
let line = '0 passed, 1 failed';
if (existsSync(summaryFile)) {
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  if (s.slowest?.length) {
    console.log('\nSlowest test files:');
    for (const f of s.slowest) console.log(`  ${String(f.ms).padStart(7)} ms  ${f.project.padEnd(6)} ${f.file}`);
  }
  line = `${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`;
}
console.log(`\n${line}`);
process.exit(run.status ?? 1);
