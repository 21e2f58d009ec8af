import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';

type Packet = Parameters<RedisAdapter['broadcast']>[0];
type BroadcastOptions = Parameters<RedisAdapter['broadcast']>[1];
type RedisPublisher = { publish(channel: string, message: Buffer | string): unknown };

/**
 * The Redis adapter, with a broadcast that reaches the other web processes before this one writes to
 * its own sockets. The stock adapter calls PUBLISH and then writes to every local socket in the same
 * tick, but node-redis only puts the PUBLISH on the wire on the next setImmediate (it corks its socket
 * until then): the other processes started their fan-out only once this one had written to all of its
 * sockets (about half the fan-out time, issue 18). Here the PUBLISH goes first and the local fan-out
 * follows on the next setImmediate, after node-redis has flushed: both halves run at once.
 * Broadcasts keep their order (immediates run first in, first out); a payload is never changed after it
 * is emitted (each publish builds its own).
 */
export class PublishFirstAdapter extends RedisAdapter {
  readonly #channel: string;

  constructor(nsp: ConstructorParameters<typeof RedisAdapter>[0], pub: RedisPublisher, sub: unknown, opts: Partial<RedisAdapterOptions> = {}) {
    super(nsp, pub, sub, opts);
    // The channel the stock adapter publishes broadcasts on, and every process listens to (pattern key#nsp#*).
    this.#channel = `${opts.key ?? 'socket.io'}#${(nsp as { name: string }).name}#`;
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    // A local-only broadcast waits its turn too: every broadcast reaches local sockets in emit order.
    if (opts.flags?.local) {
      setImmediate(() => super.broadcast(packet, opts));
      return;
    }
    packet.nsp = this.nsp.name;
    const message = this.parser.encode([this.uid, packet, { rooms: [...opts.rooms], except: [...new Set(opts.except)], flags: opts.flags }]);
    // One room: its own channel, which a process without that room ignores undecoded (as the stock adapter).
    const room = opts.rooms.size === 1 ? `${[...opts.rooms][0]!}#` : '';
    (this.pubClient as RedisPublisher).publish(this.#channel + room, message);
    const local: BroadcastOptions = { ...opts, flags: { ...opts.flags, local: true } };
    setImmediate(() => super.broadcast(packet, local));
  }
}

/** The adapter for new Server({ adapter }): Socket.IO calls it with `new`, so a function, not an arrow. */
export function publishFirstAdapter(pub: RedisPublisher, sub: unknown, opts: Partial<RedisAdapterOptions>) {
  return function adapter(nsp: ConstructorParameters<typeof RedisAdapter>[0]) {
    return new PublishFirstAdapter(nsp, pub, sub, opts);
  };
}
