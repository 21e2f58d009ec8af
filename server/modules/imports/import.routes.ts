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
  const profile = z.object({ id: z.number().int().nullable(), name: z.string(), builtIn: z.boolean(), mapping: z.record(z.unknown()) });
  api.get(
    '/profiles',
    {
      summary: 'Column mappings: the built-in ones (shopify, woocommerce) and those saved',
      response: z.object({ items: z.array(profile), total: z.number().int() }),
    },
    (a) => imports.listProfiles(a),
  );
  api.post(
    '/profiles',
    {
      summary: 'Save a column mapping under a name',
      body: z.object({ name: z.string().trim().min(1).max(100), mapping: z.record(z.unknown()) }).strict(),
      response: profile,
      status: 201,
    },
    (a, { body }) => imports.saveProfile(a, body),
  );
  api.delete('/profiles/:id', { summary: 'Delete a saved mapping' }, (a, { id }) => imports.deleteProfile(a, id));
  api.get('/:jobId', { summary: 'An import: state, progress, counts and the rejected rows', response: importStatus }, (a, { param }) =>
    imports.getImport(a, param('jobId')),
  );
  api.get('/:jobId/errors.csv', { summary: 'The rejected rows of an import, as CSV' }, async (a, { param, res }) => {
    const file = await imports.importErrorsFile(a, param('jobId'));
    await new Promise<void>((resolve, reject) => res.download(file, 'import-errors.csv', (err) => (err ? reject(err) : resolve())));
  });
  return api.router;
}
