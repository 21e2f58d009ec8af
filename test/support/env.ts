import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

// The services the suite needs. They are required: a missing one fails the run, never skips it.
export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type TestDb = { env: Record<string, string>; drop(): Promise<void> };

/** A fresh, empty database of the project's mode: a SQLite file, or a MariaDB database + Redis. */
export async function freshDatabase(kind: 'sqlite' | 'mysql' = (process.env.TEST_DB as 'sqlite' | 'mysql') ?? 'sqlite'): Promise<TestDb> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const dataDir = path.join(os.tmpdir(), 'commercecore-test', suffix);
  mkdirSync(dataDir, { recursive: true });
  const common = {
    DATA_DIR: dataDir,
    SEED_DEMO: '0',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    SECRET_KEY: 'x'.repeat(40),
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: 'admin-password-1',
    // Tests run syncs themselves: no timer syncing their made-up shops in the background.
    SYNC_SCHEDULE: '0',
    // The stand-in shops answer on 127.0.0.1.
    CHANNEL_PRIVATE_NETWORK: '1',
  };
  if (kind === 'sqlite') {
    return { env: { ...common, DATABASE_URL: `sqlite:${path.join(dataDir, 'test.sqlite')}` }, drop: async () => undefined };
  }
  const name = `cc_test_${suffix}`;
  const base = new URL(MYSQL_URL);
  return {
    env: { ...common, DATABASE_URL: `${MYSQL_URL.replace(/\/$/, '')}/${name}`, REDIS_URL, REDIS_PREFIX: name },
    drop: async () => {
      const conn = await mysql.createConnection({
        host: base.hostname,
        port: Number(base.port || 3306),
        user: decodeURIComponent(base.username) || 'root',
        password: decodeURIComponent(base.password),
      });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
