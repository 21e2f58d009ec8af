import type { JobDataMap, JobName, JobResultMap } from '../contracts/jobs';
import type { JobProgressEvent } from '../contracts/events';
import type { JobStatus } from '../contracts/schemas/jobs';

// The queue interface every process uses, whatever runs the jobs: Bull on Redis (bull-queues.ts) or
// this process (in-process-queues.ts); create-queues.ts picks one.

export const JOB_NAMES = [
  'export-orders',
  'send-mail',
  'notify-vendor',
  'invoice-orders',
  'sync-channel',
  'import-orders',
  'reorder',
] as const satisfies readonly JobName[];

export type JobContext<N extends JobName> = {
  id: string;
  name: N;
  data: JobDataMap[N];
  /** This run's number (1 for the first) and how many runs the job may have in all. */
  attempt: number;
  attempts: number;
  /** Reports progress (0–100); published to the owner as job.progress. */
  progress(pct: number): Promise<void>;
};
export type Processor<N extends JobName> = (job: JobContext<N>) => Promise<JobResultMap[N]>;
export type Processors = { [N in JobName]: Processor<N> };
/** Told of every state change of a job, to publish it (job.progress on the owner's room). */
export type JobListener = (event: JobProgressEvent, data: JobDataMap[JobName]) => void;

export type JobInfo = JobStatus & { data: JobDataMap[JobName] };

/**
 * jobId: a deterministic id makes enqueueing idempotent. attempts/backoffMs: retries, the delay doubling
 * each time. delayMs: the job waits this long before it may run.
 */
export type EnqueueOptions = { jobId?: string; attempts?: number; backoffMs?: number; delayMs?: number };

/** A job run on an interval, under a key of its own. */
export type Schedule = { key: string; everyMs: number };

export type Queues = {
  readonly mode: 'bull' | 'in-process';
  enqueue<N extends JobName>(name: N, data: JobDataMap[N], opts?: EnqueueOptions): Promise<string>;
  /**
   * Runs the job every `everyMs` under `key` (Bull: a repeatable job, shared by every process; embedded:
   * a timer). One schedule per key: scheduling it again with another interval replaces it.
   */
  schedule<N extends JobName>(name: N, key: string, data: JobDataMap[N], everyMs: number, opts?: EnqueueOptions): Promise<void>;
  unschedule(name: JobName, key: string): Promise<void>;
  schedules(name: JobName): Promise<Schedule[]>;
  /** How many jobs of the queue are waiting, delayed or running (a schedule's next run not counted). */
  pending(name: JobName): Promise<number>;
  get(id: string): Promise<JobInfo | null>;
  /** Runs the processors in this process (the worker, or the web process in embedded mode). */
  process(processors: Processors, listener: JobListener): void;
  /** Called each time the queues' store is (again) reachable: after a Redis restart, what it lost is put back. */
  onReady(listener: () => void): void;
  close(): Promise<void>;
};

// A job id names its queue: `<name>.<id within the queue>`.
export function splitId(id: string): { name: JobName; local: string } | null {
  const dot = id.indexOf('.');
  const name = id.slice(0, dot) as JobName;
  if (dot < 1 || !JOB_NAMES.includes(name)) return null;
  return { name, local: id.slice(dot + 1) };
}

export const clampPct = (n: number) => Math.max(0, Math.min(100, Math.round(n)));
