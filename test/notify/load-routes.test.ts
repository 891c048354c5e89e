/**
 * notifications.yaml read beside a register: a good file gives its routes; a route for a recipient
 * the register does not have (with the closest id), a secret its variable does not hold, a duplicate
 * file, a YAML error: each named at file:line, and no routes given.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { loadNotificationRoutes } from '../../src/notify/load-routes.js';
import { lintFolder } from '../../src/register/lint/lint-folder.js';
import { loadRegister } from '../../src/register/load.js';
import type { Register } from '../../src/register/schema.js';
import { ROOT } from '../helpers/cli.js';

let register: Register;
let dir: string;
beforeAll(async () => {
  register = (await loadRegister(`${ROOT}/examples/acme-shop`)).loaded!.register;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const folderWith = (files: Record<string, string>) => {
  dir = mkdtempSync(path.join(tmpdir(), 'opendpo-routes-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
};
const env = { NIMBUS_SECRET: 's'.repeat(32), NIMBUS_REF: 'r'.repeat(40), SHORT: 'short' };

describe('loadNotificationRoutes', () => {
  it('gives no routes and no problem without a file: every recipient is told by hand', () => {
    expect(loadNotificationRoutes(folderWith({}), register, env)).toEqual({ routes: undefined, file: undefined, problems: [] });
  });

  it('reads the routes, with a subject reference', () => {
    const loaded = loadNotificationRoutes(
      folderWith({
        'notifications.yaml': [
          'routes:',
          '  nimbus-commerce:',
          '    webhook: { url: "https://hooks.nimbus.example/art19", secret_env: NIMBUS_SECRET }',
          '    subject_ref: { identity: email, key_env: NIMBUS_REF }',
          '  colis-express:',
          '    email: { to: dpo@colis-express.example }',
          '  riskscore:',
          '    nats: { subject: riskscore.art19 }',
          '',
        ].join('\n'),
      }),
      register,
      env,
    );
    expect(loaded.problems).toEqual([]);
    expect(loaded.routes?.routes).toEqual({
      'nimbus-commerce': { channel: 'webhook', url: 'https://hooks.nimbus.example/art19', secretEnv: 'NIMBUS_SECRET', subjectRef: { identity: 'email', keyEnv: 'NIMBUS_REF' } },
      'colis-express': { channel: 'email', to: 'dpo@colis-express.example' },
      riskscore: { channel: 'nats', subject: 'riskscore.art19' },
    });
  });

  it('names a route for an unknown recipient with the closest id, and a secret that is missing or short, at their lines', () => {
    const loaded = loadNotificationRoutes(
      folderWith({
        'notifications.yaml': [
          'routes:',
          '  nimbus-commerse:',
          '    email: { to: dpo@nimbus.example }',
          '  payflow:',
          '    webhook: { url: "https://hooks.payflow.example/", secret_env: PAYFLOW_SECRET }',
          '  riskscore:',
          '    webhook: { url: "https://hooks.riskscore.example/", secret_env: SHORT }',
          '',
        ].join('\n'),
      }),
      register,
      env,
    );
    expect(loaded.routes).toBeUndefined();
    expect(loaded.problems.map((p) => [p.rule, p.line])).toEqual([
      ['notifications/unknown-recipient', 2],
      ['notifications/missing-secret', 5],
      ['notifications/missing-secret', 7],
    ]);
    expect(loaded.problems[0]!.message).toContain('did you mean "nimbus-commerce"');
    expect(loaded.problems[1]!.message).toContain('PAYFLOW_SECRET is not set');
    expect(loaded.problems[2]!.message).toContain('fewer than 32 bytes');
    // The secret's value never appears in a message.
    expect(JSON.stringify(loaded.problems)).not.toContain('short');
  });

  it('refuses a route with two channels, an http URL beyond this machine, a YAML error and two files, at their place', () => {
    const two = loadNotificationRoutes(folderWith({ 'notifications.yaml': 'routes:\n  payflow:\n    email: { to: a@b.example }\n    nats: {}\n' }), register, env);
    expect(two.problems[0]).toMatchObject({ file: expect.stringContaining('notifications.yaml'), line: 3 });
    expect(two.problems[0]!.message).toContain('exactly one of webhook, email or nats');
    const http = loadNotificationRoutes(folderWith({ 'notifications.yaml': 'routes:\n  payflow:\n    webhook: { url: "http://hooks.payflow.example/", secret_env: NIMBUS_SECRET }\n' }), register, env);
    expect(http.problems[0]!.message).toContain('https:');
    const broken = loadNotificationRoutes(folderWith({ 'notifications.yaml': 'routes:\n  payflow: [\n' }), register, env);
    expect(broken.routes).toBeUndefined();
    expect(broken.problems.length).toBeGreaterThan(0);
    const both = loadNotificationRoutes(folderWith({ 'notifications.yaml': 'routes: {}\n', 'notifications.yml': 'routes: {}\n' }), register, env);
    expect(both.problems.map((p) => p.rule)).toEqual(['notifications/duplicate-file']);
  });

  it('is checked by opendpo register lint beside the register, its recipient ids but not its secrets', async () => {
    const folder = folderWith({});
    cpSync(`${ROOT}/examples/acme-shop`, folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'notifications.yaml'),
      'routes:\n  payflow:\n    webhook: { url: "https://hooks.payflow.example/", secret_env: NOT_SET_HERE }\n  riskscor:\n    nats: {}\n',
    );
    const { findings } = await lintFolder(folder);
    const routes = findings.filter((f) => f.rule.startsWith('notifications/'));
    expect(routes.map((f) => [f.rule, f.line])).toEqual([['notifications/unknown-recipient', 4]]);
    expect(routes[0]!.message).toContain('did you mean "riskscore"');
  });
});
