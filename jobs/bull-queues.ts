import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import Bull from 'bull';
import type { JobDataMap, JobName } from '../contracts/jobs';
import type { JobState } from '../contracts/states';
import { commandClientOptions, isRedisUnavailable, RedisUnavailableError } from '../server/lib/redis';
import { logger } from '../server/lib/logger';
import {
  clampPct,
  JOB_NAMES,
  splitId,
  type EnqueueOptions,
  type JobInfo,
  type JobListener,
  type Processor,
  type Processors,
  type Queues,
  type Schedule,
} from './queues';

export type BullOptions = { lockMs?: number; commandTimeoutMs?: number };

// Bull's connections are made with the ioredis Bull is built and tested with.
type BullRedis = ReturnType<NonNullable<Bull.QueueOptions['createClient']>>;
type BullRedisClass = new (options: object) => BullRedis;
const BullRedisClass = (createRequire(createRequire(import.meta.url).resolve('bull')) as NodeJS.Require)('ioredis') as BullRedisClass;

/**
 * Bull on Redis: jobs survive restarts and are run by worker processes. While Redis is down nothing
 * waits for it: its command connections queue nothing and time out (commandTimeoutMs), and every call
 * here rejects with RedisUnavailableError within that time (the database rows that jobs are made from
 * are put back by the reconciler once Redis answers again).
 */
export class BullQueues implements Queues {
  readonly mode = 'bull';
  private readonly queues = new Map<JobName, Bull.Queue>();
  private readonly clients: BullRedis[] = [];
  private readonly readyListeners: (() => void)[] = [];
  private readonly lockMs: number;
  private readonly commandTimeoutMs: number;
  private down = false;
  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    opts: BullOptions = {},
  ) {
    this.lockMs = opts.lockMs ?? 30_000;
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 2_000;
    // Every queue's command connection is opened now, so it is ready before the first job is queued.
    for (const name of JOB_NAMES) void this.queue(name).client;
  }

  // The command connection fails fast; the blocking and subscriber ones wait for Redis (Bull requires
  // them to retry forever), one command each, so nothing piles up.
  private client(type: 'client' | 'subscriber' | 'bclient', config: object = {}): BullRedis {
    const client =
      type === 'client'
        ? new BullRedisClass({ ...config, ...commandClientOptions({ commandTimeoutMs: this.commandTimeoutMs }) })
        : new BullRedisClass({ ...config, maxRetriesPerRequest: null, enableReadyCheck: false, retryStrategy: (times: number) => Math.min(times * 100, 1000) });
    client.on('error', (err: Error) => {
      if (!this.down) logger.error({ err: err.message, client: `bull-${type}` }, 'redis error');
      this.down = true;
    });
    if (type === 'client') {
      client.on('ready', () => {
        this.down = false;
        for (const l of this.readyListeners) l();
      });
    }
    this.clients.push(client);
    return client;
  }

  private queue(name: JobName): Bull.Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Bull(name, this.redisUrl, {
        prefix: this.prefix,
        createClient: (type, config) => this.client(type, config),
        // A job whose worker died (its lock not renewed for lockMs) is found stalled and run again.
        settings: { lockDuration: this.lockMs, stalledInterval: this.lockMs, retryProcessDelay: 1000 },
        defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 },
      });
      this.queues.set(name, q);
    }
    return q;
  }

  /**
   * A Redis call on a queue that answers in time or rejects with RedisUnavailableError. A connection
   * still being made (the first use of a queue, a reconnect under way) is waited for within that time;
   * one that is down fails the call at once.
   */
  private async guard<T>(name: JobName, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailableError(new Error('Command timed out'))), this.commandTimeoutMs + 250);
    });
    const connected = this.connected(this.queue(name).client as BullRedis);
    try {
      return await Promise.race([connected.then(fn), late]);
    } catch (err) {
      throw isRedisUnavailable(err) ? new RedisUnavailableError(err) : err;
    } finally {
      clearTimeout(timer);
    }
  }

  private readonly connecting = new WeakMap<BullRedis, Promise<void>>();

  // Settles once a connection being made is ready or has failed (at once when it is neither).
  private connected(client: BullRedis): Promise<void> {
    if (!['wait', 'connecting', 'connect'].includes(client.status)) return Promise.resolve();
    let p = this.connecting.get(client);
    if (!p) {
      p = new Promise<void>((resolve) => {
        const done = () => {
          client.off('ready', done);
          client.off('close', done);
          this.connecting.delete(client);
          resolve();
        };
        client.on('ready', done);
        client.on('close', done);
      });
      this.connecting.set(client, p);
    }
    return p;
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  async enqueue<N extends JobName>(name: N, data: JobDataMap[N], opts: EnqueueOptions = {}): Promise<string> {
    const job = await this.guard(name, () =>
      this.queue(name).add(data, {
        jobId: opts.jobId ?? randomUUID(),
        ...(opts.attempts && { attempts: opts.attempts }),
        ...(opts.backoffMs && { backoff: { type: 'exponential', delay: opts.backoffMs } }),
        ...(opts.delayMs && { delay: opts.delayMs }),
      }),
    );
    return `${name}.${String(job.id)}`;
  }

  pending(name: JobName): Promise<number> {
    return this.guard(name, async () => {
      const jobs = await this.queue(name).getJobs(['waiting', 'active', 'delayed']);
      // A repeatable job's next run waits as a delayed job of its own (id `repeat:…`): it is a schedule, not work.
      return jobs.filter((j) => j && !String(j.id).startsWith('repeat:')).length;
    });
  }

  schedule<N extends JobName>(name: N, key: string, data: JobDataMap[N], everyMs: number, opts: EnqueueOptions = {}): Promise<void> {
    return this.guard(name, () => this.scheduleNow(name, key, data, everyMs, opts));
  }

  private async scheduleNow<N extends JobName>(name: N, key: string, data: JobDataMap[N], everyMs: number, opts: EnqueueOptions): Promise<void> {
    const q = this.queue(name);
    const mine = (await q.getRepeatableJobs()).filter((r) => r.id === key);
    if (mine.length === 1 && mine[0]!.every === everyMs) return;
    for (const r of mine) await q.removeRepeatableByKey(r.key);
    await q.add(data, {
      jobId: key,
      repeat: { every: everyMs },
      ...(opts.attempts && { attempts: opts.attempts }),
      ...(opts.backoffMs && { backoff: { type: 'exponential', delay: opts.backoffMs } }),
    });
  }

  unschedule(name: JobName, key: string): Promise<void> {
    return this.guard(name, async () => {
      const q = this.queue(name);
      for (const r of await q.getRepeatableJobs()) if (r.id === key) await q.removeRepeatableByKey(r.key);
    });
  }

  async schedules(name: JobName): Promise<Schedule[]> {
    const repeatable = await this.guard(name, () => this.queue(name).getRepeatableJobs());
    return repeatable.filter((r) => r.id && r.every).map((r) => ({ key: r.id!, everyMs: Number(r.every) }));
  }

  get(id: string): Promise<JobInfo | null> {
    const parts = splitId(id);
    if (!parts) return Promise.resolve(null);
    return this.guard(parts.name, () => this.read(id, parts));
  }

  private async read(id: string, parts: { name: JobName; local: string }): Promise<JobInfo | null> {
    let job = await this.queue(parts.name).getJob(parts.local);
    if (!job) return null;
    const state = (await job.getState()) as string;
    // It may have finished between the two reads: its result is in a fresh copy.
    if (state === 'completed' || state === 'failed') job = (await this.queue(parts.name).getJob(parts.local)) ?? job;
    const known: JobState[] = ['waiting', 'active', 'completed', 'failed', 'delayed'];
    const jobState: JobState = known.includes(state as JobState) ? (state as JobState) : 'waiting';
    return {
      id,
      name: parts.name,
      state: jobState,
      progress: jobState === 'completed' ? 100 : Number(job.progress()) || 0,
      result: (job.returnvalue as unknown) ?? null,
      failedReason: job.failedReason ?? null,
      data: job.data as JobDataMap[JobName],
    };
  }

  process(processors: Processors, listener: JobListener): void {
    for (const name of JOB_NAMES) {
      const processor = processors[name] as Processor<JobName>;
      const q = this.queue(name);
      void q.process(async (job) => {
        const id = `${name}.${String(job.id)}`;
        const data = job.data as JobDataMap[JobName];
        listener({ id, name, state: 'active', progress: 0 }, data);
        return processor({
          id,
          name,
          data,
          attempt: job.attemptsMade + 1,
          attempts: job.opts.attempts ?? 1,
          progress: async (pct) => {
            // Progress is news, not state: a Redis that is down does not fail the job for it.
            await this.guard(name, () => job.progress(clampPct(pct))).catch(() => undefined);
            listener({ id, name, state: 'active', progress: clampPct(pct) }, data);
          },
        });
      });
      q.on('completed', (job, result: unknown) => {
        listener({ id: `${name}.${String(job.id)}`, name, state: 'completed', progress: 100, result }, job.data as JobDataMap[JobName]);
      });
      q.on('failed', (job, err) => {
        const final = job.attemptsMade >= (job.opts.attempts ?? 1);
        listener(
          { id: `${name}.${String(job.id)}`, name, state: final ? 'failed' : 'delayed', progress: Number(job.progress()) || 0, failedReason: err.message },
          job.data as JobDataMap[JobName],
        );
      });
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    // Bull leaves the connections it did not make itself open.
    await Promise.all(this.clients.splice(0).map((c) => (c.status === 'end' ? undefined : c.quit().catch(() => c.disconnect()))));
  }
}
