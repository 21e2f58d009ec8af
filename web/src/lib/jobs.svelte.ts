import type { JobProgressEvent } from '$contracts/events';
import type { JobState } from '$contracts/states';
import type { z } from 'zod';
import { call, errorMessage, routes } from './api';
import { onEvent } from './socket';

const POLL_MS = 2000;

export type WatchedJob<R> = {
  id: string;
  state: JobState;
  progress: number;
  result: R | null;
  failedReason: string | null;
};

type Update = Pick<JobProgressEvent, 'id' | 'state' | 'progress' | 'result' | 'failedReason'>;

/**
 * A queue job started by this user (an export, a batch of invoices), followed to its end: the
 * progress pushed as job.progress on the user's own room, with polling as the fallback for a missed
 * event. Create it while a component initialises: it follows for as long as the component lives.
 */
export class JobWatch<R> {
  job: WatchedJob<R> | null = $state(null);
  error = $state('');
  finished = $derived(this.job?.state === 'completed' || this.job?.state === 'failed');
  // Polling restarts when the job changes, not on each progress step.
  #jobId = $derived(this.job?.id ?? null);
  readonly #result: z.ZodType<R, z.ZodTypeDef, unknown>;
  #lastPush = 0;

  /** `result`: the schema of the job's result, which tells it from anything else. */
  constructor(result: z.ZodType<R, z.ZodTypeDef, unknown>) {
    this.#result = result;
    $effect(() =>
      onEvent('job.progress', (e) => {
        if (this.job && e.id === this.job.id) {
          this.#lastPush = Date.now();
          this.#apply(e);
        }
      }),
    );
    $effect(() => {
      const id = this.#jobId;
      if (id === null || this.finished) return;
      return this.#poll(id);
    });
  }

  /** Follows a job the server just accepted. */
  start(jobId: string): void {
    this.#lastPush = 0;
    this.error = '';
    this.job = { id: jobId, state: 'waiting', progress: 0, result: null, failedReason: null };
  }

  reset(): void {
    this.job = null;
    this.error = '';
  }

  #apply(e: Update): void {
    const job = this.job;
    if (!job || e.id !== job.id) return;
    const result = this.#result.safeParse(e.result);
    // Progress only moves forward: a late poll answer must not undo a pushed event.
    if (job.state === 'completed' || job.state === 'failed') return;
    this.job = {
      id: job.id,
      state: e.state,
      progress: Math.max(job.progress, Math.min(100, Math.round(e.progress))),
      result: result.success ? result.data : job.result,
      failedReason: e.failedReason ?? null,
    };
  }

  #poll(id: string): () => void {
    let stopped = false;
    const poll = async (): Promise<void> => {
      if (stopped || Date.now() - this.#lastPush < POLL_MS) return;
      try {
        const status = await call(routes.jobs.get, { params: { jobId: id } });
        if (!stopped) this.#apply(status);
      } catch (err) {
        if (!stopped) this.error = errorMessage(err);
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }
}
