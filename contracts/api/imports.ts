import { z } from 'zod';
import { importPreview, importProfile, importProfileCreate, importStatus } from '../schemas/imports';
import { jobCreated } from '../schemas/jobs';
import { routeGroup } from './route';

const route = routeGroup('imports');

export const imports = {
  start: route({
    method: 'post',
    path: '/api/imports',
    summary: 'Import a CSV of orders (multipart: file, mapping JSON or profile, dryRun, channelId): a job',
    multipart: true,
    response: jobCreated,
    status: 202,
    permission: 'saleOrder.import',
    // A refused upload is removed by the handler.
    enforce: false,
  }),
  preview: route({
    method: 'post',
    path: '/api/imports/preview',
    summary: "A file's first rows, encoding, delimiter and the profile it fits",
    multipart: true,
    response: importPreview,
    permission: 'saleOrder.import',
  }),
  profiles: route({
    method: 'get',
    path: '/api/imports/profiles',
    summary: 'Column mappings: the built-in ones (shopify, woocommerce) and those saved',
    response: z.object({ items: z.array(importProfile), total: z.number().int() }),
    permission: 'saleOrder.import',
  }),
  saveProfile: route({
    method: 'post',
    path: '/api/imports/profiles',
    summary: 'Save a column mapping under a name',
    body: importProfileCreate,
    response: importProfile,
    status: 201,
    permission: 'saleOrder.import',
  }),
  deleteProfile: route({ method: 'delete', path: '/api/imports/profiles/:id', summary: 'Delete a saved mapping', permission: 'saleOrder.import' }),
  get: route({
    method: 'get',
    path: '/api/imports/:jobId',
    summary: 'An import: state, progress, counts and the rejected rows',
    response: importStatus,
    permission: 'saleOrder.import',
  }),
  errorsCsv: route({
    method: 'get',
    path: '/api/imports/:jobId/errors.csv',
    summary: 'The rejected rows of an import, as CSV',
    file: true,
    permission: 'saleOrder.import',
  }),
};
