import { jobStatus } from '../../../contracts/schemas/jobs';
import { ApiRouter } from '../../http/api-router';
import * as jobs from './job.service';

export function jobRoutes() {
  const api = new ApiRouter('/api/jobs', 'jobs');
  api.get('/:jobId', { summary: 'A job of mine: state, progress, result', response: jobStatus }, (a, { param }) => jobs.getJob(a, param('jobId')));
  api.get('/:jobId/download', { summary: 'The file a finished export wrote' }, async (a, { param, res }) => {
    const file = await jobs.jobDownload(a, param('jobId'));
    await new Promise<void>((resolve, reject) => res.download(file.path, file.filename, (err) => (err ? reject(err) : resolve())));
  });
  return api.router;
}
