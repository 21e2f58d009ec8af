// Builds the console (web/build) when it is missing or older than its sources. The build's own output
// (hundreds of lines) goes to a log file; the terminal gets one line, or the end of the log on failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'build', '.svelte-kit'].includes(entry.name)) continue;
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureWebBuild() {
  const index = path.join(root, 'web', 'build', 'index.html');
  const sources = Math.max(newest(path.join(root, 'web')), newest(path.join(root, 'contracts')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return true;

  const logDir = path.resolve(root, process.env.DATA_DIR ?? 'data', 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, 'console-build.log');
  process.stdout.write('Building the console (once, about a minute)… ');
  const started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  writeFileSync(log, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.status === 0) {
    console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
    return true;
  }
  console.log('failed.');
  const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
  console.error(`${tail}\n\nThe whole build output is in ${path.relative(process.cwd(), log) || log}`);
  return false;
}
