import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { ROOT_DIR } from '../config';

type Migration = { up: (p: { context: QueryInterface }) => Promise<void>; down?: (p: { context: QueryInterface }) => Promise<void> };

export function migrator(sequelize: Sequelize) {
  return new Umzug<QueryInterface>({
    migrations: {
      glob: ['migrations/[0-9]*.{ts,js}', { cwd: ROOT_DIR }],
      resolve: ({ name, path: file, context }) => ({
        name: name.replace(/\.(ts|js)$/, ''),
        up: async () => ((await import(pathToFileURL(path.resolve(file!)).href)) as Migration).up({ context }),
        down: async () => {
          const m = (await import(pathToFileURL(path.resolve(file!)).href)) as Migration;
          if (!m.down) throw new Error(`migration ${name} cannot be reverted`);
          await m.down({ context });
        },
      }),
    },
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'migrations' }),
    logger: undefined,
  });
}

// Applies pending migrations. Processes starting together on one MySQL database take a named lock on
// one dedicated connection (GET_LOCK belongs to a connection), so one migrates while the others wait.
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const run = async () => (await migrator(sequelize).up()).map((m) => m.name);
  if (sequelize.getDialect() !== 'mysql') return run();
  const mysql = await import('mysql2/promise');
  const c = sequelize.config;
  const conn = await mysql.createConnection({
    host: c.host,
    port: c.port ? Number(c.port) : 3306,
    user: c.username,
    password: c.password ?? undefined,
    database: c.database,
  });
  try {
    // The lock's name is server-wide: it names the database, so databases of one server migrate side by side.
    const [rows] = await conn.query('SELECT GET_LOCK(?, 120) AS ok', [`commercecore_migrate:${c.database}`.slice(0, 64)]);
    if ((rows as { ok: number }[])[0]?.ok !== 1) throw new Error('could not take the migration lock within 120s');
    return await run();
  } finally {
    await conn.end();
  }
}
