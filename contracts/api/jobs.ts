import { jobStatus } from '../schemas/jobs';
import { routeGroup } from './route';

const route = routeGroup('jobs');

// A job is its starter's (or an admin's): the handler checks that.
export const jobs = {
  get: route({ method: 'get', path: '/api/jobs/:jobId', summary: 'A job of mine: state, progress, result', response: jobStatus, permission: null }),
  download: route({ method: 'get', path: '/api/jobs/:jobId/download', summary: 'The file a finished export wrote', file: true, permission: null }),
};
