import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import * as jobs from './job.service';

export function jobRoutes() {
  const api = new ApiRouter('/api/jobs');
  api.handle(routes.jobs.get, (a, { param }) => jobs.getJob(a, param('jobId')));
  api.handle(routes.jobs.download, async (a, { param, res }) => {
    const file = await jobs.jobDownload(a, param('jobId'));
    await new Promise<void>((resolve, reject) => res.download(file.path, file.filename, (err) => (err ? reject(err) : resolve())));
  });
  return api.router;
}
