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
