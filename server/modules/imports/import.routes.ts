import type { Request } from 'express';
import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { multipart } from '../../http/upload';
import { runtime } from '../../runtime';
import * as imports from './import.service';

const upload = () =>
  multipart({ field: 'file', maxBytes: () => runtime().config.importMaxBytes, tooLarge: imports.importTooLarge, toDir: () => imports.importsDir() });
const fileOf = (req: Request) => req.file as { path: string; originalname: string; size: number } | undefined;

export function importRoutes() {
  const api = new ApiRouter('/api/imports');
  api.router.post('/', upload());
  api.handle(routes.imports.start, (a, { req }) => imports.startImport(a, fileOf(req), req.body as Record<string, string>));
  api.router.post('/preview', upload());
  api.handle(routes.imports.preview, (a, { req }) => imports.previewImport(a, fileOf(req)));
  api.handle(routes.imports.profiles, (a) => imports.listProfiles(a));
  api.handle(routes.imports.saveProfile, (a, { body }) => imports.saveProfile(a, body));
  api.handle(routes.imports.deleteProfile, (a, { id }) => imports.deleteProfile(a, id));
  api.handle(routes.imports.get, (a, { param }) => imports.getImport(a, param('jobId')));
  api.handle(routes.imports.errorsCsv, async (a, { param, res }) => {
    const file = await imports.importErrorsFile(a, param('jobId'));
    await new Promise<void>((resolve, reject) => res.download(file, 'import-errors.csv', (err) => (err ? reject(err) : resolve())));
  });
  return api.router;
}
