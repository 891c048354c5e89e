/**
 * The server's and the CLI's configuration: one zod schema over the environment, validated once
 * at start, so a wrong value stops the program with a message naming the variable instead of
 * failing later. The README's configuration table is generated from the same list
 * (`describeConfig()`), so documentation and validation cannot drift apart.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { OpendpoError } from '../errors/opendpo-error.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The examples shipped with the package: the first is the default organisation. */
const DEFAULT_REGISTERS = 'examples/acme-shop,examples/softathome';
const DEFAULT_SQLITE_FILE = '.opendpo/opendpo.db';

/** Where the store lives, as parsed from DATABASE_URL. */
export type StoreLocation =
  | { kind: 'sqlite'; file: string /* absolute path, or ':memory:' */; display: string }
  | { kind: 'postgres'; url: string; display: string /* the URL without its password */ };

interface VariableDoc {
  name: string;
  default: string;
  meaning: string;
}

/** A whole number from `min` to `max` given as text; refused with what it must be and what was given. */
function wholeNumber(defaultValue: string, min: number, max: number, what: string) {
  return z
    .string()
    .trim()
    .default(defaultValue)
    .transform((v, ctx) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be ${what} from ${min} to ${max}, got '${v}'` });
        return z.NEVER;
      }
      return n;
    });
}

/** One entry per variable: what the README documents, in the order it documents them. */
const VARIABLES = {
  OPENDPO_PORT: {
    default: '4750',
    meaning: 'TCP port the server listens on (`opendpo serve --port` overrides it; 0 picks a free port).',
    schema: z
      .string()
      .trim()
      .default('4750')
      .transform((v, ctx) => {
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < 0 || n > 65535) {
          ctx.addIssue({ code: 'custom', message: `must be a port number (1-65535), got '${v}'` });
          return z.NEVER;
        }
        return n;
      }),
  },
  OPENDPO_HOST: {
    default: '127.0.0.1',
    meaning: 'Interface the server listens on. Use 0.0.0.0 in a container so the port can be published.',
    schema: z
      .string()
      .trim()
      .default('127.0.0.1')
      .refine((v) => v.length > 0 && !/\s|\/|:\/\//.test(v), { message: 'must be a host name or IP address such as 127.0.0.1 or 0.0.0.0' }),
  },
  DATABASE_URL: {
    default: `sqlite:${DEFAULT_SQLITE_FILE}`,
    meaning:
      'Where published register versions are stored: `postgres://user:password@host:5432/db` (or `postgresql://`), `sqlite:PATH` (relative to the working directory), or `:memory:` (lost at exit).',
    schema: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || v === '' || v === ':memory:' || /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), {
        message: "must be postgres://..., postgresql://..., sqlite:PATH or :memory:",
      }),
  },
  OPENDPO_REGISTERS: {
    default: DEFAULT_REGISTERS,
    meaning:
      'Comma-separated register folders published when the server starts on a store with no organisation yet (relative paths resolve against the opendpo package, not the working directory). The first one is the default organisation of `/privacy-notice`.',
    schema: z
      .string()
      .default(DEFAULT_REGISTERS)
      .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0)),
  },
  OPENDPO_LOG_LEVEL: {
    default: 'info',
    meaning: `Server log level: ${LOG_LEVELS.join(', ')}. Logs are JSON lines on stderr: request id, method, route, status and duration, never query strings or bodies.`,
    schema: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  },
  OPENDPO_DSR_LEASE_SECONDS: {
    default: '60',
    meaning:
      'How long a data subject request stays held by the process running it without news from it (renewed every quarter of it). A second process is refused meanwhile; a process killed mid-run leaves the request `interrupted`, resumable once this has passed.',
    schema: wholeNumber('60', 1, 3600, 'a number of seconds'),
  },
  OPENDPO_TARGET_TIMEOUT_SECONDS: {
    default: '30',
    meaning:
      "How long a database holding personal data may take to answer a statement, release a lock a request waits for, or accept a connection, before the request stops with \"the database is not answering\" (exit status 3, resumable by running it again). A connection's `timeout_ms` in connections.yaml overrides it.",
    schema: z
      .string()
      .trim()
      .default('30')
      .transform((v, ctx) => {
        const n = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || n < 0.1 || n > 3600) {
          ctx.addIssue({ code: 'custom', message: `must be a number of seconds from 0.1 to 3600, got '${v}'` });
          return z.NEVER;
        }
        return n;
      }),
  },
  OPENDPO_SMTP_URL: {
    default: '(none)',
    meaning:
      'The mail server the desk sends one-time codes and letters through: `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://...:465`. Without it, requests are received but no code can be sent (staff confirm identities by step-up).',
    schema: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || /^smtps?:\/\/[^\s]+$/.test(v), { message: 'must be smtp://host:port or smtps://host:port (with user:password@ if the server needs it)' }),
  },
  OPENDPO_MAIL_FROM: {
    default: 'opendpo <no-reply@localhost>',
    meaning: 'The From address of codes and letters, e.g. `Acme DPO <dpo@acme.example>`.',
    schema: z.string().trim().default('opendpo <no-reply@localhost>'),
  },
  OPENDPO_PUBLIC_RATE_LIMIT: {
    default: '60',
    meaning:
      'Requests per minute one address may make to each public route of the desk (submitting, following, confirming a code); 429 beyond. The privacy notice takes ten times as many; sign-in 10 a minute.',
    schema: wholeNumber('60', 1, 1_000_000, 'a whole number of requests per minute'),
  },
  OPENDPO_TIMEZONE: {
    default: "(the organisation's country's)",
    meaning:
      "The time zone whose calendar days count for deadlines (a request received at 23:30 in Paris was received that day). Default: the zone of the organisation's country (its capital's).",
    schema: z
      .string()
      .trim()
      .optional()
      .refine(
        (v) => {
          if (v === undefined) return true;
          try {
            new Intl.DateTimeFormat('en', { timeZone: v });
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be an IANA time zone such as Europe/Paris' },
      ),
  },
  OPENDPO_DATASETS: {
    default: '(none)',
    meaning:
      "Comma-separated datasets folders (each with its connections.yaml naming its register) whose systems the server's worker runs approved requests on (access, portability, erasure, restriction). Without it, approved requests wait and are answered with the CLI. `npm start` sets it to the example shop's.",
    schema: z
      .string()
      .optional()
      .transform((v) => (v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))),
  },
  OPENDPO_PACKAGE_KEY: {
    default: '(a key kept in .opendpo/package-key)',
    meaning:
      'The key access packages are encrypted with while they wait for their download (AES-256-GCM): 32 bytes in base64 or hex, or a ring `new:KEY,old:KEY` to rotate (decision 0029). Without it, a key is made once and kept beside the SQLite store, fit for a try-out only.',
    schema: z.string().trim().optional(),
  },
  OPENDPO_PACKAGE_DIR: {
    default: '.opendpo/packages',
    meaning: 'Where the encrypted access packages wait (deleted once their link expires, 7 days).',
    schema: z.string().trim().default('.opendpo/packages'),
  },
  OPENDPO_PUBLIC_URL: {
    default: 'http://localhost:4750',
    meaning: 'How people reach this server: the download links of completion letters start with it.',
    schema: z
      .string()
      .trim()
      .default('http://localhost:4750')
      .refine((v) => /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(v), { message: 'must be an http(s):// URL such as https://privacy.example.org' }),
  },
  OPENDPO_TRUST_PROXY: {
    default: '(none)',
    meaning:
      "Behind a reverse proxy: how many proxies to trust (`1`), or their addresses (`127.0.0.1,10.0.0.0/8`), so that the rate limits count each visitor's address from `X-Forwarded-For` and HSTS follows `X-Forwarded-Proto`. Unset: the connection's address counts (every visitor behind one proxy would share one limit). Never `true`: anyone could then pick the address their requests are counted under.",
    schema: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx): number | string[] | undefined => {
        if (v === undefined || v === '') return undefined;
        if (/^\d+$/.test(v)) {
          const hops = Number(v);
          if (hops >= 1 && hops <= 10) return hops;
          ctx.addIssue({ code: 'custom', message: 'a number of proxies is 1 to 10' });
          return z.NEVER;
        }
        const list = v.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
        const bad = list.find((x) => !isAddressOrRange(x));
        if (bad !== undefined || list.length === 0) {
          ctx.addIssue({ code: 'custom', message: `must be a number of proxies (1-10) or their addresses or ranges, comma-separated (such as 127.0.0.1,10.0.0.0/8)${bad === undefined ? '' : `: "${bad}" is neither`}` });
          return z.NEVER;
        }
        return list;
      }),
  },
  OPENDPO_NATS_URL: {
    default: '(none)',
    meaning:
      'The NATS server (JetStream) that recipients routed `nats:` in notifications.yaml are told on (Art. 19), e.g. `nats://127.0.0.1:4222`. Needed only when a route uses NATS.',
    schema: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || /^(nats|tls):\/\/[^\s]+$/.test(v), { message: 'must be nats://host:port or tls://host:port' }),
  },
  OPENDPO_REMINDER_HOUR: {
    default: '8',
    meaning:
      "The hour (0-23, in the organisation's calendar) from which the daily reminder goes to each staff member with requests overdue or due within 7 days (requests assigned to nobody: to the `dpo` accounts). Once per organisation and day, whatever the number of servers or restarts; not without `OPENDPO_SMTP_URL`.",
    schema: wholeNumber('8', 0, 23, 'an hour'),
  },
} as const;

/** The schema over the environment: the single source of truth for configuration. */
export const ConfigSchema = z.object({
  OPENDPO_PORT: VARIABLES.OPENDPO_PORT.schema,
  OPENDPO_HOST: VARIABLES.OPENDPO_HOST.schema,
  DATABASE_URL: VARIABLES.DATABASE_URL.schema,
  OPENDPO_REGISTERS: VARIABLES.OPENDPO_REGISTERS.schema,
  OPENDPO_LOG_LEVEL: VARIABLES.OPENDPO_LOG_LEVEL.schema,
  OPENDPO_DSR_LEASE_SECONDS: VARIABLES.OPENDPO_DSR_LEASE_SECONDS.schema,
  OPENDPO_TARGET_TIMEOUT_SECONDS: VARIABLES.OPENDPO_TARGET_TIMEOUT_SECONDS.schema,
  OPENDPO_SMTP_URL: VARIABLES.OPENDPO_SMTP_URL.schema,
  OPENDPO_MAIL_FROM: VARIABLES.OPENDPO_MAIL_FROM.schema,
  OPENDPO_PUBLIC_RATE_LIMIT: VARIABLES.OPENDPO_PUBLIC_RATE_LIMIT.schema,
  OPENDPO_TIMEZONE: VARIABLES.OPENDPO_TIMEZONE.schema,
  OPENDPO_DATASETS: VARIABLES.OPENDPO_DATASETS.schema,
  OPENDPO_PACKAGE_KEY: VARIABLES.OPENDPO_PACKAGE_KEY.schema,
  OPENDPO_PACKAGE_DIR: VARIABLES.OPENDPO_PACKAGE_DIR.schema,
  OPENDPO_PUBLIC_URL: VARIABLES.OPENDPO_PUBLIC_URL.schema,
  OPENDPO_TRUST_PROXY: VARIABLES.OPENDPO_TRUST_PROXY.schema,
  OPENDPO_NATS_URL: VARIABLES.OPENDPO_NATS_URL.schema,
  OPENDPO_REMINDER_HOUR: VARIABLES.OPENDPO_REMINDER_HOUR.schema,
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly store: Readonly<StoreLocation>;
  /** Absolute paths of the register folders to publish into an empty store. */
  readonly registers: readonly string[];
  readonly logLevel: LogLevel;
  /** How long a request's lease lasts without renewal, in seconds. */
  readonly dsrLeaseSeconds: number;
  /** How long a target database may take to answer before the request stops (not answering), in milliseconds. */
  readonly targetTimeoutMs: number;
  /** The desk's mail server, when one is configured. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Requests per minute and address on each public route. */
  readonly publicRateLimit: number;
  /** The calendar deadlines are counted in (default: the organisation's country's). */
  readonly timeZone: string | undefined;
  /** Absolute datasets folders the worker runs requests on. */
  readonly datasets: readonly string[];
  /** The package key ring as given (parsed where it is used), or undefined. */
  readonly packageKey: string | undefined;
  /** Absolute folder of the package vault. */
  readonly packageDir: string;
  readonly publicUrl: string;
  /** The NATS server for Art. 19 notices routed to NATS. */
  readonly natsUrl: string | undefined;
  /** The local hour from which the daily reminder to staff goes. */
  readonly reminderHour: number;
  /** The reverse proxies trusted for X-Forwarded-For and -Proto: how many, or their addresses; undefined: none. */
  readonly trustProxy: number | readonly string[] | undefined;
}

/** The variables, their defaults and meanings, for the README and `--help`. */
export function describeConfig(): VariableDoc[] {
  return Object.entries(VARIABLES).map(([name, v]) => ({ name, default: v.default, meaning: v.meaning }));
}

/** The README's configuration table, in Markdown. */
export function describeConfigMarkdown(): string {
  const rows = describeConfig().map((v) => `| \`${v.name}\` | \`${v.default}\` | ${v.meaning} |`);
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export interface LoadConfigOptions {
  /** Relative SQLite paths resolve against it (default: process.cwd()). */
  cwd?: string;
  /** Relative register folders resolve against it (default: the opendpo package root). */
  packageRoot?: string;
}

/**
 * Validates the environment; throws CONFIG_INVALID naming every wrong variable.
 * Creates the folder of the SQLite file, so a fresh clone starts without set-up.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, options: LoadConfigOptions = {}): Config {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(VARIABLES)) {
    // An empty variable means "not set": `OPENDPO_PORT= npm start` should not be an error.
    const value = env[name];
    input[name] = value === undefined || value.trim() === '' ? undefined : value;
  }
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')} ${i.message}`);
    throw new OpendpoError('CONFIG_INVALID', `invalid configuration: ${lines.join('; ')}`, { issues: lines });
  }
  const cwd = options.cwd ?? process.cwd();
  const packageRoot = options.packageRoot ?? findPackageRoot();
  const value = parsed.data;
  return Object.freeze({
    port: value.OPENDPO_PORT,
    host: value.OPENDPO_HOST,
    store: Object.freeze(parseDatabaseUrl(value.DATABASE_URL, cwd)),
    registers: Object.freeze(value.OPENDPO_REGISTERS.map((r) => path.resolve(packageRoot, r))),
    logLevel: value.OPENDPO_LOG_LEVEL,
    dsrLeaseSeconds: value.OPENDPO_DSR_LEASE_SECONDS,
    targetTimeoutMs: Math.round(value.OPENDPO_TARGET_TIMEOUT_SECONDS * 1000),
    smtpUrl: value.OPENDPO_SMTP_URL,
    mailFrom: value.OPENDPO_MAIL_FROM,
    publicRateLimit: value.OPENDPO_PUBLIC_RATE_LIMIT,
    timeZone: value.OPENDPO_TIMEZONE,
    datasets: Object.freeze(value.OPENDPO_DATASETS.map((d) => path.resolve(cwd, d))),
    packageKey: value.OPENDPO_PACKAGE_KEY,
    packageDir: path.resolve(cwd, value.OPENDPO_PACKAGE_DIR),
    publicUrl: value.OPENDPO_PUBLIC_URL,
    natsUrl: value.OPENDPO_NATS_URL,
    reminderHour: value.OPENDPO_REMINDER_HOUR,
    trustProxy: value.OPENDPO_TRUST_PROXY,
  });
}

/** Parses DATABASE_URL (already validated) into a store location. */
export function parseDatabaseUrl(url: string | undefined, cwd: string): StoreLocation {
  if (url === undefined || url === '') {
    const file = path.resolve(cwd, DEFAULT_SQLITE_FILE);
    return { kind: 'sqlite', file, display: `sqlite ${path.relative(cwd, file) || file}` };
  }
  if (url === ':memory:' || url === 'sqlite::memory:') return { kind: 'sqlite', file: ':memory:', display: 'sqlite :memory:' };
  if (url.startsWith('sqlite:')) {
    const given = url.slice('sqlite:'.length);
    const file = path.resolve(cwd, given);
    return { kind: 'sqlite', file, display: `sqlite ${given}` };
  }
  return { kind: 'postgres', url, display: `postgres ${redactUrl(url)}` };
}

/** The URL without its password, safe to print and log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

/** Makes sure the folder of a SQLite file exists. */
export function ensureStoreFolder(location: StoreLocation): void {
  if (location.kind === 'sqlite' && location.file !== ':memory:') mkdirSync(path.dirname(location.file), { recursive: true });
}

/** The folder holding opendpo's package.json, from src/ (tsx) or dist/src/ (built). */
export function findPackageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    // tsc copies package.json into dist/ (src/version.ts imports it): that copy is not the root.
    if (path.basename(dir) !== 'dist' && existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
}

/** An IPv4 or IPv6 address, or a CIDR range of either. */
function isAddressOrRange(text: string): boolean {
  if (ipaddr.isValid(text)) return true;
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}
