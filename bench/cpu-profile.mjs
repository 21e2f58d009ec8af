import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector';

// Loaded with `--import` into a process under study (bench/fanout.ts --fanout-profile): SIGUSR2 starts a
// CPU profile, the next SIGUSR2 writes it to CPU_PROFILE_DIR/<pid>-<n>.cpuprofile (open it in Chrome's
// DevTools). --cpu-prof is refused in NODE_OPTIONS and profiles a whole life; this profiles a window.
const dir = process.env.CPU_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
let running = false;
let n = 0;

process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  running = false;
  session.post('Profiler.stop', (err, res) => {
    if (!err) writeFileSync(path.join(dir, `${process.pid}-${n++}.cpuprofile`), JSON.stringify(res.profile));
  });
});
