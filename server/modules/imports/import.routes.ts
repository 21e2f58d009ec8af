import type { Request } from 'express';
import { z } from 'zod';
import { importPreview, importStatus } from '../../../contracts/schemas/imports';
import { ApiRouter } from '../../http/api-router';
import { multipart } from '../../http/upload';
import { runtime } from '../../runtime';
import * as imports from './import.service';

const upload = () =>
  multipart({ field: 'file', maxBytes: () => runtime().config.importMaxBytes, tooLarge: imports.importTooLarge, toDir: () => imports.importsDir() });
const fileOf = (req: Request) => req.file as { path: string; originalname: string; size: number } | undefined;

export function importRoutes() {
  const api = new ApiRouter('/api/imports', 'imports');
  api.router.post('/', upload());
  api.post(
    '/',
    {
      summary: 'Import a CSV of orders (multipart: file, mapping JSON or profile, dryRun, channelId): a job',
      response: z.object({ jobId: z.string() }),
      status: 202,
    },
    (a, { req }) => imports.startImport(a, fileOf(req), req.body as Record<string, string>),
  );
  api.router.post('/preview', upload());
  api.post('/preview', { summary: "A file's first rows, encoding, delimiter and the profile it fits", response: importPreview }, (a, { req }) =>
    imports.previewImport(a, fileOf(req)),
  );
  api.get('/:jobId', { summary: 'An import: state, progress, counts and the rejected rows', response: importStatus }, (a, { param }) =>
    imports.getImport(a, param('jobId')),
  );
  api.get('/:jobId/errors.csv', { summary: 'The rejected rows of an import, as CSV' }, async (a, { param, res }) => {
    const file = await imports.importErrorsFile(a, param('jobId'));
    await new Promise<void>((resolve, reject) => res.download(file, 'import-errors.csv', (err) => (err ? reject(err) : resolve())));
  });
  return api.router;
}
