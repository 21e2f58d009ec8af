import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

// The baseline of the fan-out benchmark: a bare Socket.IO server with no auth, no database and no
// application code. A `trigger` message is broadcast to every socket in the room at once.
const http = createServer();
const io = new Server(http, { transports: ['websocket'] });
io.on('connection', (socket) => {
  void socket.join('board');
  socket.on('trigger', (payload: { seq: number }) => {
    io.to('board').emit('tick', { seq: payload.seq });
  });
});
http.listen(0, '127.0.0.1', () => {
  console.log(`bare socket.io listening on localhost:${(http.address() as AddressInfo).port}/`);
});
process.once('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
