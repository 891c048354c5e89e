/**
 * The desk end to end as it runs in production, on a SQLite store and on a PostgreSQL one: two
 * `opendpo serve` processes on one store and one shop database, a real SMTP server on loopback,
 * the machine's NATS JetStream and a signed-webhook receiver. A person submits an access request
 * and reads the code from the mail; a DPO (token made by the CLI) approves; one of the two servers
 * runs it, never both; the package is downloaded with the link of the completion letter. Then an
 * erasure: the server running it is killed (SIGKILL) between its statements, another started
 * completes it once; each recipient is told (webhook, email, NATS) or left to a person; the person
 * asks who they are; `opendpo audit verify` finds the chain intact; no log line names the person.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsNotifier } from '../../src/notify/nats/nats-notifier.js';
import { verifyWebhookSignature } from '../../src/notify/webhook/webhook-notifier.js';
import { EXAMPLE, TARGETS, type Target } from '../dsr/shop-targets.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { serviceAvailable } from '../helpers/services.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const ORG = 'acme-boutique';
const NATS_URL = process.env.OPENDPO_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const natsUp = await serviceAvailable('NATS', NATS_URL);

const cases = [
  { store: sqliteCase(), shop: TARGETS.find((t) => t.name === 'SQLite')! },
  { store: postgresCase(), shop: TARGETS.find((t) => t.name === 'PostgreSQL')! },
];

describe.runIf(natsUp).each(cases)('the desk end to end, two servers on a $store.name store', ({ store: dialect, shop: shopCase }) => {
  const run = randomUUID().slice(0, 8);
  const subject = `opendpo-e2e-${run}.art19`;
  const stream = `OPENDPO_E2E_${run}`;
  let dir: string;
  let shop: Target;
  let sink: SmtpSink;
  let env: Record<string, string>;
  const servers: ServeProcess[] = [];
  const hooks: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let hookServer: http.Server;
  const secret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    if (!dialect.available) return;
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-e2e-'));
    const location = await dialect.setUp();
    shop = await shopCase.create();
    sink = await startSmtpSink();
    hookServer = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        res.writeHead(200).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/art19`;
    const nats = new NatsNotifier({ url: NATS_URL });
    await nats.ensureStream({ name: stream, subjects: [subject] });
    await nats.close();

    // The example's register, with the routes of its recipients beside it.
    const register = path.join(dir, 'register');
    cpSync(path.join(ROOT, 'examples/acme-shop'), register, { recursive: true });
    rmSync(path.join(register, 'datasets'), { recursive: true, force: true });
    writeFileSync(
      path.join(register, 'notifications.yaml'),
      `routes:\n  nimbus-commerce:\n    webhook: { url: "${hookUrl}", secret_env: E2E_ART19_SECRET }\n  colis-express:\n    email: { to: dpo@colis-express.example }\n  relais-colis:\n    nats: { subject: ${subject} }\n`,
    );
    const datasets = path.join(dir, 'datasets');
    mkdirSync(datasets);
    cpSync(path.join(EXAMPLE, 'shop.yaml'), path.join(datasets, 'shop.yaml'));
    writeFileSync(path.join(datasets, 'connections.yaml'), `register: ${register}\nconnections:\n  - name: shop\n    type: ${shop.type}\n    url: "${shop.url}"\n    datasets: [shop]\n`);
    env = {
      DATABASE_URL: location.kind === 'sqlite' ? `sqlite:${location.file}` : location.url,
      OPENDPO_DATASETS: datasets,
      OPENDPO_SMTP_URL: sink.url,
      OPENDPO_MAIL_FROM: 'Acme DPO <dpo@acme-boutique.example>',
      OPENDPO_NATS_URL: NATS_URL,
      E2E_ART19_SECRET: secret,
      // One vault folder and key for both servers, as a shared volume would be.
      OPENDPO_PACKAGE_DIR: path.join(dir, 'packages'),
      OPENDPO_PACKAGE_KEY: randomBytes(32).toString('base64'),
      OPENDPO_DSR_LEASE_SECONDS: '1',
      OPENDPO_LOG_LEVEL: 'info',
      OPENDPO_PUBLIC_URL: 'http://people.example',
    };
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    if (natsUp) {
      const nc = await connect({ servers: NATS_URL });
      await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
      await nc.close();
    }
    await new Promise<void>((resolve) => (hookServer ? hookServer.close(() => resolve()) : resolve()));
    await sink?.close();
    await shop?.drop();
    await dialect.tearDown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (extra: Record<string, string> = {}) => {
    const s = await startServe({ ...env, ...extra });
    servers.push(s);
    return s;
  };
  const api = (s: ServeProcess) => `${s.url}/api/v1/organisations/${ORG}`;
  const json = { 'content-type': 'application/json' };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${servers.map((s) => s.output()).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** Submitted on one server, the code read from the mail and typed on the other: a verified request. */
  const verifiedRequest = async (a: ServeProcess, b: ServeProcess, email: string, details: object) => {
    const before = sink.messages.length;
    const res = await fetch(`${api(a)}/requests`, { method: 'POST', headers: json, body: JSON.stringify({ language: 'fr', identities: [{ type: 'email', value: email }], details }) });
    expect(res.status).toBe(201);
    const { request, status_token } = (await res.json()) as { request: { id: string }; status_token: string };
    const mail = await sink.waitFor((m) => m.to.includes(email) && sink.messages.indexOf(m) >= before);
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    const verified = await fetch(`${api(b)}/requests/${request.id}/verification`, { method: 'POST', headers: { ...json, 'x-status-token': status_token }, body: JSON.stringify({ identity: 1, code }) });
    expect(await verified.json()).toMatchObject({ outcome: 'verified', state: 'verified' });
    return { id: request.id, token: status_token };
  };

  it.runIf(dialect.available)('answers an access request run by one of two servers, and an erasure whose server was killed, telling every recipient', async () => {
    const a = await start();
    const b = await start();
    const made = await runCli(['user', 'token', '--name', 'e2e', '--role', 'dpo', '--organisation', ORG], { env });
    expect(made.code, made.stderr).toBe(0);
    const dpo = { ...json, authorization: `Bearer ${made.stdout.trim()}` };
    const desk = (s: ServeProcess, id: string) => fetch(`${api(s)}/desk/requests/${id}`, { headers: dpo }).then((r) => r.json() as Promise<{ state: string; history: { name: string }[] }>);

    // Access: three people at once, approved on server A; the two servers' workers share them.
    const people = ['alice.martin@example.com', 'chloe.durand@example.com', 'bruno.petit@example.com'];
    const requests = [];
    for (const email of people) requests.push({ email, ...(await verifiedRequest(a, b, email, { type: 'access' })) });
    for (const r of requests) expect((await fetch(`${api(a)}/desk/requests/${r.id}/approve`, { method: 'POST', headers: dpo, body: '{}' })).status).toBe(200);
    for (const r of requests) {
      const done = await until('the access request to complete', async () => ((await desk(b, r.id)).state === 'completed' ? desk(b, r.id) : undefined));
      // One start and one completion: one server ran it.
      expect(done.history.map((h) => h.name)).toEqual(['request_identity', 'verify_identity', 'approve', 'start', 'complete']);
    }
    const alice = requests[0]!;
    // The letter's link opens the privacy center's download page; the key is posted in its form.
    const letter = await sink.waitFor((m) => m.to.includes(alice.email) && /\/download\?download=/.test(m.text));
    const [, page, token] = /http:\/\/people\.example(\/\S+\/download)\?download=([A-Za-z0-9_-]{43})/.exec(letter.text)!;
    const download = await fetch(`${b.url}${page}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ download: token!, key: alice.token }).toString() });
    expect(download.status).toBe(200);
    const files = unzipSync(new Uint8Array(await download.arrayBuffer()));
    const copy = Object.values(files).map((f) => strFromU8(f)).join('\n');
    expect(copy).toContain(alice.email);
    expect(copy).not.toContain('bruno.petit@example.com');

    // Erasure: only a server that dies after the erasure's first statement runs it.
    await a.stop();
    await b.stop();
    const doomed = await start({ OPENDPO_TEST_FAULT: 'kill:after-statement' });
    const erasure = await verifiedRequest(doomed, doomed, 'bruno.petit@example.com', { type: 'erasure' });
    expect((await fetch(`${api(doomed)}/desk/requests/${erasure.id}/approve`, { method: 'POST', headers: dpo, body: '{}' })).status).toBe(200);
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await shop.rows('customer')).map((c) => c.email)).toContain('bruno.petit@example.com');
    const c = await start();
    const erased = await until('the erasure to complete', async () => ((await desk(c, erasure.id)).state === 'completed' ? desk(c, erasure.id) : undefined));
    expect(erased.history.filter((h) => h.name === 'start')).toHaveLength(1);
    expect(erased.history.filter((h) => h.name === 'complete')).toHaveLength(1);
    // The history says what the erasure found, though the run that completed it resumed the dead one's work.
    const completed = erased.history.find((h) => h.name === 'complete') as unknown as { input: { rows: number; collections: number } };
    expect(completed.input.rows).toBeGreaterThan(3);
    expect(completed.input.collections).toBeGreaterThan(1);
    expect((await shop.rows('customer')).map((c) => c.email)).not.toContain('bruno.petit@example.com');

    // Every recipient told: the webhook signed, the email, the NATS message; the rest left to a person.
    type Notice = { recipient_id: string; state: string; channel: string };
    const notices = await until('the notices to be delivered', async () => {
      const list = ((await (await fetch(`${api(c)}/desk/requests/${erasure.id}/recipient-notices`, { headers: dpo })).json()) as { notices: Notice[] }).notices;
      return list.filter((n) => n.channel !== 'by_hand').every((n) => n.state === 'delivered') && list.length > 0 ? list : undefined;
    });
    expect(notices.filter((n) => n.state === 'delivered').map((n) => n.recipient_id).sort()).toEqual(['colis-express', 'nimbus-commerce', 'relais-colis']);
    expect(notices.filter((n) => n.channel === 'by_hand').every((n) => n.state === 'by_hand')).toBe(true);
    const hook = hooks.find((h) => JSON.parse(h.body).request_id === erasure.id)!;
    expect(verifyWebhookSignature(secret, hook.headers['opendpo-signature'] as string, hook.body, new Date(), 300)).toMatchObject({ valid: true });
    await sink.waitFor((m) => m.to.includes('dpo@colis-express.example'));
    const nc = await connect({ servers: NATS_URL });
    expect((await (await jetstreamManager(nc)).streams.info(stream)).state.messages).toBe(1);
    await nc.close();
    const asked = await fetch(`${api(c)}/requests/${erasure.id}/recipients`, { headers: { 'x-status-token': erasure.token } });
    expect(((await asked.json()) as { recipients: unknown[] }).recipients).toHaveLength(notices.length);

    const verify = await runCli(['audit', 'verify', '--organisation', ORG], { env });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/chain intact/);
    const logs = servers.map((s) => s.output()).join('\n');
    for (const email of people) expect(logs).not.toContain(email.split('@')[0]);
  }, 180_000);
});
