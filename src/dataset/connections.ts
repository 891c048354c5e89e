/**
 * connections.yaml: where each dataset lives. It is the only file that says so, and it holds no
 * password: a URL with credentials comes from the environment or a mounted file (a secret
 * reference), so that a datasets folder can sit in git and be reviewed like code (Art. 32).
 */
import path from 'node:path';
import type { DatabaseType } from '../connectors/connector.js';
import type { Finding } from '../register/finding.js';
import type { SecretRef, SourcePlace } from './model.js';
import { validateFile, type YamlFile } from './read-yaml-file.js';
import { ConnectionsFileSchema, type SecretRefInput } from './schema.js';

interface ConnectionBase {
  /** Shown in plans, progress and evidence. */
  name: string;
  /** Keys of the datasets this connection serves. */
  datasets: string[];
  at: SourcePlace;
}

/** A SQL database opendpo queries and writes itself. A literal `sqlite:PATH` is relative to the working directory. */
export interface DatabaseConnection extends ConnectionBase {
  type: DatabaseType;
  /** Written out only when it holds no password (the loader refuses one that does). */
  url: string | SecretRef;
  /** Overrides OPENDPO_TARGET_TIMEOUT_SECONDS for this database. */
  timeoutMs?: number;
  /** Connections opened to the database at most (DEFAULT_MAX_CONNECTIONS). */
  maxConnections?: number;
}

/** A system that answers for itself over signed HTTP. */
export interface HttpConnection extends ConnectionBase {
  type: 'http';
  url: string | SecretRef;
  /** The key that signs the requests. */
  secret: SecretRef;
  timeoutMs?: number;
}

/** A person does the work and confirms it. */
export interface ManualConnection extends ConnectionBase {
  type: 'manual';
  instructions: string;
  assignee?: string;
}

export type Connection = DatabaseConnection | HttpConnection | ManualConnection;

export interface ConnectionsFile {
  /** The file as displayed in findings. */
  file: string;
  /** The register folder as written (relative to the file); loadDatasets resolves it. */
  register?: string;
  connections: Connection[];
}

export const isDatabaseConnection = (c: Connection): c is DatabaseConnection => c.type === 'postgres' || c.type === 'mysql' || c.type === 'sqlite';

/** The connection that serves a dataset, if any. */
export function connectionServing(connections: ConnectionsFile | undefined, datasetKey: string): Connection | undefined {
  return connections?.connections.find((c) => c.datasets.includes(datasetKey));
}

/**
 * A secret reference as the model keeps it: a relative file path is made absolute against the
 * folder of the file that names it, so it means the same whatever the working directory.
 */
export function toSecretRef(input: SecretRefInput, declaredIn: string): SecretRef {
  if (input.env !== undefined) return { env: input.env };
  return { file: path.resolve(path.dirname(declaredIn), input.file!) };
}

/**
 * Reads a parsed connections.yaml into the model; reports problems at their place. A connection
 * refused for its URL is left out, and the datasets it names are returned in `refused` so that
 * they are not reported again as served by no connection.
 */
export function readConnectionsFile(file: YamlFile, problems: Finding[]): { connections: ConnectionsFile; refused: string[] } | undefined {
  const parsed = validateFile(file, ConnectionsFileSchema, { prefix: 'connections' }, problems);
  if (!parsed) return undefined;
  const connections: Connection[] = [];
  const refused: string[] = [];
  const seen = new Map<string, SourcePlace>();
  parsed.connections.forEach((c, i) => {
    const at = file.place(['connections', i]);
    const first = seen.get(c.name);
    if (first) {
      problems.push({
        rule: 'connections/duplicate-name',
        severity: 'error',
        message: `the connection name "${c.name}" is used twice (first at line ${first.line}): names must be unique`,
        file: file.display,
        ...file.span(['connections', i, 'name']),
      });
      refused.push(...c.datasets);
      return;
    }
    seen.set(c.name, at);
    const base = { name: c.name, datasets: c.datasets, at };
    switch (c.type) {
      case 'postgres':
      case 'mysql':
      case 'sqlite': {
        const url = typeof c.url === 'string' ? checkLiteralUrl(file, i, c.name, c.type, c.url, problems) : toSecretRef(c.url, file.display);
        if (url !== undefined) {
          connections.push({
            ...base,
            type: c.type,
            url,
            ...(c.timeout_ms !== undefined ? { timeoutMs: c.timeout_ms } : {}),
            ...(c.max_connections !== undefined ? { maxConnections: c.max_connections } : {}),
          });
        }
        else refused.push(...c.datasets);
        break;
      }
      case 'http': {
        const url = typeof c.url === 'string' ? checkLiteralUrl(file, i, c.name, c.type, c.url, problems) : toSecretRef(c.url, file.display);
        if (url !== undefined) {
          connections.push({
            ...base,
            type: 'http',
            url,
            secret: toSecretRef(c.secret, file.display),
            ...(c.timeout_ms !== undefined ? { timeoutMs: c.timeout_ms } : {}),
          });
        } else refused.push(...c.datasets);
        break;
      }
      case 'manual':
        connections.push({ ...base, type: 'manual', instructions: c.instructions, ...(c.assignee !== undefined ? { assignee: c.assignee } : {}) });
        break;
    }
  });
  return {
    connections: { file: file.display, ...(parsed.register !== undefined ? { register: parsed.register } : {}), connections },
    refused,
  };
}

const SCHEMES: Record<DatabaseType | 'http', { test: RegExp; expected: string }> = {
  postgres: { test: /^postgres(ql)?:\/\/./, expected: 'postgres://...' },
  mysql: { test: /^(mysql|mariadb):\/\/./, expected: 'mysql://...' },
  sqlite: { test: /^sqlite:./, expected: 'sqlite:PATH' },
  http: { test: /^https?:\/\/./, expected: 'https://...' },
};

/** Query parameters that carry a credential in database and API URLs. */
const CREDENTIAL_PARAMS = /^(password|passwd|pass|pwd|sslpassword|secret|token|access_token|api_key|apikey|key)$/i;

/**
 * A URL written out in connections.yaml must hold no password: the file is meant for git. The
 * message names the place and the way out, never the value.
 */
function checkLiteralUrl(file: YamlFile, index: number, name: string, type: DatabaseType | 'http', url: string, problems: Finding[]): string | undefined {
  const place = { file: file.display, ...file.span(['connections', index, 'url']) };
  const scheme = SCHEMES[type];
  if (!scheme.test.test(url)) {
    problems.push({
      rule: 'connections/invalid-url',
      severity: 'error',
      message: `the url of connection "${name}" must start like ${scheme.expected} for type ${type}`,
      ...place,
    });
    return undefined;
  }
  if (type === 'sqlite') return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push({ rule: 'connections/invalid-url', severity: 'error', message: `the url of connection "${name}" is not a valid URL`, ...place });
    return undefined;
  }
  const credentialParam = [...parsed.searchParams.keys()].some((k) => CREDENTIAL_PARAMS.test(k));
  if (parsed.password !== '' || credentialParam) {
    const env = `${name.toUpperCase().replace(/-/g, '_')}_${type === 'http' ? 'URL' : 'DATABASE_URL'}`;
    problems.push({
      rule: 'connections/literal-password',
      severity: 'error',
      message: `the url of connection "${name}" holds a password: put the URL in an environment variable (url: { env: ${env} }) or a file (url: { file: ... }), never in connections.yaml`,
      article: 'Art. 32',
      ...place,
    });
    return undefined;
  }
  return url;
}
