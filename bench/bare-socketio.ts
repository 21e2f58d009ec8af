import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';

// The baseline of the fan-out benchmarks: a bare Socket.IO server with no auth, no database and no
// application code.
// - A `trigger` message is broadcast as `tick` to every socket in the room `board` at once (bench/run.ts).
// - `subscribe {room}` joins the room and acks `{ok: true}`; `POST /emit` with a JSON body broadcasts it
//   as `order.updated` to `board:orders` (bench/fanout.ts: the same clients, the same trigger by HTTP as
//   the application's PATCH). With BARE_REDIS_URL set, the Redis adapter carries it to the other
//   processes of the same BARE_REDIS_KEY, as between the application's web processes.
const redisUrl = process.env.BARE_REDIS_URL;

async function main() {
  let adapter;
  if (redisUrl) {
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    adapter = createAdapter(pub, sub, { key: process.env.BARE_REDIS_KEY ?? 'bare-socketio' });
  }
  // Created before Socket.IO attaches, which routes its own path before this handler.
  const http = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/emit') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      io.to('board:orders').emit('order.updated', JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  const io = new Server(http, { transports: ['websocket'], ...(adapter && { adapter }) });
  io.on('connection', (socket) => {
    void socket.join('board');
    socket.on('trigger', (payload: { seq: number }) => {
      io.to('board').emit('tick', { seq: payload.seq });
    });
    socket.on('subscribe', (msg: { room?: unknown }, ack?: (r: { ok: true }) => void) => {
      if (typeof msg?.room === 'string') void socket.join(msg.room);
      if (typeof ack === 'function') ack({ ok: true });
    });
  });
  http.listen(0, '127.0.0.1', () => {
    console.log(`bare socket.io listening on localhost:${(http.address() as AddressInfo).port}/`);
  });
  process.once('SIGTERM', () => {
    void io.close();
    process.exit(0);
  });
}

void main();
