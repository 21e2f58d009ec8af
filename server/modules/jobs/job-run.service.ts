import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Op, type InferAttributes } from 'sequelize';
import type { JobState } from '../../../contracts/states';
import type { JobDataMap, JobName } from '../../../contracts/jobs';
import type { JobStatus } from '../../../contracts/schemas/jobs';
import { withTransaction } from '../../db/transaction';
import { ForbiddenError, NotFoundError } from '../../http/errors';
import { logger } from '../../lib/logger';
import { isRedisUnavailable } from '../../lib/redis';
import { runtime } from '../../runtime';
import type { Auth } from '../auth/access';
import { JobRunModel } from './job-run.model';

// Jobs a person starts (imports, exports, invoice batches) are rows before they are queue jobs. The
// queue job has the row's id, so queueing it again is a no-op while the queue still has it; the row
// says what is done, so a run that comes twice does the work once; and the state is answered from
// the row, whatever Redis lost.

const KEEP_FINISHED_MS = 30 * 86_400_000;

export type JobRunInfo = JobStatus & { data: Record<string, unknown> };

const localIdOf = (row: Pick<JobRunModel, 'id' | 'name'>) => row.id.slice(row.name.length + 1);

async function queue(row: Pick<JobRunModel, 'id' | 'name' | 'data'>): Promise<void> {
  await runtime().queues.enqueue(row.name as JobName, row.data as JobDataMap[JobName], { jobId: localIdOf(row) });
}

/**
 * Starts a job: its row, then its queue job. Redis not available: the row waits and is queued by the
 * reconciler once Redis is back; the caller gets the job's id either way.
 */
export async function startJobRun<N extends JobName>(name: N, data: JobDataMap[N], localId: string = randomUUID()): Promise<string> {
  const id = `${name}.${localId}`;
  const row = await withTransaction((t) => JobRunModel.create({ id, name, userId: data.userId ?? null, data, state: 'waiting' }, { transaction: t }));
  try {
    await queue(row);
  } catch (err) {
    if (!isRedisUnavailable(err)) throw err;
    logger.warn({ jobId: id, err: err instanceof Error ? err.message : String(err) }, 'job kept waiting until Redis is back');
  }
  return id;
}

export async function findJobRun(id: string): Promise<JobRunInfo | null> {
  const row = await JobRunModel.findByPk(id);
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    progress: row.state === 'completed' ? 100 : row.progress,
    result: row.result ?? null,
    failedReason: row.failedReason ?? null,
    data: row.data,
  };
}

/**
 * A job as its owner (or an admin) sees it: from its row if it has one (whatever Redis knows or lost),
 * else from the queue. The one access rule of jobs: 404 unknown, 403 another user's.
 */
export async function ownJobRun(auth: Pick<Auth, 'user'>, id: string, label = 'Job'): Promise<JobRunInfo> {
  const job = (await findJobRun(id)) ?? (await runtime().queues.get(id));
  if (!job) throw new NotFoundError(label, id);
  if (job.data.userId !== auth.user.id && auth.user.role !== 'admin') throw new ForbiddenError(`This ${label.toLowerCase()} belongs to another user`);
  return job;
}

export type JobRunClaim =
  { kind: 'untracked' } | { kind: 'finished'; state: 'completed' | 'failed'; result: unknown; failedReason: string | null } | { kind: 'run'; token: string };

const runnable = (staleBefore: Date) => ({
  [Op.or]: [{ state: ['waiting', 'delayed'] }, { state: 'active', [Op.or]: [{ heartbeatAt: null }, { heartbeatAt: { [Op.lt]: staleBefore } }] }],
});

/**
 * Takes the row for one run. A finished row is not run again (its outcome is returned); a row another
 * run holds is waited for until it finishes, or until its run stops beating for staleMs (it died).
 */
export async function claimJobRun(id: string, staleMs: number): Promise<JobRunClaim> {
  for (;;) {
    const token = randomUUID();
    const now = new Date();
    const [taken] = await withTransaction((t) =>
      JobRunModel.update(
        { state: 'active', runToken: token, heartbeatAt: now },
        { where: { [Op.and]: [{ id }, runnable(new Date(now.getTime() - staleMs))] }, transaction: t },
      ),
    );
    if (taken === 1) return { kind: 'run', token };
    const row = await JobRunModel.findByPk(id);
    if (!row) return { kind: 'untracked' };
    if (row.state === 'completed' || row.state === 'failed') {
      return { kind: 'finished', state: row.state, result: row.result ?? null, failedReason: row.failedReason ?? null };
    }
    await sleep(Math.min(1000, Math.max(100, staleMs / 4)));
  }
}

/** The run is alive (and how far it is): the row stays its own. */
export async function beatJobRun(id: string, token: string, progress?: number): Promise<void> {
  await withTransaction((t) =>
    JobRunModel.update({ heartbeatAt: new Date(), ...(progress !== undefined && { progress }) }, { where: { id, runToken: token }, transaction: t }),
  );
}

type Outcome = { state: JobState; result?: unknown; failedReason: string | null; progress?: number; finishedAt?: Date };

async function settle(id: string, token: string, values: Outcome) {
  await withTransaction(async (t) => {
    const row = await JobRunModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!row || row.runToken !== token) return;
    row.set({ ...values, runToken: null, heartbeatAt: null } as Partial<InferAttributes<JobRunModel>>);
    await row.save({ transaction: t });
  });
}

export function completeJobRun(id: string, token: string, result: unknown): Promise<void> {
  return settle(id, token, { state: 'completed', result, progress: 100, failedReason: null, finishedAt: new Date() });
}

/** A failed run: the row waits for the queue's next attempt, or is failed after the last one. */
export function failJobRun(id: string, token: string, reason: string, final: boolean): Promise<void> {
  return settle(id, token, final ? { state: 'failed', failedReason: reason, finishedAt: new Date() } : { state: 'delayed', failedReason: reason });
}

/**
 * Queues again every row that waits (or whose run stopped beating for staleMs) and drops rows
 * finished long ago. Safe to repeat: a job the queue still has is not queued twice.
 */
export async function requeueJobRuns(staleMs: number): Promise<number> {
  const rows = await JobRunModel.findAll({ where: runnable(new Date(Date.now() - staleMs)), order: [['createdAt', 'ASC']], limit: 1000 });
  for (const row of rows) await queue(row);
  await withTransaction((t) =>
    JobRunModel.destroy({ where: { state: ['completed', 'failed'], finishedAt: { [Op.lt]: new Date(Date.now() - KEEP_FINISHED_MS) } }, transaction: t }),
  );
  return rows.length;
}
