import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ImportPreview, ImportStatus } from '../../../contracts/schemas/imports';
import { withTransaction } from '../../db/transaction';
import { parse } from '../../http/handler';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { runtime } from '../../runtime';
import { requireAccess, type Auth } from '../auth/access';
import { channelById, csvImportChannel } from '../channels/channel.service';
import { ownJobRun, startJobRun } from '../jobs/job-run.service';
import { csvRows, detectFormat, readHead } from './csv-source';
import { ImportProfileModel } from './profile.model';
import { BUILT_IN_PROFILES, IMPORT_FIELDS, detectProfile, guessMapping, mappingFor, mapping as mappingSchema, type Mapping } from './profiles';

// Imports of CSV files of orders: the upload is stored under DATA_DIR/imports and read by the
// import-orders job (streamed), whose result is the report; the rejected rows are a CSV to download.

export const importsDir = () => path.join(runtime().config.dataDir, 'imports');
const errorsFileOf = (jobId: string) => path.join(importsDir(), `${jobId.replace(/[^A-Za-z0-9._-]/g, '_')}.errors.csv`);

export function importTooLarge(): AppError {
  return new AppError(413, 'payload_too_large', `The file is larger than ${Math.round(runtime().config.importMaxBytes / 1024 / 1024)} MB (IMPORT_MAX_MB)`);
}

type Upload = { path: string; originalname: string; size: number } | undefined;
type Fields = { mapping?: string; profile?: string; dryRun?: string; channelId?: string };

/** A built-in profile (shopify, woocommerce), a saved one (by id or name), or the mapping given. */
export async function resolveMapping(fields: { mapping?: string; profile?: string }): Promise<Mapping> {
  if (fields.profile) {
    const builtIn = BUILT_IN_PROFILES[fields.profile as keyof typeof BUILT_IN_PROFILES];
    if (builtIn) return builtIn;
    const saved = await ImportProfileModel.findOne({ where: /^\d+$/.test(fields.profile) ? { id: Number(fields.profile) } : { name: fields.profile } });
    if (!saved) {
      throw ValidationError.field('profile', `unknown profile "${fields.profile}" (built in: ${Object.keys(BUILT_IN_PROFILES).join(', ')}; or a saved one)`);
    }
    return saved.mapping;
  }
  if (!fields.mapping) throw ValidationError.field('mapping', 'give a mapping (JSON: field → column) or a profile');
  let raw: unknown;
  try {
    raw = JSON.parse(fields.mapping);
  } catch {
    throw ValidationError.field('mapping', 'is not JSON');
  }
  return parseMapping(raw);
}

function parseMapping(raw: unknown): Mapping {
  return parse(mappingSchema, raw, 'mapping');
}

export type ImportProfile = { id: number | null; name: string; builtIn: boolean; mapping: Mapping };

export async function listProfiles(auth: Auth): Promise<{ items: ImportProfile[]; total: number }> {
  requireAccess(auth, 'saleOrder.import');
  const saved = await ImportProfileModel.findAll({ order: [['name', 'ASC']] });
  const items = [
    ...Object.entries(BUILT_IN_PROFILES).map(([name, mapping]) => ({ id: null, name, builtIn: true, mapping })),
    ...saved.map((p) => ({ id: p.id, name: p.name, builtIn: false, mapping: p.mapping })),
  ];
  return { items, total: items.length };
}

export async function saveProfile(auth: Auth, input: { name: string; mapping: unknown }): Promise<ImportProfile> {
  requireAccess(auth, 'saleOrder.import');
  if (input.name in BUILT_IN_PROFILES) throw new ConflictError(`"${input.name}" is a built-in profile`);
  const mapping = parseMapping(input.mapping);
  const p = await withTransaction(async (t) => {
    if (await ImportProfileModel.findOne({ where: { name: input.name }, transaction: t })) {
      throw new ConflictError(`A profile named "${input.name}" exists already`);
    }
    return ImportProfileModel.create({ name: input.name, mapping, createdById: auth.user.id }, { transaction: t });
  });
  return { id: p.id, name: p.name, builtIn: false, mapping: p.mapping };
}

export async function deleteProfile(auth: Auth, id: number): Promise<void> {
  requireAccess(auth, 'saleOrder.import');
  const n = await withTransaction((t) => ImportProfileModel.destroy({ where: { id }, transaction: t }));
  if (!n) throw new NotFoundError('Import profile', id);
}

/** The channel the file's orders belong to: the one named, or the standing "CSV imports" channel. */
export async function channelFor(channelId: string | undefined): Promise<number> {
  if (channelId) {
    const c = await channelById(null, Number(channelId));
    if (!c) throw ValidationError.field('channelId', `channel ${channelId} does not exist`);
    return c.id;
  }
  return (await csvImportChannel(null)).id;
}

export async function startImport(auth: Auth, file: Upload, fields: Fields): Promise<{ jobId: string }> {
  try {
    requireAccess(auth, 'saleOrder.import');
    if (!file) throw ValidationError.field('file', 'is required (multipart form field "file")');
    const mapping = await resolveMapping(fields);
    const channelId = await channelFor(fields.channelId);
    const dryRun = fields.dryRun === 'true' || fields.dryRun === '1';
    const id = randomUUID();
    const stored = path.join(importsDir(), `${id}.csv`);
    await mkdir(importsDir(), { recursive: true });
    await rename(file.path, stored);
    const jobId = await startJobRun(
      'import-orders',
      { userId: auth.user.id, file: stored, fileName: file.originalname, mapping, channelId, dryRun, errorsFile: errorsFileOf(`import-orders.${id}`) },
      id,
    );
    return { jobId };
  } catch (err) {
    if (file) await rm(file.path, { force: true });
    throw err;
  }
}

async function ownImport(auth: Auth, jobId: string) {
  requireAccess(auth, 'saleOrder.import');
  if (!jobId.startsWith('import-orders.')) throw new NotFoundError('Import', jobId);
  return ownJobRun(auth, jobId, 'Import');
}

export async function getImport(auth: Auth, jobId: string): Promise<ImportStatus> {
  const job = await ownImport(auth, jobId);
  const data = job.data as { channelId: number; fileName: string };
  return {
    jobId,
    channelId: data.channelId,
    fileName: data.fileName,
    state: job.state,
    progress: job.progress,
    failedReason: job.failedReason ?? null,
    ...((job.result as object | null) ?? {}),
  };
}

/** The rejected rows of a finished import, as CSV (row, reference, message). */
export async function importErrorsFile(auth: Auth, jobId: string): Promise<string> {
  await ownImport(auth, jobId);
  const file = errorsFileOf(jobId);
  if (!existsSync(file)) throw new NotFoundError('Report of import', jobId);
  return file;
}

/** The first rows of a file as the import will read them, and the built-in profile it looks like. */
export async function previewImport(auth: Auth, file: Upload): Promise<ImportPreview> {
  requireAccess(auth, 'saleOrder.import');
  if (!file) throw ValidationError.field('file', 'is required (multipart form field "file")');
  try {
    const format = detectFormat(await readHead(file.path));
    let columns: string[] = [];
    const rows: string[][] = [];
    for await (const item of csvRows(file.path, format)) {
      if ('header' in item) columns = item.header;
      else rows.push(item.cells);
      if (rows.length >= 10) break;
    }
    const profile = detectProfile(columns);
    return {
      encoding: format.encoding,
      delimiter: format.delimiter === '\t' ? 'tab' : format.delimiter,
      columns,
      rows,
      profile,
      mapping: profile ? mappingFor(columns, BUILT_IN_PROFILES[profile]) : guessMapping(columns),
      fields: [...IMPORT_FIELDS],
    };
  } finally {
    await rm(file.path, { force: true });
  }
}
