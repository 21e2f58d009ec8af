// The layers of docs/architecture.md, enforced on imports. From the ground up:
//
//   contracts/  <-  server/{lib,db,http,realtime}  <-  server/modules/<domain>  <-  server/workflows/  <-  routes, jobs/, app
//
// An import that points up a layer, or into another domain's models, fails `npm run lint`.
// test/unit/layers.test.ts lints snippets against these rules to show that they fire.

// Every CSV file the product writes goes through server/lib/csv.ts (formulas neutralised).
const csvPaths = [
  { name: 'csv-stringify', message: 'Write CSV with csvWriter/csvText from server/lib/csv.ts.' },
  { name: 'csv-stringify/sync', message: 'Write CSV with csvWriter/csvText from server/lib/csv.ts.' },
];

const up = '^(\\.\\./)+';
const rule = {
  contractsOut: {
    regex: `${up}(server|jobs|web|test|bench|scripts)(/|$)`,
    message: 'contracts/ imports nothing but contracts/ (and zod): it is shared by the server, the jobs and the console.',
  },
  consoleToServer: {
    regex: `(${up}|^\\$)(server|jobs)(/|$)`,
    message: 'The console never imports server code: it reads the API through contracts/ (the route table and schemas).',
  },
  infraToDomain: {
    // Infrastructure knows who is asking (auth/access) and the model registry, nothing of a domain.
    regex: `${up}modules/(?!auth/(access|auth\\.service)$)`,
    message: 'Infrastructure (lib, db, http, realtime) never imports a domain module: let the module register itself (db/models.ts, lib/records.ts).',
  },
  toWorkflow: {
    regex: `(^|/)workflows/`,
    message: 'Only routes, jobs and the app import workflows: a module or infrastructure must not depend on a cross-domain flow.',
  },
  toTop: {
    regex: `${up}(app|bootstrap|domains|main|runtime-start)$|(^|/)jobs/(processors|worker|listener|reconciler)(/|$)|\\.routes$`,
    message: 'Routes, job processors and the app are the top layer: nothing below imports them.',
  },
  // Another domain's models, from server/modules/<domain>/<file>.ts and from a subfolder of a domain.
  foreignModel: {
    regex: `^\\.\\./[\\w-]+/[\\w.-]+\\.model$`,
    message: "A domain reads another domain's data through that domain's exported functions (queries, scopes, includes), never its models.",
  },
  foreignModelNested: {
    regex: `^\\.\\./\\.\\./[\\w-]+/[\\w.-]+\\.model$`,
    message: "A domain reads another domain's data through that domain's exported functions (queries, scopes, includes), never its models.",
  },
};

const restrict = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': 'off',
    '@typescript-eslint/no-restricted-imports': ['error', { paths: csvPaths, patterns }],
  },
});

export const layerRules = [
  restrict(['server/**/*.ts', 'jobs/**/*.ts', 'scripts/**/*.ts'], [], ['server/lib/csv.ts']),
  restrict(['contracts/**/*.ts'], [rule.contractsOut]),
  restrict(
    ['server/lib/**/*.ts', 'server/db/**/*.ts', 'server/http/**/*.ts', 'server/realtime/**/*.ts'],
    [rule.infraToDomain, rule.toWorkflow, rule.toTop],
    ['server/lib/csv.ts'],
  ),
  restrict(['server/modules/*/*.ts'], [rule.toWorkflow, rule.toTop, rule.foreignModel], ['server/modules/*/*.routes.ts']),
  restrict(['server/modules/*/*/*.ts'], [rule.toWorkflow, rule.toTop, rule.foreignModelNested]),
  // A domain's routes may run workflows; they still read other domains through their functions.
  restrict(['server/modules/*/*.routes.ts'], [rule.toTop, rule.foreignModel]),
  restrict(['server/workflows/**/*.ts'], [rule.toTop]),
  {
    files: ['web/**/*.ts', 'web/**/*.svelte'],
    rules: { 'no-restricted-imports': ['error', { patterns: [rule.consoleToServer] }] },
  },
];
