import { appendFileSync, createWriteStream } from 'node:fs';
import { format } from 'mysql2';
import { Sequelize, type Options } from 'sequelize';
import type { Config } from '../config';
import { sqliteStorage } from '../config';

let instance: Sequelize | undefined;

export function createSequelize(config: Config): Sequelize {
  const common: Options = { ...sqlLogging(config.sqlLog), define: { underscored: false, freezeTableName: true } };
  if (config.dialect === 'sqlite') {
    const sequelize = new Sequelize({ ...common, dialect: 'sqlite', storage: sqliteStorage(config) });
    configureSqliteConnections(sequelize);
    return sequelize;
  }
  const url = config.databaseUrl.replace(/^mariadb:/, 'mysql:');
  return new Sequelize(url, {
    ...common,
    dialect: 'mysql',
    timezone: '+00:00',
    pool: { max: 20, min: 0, acquire: 30_000, idle: 10_000 },
    dialectOptions: { dateStrings: false, supportBigNumbers: true, bigNumberStrings: false, charset: 'utf8mb4', queryFormat },
  });
}

/**
 * Statements with values to put in are formatted as mysql2 does; the others go as they are. Sequelize
 * sends its statements formatted already, and mysql2 would scan each one for placeholders anyway: a
 * bulk INSERT of some hundred kB (an import's chunk) for nothing.
 */
function queryFormat(sql: string, values: Parameters<typeof format>[1] | undefined): string {
  return values === undefined || (Array.isArray(values) && values.length === 0) ? sql : format(sql, values, false, '+00:00');
}

/** SQL_LOG: each statement and its milliseconds as a JSON line of the file (for profiling a path). */
function sqlLogging(file: string | undefined): Pick<Options, 'logging' | 'benchmark'> {
  if (!file) return { logging: false };
  const out = createWriteStream(file, { flags: 'a' });
  // Written 500 lines at a time, so the log costs the path it measures little.
  let lines: string[] = [];
  const flush = () => {
    if (lines.length) out.write(`${lines.join('\n')}\n`);
    lines = [];
  };
  setInterval(flush, 200).unref();
  process.once('exit', () => {
    if (lines.length) appendFileSync(file, `${lines.join('\n')}\n`);
  });
  return {
    benchmark: true,
    logging: (sql: string, ms?: number) => {
      lines.push(JSON.stringify({ at: Date.now(), ms, sql }));
      if (lines.length >= 500) flush();
    },
  };
}

type SqliteConnection = { configure(option: 'busyTimeout', ms: number): void; run(sql: string): void };
type ConnectionManagerLike = {
  getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection, force?: boolean): unknown;
};

/**
 * Every SQLite connection waits for a lock instead of failing at once. Sequelize opens (and parses the
 * schema on) a new SQLite connection per transaction; since withTransaction() already runs SQLite
 * transactions one at a time, they all share one long-lived connection instead.
 */
function configureSqliteConnections(sequelize: Sequelize): void {
  const manager = (sequelize as unknown as { connectionManager: ConnectionManagerLike }).connectionManager;
  const getConnection = manager.getConnection.bind(manager);
  const releaseConnection = manager.releaseConnection.bind(manager);
  const configured = new WeakSet<SqliteConnection>();
  let txConnection: SqliteConnection | undefined;
  const prepare = (connection: SqliteConnection) => {
    if (!configured.has(connection)) {
      connection.configure('busyTimeout', 10_000);
      connection.run('PRAGMA synchronous = NORMAL');
      configured.add(connection);
    }
    return connection;
  };
  manager.getConnection = async (options) => {
    const isTransaction = !!options?.uuid && options.uuid !== 'default';
    if (isTransaction) {
      txConnection ??= prepare(await getConnection({ uuid: 'transactions' }));
      return txConnection;
    }
    return prepare(await getConnection(options));
  };
  manager.releaseConnection = (connection, force) => (connection === txConnection ? undefined : releaseConnection(connection, force));
}

export async function connectDb(config: Config): Promise<Sequelize> {
  if (config.dialect === 'mysql') await ensureMysqlDatabase(config.databaseUrl);
  instance = createSequelize(config);
  await instance.authenticate();
  if (config.dialect === 'sqlite') {
    await instance.query('PRAGMA journal_mode = WAL');
  }
  return instance;
}

// The database named in a mysql:// URL is created when missing, so a fresh server needs no manual step.
async function ensureMysqlDatabase(url: string): Promise<void> {
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) return;
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export function db(): Sequelize {
  if (!instance) throw new Error('Database is not connected: call connectDb() first');
  return instance;
}

/** Whether this process has a database connection (test helpers that read it directly ask first). */
export function isConnected(): boolean {
  return instance !== undefined && instance !== null;
}

export function isSqlite(): boolean {
  return db().getDialect() === 'sqlite';
}

export async function closeDb(): Promise<void> {
  if (instance) {
    const s = instance;
    instance = undefined;
    await s.close();
  }
}
