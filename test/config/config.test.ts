import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, describeConfig, describeConfigMarkdown, findPackageRoot, loadConfig, redactUrl } from '../../src/config/config.js';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import { ROOT } from '../helpers/cli.js';

const cwd = '/srv/app';
const load = (env: Record<string, string | undefined>) => loadConfig(env, { cwd, packageRoot: '/opt/opendpo' });

function configError(env: Record<string, string | undefined>): OpendpoError {
  try {
    load(env);
  } catch (err) {
    if (err instanceof OpendpoError) return err;
    throw err;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfig', () => {
  it('has defaults that start a server on a fresh clone', () => {
    const config = load({});
    expect(config).toEqual({
      port: 4750,
      host: '127.0.0.1',
      store: { kind: 'sqlite', file: '/srv/app/.opendpo/opendpo.db', display: 'sqlite .opendpo/opendpo.db' },
      registers: ['/opt/opendpo/examples/acme-shop', '/opt/opendpo/examples/softathome'],
      logLevel: 'info',
      dsrLeaseSeconds: 60,
      targetTimeoutMs: 30_000,
      smtpUrl: undefined,
      mailFrom: 'opendpo <no-reply@localhost>',
      publicRateLimit: 60,
      timeZone: undefined,
      datasets: [],
      packageKey: undefined,
      packageDir: '/srv/app/.opendpo/packages',
      publicUrl: 'http://localhost:4750',
      reminderHour: 8,
    });
  });

  it('is immutable', () => {
    const config = load({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.store)).toBe(true);
    expect(Object.isFrozen(config.registers)).toBe(true);
  });

  it('reads every variable', () => {
    const config = load({
      OPENDPO_PORT: '8080',
      OPENDPO_HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://app:pw@db:5432/opendpo',
      OPENDPO_REGISTERS: ' registers/a , /abs/b ,',
      OPENDPO_LOG_LEVEL: 'warn',
      OPENDPO_DSR_LEASE_SECONDS: '5',
      OPENDPO_TARGET_TIMEOUT_SECONDS: '2.5',
      OPENDPO_SMTP_URL: 'smtp://mailer:secret@mail.example:587',
      OPENDPO_MAIL_FROM: 'Acme DPO <dpo@acme.example>',
      OPENDPO_PUBLIC_RATE_LIMIT: '120',
      OPENDPO_TIMEZONE: 'America/Cayenne',
      OPENDPO_REMINDER_HOUR: '7',
    });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.store).toEqual({ kind: 'postgres', url: 'postgresql://app:pw@db:5432/opendpo', display: 'postgres postgresql://app:***@db:5432/opendpo' });
    expect(config.registers).toEqual(['/opt/opendpo/registers/a', '/abs/b']);
    expect(config.logLevel).toBe('warn');
    expect(config.dsrLeaseSeconds).toBe(5);
    expect(config.targetTimeoutMs).toBe(2500);
    expect(config.smtpUrl).toBe('smtp://mailer:secret@mail.example:587');
    expect(config.mailFrom).toBe('Acme DPO <dpo@acme.example>');
    expect(config.publicRateLimit).toBe(120);
    expect(config.timeZone).toBe('America/Cayenne');
    expect(config.reminderHour).toBe(7);
  });

  it.each([
    ['sqlite:data/my.db', { kind: 'sqlite', file: '/srv/app/data/my.db', display: 'sqlite data/my.db' }],
    ['sqlite:/var/lib/opendpo.db', { kind: 'sqlite', file: '/var/lib/opendpo.db', display: 'sqlite /var/lib/opendpo.db' }],
    [':memory:', { kind: 'sqlite', file: ':memory:', display: 'sqlite :memory:' }],
    ['postgres://postgres@127.0.0.1:5432/x', { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/x', display: 'postgres postgres://postgres@127.0.0.1:5432/x' }],
  ])('understands DATABASE_URL=%s', (url, expected) => {
    expect(load({ DATABASE_URL: url }).store).toEqual(expected);
  });

  it('treats an empty variable as unset', () => {
    expect(load({ OPENDPO_PORT: '', DATABASE_URL: ' ' }).port).toBe(4750);
  });

  it.each([
    [{ OPENDPO_PORT: 'abc' }, "OPENDPO_PORT must be a port number (1-65535), got 'abc'"],
    [{ OPENDPO_TARGET_TIMEOUT_SECONDS: 'forever' }, "OPENDPO_TARGET_TIMEOUT_SECONDS must be a number of seconds from 0.1 to 3600, got 'forever'"],
    [{ OPENDPO_TARGET_TIMEOUT_SECONDS: '0' }, "OPENDPO_TARGET_TIMEOUT_SECONDS must be a number of seconds from 0.1 to 3600, got '0'"],
    [{ OPENDPO_PORT: '70000' }, "OPENDPO_PORT must be a port number (1-65535), got '70000'"],
    [{ OPENDPO_PORT: '-1' }, "OPENDPO_PORT must be a port number (1-65535), got '-1'"],
    [{ DATABASE_URL: 'mysql://root@db/x' }, 'DATABASE_URL must be postgres://..., postgresql://..., sqlite:PATH or :memory:'],
    [{ OPENDPO_LOG_LEVEL: 'verbose' }, 'OPENDPO_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ OPENDPO_HOST: 'http://x' }, 'OPENDPO_HOST must be a host name or IP address'],
    [{ OPENDPO_DSR_LEASE_SECONDS: '0' }, "OPENDPO_DSR_LEASE_SECONDS must be a number of seconds from 1 to 3600, got '0'"],
    [{ OPENDPO_DSR_LEASE_SECONDS: '1.5' }, "OPENDPO_DSR_LEASE_SECONDS must be a number of seconds from 1 to 3600, got '1.5'"],
    [{ OPENDPO_SMTP_URL: 'mail.example:25' }, 'OPENDPO_SMTP_URL must be smtp://host:port or smtps://host:port'],
    [{ OPENDPO_PUBLIC_RATE_LIMIT: 'lots' }, "OPENDPO_PUBLIC_RATE_LIMIT must be a whole number of requests per minute from 1 to 1000000, got 'lots'"],
    [{ OPENDPO_TIMEZONE: 'Europe/Lyon' }, 'OPENDPO_TIMEZONE must be an IANA time zone such as Europe/Paris'],
    [{ OPENDPO_REMINDER_HOUR: '24' }, "OPENDPO_REMINDER_HOUR must be an hour from 0 to 23, got '24'"],
    [{ OPENDPO_PUBLIC_URL: 'privacy.example.org' }, 'OPENDPO_PUBLIC_URL must be an http(s):// URL such as https://privacy.example.org'],
  ])('refuses %j naming the variable', (env, message) => {
    const err = configError(env);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(message);
  });

  it('reports every wrong variable at once', () => {
    const err = configError({ OPENDPO_PORT: 'x', OPENDPO_LOG_LEVEL: 'loud' });
    expect(err.message).toContain('OPENDPO_PORT');
    expect(err.message).toContain('OPENDPO_LOG_LEVEL');
  });
});

describe('describeConfig', () => {
  it('documents exactly the variables the schema validates', () => {
    expect(describeConfig().map((v) => v.name)).toEqual(Object.keys(ConfigSchema.shape));
    for (const v of describeConfig()) expect(v.meaning.length).toBeGreaterThan(20);
    expect(describeConfigMarkdown()).toContain('| `OPENDPO_PORT` | `4750` |');
    expect(describeConfigMarkdown()).toContain('0.0.0.0');
  });
});

describe('the README', () => {
  it('documents every variable the schema validates', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const v of describeConfig()) expect(readme, `README.md does not document ${v.name}`).toContain(`| \`${v.name}\` |`);
  });
});

describe('redactUrl', () => {
  it('hides the password and nothing else', () => {
    expect(redactUrl('postgres://app:secret@db:5432/opendpo?sslmode=require')).toBe('postgres://app:***@db:5432/opendpo?sslmode=require');
    expect(redactUrl('postgres://db/opendpo')).toBe('postgres://db/opendpo');
  });
});

describe('findPackageRoot', () => {
  it('finds the package from the source tree and from the built tree', () => {
    expect(findPackageRoot(path.join(ROOT, 'src/config'))).toBe(ROOT);
    expect(findPackageRoot(path.join(ROOT, 'dist/src/config'))).toBe(ROOT);
  });
});
