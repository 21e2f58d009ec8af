// npm test: builds the console when its sources changed (the browser tests use it), runs every vitest
// project (unit, integration on SQLite and on MariaDB + Redis, e2e in Chromium) and ends with the line
// `N passed, N failed`. Extra arguments go to vitest (e.g. `npm test -- --project sqlite`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'build' || entry.name === '.svelte-kit') continue;
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const wantsE2e = !args.includes('--project') || args.includes('e2e');
const index = path.join(root, 'web', 'build', 'index.html');
if (wantsE2e && (!existsSync(index) || statSync(index).mtimeMs < Math.max(newest(path.join(root, 'web')), newest(path.join(root, 'contracts'))))) {
  console.log('Building the console for the browser tests…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  }
}

const summaryFile = path.join(root, 'test-results', 'summary.json');
rmSync(summaryFile, { force: true });
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', ...args], { cwd: root, stdio: 'inherit' });
let line = '0 passed, 1 failed';
if (existsSync(summaryFile)) {
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  line = `${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`;
}
console.log(`\n${line}`);
process.exit(run.status ?? 1);
