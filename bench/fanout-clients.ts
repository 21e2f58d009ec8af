import { performance } from 'node:perf_hooks';
import { io as ioClient, type Socket } from 'socket.io-client';

// The load generator of the fan-out benchmark (bench/fanout.ts forks several): a share of the watching
// sockets, each connected as the console connects (WebSocket, the user's session cookie) and subscribed
// to board:orders. It reports, for each change it is told to watch, when each of its sockets received
// order.updated. Times are wall-clock milliseconds with sub-millisecond resolution
// (performance.timeOrigin + performance.now()): every process on the machine reads the same clock, so
// the parent can subtract the time it sent the change (see bench/fanout.ts for why and how it is checked).

export type ClientTarget = { url: string; cookie?: string };

export type ToClients =
  | { type: 'connect'; sockets: ClientTarget[]; room: string }
  | { type: 'watch'; id: number; version: number }
  | { type: 'flush'; id: number; version: number }
  | { type: 'clock'; sent: number }
  | { type: 'close' };

export type FromClients =
  | { type: 'connected'; sockets: number; failed: string[] }
  | { type: 'watching'; version: number }
  | { type: 'received'; version: number; times: (number | null)[] }
  | { type: 'clock'; sent: number; at: number }
  | { type: 'closed' };

const now = () => performance.timeOrigin + performance.now();
const send = (m: FromClients) => process.send!(m);

let sockets: Socket[] = [];
// The change being watched: when each socket received it.
let watched: { id: number; version: number; times: Float64Array; left: number } | undefined;

function report(): void {
  if (!watched) return;
  const { version, times } = watched;
  watched = undefined;
  send({ type: 'received', version, times: Array.from(times, (t) => (Number.isNaN(t) ? null : t)) });
}

async function connectOne(target: ClientTarget, room: string): Promise<Socket> {
  const s = ioClient(target.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(target.cookie && { extraHeaders: { cookie: target.cookie } }),
  });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  const ack = await new Promise<{ ok?: true; error?: { message: string } }>((resolve) => s.emit('subscribe', { room }, resolve));
  if (!ack.ok) throw new Error(`subscribe to ${room}: ${ack.error?.message ?? 'refused'}`);
  return s;
}

function watch(s: Socket, index: number): void {
  s.on('order.updated', (e: { id: number; version: number }) => {
    const at = now();
    const w = watched;
    if (!w || e.id !== w.id || e.version !== w.version || !Number.isNaN(w.times[index]!)) return;
    w.times[index] = at;
    if (--w.left === 0) report();
  });
}

process.on('message', (m: ToClients) => {
  switch (m.type) {
    case 'connect':
      void (async () => {
        const failed: string[] = [];
        // 50 handshakes at a time: the servers authenticate each one.
        for (let i = 0; i < m.sockets.length; i += 50) {
          const batch = await Promise.allSettled(m.sockets.slice(i, i + 50).map((t) => connectOne(t, m.room)));
          for (const r of batch) {
            if (r.status === 'fulfilled') {
              watch(r.value, sockets.length);
              sockets.push(r.value);
            } else failed.push(String((r.reason as Error)?.message ?? r.reason));
          }
        }
        send({ type: 'connected', sockets: sockets.length, failed: failed.slice(0, 5) });
      })();
      break;
    case 'watch':
      watched = { id: m.id, version: m.version, times: new Float64Array(sockets.length).fill(NaN), left: sockets.length };
      send({ type: 'watching', version: m.version });
      break;
    case 'flush':
      // The parent's deadline passed: report what arrived (the rest are lost).
      if (watched?.version === m.version && watched.id === m.id) report();
      break;
    case 'clock':
      send({ type: 'clock', sent: m.sent, at: now() });
      break;
    case 'close':
      for (const s of sockets) s.disconnect();
      sockets = [];
      send({ type: 'closed' });
      break;
  }
});
