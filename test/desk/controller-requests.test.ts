/**
 * Requests a controller forwards to us, its processor (Art. 28(3)(e)), on real SQLite and PostgreSQL
 * stores, a real SMTP server on loopback (to show that nothing is sent to the person), a real vault
 * and a real SQLite database of the systems: a small processor's register written to a temporary
 * folder, with two telecom operators as controllers, each with its activity and its system, a third
 * without the contract's period, and an activity of the processor's own as controller.
 * Submitted in our shape and in the Data Rights Protocol's, followed in both; a controller sees only
 * its own requests; the deadline is the contract's; the answer goes to the controller; an access
 * request runs only on that controller's systems and its package is downloaded with its token.
 * Then the pure parts: the scope, the contract's deadline, the protocol's mapping.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetsOrThrow, type LoadDatasetsResult } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import { controllerScope, datasetsForRequest, scopeDatasets } from '../../src/desk/controller-scope.js';
import { Desk } from '../../src/desk/desk.js';
import { contractDeadline } from '../../src/desk/forwarded/contract-deadline.js';
import { drpStatusOf, fromDrpExercise, type DrpExerciseRequest } from '../../src/desk/forwarded/data-rights-protocol.js';
import { parsePackageKeyRing } from '../../src/desk/package-vault/package-key.js';
import { PackageVault } from '../../src/desk/package-vault/package-vault.js';
import { REQUEST_STATES } from '../../src/desk/request-states.js';
import { RequestWorker } from '../../src/desk/worker/request-worker.js';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { SmtpMailer } from '../../src/mail/smtp/smtp-mailer.js';
import { lintRegister } from '../../src/register/lint/lint-register.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import type { Register } from '../../src/register/schema.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const ORG = 'box-services';
const PERSON = 'lea.moreau@example.org';

// ---------------------------------------------------------------------------------------------
// A processor's register: two operators' activities and systems, a third operator without the
// contract's period, and the processor's own staff as controller.

const contact = (who: string) => `    contact:\n      email: dpo@${who}.example\n`;
const processorActivity = (id: string, system: string, controllers: string) => `id: ${id}
name: Set-top box support for ${system}
role: processor
controllers:
${controllers}sources:
  - kind: third_party
    explanation: The operator's subscriber records
purposes:
  - description: Diagnose the subscribers' set-top boxes
    data_use: essential.service.operations
data_categories:
  - category: user.contact.email
    label: Email address
  - category: user.name
    label: Name
data_subjects:
  - label: Subscribers of the operator
retention:
  - duration: P1Y
    starts_from: the end of the subscription
    end_action: delete
security_measures:
  - kind: encryption
recipients: [support-team]
transfers: none
automated_decisions: none
special_category_conditions: none
systems: [${system}]
`;

const REGISTER_FILES: Record<string, string> = {
  'organisation.yaml': `id: ${ORG}
name: Box Services SAS
address:
  lines: [10 rue des Boîtiers]
  postal_code: "69002"
  city: Lyon
  country: FR
contact:
  email: contact@box-services.example
dpo:
  email: dpo@box-services.example
supervisory_authority:
  name: CNIL
  country: FR
  url: https://www.cnil.fr
rights_channels:
  - kind: email
    value: privacy@box-services.example
cookie_policy_url: https://box-services.example/cookies
default_language: en
`,
  'recipients.yaml': `recipients:
  - id: support-team
    name: Support team
    kind: internal
`,
  'systems.yaml': `systems:
  - id: telco-a-platform
    name: Telco A's box platform
    hosting_country: FR
  - id: telco-b-platform
    name: Telco B's box platform
    hosting_country: FR
  - id: telco-c-platform
    name: Telco C's box platform
    hosting_country: FR
  - id: hr
    name: Staff files
    hosting_country: FR
`,
  // Three working days: received on Thursday 30 April 2026, 1 May (a public holiday in France) and the weekend do not count.
  'activities/telco-a-support.yaml': processorActivity('telco-a-support', 'telco-a-platform', `  - id: telco-a\n    name: Telco A SA\n${contact('telco-a')}    requests:\n      answer_within_days: 3\n      days: working\n`),
  // Ten calendar days: from 30 April, Sunday 10 May, so Monday 11 May.
  'activities/telco-b-support.yaml': processorActivity('telco-b-support', 'telco-b-platform', `  - id: telco-b\n    name: Telco B SA\n${contact('telco-b')}    requests:\n      answer_within_days: 10\n`),
  // Telco C's contract says nothing of requests (yet): its requests are refused.
  'activities/telco-c-support.yaml': processorActivity('telco-c-support', 'telco-c-platform', `  - id: telco-c\n    name: Telco C SA\n${contact('telco-c')}`),
  'activities/staff.yaml': `id: staff
name: Staff management
sources:
  - kind: data_subject
purposes:
  - description: Manage our staff
    data_use: employment
    legal_basis: contract
legal_bases:
  - basis: contract
data_categories:
  - category: user.contact.email
    label: Email address
data_subjects:
  - category: employee
    label: Employees
retention:
  - duration: P5Y
    starts_from: the end of the employment
    end_action: delete
security_measures:
  - kind: access_control
recipients: [support-team]
transfers: none
automated_decisions: none
special_category_conditions: none
provision:
  requirement: contractual
  consequences: Without it we cannot employ you
systems: [hr]
`,
};

/** One table per system, the same person in each (a subscriber of both operators, and on the processor's staff). */
const DATASET = `dataset:
  key: boxes
  name: Box platform database
  collections:
${['a_subscriber:telco-a-platform', 'b_subscriber:telco-b-platform', 'employee:hr']
  .map((pair) => {
    const [table, system] = pair.split(':');
    return `    - name: ${table}
      system: ${system}
      subject: customer
      erasure: delete
      fields:
        - name: id
          primary_key: true
          categories: [user.unique_id]
        - name: email
          categories: [user.contact.email]
          identity: email
        - name: note
          categories: [user.name]
`;
  })
  .join('')}`;

const SYSTEMS_SQL = ['a_subscriber', 'b_subscriber', 'employee']
  .map(
    (t) => `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, email TEXT NOT NULL, note TEXT);
INSERT INTO ${t} (email, note) VALUES ('${PERSON}', 'row of ${t}'), ('someone.else@example.org', 'other ${t}');`,
  )
  .join('\n');

interface Forwarded {
  id: string;
  reference: string;
  controller_reference: string | null;
  protocol: string;
  type: string;
  state: string;
  received_on: string;
  due_on: string;
  terms: { answer_within_days: number; days: string } | null;
  identities: { identity: number; type: string; confirmed_by: string | null }[];
  outcome: { result: string; at: string; reasons: string[]; actions: string[]; records: number | null } | null;
  package: { url: string; expires_at: string | null } | null;
}

describe.each([sqliteCase(), postgresCase()])('requests forwarded by a controller on $name', (dialect) => {
  let store: Store;
  let app: ZodApp;
  let desk: Desk;
  let sink: SmtpSink;
  let mailer: SmtpMailer;
  let dir: string;
  let vault: PackageVault;
  let register: Register;
  let loaded: LoadDatasetsResult;
  // Thursday 30 April 2026, 11:00 in Lyon.
  const clock = Date.parse('2026-04-30T09:00:00Z');
  const tokens: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    if (!dialect.available) return;
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-forwarded-'));
    for (const [file, text] of Object.entries(REGISTER_FILES)) {
      mkdirSync(path.dirname(path.join(dir, 'register', file)), { recursive: true });
      writeFileSync(path.join(dir, 'register', file), text);
    }
    const database = path.join(dir, 'systems.db');
    const db = new SqliteDatabase(database);
    db.exec(SYSTEMS_SQL);
    db.close();
    mkdirSync(path.join(dir, 'datasets'));
    writeFileSync(path.join(dir, 'datasets', 'boxes.yaml'), DATASET);
    writeFileSync(path.join(dir, 'datasets', 'connections.yaml'), `connections:\n  - name: boxes\n    type: sqlite\n    url: sqlite:${database}\n    datasets: [boxes]\n`);
    loaded = await loadDatasetsOrThrow(path.join(dir, 'datasets'));
    const read = await loadRegister(path.join(dir, 'register'));
    register = read.loaded!.register;
    store = await openStore(await dialect.setUp());
    await publishRegister(store, read, { author: 'test' });
    // Another organisation, whose requests no token of ours reaches.
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    sink = await startSmtpSink();
    mailer = new SmtpMailer({ url: sink.url, from: 'dpo@box-services.example' });
    vault = new PackageVault({ folder: path.join(dir, 'vault'), keys: parsePackageKeyRing(randomBytes(32).toString('base64')) });
    mkdirSync(path.join(dir, 'vault'));
    desk = new Desk({ store, mailer, vault, now: () => new Date(clock) });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, mailer, vault, desk, now: () => new Date(clock) });
    for (const controller of ['telco-a', 'telco-b', 'telco-c', 'telco-z']) tokens[controller] = bearer(await tokenFor(store, ORG, 'controller', { controllerId: controller }));
    tokens['acme-telco-a'] = bearer(await tokenFor(store, 'acme-boutique', 'controller', { controllerId: 'telco-a' }));
    tokens.dpo = bearer(await tokenFor(store, ORG, 'dpo'));
  });

  afterAll(async () => {
    await app?.close();
    await mailer?.close();
    await sink?.close();
    await store?.close();
    await dialect.tearDown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const forward = (token: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/controller/requests', headers: tokens[token]!, payload: body });
  const drp = (token: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/drp/v1/data-rights-request', headers: tokens[token]!, payload: body });
  const status = (token: string, id: string) => app.inject({ url: `/api/v1/controller/requests/${id}`, headers: tokens[token]! });
  const drpStatus = (token: string, id: string) => app.inject({ url: `/api/drp/v1/data-rights-request/${id}`, headers: tokens[token]! });
  const staffView = async (id: string) => (await app.inject({ url: `/api/v1/organisations/${ORG}/desk/requests/${id}`, headers: tokens.dpo! })).json();
  const act = (id: string, action: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: `/api/v1/organisations/${ORG}/desk/requests/${id}/${action}`, headers: tokens.dpo!, payload: body });
  const drpBody = (extra: Record<string, unknown> = {}) => ({
    'agent-id': 'telco-b',
    'business-id': ORG,
    'issued-at': new Date(clock - 60_000).toISOString(),
    'expires-at': new Date(clock + 10 * 60_000).toISOString(),
    'drp.version': '0.9.4',
    exercise: 'deletion',
    email: PERSON,
    email_verified: true,
    ...extra,
  });
  /** What the desk holds, for "nothing written": its requests and the organisation's audit log. */
  const written = async () => {
    let audit = 0;
    for await (const _ of store.audit.entries(ORG)) audit++;
    return { requests: (await store.desk.queue(ORG, { limit: 500 })).length, audit };
  };
  const mailToPerson = () => sink.messages.filter((m) => m.to.includes(PERSON));

  it.runIf(dialect.available)('takes a request in our shape as confirmed by the controller, due on the contract\'s day in working days, and writes nothing to the person', async () => {
    const res = await forward('telco-a', { controller_reference: 'A-2026-0042', identities: [{ type: 'email', value: PERSON }], details: { type: 'objection', direct_marketing: true } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as Forwarded;
    // Received Thursday 30 April; 1 May is a public holiday in France, 2-3 May a weekend: 4, 5 and 6 May.
    expect(body).toMatchObject({
      controller_reference: 'A-2026-0042',
      protocol: 'opendpo',
      type: 'objection',
      state: 'verified',
      received_on: '2026-04-30',
      due_on: '2026-05-06',
      terms: { answer_within_days: 3, days: 'working' },
      identities: [{ identity: 1, type: 'email', confirmed_by: 'controller' }],
      outcome: null,
      package: null,
    });
    expect(res.body).not.toContain(PERSON);
    const staff = await staffView(body.id);
    expect(staff).toMatchObject({ channel: 'controller', controller_id: 'telco-a', state: 'verified', due_on: '2026-05-06', letters: [] });
    expect(staff.history.map((h: { name: string; actor: string; input: Record<string, unknown> }) => [h.name, h.actor.startsWith('token:'), h.input.method])).toEqual([['verify_identity', true, 'controller']]);
    // Staff decide and carry it out; the deadline stays the contract's, the letters are kept, none is sent.
    expect((await act(body.id, 'approve', {})).json()).toMatchObject({ state: 'approved', due_on: '2026-05-06' });
    const extended = await act(body.id, 'extend', { months: 1, reasons: ['many systems'] });
    expect(extended.statusCode).toBe(409);
    expect(extended.json().error.message).toContain('contract');
    const done = await act(body.id, 'record-done', { done: 'The subscriber is out of the marketing segments of Telco A.' });
    expect(done.json()).toMatchObject({ state: 'completed', due_on: '2026-05-06' });
    expect(done.json().letters).toEqual([{ seq: 1, kind: 'completion', language: 'en', status: 'not_sent', at: expect.any(String), error: expect.stringContaining('answered to the controller') }]);
    const answered = (await status('telco-a', body.id)).json() as Forwarded;
    expect(answered.outcome).toEqual({ result: 'completed', at: expect.any(String), reasons: [], actions: ['The subscriber is out of the marketing segments of Telco A.'], records: null });
    const actions: string[] = [];
    for await (const e of store.audit.entries(ORG)) if (e.subject.id === body.id) actions.push(e.action);
    expect(actions).toEqual(['request.received', 'request.identity_confirmed', 'request.verify_identity', 'request.approve', 'request.start', 'request.complete', 'request.letter_kept']);
    // Nothing went to the person: no code, no acknowledgement, no completion letter.
    await new Promise((r) => setTimeout(r, 200));
    expect(mailToPerson()).toEqual([]);
  });

  it.runIf(dialect.available)('takes a request in the Data Rights Protocol\'s shape, due in calendar days, and tells its status in both shapes', async () => {
    const res = await drp('telco-b', drpBody({ 'agent-request-id': 'B-77', relationships: ['customer'] }));
    expect(res.statusCode, res.body).toBe(200);
    const exercised = res.json();
    // Ten days from 30 April end on Sunday 10 May: Monday 11 May (Regulation 1182/71 Art. 3(4)).
    expect(exercised).toEqual({ request_id: expect.any(String), agent_request_id: 'B-77', status: 'in_progress', received_at: new Date(clock).toISOString(), expected_by: '2026-05-11' });
    const id = exercised.request_id as string;
    expect((await drpStatus('telco-b', id)).json()).toEqual(exercised);
    const ours = (await status('telco-b', id)).json() as Forwarded;
    expect(ours).toMatchObject({ protocol: 'drp', type: 'erasure', state: 'verified', controller_reference: 'B-77', due_on: '2026-05-11', terms: { answer_within_days: 10, days: 'calendar' } });
    // Refused with reasons: the controller reads them, in both shapes; the refusal letter is kept, not sent.
    const refused = await act(id, 'refuse', { reasons: ['The subscriber data is under a legal hold for an ongoing dispute.'] });
    expect(refused.json().letters.map((l: { kind: string; status: string }) => [l.kind, l.status])).toEqual([['refusal', 'not_sent']]);
    expect((await status('telco-b', id)).json().outcome).toMatchObject({ result: 'refused', reasons: ['The subscriber data is under a legal hold for an ongoing dispute.'], actions: [] });
    expect((await drpStatus('telco-b', id)).json()).toMatchObject({ status: 'denied', reason: 'other', processing_details: 'The subscriber data is under a legal hold for an ongoing dispute.' });
    expect(mailToPerson()).toEqual([]);
  });

  it.runIf(dialect.available)('lets the controller withdraw its own request before it runs, in our shape and by DRP\'s revoke', async () => {
    const ours = (await forward('telco-a', { identities: [{ type: 'email', value: PERSON }], details: { type: 'access' } })).json() as Forwarded;
    const withdraw = (token: string, id: string, payload: Record<string, unknown> = {}) => app.inject({ method: 'POST', url: `/api/v1/controller/requests/${id}/withdrawal`, headers: tokens[token]!, payload });
    // Another controller's request is not found, and nothing changes.
    expect((await withdraw('telco-b', ours.id)).statusCode).toBe(404);
    expect((await status('telco-a', ours.id)).json().state).toBe('verified');
    const withdrawn = await withdraw('telco-a', ours.id, { reason: 'the subscriber withdrew the request at the operator' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ state: 'withdrawn', outcome: { result: 'withdrawn' } });
    expect((await staffView(ours.id)).history.at(-1)).toMatchObject({ name: 'withdraw', input: { note: 'the subscriber withdrew the request at the operator' } });
    // A withdrawn request cannot be withdrawn again.
    expect((await withdraw('telco-a', ours.id)).statusCode).toBe(409);

    const exercised = (await drp('telco-b', drpBody())).json() as { request_id: string };
    const revoke = (token: string, payload?: Record<string, unknown>) =>
      app.inject({ method: 'DELETE', url: `/api/drp/v1/data-rights-request/${exercised.request_id}`, headers: tokens[token]!, ...(payload ? { payload } : {}) });
    const other = await revoke('telco-a');
    expect(other.statusCode, other.body).toBe(404);
    // Approved and not yet run: still withdrawn.
    expect((await act(exercised.request_id, 'approve', {})).json().state).toBe('approved');
    const revoked = await revoke('telco-b', { reason: "I don't want my account deleted" });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ request_id: exercised.request_id, status: 'revoked' });
    expect((await drpStatus('telco-b', exercised.request_id)).json().status).toBe('revoked');
    expect((await revoke('telco-b', { reason: 'x', extra: 1 })).statusCode).toBe(400);
    expect(mailToPerson()).toEqual([]);
  });

  it.runIf(dialect.available)('refuses what does not fit the protocol or our shape, naming it, and writes nothing', async () => {
    const before = await written();
    const refusals: [string, Record<string, unknown>, number, string][] = [
      ['drp', drpBody({ exercise: 'sale:opt_out' }), 400, 'exercise "sale:opt_out" is not carried out'],
      ['drp', drpBody({ exercise: 'access:categories' }), 400, 'exercise "access:categories"'],
      ['drp', drpBody({ exercise: 'portability-please' }), 400, 'exercise "portability-please" is not a rights action'],
      ['drp', drpBody({ regime: 'ccpa' }), 400, 'regime "ccpa"'],
      ['drp', drpBody({ status_callback: 'https://agent.example/cb' }), 400, 'status_callback'],
      ['drp', drpBody({ email_verified: false }), 400, 'email_verified is false'],
      ['drp', drpBody({ 'agent-id': 'telco-a' }), 403, 'agent-id "telco-a" is not the controller of this API token'],
      ['drp', drpBody({ 'business-id': 'acme-boutique' }), 403, 'business-id "acme-boutique"'],
      ['drp', drpBody({ 'expires-at': new Date(clock - 1000).toISOString() }), 400, 'expires-at has passed'],
      ['drp', drpBody({ name: 'Léa Moreau' }), 400, 'not taken: name'],
      ['drp', drpBody({ email: undefined, email_verified: undefined }), 400, 'names no identity'],
      ['drp', drpBody({ 'drp.version': '2.0' }), 400, 'drp.version'],
      ['ours', { identities: [{ type: 'email', value: PERSON }] }, 400, 'details'],
      ['ours', { identities: [{ type: 'email', value: PERSON }], details: { type: 'access' }, organisation_id: 'acme-boutique' }, 400, 'organisation_id'],
      ['ours', { identities: [{ type: 'email', value: 'not an address' }], details: { type: 'access' } }, 400, 'email address'],
    ];
    for (const [shape, body, code, message] of refusals) {
      const res = shape === 'drp' ? await drp('telco-b', body) : await forward('telco-b', body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(code);
      expect(Object.keys(res.json())).toEqual(['error']);
      expect(res.json().error.message, res.body).toContain(message);
    }
    const malformed = await app.inject({ method: 'POST', url: '/api/v1/controller/requests', headers: { ...tokens['telco-b']!, 'content-type': 'application/json' }, payload: '{"identities": [' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('INVALID_INPUT');
    expect(await written()).toEqual(before);
  });

  it.runIf(dialect.available)('answers any body a controller sends with a result or a clear 4xx that writes nothing (fast-check, fixed seed)', async () => {
    const hostile = fc.constantFrom<unknown>(null, true, -1, 1.5, '', ' ', '\u0000', '\uD800', 'x'.repeat(70_000), "' OR 1=1 --", '<script>', [], {}, { __proto__: { admin: true } }, ['access'], '2026-02-30T00:00:00Z', 'telco-a', ORG, 'deletion', 'sale:opt_out');
    const valid = { drp: drpBody({ exercise: 'access' }), ours: { identities: [{ type: 'email', value: PERSON }], details: { type: 'access' } } };
    const mutated = (body: Record<string, unknown>) =>
      fc.oneof(
        fc.constant(body),
        fc.tuple(fc.constantFrom(...Object.keys(body), 'name', 'organisation_id', 'controller_id', 'status_callback'), hostile).map(([k, v]) => ({ ...body, [k]: v })),
        fc.constantFrom(...Object.keys(body)).map((k) => Object.fromEntries(Object.entries(body).filter(([key]) => key !== k))),
        fc.jsonValue({ maxDepth: 3 }),
      );
    const statuses = new Map<number, number>();
    const cases = fc.tuple(
      fc.oneof(mutated(valid.drp).map((body) => ['/api/drp/v1/data-rights-request', body] as const), mutated(valid.ours).map((body) => ['/api/v1/controller/requests', body] as const)),
      fc.constantFrom('telco-b', 'telco-c', 'telco-z'),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([[url, body], token]) => {
        const before = await written();
        const res = await app.inject({ method: 'POST', url, headers: { ...tokens[token]!, 'content-type': 'application/json' }, payload: JSON.stringify(body) ?? 'null' });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(Object.keys(res.json())).toEqual(['error']);
          expect(Object.keys(res.json().error).sort()).toEqual(['code', 'message']);
          expect(await written()).toEqual(before);
        }
      }),
      { seed: 20_260_430, numRuns: 150 },
    );
    // Some cases were taken, and every kind of refusal met: the property was not only ever refusing.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 201, 400, 403, 422]));
  });

  it.runIf(dialect.available)('refuses, before anything is stored, a controller the register records no activity for, or no contract period', async () => {
    const before = await written();
    const unknown = await forward('telco-z', { identities: [{ type: 'email', value: PERSON }], details: { type: 'access' } });
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json().error.message).toContain('the register records no activity processed for controller telco-z');
    const noPeriod = await drp('telco-c', drpBody({ 'agent-id': 'telco-c', exercise: 'access' }));
    expect(noPeriod.statusCode).toBe(422);
    expect(noPeriod.json().error.message).toContain('requests: { answer_within_days: N }');
    expect(noPeriod.json().error.message).toContain('telco-c-support');
    expect(await written()).toEqual(before);
  });

  it.runIf(dialect.available)('shows a controller only its own requests: another controller\'s, a person\'s own and another organisation\'s are not found', async () => {
    const a = (await forward('telco-a', { identities: [{ type: 'email', value: PERSON }], details: { type: 'access' } })).json() as Forwarded;
    const b = (await drp('telco-b', drpBody({ exercise: 'access' }))).json() as { request_id: string };
    const own = await app.inject({ method: 'POST', url: `/api/v1/organisations/${ORG}/requests`, payload: { identities: [{ type: 'email', value: 'a.visitor@example.org' }], details: { type: 'access' } } });
    expect(own.statusCode).toBe(201);
    const ownId = own.json().request.id as string;
    for (const [token, id] of [['telco-a', b.request_id], ['telco-b', a.id], ['telco-a', ownId], ['acme-telco-a', a.id]] as const) {
      for (const res of [await status(token, id), await drpStatus(token, id), await app.inject({ url: `/api/v1/controller/requests/${id}/package`, headers: tokens[token]! })]) {
        expect(res.statusCode, `${token} ${id}: ${res.body}`).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
    }
    expect((await status('telco-a', a.id)).statusCode).toBe(200);
    expect((await drpStatus('telco-b', b.request_id)).statusCode).toBe(200);
  });

  it.runIf(dialect.available)('keeps the controller routes to controller tokens and the staff routes to staff', async () => {
    const body = { identities: [{ type: 'email', value: PERSON }], details: { type: 'access' } };
    for (const role of ['dpo'] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/controller/requests', headers: tokens[role]!, payload: body });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toContain('controller.forward');
      expect((await app.inject({ method: 'POST', url: '/api/drp/v1/data-rights-request', headers: tokens[role]!, payload: drpBody() })).statusCode).toBe(403);
    }
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/controller/requests', payload: body });
    expect(anonymous.statusCode).toBe(401);
    for (const url of [`/api/v1/organisations/${ORG}/desk/requests`, `/api/v1/organisations/${ORG}/register`, `/api/v1/organisations/${ORG}/audit`]) {
      const res = await app.inject({ url, headers: tokens['telco-a']! });
      expect(res.statusCode, url).toBe(403);
    }
  });

  it.runIf(dialect.available)('runs an access request on that controller\'s systems only, and lets that controller alone download the package', async () => {
    const before = sink.messages.length;
    const submitted = (await forward('telco-a', { identities: [{ type: 'email', value: PERSON }], details: { type: 'access' } })).json() as Forwarded;
    expect((await act(submitted.id, 'approve', {})).json().state).toBe('approved');
    const worker = new RequestWorker({ store, desk, sources: [{ organisationId: ORG, loaded, register }], vault, publicUrl: 'http://127.0.0.1:4750', leaseSeconds: 5, targetTimeoutMs: 10_000, owner: 'w-forwarded', now: () => new Date(clock) });
    // Every approved request waiting: this one, and the one of the previous test if approved (none is).
    expect(await worker.runAvailable()).toBe(1);
    await worker.stop(); // it keeps its connections between requests: closed here
    const done = (await status('telco-a', submitted.id)).json() as Forwarded;
    expect(done).toMatchObject({ state: 'completed', outcome: { result: 'completed', records: 1, actions: [expect.stringContaining('1 record(s) found')] } });
    expect(done.package?.url).toBe(`http://localhost:80/api/v1/controller/requests/${submitted.id}/package`);
    const drpDone = (await drpStatus('telco-a', submitted.id)).json();
    expect(drpDone).toMatchObject({ status: 'fulfilled', results_url: done.package!.url, expires_at: done.package!.expires_at });

    const download = await app.inject({ url: `/api/v1/controller/requests/${submitted.id}/package`, headers: tokens['telco-a']! });
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['cache-control']).toBe('no-store');
    const everything = Object.values(unzipSync(new Uint8Array(download.rawPayload))).map((f) => strFromU8(f)).join('\n');
    expect(everything).toContain('row of a_subscriber');
    // Telco B's subscriber data and the processor's own staff files are not Telco A's to ask for (Art. 28(3)(a)).
    expect(everything).not.toContain('row of b_subscriber');
    expect(everything).not.toContain('row of employee');
    expect(everything).not.toContain('someone.else@example.org');
    expect((await app.inject({ url: `/api/v1/controller/requests/${submitted.id}/package`, headers: tokens['telco-b']! })).statusCode).toBe(404);
    // The completion letter with its link is kept with the request, not sent to the person.
    expect((await staffView(submitted.id)).letters.map((l: { kind: string; status: string }) => [l.kind, l.status])).toEqual([['completion', 'not_sent']]);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.messages.slice(before).filter((m) => m.to.includes(PERSON))).toEqual([]);
    const downloads = [];
    for await (const e of store.audit.entries(ORG)) if (e.subject.id === submitted.id && e.action === 'request.package_downloaded') downloads.push(e);
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({ actor: expect.stringMatching(/^token:/), detail: { by: 'controller', controller: 'telco-a', bytes: expect.any(Number) } });
    expect(JSON.stringify(downloads[0])).not.toContain(PERSON);
    expect(readdirSync(path.join(dir, 'vault')).length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The pure parts

describe('the scope of a controller\'s requests', () => {
  const registerOf = async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opendpo-scope-'));
    try {
      for (const [file, text] of Object.entries(REGISTER_FILES)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      const read = await loadRegister(dir);
      return read.loaded!;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const collection = (name: string, system?: string) => ({ name, ...(system ? { system } : {}) }) as unknown as Dataset['collections'][number];
  const datasets = [
    { key: 'boxes', system: 'telco-a-platform', collections: [collection('a_subscriber'), collection('b_subscriber', 'telco-b-platform'), collection('employee', 'hr')] },
    { key: 'b-only', system: 'telco-b-platform', collections: [collection('b_device')] },
    { key: 'no-system', collections: [collection('loose')] },
  ] as unknown as Dataset[];

  it('the test register lints with no error, with the warning for the controller without a period', async () => {
    const loaded = await registerOf();
    const findings = lintRegister(loaded);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.filter((f) => f.rule.startsWith('processor/')).map((f) => [f.rule, f.message.split(':')[0]])).toEqual([['processor/request-terms-missing', 'controller telco-c']]);
  });

  it('is the processor activities naming the controller, their systems and the contract\'s terms', async () => {
    const { register } = await registerOf();
    expect(controllerScope(register, 'telco-a')).toEqual({ controllerId: 'telco-a', name: 'Telco A SA', activities: ['telco-a-support'], systems: ['telco-a-platform'], terms: { answer_within_days: 3, days: 'working' } });
    expect(controllerScope(register, 'telco-c')).toEqual({ controllerId: 'telco-c', name: 'Telco C SA', activities: ['telco-c-support'], systems: ['telco-c-platform'] });
    expect(controllerScope(register, 'telco-z')).toBeUndefined();
    // The processor's own activity (role controller) is no controller's scope, even one naming a controller id.
    const own = { ...register, activities: register.activities.map((a) => (a.id === 'staff' ? { ...a, controllers: [{ id: 'telco-a', name: 'Telco A SA' }] } : a)) };
    expect(controllerScope(own, 'telco-a')?.systems).toEqual(['telco-a-platform']);
  });

  it('keeps only the tables of the controller\'s systems (the collection\'s system, else the dataset\'s)', () => {
    const a = scopeDatasets(datasets, ['telco-a-platform']);
    expect(a.map((d) => [d.key, d.collections.map((c) => c.name)])).toEqual([['boxes', ['a_subscriber']]]);
    const b = scopeDatasets(datasets, ['telco-b-platform']);
    expect(b.map((d) => [d.key, d.collections.map((c) => c.name)])).toEqual([
      ['boxes', ['b_subscriber']],
      ['b-only', ['b_device']],
    ]);
    expect(b[1]).toBe(datasets[1]);
    expect(scopeDatasets(datasets, [])).toEqual([]);
    // The input is not changed.
    expect(datasets[0]!.collections).toHaveLength(3);
  });

  it('gives a request made to us every dataset, and refuses a forwarded one it cannot scope', async () => {
    const { register } = await registerOf();
    expect(datasetsForRequest(datasets, undefined, null)).toEqual(datasets);
    expect(datasetsForRequest(datasets, register, 'telco-b').map((d) => d.key)).toEqual(['boxes', 'b-only']);
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof OpendpoError ? err.code : 'not an OpendpoError';
      }
      return 'not refused';
    };
    expect(refused(() => datasetsForRequest(datasets, undefined, 'telco-a'))).toBe('CONFIG_INVALID');
    expect(refused(() => datasetsForRequest(datasets, register, 'telco-z'))).toBe('REQUEST_REFUSED');
    const withoutSystems = { ...register, activities: register.activities.map((a) => ({ ...a, systems: [] })) };
    expect(refused(() => datasetsForRequest(datasets, withoutSystems, 'telco-a'))).toBe('REGISTER_INVALID');
  });
});

describe('the contract\'s deadline (Regulation 1182/71)', () => {
  const due = (receivedOn: string, answer_within_days: number, days?: 'calendar' | 'working') =>
    contractDeadline({ receivedOn, country: 'FR', terms: { answer_within_days, ...(days ? { days } : {}) } });

  it('counts working days past weekends and public holidays', () => {
    // Thursday 30 April 2026: Friday 1 May is a public holiday.
    expect(due('2026-04-30', 3, 'working')).toEqual({ dueOn: '2026-05-06' });
    expect(due('2026-04-30', 1, 'working')).toEqual({ dueOn: '2026-05-04' });
    // Friday 6 March 2026, five working days: the next Friday.
    expect(due('2026-03-06', 5, 'working')).toEqual({ dueOn: '2026-03-13' });
  });

  it('counts calendar days by default, a period ending on a day off ending on the next working day', () => {
    expect(due('2026-04-30', 10)).toEqual({ dueOn: '2026-05-11', movedFrom: '2026-05-10' });
    expect(due('2026-03-02', 10, 'calendar')).toEqual({ dueOn: '2026-03-12' });
    // Ending on 1 May (a Friday and a public holiday): Monday 4 May.
    expect(due('2026-04-30', 1)).toEqual({ dueOn: '2026-05-04', movedFrom: '2026-05-01' });
  });

  it('gives a period of two days or more at least two working days (Art. 3(5))', () => {
    // Friday 6 March, two days: Sunday, moved to Monday, which holds one working day: Tuesday 10 March.
    expect(due('2026-03-06', 2)).toEqual({ dueOn: '2026-03-10', movedFrom: '2026-03-08' });
  });

  it('refuses a period outside 1 to 90 days and a date that is not one', () => {
    expect(() => due('2026-03-02', 0)).toThrow(/1 to 90/);
    expect(() => due('2026-03-02', 91)).toThrow(/1 to 90/);
    expect(() => due('2026-02-30', 5)).toThrow(/YYYY-MM-DD/);
  });
});

describe('the Data Rights Protocol\'s exercise request', () => {
  const now = new Date('2026-03-02T09:00:00Z');
  const body = (extra: Partial<DrpExerciseRequest> = {}): DrpExerciseRequest => ({
    'agent-id': 'telco-a',
    'business-id': ORG,
    'issued-at': '2026-03-02T08:59:00Z',
    'expires-at': '2026-03-02T09:09:00Z',
    'drp.version': '0.9.4',
    exercise: 'access',
    email: PERSON,
    ...extra,
  });
  const read = (b: DrpExerciseRequest) => fromDrpExercise(b, { organisationId: ORG, controllerId: 'telco-a', now });

  it('maps access, access:specific and deletion onto access and erasure, with the controller\'s reference', () => {
    expect(read(body())).toEqual({ details: { type: 'access' }, identities: [{ type: 'email', value: PERSON }], forwarded: { protocol: 'drp', drp: { version: '0.9.4', exercise: 'access' } } });
    expect(read(body({ exercise: 'access:specific' })).details).toEqual({ type: 'access' });
    const deletion = read(body({ exercise: 'deletion', phone_number: '+33612345678', phone_number_verified: true, 'agent-request-id': 'T-1', regime: 'gdpr', relationships: ['customer'] }));
    expect(deletion).toEqual({
      details: { type: 'erasure' },
      identities: [
        { type: 'email', value: PERSON },
        { type: 'phone_number', value: '+33612345678' },
      ],
      forwarded: { protocol: 'drp', controller_reference: 'T-1', drp: { version: '0.9.4', exercise: 'deletion', regime: 'gdpr', relationships: ['customer'] } },
    });
  });

  it('refuses an exercise that does not fit, naming it, and a request issued too far ahead of our clock', () => {
    expect(() => read(body({ exercise: 'sale:opt_in' }))).toThrow('exercise "sale:opt_in" is not carried out: a consent is given to the controller');
    expect(() => read(body({ exercise: 'rectification' }))).toThrow('exercise "rectification" is not a rights action of the protocol this processor carries out (it takes access, access:specific, deletion)');
    expect(() => read(body({ 'issued-at': '2026-03-02T09:10:00Z', 'expires-at': '2026-03-02T09:20:00Z' }))).toThrow('issued-at is in the future');
    expect(() => read(body({ 'issued-at': '2026-03-02T09:04:00Z', 'expires-at': '2026-03-02T09:03:00Z' }))).toThrow('expires-at is not after issued-at');
  });

  it('tells every state of ours as a protocol status', () => {
    const told = Object.fromEntries(REQUEST_STATES.map((s) => [s, drpStatusOf(s).status]));
    expect(told).toEqual({
      received: 'open',
      awaiting_identity: 'in_progress',
      verified: 'in_progress',
      awaiting_fee: 'in_progress',
      approved: 'in_progress',
      in_progress: 'in_progress',
      failed: 'in_progress',
      completed: 'fulfilled',
      refused: 'denied',
      withdrawn: 'revoked',
    });
  });
});
