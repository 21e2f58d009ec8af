// Builds the console (web/build) when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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
  console.log('Building the console…');
  return spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status === 0;
}
