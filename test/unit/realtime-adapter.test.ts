import { describe, expect, it } from 'vitest';
import { decode } from 'notepack.io';
import { Server } from 'socket.io';
import { publishFirstAdapter } from '../../server/realtime/adapter';

// The broadcast of a web process reaches Redis (so the other processes) before its own sockets are
// written to (issue 18: the other processes used to start their fan-out only after this one's).
describe('the publish-first Redis adapter', () => {
  // A Redis client as node-redis behaves: PUBLISH is buffered and written on the next setImmediate.
  function setup() {
    const log: string[] = [];
    const published: { channel: string; message: Buffer }[] = [];
    const pub = {
      publish(channel: string, message: Buffer) {
        published.push({ channel, message });
        log.push('publish');
        setImmediate(() => log.push('on the wire'));
        return Promise.resolve(1);
      },
      on() {},
      pSubscribe() {},
      subscribe() {},
    };
    const io = new Server({ adapter: publishFirstAdapter(pub, { ...pub }, { key: 'test:io' }) });
    const nsp = io.of('/');
    // Two local sockets, one in each room.
    for (const [id, room] of [
      ['a', 'board:orders'],
      ['b', 'record:saleOrder:1'],
    ] as const) {
      const writeToEngine = (encoded: string[]) => log.push(`local ${id}${/"version":(\d+)/.exec(encoded[0]!)?.[1] ?? ''}`);
      (nsp.sockets as Map<string, unknown>).set(id, { id, client: { writeToEngine } });
      void nsp.adapter.addAll(id, new Set([room]));
    }
    const tick = () => new Promise((r) => setImmediate(r));
    return { io, log, published, tick };
  }

  it('publishes, lets the publish reach the wire, then writes to the local sockets', async () => {
    const { io, log, published, tick } = setup();
    io.to(['board:orders', 'record:saleOrder:1']).emit('order.updated', { id: 1, version: 2 });
    expect(log).toEqual(['publish']);
    await tick();
    await tick();
    expect(log).toEqual(['publish', 'on the wire', 'local a2', 'local b2']);
    // What the other processes decode: the stock adapter's message (their uid check, rooms, packet).
    const [uid, packet, opts] = decode(published[0]!.message) as [string, { data: unknown[]; nsp: string }, { rooms: string[]; flags: unknown }];
    expect(uid).toEqual(expect.any(String));
    expect(packet).toMatchObject({ nsp: '/', data: ['order.updated', { id: 1, version: 2 }] });
    expect(opts.rooms).toEqual(['board:orders', 'record:saleOrder:1']);
    expect(published[0]!.channel).toBe('test:io#/#');
  });

  it('sends a one-room broadcast on that room’s channel, and only to that room’s sockets here', async () => {
    const { io, log, published, tick } = setup();
    io.to('record:saleOrder:1').emit('order.updated', { id: 1, version: 3 });
    await tick();
    await tick();
    expect(published.map((p) => p.channel)).toEqual(['test:io#/#record:saleOrder:1#']);
    expect(log).toEqual(['publish', 'on the wire', 'local b3']);
  });

  it('keeps broadcasts in order, and a local-only one is not published', async () => {
    const { io, log, published, tick } = setup();
    io.to('board:orders').emit('order.updated', { id: 1, version: 4 });
    io.to('board:orders').emit('order.updated', { id: 1, version: 5 });
    io.local.to('board:orders').emit('order.updated', { id: 1, version: 6 });
    expect(log).toEqual(['publish', 'publish']);
    await tick();
    await tick();
    expect(published).toHaveLength(2);
    expect(log.filter((l) => l.startsWith('local'))).toEqual(['local a4', 'local a5', 'local a6']);
  });
});
