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
