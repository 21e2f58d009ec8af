// npm start: builds the console if needed, then runs the web process (migrations run at its start).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureWebBuild } from './ensure-web-build.mjs';

const root = path.resolve(import.meta.dirname, '..');
if (!ensureWebBuild()) process.exit(1);
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
