/**
 * Reads notifications.yaml beside a register (routes-schema.ts): how each recipient is told of a
 * rectification, an erasure or a restriction (Art. 19). Read with the same YAML reader as the
 * dataset files, so a problem names file:line:column. A route for a recipient the register does not
 * have, or a secret its environment variable does not hold, is an error: the recipient it was meant
 * for would otherwise be told by nobody, unawares.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readYamlFile, validateFile } from '../dataset/read-yaml-file.js';
import { MIN_SECRET_BYTES } from '../connectors/http/secret.js';
import type { Finding } from '../register/finding.js';
import type { Register } from '../register/schema.js';
import { routesWithoutRecipient } from './recipients.js';
import { NotificationRoutes } from './routes-schema.js';

export const NOTIFICATIONS_FILES = ['notifications.yaml', 'notifications.yml'];

export interface LoadedRoutes {
  /** Undefined when the folder has no notifications.yaml (every recipient is then told by hand) or it has errors. */
  routes: NotificationRoutes | undefined;
  /** Where it was read from. */
  file: string | undefined;
  problems: Finding[];
}

/**
 * @param options.checkSecrets whether the secrets' variables must be set (the server, at start); `opendpo
 * register lint` checks the file's shape and its recipient ids only, where no secret is set.
 */
export function loadNotificationRoutes(registerDir: string, register: Register, env: NodeJS.ProcessEnv = process.env, options: { checkSecrets?: boolean } = {}): LoadedRoutes {
  const problems: Finding[] = [];
  const found = NOTIFICATIONS_FILES.map((f) => path.join(registerDir, f)).filter((f) => existsSync(f));
  if (found.length === 0) return { routes: undefined, file: undefined, problems };
  if (found.length > 1) {
    problems.push({ rule: 'notifications/duplicate-file', severity: 'error', message: 'notifications.yaml and notifications.yml are both present: keep one', file: found[1]!, line: 1, column: 1 });
    return { routes: undefined, file: found[0], problems };
  }
  const display = found[0]!;
  const file = readYamlFile(display, readFileSync(display), problems);
  if (!file) return { routes: undefined, file: display, problems };
  const routes = validateFile(file, NotificationRoutes, { prefix: 'notifications' }, problems);
  if (!routes) return { routes: undefined, file: display, problems };
  for (const { id, suggestion } of routesWithoutRecipient(register, routes)) {
    problems.push({
      rule: 'notifications/unknown-recipient',
      severity: 'error',
      message: `"${id}" is not a recipient of recipients.yaml${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: the recipient this route was meant for would be told by nobody`,
      file: display,
      ...file.span(['routes', id], true),
    });
  }
  for (const [id, route] of Object.entries(options.checkSecrets === false ? {} : routes.routes)) {
    const secrets: [string, string[]][] = [];
    if (route.channel === 'webhook') secrets.push([route.secretEnv, ['routes', id, 'webhook', 'secret_env']]);
    if (route.subjectRef) secrets.push([route.subjectRef.keyEnv, ['routes', id, 'subject_ref', 'key_env']]);
    for (const [name, at] of secrets) {
      const value = env[name];
      if (value === undefined || Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) {
        problems.push({
          rule: 'notifications/missing-secret',
          severity: 'error',
          message: `the environment variable ${name} ${value === undefined ? 'is not set' : `holds fewer than ${MIN_SECRET_BYTES} bytes`}: set it to the secret shared with ${id}`,
          file: display,
          ...file.span(at),
        });
      }
    }
  }
  return { routes: problems.length === 0 ? routes : undefined, file: display, problems };
}
