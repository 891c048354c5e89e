/**
 * Opens the connector for one connection of connections.yaml (or a --url on the command line):
 * postgres:// or postgresql://, mysql:// or mariadb://, sqlite:PATH or sqlite::memory:.
 * Drivers load on demand, so a SQLite user never loads pg or mysql2.
 *
 * The label names the connection and where it points (host, port, database, or file), never
 * the user's password; every error opening it is TARGET_UNAVAILABLE with that label.
 */
import { OpendpoError } from '../errors/opendpo-error.js';
import type { DatabaseType } from './connector.js';
import type { SqlConnector } from './sql/sql-connector.js';
import { secondsText, type ErrorClass } from './sql/target-errors.js';

export interface DatabaseConnection {
  /** The connection's name in connections.yaml. */
  name: string;
  type: DatabaseType;
  /** The resolved URL (the secret already read); it may hold a password and is never shown. */
  url: string;
  /**
   * How long a statement, a lock wait or opening the connection may take before the request stops
   * with TARGET_UNAVAILABLE, "the database is not answering" (default DEFAULT_TARGET_TIMEOUT_MS).
   */
  timeoutMs?: number;
  /** Connections opened to a PostgreSQL or MySQL/MariaDB server at most (default DEFAULT_MAX_CONNECTIONS). */
  maxConnections?: number;
}

/**
 * How many connections a request opens to a server at most. A request's search asks a few
 * collections at once; on the measured 2-core server (docs/BENCHMARKS.md, bench:dsr) two were
 * faster than five, whose statements competed for the same cores, and a production database the
 * product reads is best loaded lightly.
 */
export const DEFAULT_MAX_CONNECTIONS = 2;

/** OPENDPO_TARGET_TIMEOUT_SECONDS's default: longer than any statement of a request on a healthy database. */
export const DEFAULT_TARGET_TIMEOUT_MS = 30_000;

const SCHEMES: Record<string, DatabaseType> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
  'sqlite:': 'sqlite',
};

/** The database type a URL names, or undefined. */
export function databaseTypeOf(url: string): DatabaseType | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0]?.toLowerCase();
  return scheme === undefined ? undefined : SCHEMES[scheme];
}

interface ParsedTarget {
  type: DatabaseType;
  label: string;
  /** The user the URL names (not the password), for "access denied for user ..."; undefined: the driver's default. */
  user?: string;
  open(): Promise<SqlConnector>;
}

function unavailable(name: string, what: string, cause?: unknown): OpendpoError {
  return new OpendpoError('TARGET_UNAVAILABLE', `connection "${name}": ${what}`, undefined, cause === undefined ? undefined : { cause });
}

/** The path of a sqlite: URL: sqlite:shop.db, sqlite:/abs/shop.db, sqlite:///abs/shop.db, sqlite::memory:. */
export function sqliteFileOf(url: string): string {
  const rest = url.slice('sqlite:'.length);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

function parse(connection: DatabaseConnection): ParsedTarget {
  const { name, url } = connection;
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TARGET_TIMEOUT_MS;
  const maxConnections = connection.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const type = databaseTypeOf(url);
  if (type === undefined) {
    throw unavailable(name, 'the URL must start with postgres://, postgresql://, mysql://, mariadb:// or sqlite:');
  }
  if (type !== connection.type) {
    throw unavailable(name, `the connection is of type ${connection.type} but its URL is a ${type} URL`);
  }
  if (type === 'sqlite') {
    const file = sqliteFileOf(url);
    if (file === '') throw unavailable(name, 'the sqlite: URL names no file (sqlite:PATH or sqlite::memory:)');
    const label = `${name} (sqlite ${file})`;
    return { type, label, open: async () => (await import('./sqlite/sqlite-connector.js')).openSqliteConnector({ file, label, busyTimeoutMs: timeoutMs }) };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw unavailable(name, `the ${type} URL is malformed`);
  }
  if (u.hostname === '') throw unavailable(name, `the ${type} URL names no host`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const port = u.port === '' ? (type === 'postgres' ? 5432 : 3306) : Number(u.port);
  const label = `${name} (${type} ${u.hostname}:${port}${database === '' ? '' : `/${database}`})`;
  const user = u.username === '' ? undefined : decodeURIComponent(u.username);
  if (type === 'postgres') {
    return { type, label, ...(user === undefined ? {} : { user }), open: async () => (await import('./postgres/postgres-connector.js')).openPostgresConnector({ url, label, timeoutMs, maxConnections }) };
  }
  const ssl = u.searchParams.get('ssl');
  return {
    type,
    label,
    ...(user === undefined ? {} : { user }),
    open: async () =>
      (await import('./mysql/mysql-connector.js')).openMysqlConnector({
        host: u.hostname,
        port,
        ...(user === undefined ? {} : { user }),
        ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
        ...(database === '' ? {} : { database }),
        ssl: ssl === 'true' || ssl === 'required' || ssl === '1',
        label,
        timeoutMs,
        maxConnections,
      }),
  };
}

/** The label a connection's errors and logs will show, without opening it. */
export function databaseLabel(connection: DatabaseConnection): string {
  return parse(connection).label;
}

/**
 * Opens and checks the connection (one trivial query), so an unreachable database is reported
 * before a request starts rather than halfway through it.
 */
export async function openDatabaseConnector(connection: DatabaseConnection): Promise<SqlConnector> {
  const target = parse(connection);
  try {
    return await target.open();
  } catch (err) {
    const cls = await classify(target.type, err);
    if (cls?.denied === true) {
      // The user is the controller's own account, written in connections.yaml; the password never is shown.
      const who = target.user === undefined ? 'the default user (none in the URL)' : `user "${target.user}"`;
      throw new OpendpoError('TARGET_UNAVAILABLE', `${target.label}: cannot connect: access denied for ${who}: ${cls.reason}; check the connection's user and password`, undefined, { cause: err });
    }
    if (cls?.timeout === true) {
      const within = secondsText(connection.timeoutMs ?? DEFAULT_TARGET_TIMEOUT_MS);
      throw new OpendpoError('TARGET_UNAVAILABLE', `${target.label}: the database is not answering (connecting): no answer within ${within}: ${cls.reason}`, undefined, { cause: err });
    }
    const reason = cls?.reason ?? 'the database cannot be opened';
    throw new OpendpoError('TARGET_UNAVAILABLE', `${target.label}: cannot connect: ${reason}`, undefined, { cause: err });
  }
}

async function classify(type: DatabaseType, err: unknown): Promise<ErrorClass | undefined> {
  if (type === 'postgres') return (await import('./postgres/postgres-connector.js')).classifyPostgresError(err);
  if (type === 'mysql') return (await import('./mysql/mysql-connector.js')).classifyMysqlError(err);
  const cls = (await import('./sqlite/sqlite-connector.js')).classifySqliteError(err);
  if (cls === undefined && /does not exist/i.test((err as Error)?.message ?? '')) return { kind: 'unavailable', reason: 'the file does not exist' };
  return cls;
}
