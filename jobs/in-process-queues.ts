import type { JobDataMap, JobName } from '../contracts/jobs';
import {
  clampPct,
  JOB_NAMES,
  type EnqueueOptions,
  type JobInfo,
  type JobListener,
  type Processor,
  type Processors,
  type Queues,
  type Schedule,
} from './queues';

type Entry = JobInfo & { finishedAt?: number; attempt: number; attempts: number; backoffMs: number };

/** Embedded mode: the same processors, run one at a time per queue inside this process. */
export class InProcessQueues implements Queues {
  readonly mode = 'in-process';
  private readonly jobs = new Map<string, Entry>();
  private readonly queued = new Map<JobName, string[]>();
  private readonly running = new Set<JobName>();
  private processors: Processors | undefined;
  private listener: JobListener = () => undefined;
  private seq = 0;
  private closed = false;

  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly scheduled = new Map<string, Schedule & { timer: NodeJS.Timeout }>();

  async schedule<N extends JobName>(name: N, key: string, data: JobDataMap[N], everyMs: number, opts: EnqueueOptions = {}): Promise<void> {
    const id = `${name}.${key}`;
    if (this.scheduled.get(id)?.everyMs === everyMs) return;
    await this.unschedule(name, key);
    // Like Bull's repeatable jobs: one job per key and interval slot.
    const timer = setInterval(() => void this.enqueue(name, data, { ...opts, jobId: `${key}-${Math.floor(Date.now() / everyMs)}` }), everyMs);
    timer.unref();
    this.scheduled.set(id, { key, everyMs, timer });
  }

  async unschedule(name: JobName, key: string): Promise<void> {
    const id = `${name}.${key}`;
    clearInterval(this.scheduled.get(id)?.timer);
    this.scheduled.delete(id);
  }

  async schedules(name: JobName): Promise<Schedule[]> {
    return [...this.scheduled.entries()].filter(([id]) => id.startsWith(`${name}.`)).map(([, s]) => ({ key: s.key, everyMs: s.everyMs }));
  }

  async enqueue<N extends JobName>(name: N, data: JobDataMap[N], opts: EnqueueOptions = {}): Promise<string> {
    const id = `${name}.${opts.jobId ?? `${Date.now().toString(36)}${(++this.seq).toString(36)}`}`;
    if (this.jobs.has(id)) return id;
    const retry = { attempt: 1, attempts: opts.attempts ?? 1, backoffMs: opts.backoffMs ?? 1000 };
    const e: Entry = { id, name, state: opts.delayMs ? 'delayed' : 'waiting', progress: 0, result: null, failedReason: null, data, ...retry };
    this.jobs.set(id, e);
    this.prune();
    if (opts.delayMs) this.later(opts.delayMs, () => this.release(name, e));
    else this.release(name, e);
    return id;
  }

  // Puts a job in its queue's line and starts the line if it is idle.
  private release(name: JobName, e: Entry): void {
    e.state = 'waiting';
    this.queued.set(name, [...(this.queued.get(name) ?? []), e.id]);
    setImmediate(() => void this.drain(name));
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  async pending(name: JobName): Promise<number> {
    return [...this.jobs.values()].filter((j) => j.name === name && ['waiting', 'delayed', 'active'].includes(j.state)).length;
  }

  async get(id: string): Promise<JobInfo | null> {
    const e = this.jobs.get(id);
    if (!e) return null;
    const { finishedAt: _f, attempt: _a, attempts: _n, backoffMs: _b, ...info } = e;
    return info;
  }

  process(processors: Processors, listener: JobListener): void {
    this.processors = processors;
    this.listener = listener;
    for (const name of JOB_NAMES) setImmediate(() => void this.drain(name));
  }

  private async drain(name: JobName): Promise<void> {
    if (!this.processors || this.running.has(name) || this.closed) return;
    this.running.add(name);
    try {
      for (let id = this.queued.get(name)?.shift(); id; id = this.queued.get(name)?.shift()) {
        await this.run(name, this.jobs.get(id)!);
      }
    } finally {
      this.running.delete(name);
    }
  }

  private async run(name: JobName, e: Entry): Promise<void> {
    const processor = this.processors![name] as Processor<JobName>;
    const emit = () =>
      this.listener(
        {
          id: e.id,
          name,
          state: e.state,
          progress: e.progress,
          ...(e.result != null && { result: e.result }),
          ...(e.failedReason && { failedReason: e.failedReason }),
        },
        e.data,
      );
    e.state = 'active';
    emit();
    try {
      e.result = await processor({
        id: e.id,
        name,
        data: e.data,
        attempt: e.attempt,
        attempts: e.attempts,
        progress: async (pct) => {
          e.progress = clampPct(pct);
          emit();
        },
      });
      e.state = 'completed';
      e.progress = 100;
    } catch (err) {
      e.failedReason = err instanceof Error ? err.message : String(err);
      if (e.attempt < e.attempts && !this.closed) {
        // Like Bull's exponential backoff: the delay doubles after each failed run.
        e.state = 'delayed';
        emit();
        this.later(e.backoffMs * 2 ** (e.attempt - 1), () => {
          e.attempt += 1;
          this.release(name, e);
        });
        return;
      }
      e.state = 'failed';
    }
    e.finishedAt = Date.now();
    emit();
  }

  // Finished jobs are kept for a day, and at most the newest 1000.
  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt);
    const cutoff = Date.now() - 86_400_000;
    finished.forEach((j, i) => {
      if (j.finishedAt! < cutoff || finished.length - i > 1000) this.jobs.delete(j.id);
    });
  }

  // Nothing to reconnect to: the jobs live in this process.
  onReady(): void {}

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.scheduled.values()) clearInterval(s.timer);
    this.scheduled.clear();
  }
}
