import { z } from 'zod';
import { JOB_STATES } from '../states';

export const jobStatus = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(JOB_STATES),
  progress: z.number(),
  result: z.unknown().nullable(),
  failedReason: z.string().nullable(),
});
export type JobStatus = z.infer<typeof jobStatus>;
export const jobCreated = z.object({ jobId: z.string() });

// The results of the jobs the console follows (the job.progress event and GET /api/jobs/:jobId carry them).
export const exportOrdersResult = z.object({ file: z.string(), rows: z.number().int(), url: z.string() });
export const syncChannelResult = z.object({
  fetched: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  noted: z.number().int(),
  unchanged: z.number().int(),
  stale: z.number().int(),
  failed: z.number().int(),
  cursor: z.string().nullable(),
});
