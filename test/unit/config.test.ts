import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

const base = { SECRET_KEY: 'k'.repeat(40) };

describe('loadConfig', () => {
  it('defaults to the embedded mode', () => {
    const c = loadConfig(base);
    expect(c.dialect).toBe('sqlite');
    expect(c.databaseUrl).toBe('sqlite:data/commercecore.sqlite');
    expect(c.redisUrl).toBeUndefined();
    expect(c.seedDemo).toBe(true);
    expect(c.port).toBe(3000);
    expect(c.currency).toBe('EUR');
    expect(c.mailFrom).toBe('orders@localhost');
  });
  it('reads the services mode', () => {
    const c = loadConfig({
      ...base,
      DATABASE_URL: 'mysql://u:p@db:3306/cc',
      REDIS_URL: 'redis://r:6379',
      MAILGUN_API_KEY: 'key',
      MAILGUN_DOMAIN: 'mg.example.com',
      CURRENCY: 'usd',
    });
    expect(c.dialect).toBe('mysql');
    expect(c.seedDemo).toBe(false);
    expect(c.currency).toBe('USD');
    expect(c.mailgun).toMatchObject({ apiKey: 'key', domain: 'mg.example.com' });
    expect(c.mailFrom).toBe('orders@mg.example.com');
  });
  it.each([
    ['DATABASE_URL', 'postgres://x'],
    ['DATABASE_URL', 'mysql://'],
    ['PORT', 'eighty'],
    ['REDIS_URL', 'localhost:6379'],
    ['CURRENCY', 'EURO'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['ADMIN_PASSWORD', 'short'],
  ])('rejects a bad %s with a message naming it', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(name));
  });
});

describe('Redis outage settings', () => {
  it('times Redis commands out after 2 s and re-queues waiting jobs every minute by default; both can be set; a bad value names the variable', () => {
    expect(loadConfig(base)).toMatchObject({ redisCommandTimeoutMs: 2000, jobReconcileMs: 60_000 });
    expect(loadConfig({ ...base, REDIS_COMMAND_TIMEOUT_MS: '500', JOB_RECONCILE_MS: '5000' })).toMatchObject({
      redisCommandTimeoutMs: 500,
      jobReconcileMs: 5000,
    });
    expect(() => loadConfig({ ...base, REDIS_COMMAND_TIMEOUT_MS: '0' })).toThrow(/REDIS_COMMAND_TIMEOUT_MS/);
    expect(() => loadConfig({ ...base, JOB_RECONCILE_MS: 'often' })).toThrow(/JOB_RECONCILE_MS/);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts only the loopback by default; a number of hops, a list or none when set; a bad value names the variable', () => {
    expect(loadConfig(base).trustProxy).toBe('loopback');
    expect(loadConfig({ ...base, TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'everyone!' })).toThrow(/TRUST_PROXY/);
  });
});

describe('production secrets', () => {
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'mysql://u:p@db:3306/cc' };
  it('refuses to start without SECRET_KEY, or with a placeholder secret or admin password, naming the variable', () => {
    expect(() => loadConfig(prod)).toThrow(/SECRET_KEY: must be set in production/);
    expect(() => loadConfig({ ...prod, SECRET_KEY: 'replace-with-a-long-random-secret-of-32-chars' })).toThrow(/SECRET_KEY: is a placeholder/);
    expect(() => loadConfig({ ...prod, SECRET_KEY: 'x'.repeat(40) })).toThrow(/SECRET_KEY: is a placeholder/);
    expect(() => loadConfig({ ...prod, SECRET_KEY: 'a3f9'.repeat(16), ADMIN_PASSWORD: 'change-me-please' })).toThrow(/ADMIN_PASSWORD: is a placeholder/);
    expect(loadConfig({ ...prod, SECRET_KEY: 'a3f9c1d7'.repeat(8), ADMIN_PASSWORD: 'Tr0ub4dor&3-horse' }).secretKey).toBe('a3f9c1d7'.repeat(8));
    // Outside production the key is generated into the data folder as before.
    expect(() => loadConfig(base)).not.toThrow();
  });
});
