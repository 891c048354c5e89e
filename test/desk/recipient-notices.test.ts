/**
 * Art. 19 end to end, on real stores and shops (SQLite, and PostgreSQL for both), a real SMTP
 * server, a real signed-webhook receiver on loopback and the machine's NATS JetStream: an erasure
 * run by the worker writes one notice per recipient with its completion; the sender delivers each by
 * its route (the webhook signed, retried after a failure, the person named by the agreed HMAC only;
 * the email; the NATS message stored once); recipients without a route are recorded by a person;
 * two senders deliver a notice once; the person asks who the recipients are; the completion letter
 * says they are told; nothing personal reaches the audit log, whose chain holds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetsOrThrow, type LoadDatasetsResult } from '../../src/dataset/load-datasets.js';
import { Desk } from '../../src/desk/desk.js';
import { subjectReference } from '../../src/desk/notices/plan-notices.js';
import { NoticeSender } from '../../src/desk/notices/send-notices.js';
import { parsePackageKeyRing } from '../../src/desk/package-vault/package-key.js';
import { PackageVault } from '../../src/desk/package-vault/package-vault.js';
import { RequestWorker } from '../../src/desk/worker/request-worker.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { SmtpMailer } from '../../src/mail/smtp/smtp-mailer.js';
import { NatsNotifier } from '../../src/notify/nats/nats-notifier.js';
import { NotificationRoutes } from '../../src/notify/routes-schema.js';
import { verifyWebhookSignature } from '../../src/notify/webhook/webhook-notifier.js';
import { loadRegister } from '../../src/register/load.js';
import type { Register } from '../../src/register/schema.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { EXAMPLE, TARGETS, type Target } from '../dsr/shop-targets.js';
import { ROOT } from '../helpers/cli.js';
import { serviceAvailable } from '../helpers/services.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;
const NATS_URL = process.env.OPENDPO_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const natsUp = await serviceAvailable('NATS', NATS_URL);

/** A recipient's webhook endpoint on loopback: records every POST, answers what it is told to. */
async function startReceiver() {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ recorded: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/art19`, received, answers, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const track = <T>(list: T[], item: T): T => (list.push(item), item);

const cases = [
  { store: sqliteCase(), target: TARGETS.find((t) => t.name === 'SQLite')! },
  { store: postgresCase(), target: TARGETS.find((t) => t.name === 'PostgreSQL')! },
];

describe.runIf(natsUp).each(cases)('Art. 19 notices with a $store.name store', ({ store: dialect, target: targetCase }) => {
  const available = dialect.available;
  const run = randomUUID().slice(0, 8);
  const subject = `opendpo-test-${run}.art19`;
  const stream = `OPENDPO_TEST_NOTICES_${run}`;
  const env = { TEST_ART19_SECRET: randomBytes(32).toString('hex'), TEST_ART19_REF: randomBytes(32).toString('hex') };
  let store: Store;
  let app: ZodApp;
  let desk: Desk;
  let sink: SmtpSink;
  let mailer: SmtpMailer;
  let shop: Target;
  let vaultDir: string;
  let loaded: LoadDatasetsResult;
  let register: Register;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let routes: NotificationRoutes;
  let dpo: Record<string, string>;
  let auditor: Record<string, string>;
  /** How far ahead of the real clock the senders are (a redelivery comes due). */
  let ahead = 0;
  const senders: NoticeSender[] = [];

  const sender = (owner: string) => {
    const s = new NoticeSender({
      store,
      sources: [{ organisationId: ORG, routes, controllerName: 'Acme Boutique', language: 'en' }],
      mailer,
      natsUrl: NATS_URL,
      owner,
      retryDelaysMs: [10, 10],
      env,
      now: () => new Date(Date.now() + ahead),
    });
    senders.push(s);
    return s;
  };
  const workers: RequestWorker[] = [];
  const worker = () => track(workers, new RequestWorker({ store, desk, sources: [{ organisationId: ORG, loaded, register }], vault: new PackageVault({ folder: vaultDir, keys: parsePackageKeyRing(randomBytes(32).toString('base64')) }), publicUrl: 'http://127.0.0.1:4750', leaseSeconds: 5, targetTimeoutMs: 10_000, owner: 'w' }));

  beforeAll(async () => {
    if (!available) return;
    store = await openStore(await dialect.setUp());
    register = (await loadRegister(`${ROOT}/examples/acme-shop`)).loaded!.register;
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    shop = await targetCase.create();
    loaded = await loadDatasetsOrThrow(EXAMPLE);
    const connections = loaded.connections!.connections;
    connections[0] = { ...connections[0]!, type: shop.type, url: shop.url } as (typeof connections)[number];
    vaultDir = mkdtempSync(path.join(tmpdir(), 'opendpo-vault-'));
    sink = await startSmtpSink();
    mailer = new SmtpMailer({ url: sink.url, from: 'dpo@acme-boutique.example' });
    receiver = await startReceiver();
    routes = NotificationRoutes.parse({
      routes: {
        'nimbus-commerce': { webhook: { url: receiver.url, secret_env: 'TEST_ART19_SECRET' }, subject_ref: { identity: 'email', key_env: 'TEST_ART19_REF' } },
        'colis-express': { email: { to: 'dpo@colis-express.example', language: 'fr' } },
        'relais-colis': { nats: { subject } },
      },
    });
    const nats = new NatsNotifier({ url: NATS_URL });
    await nats.ensureStream({ name: stream, subjects: [subject] });
    await nats.close();
    desk = new Desk({ store, mailer, noticeSources: new Map([[ORG, { datasets: loaded.datasets, routes }]]), env });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, desk });
    dpo = bearer(await tokenFor(store, ORG, 'dpo'));
    auditor = bearer(await tokenFor(store, ORG, 'auditor'));
  });

  afterAll(async () => {
    for (const s of senders) await s.stop();
    for (const w of workers) await w.stop();
    if (natsUp) {
      const nc = await connect({ servers: NATS_URL });
      await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
      await nc.close();
    }
    await app?.close();
    await mailer?.close();
    await sink?.close();
    await receiver?.close();
    await shop?.drop();
    await store?.close();
    await dialect.tearDown();
    if (vaultDir) rmSync(vaultDir, { recursive: true, force: true });
  });

  const approvedErasure = async (email: string) => {
    const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { identities: [{ type: 'email', value: email }], details: { type: 'erasure' } } });
    expect(res.statusCode, res.body).toBe(201);
    const { request, status_token } = res.json() as { request: { id: string }; status_token: string };
    const act = (action: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: `${BASE}/desk/requests/${request.id}/${action}`, headers: dpo, payload: body });
    expect((await act('confirm-identity', { identity: 1, method: 'match', note: 'matches the customer account' })).json().state).toBe('verified');
    expect((await act('approve', {})).json().state).toBe('approved');
    return { id: request.id, statusToken: status_token };
  };
  const notices = async (id: string) => {
    const res = await app.inject({ url: `${BASE}/desk/requests/${id}/recipient-notices`, headers: auditor });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { notices: { id: string; recipient_id: string; channel: string; state: string; deliveries: number; attempts: { status?: number }[]; answer: string | null; subject_ref: boolean; categories: string[] }[] }).notices;
  };
  const byRecipient = async (id: string) => Object.fromEntries((await notices(id)).map((n) => [n.recipient_id, n]));

  it.runIf(available)('tells every recipient of an erasure: the webhook signed and retried, the email, NATS, and the rest recorded by a person', async () => {
    const email = 'bruno.petit@example.com';
    const { id, statusToken } = await approvedErasure(email);
    receiver.answers.push(503, 503, 503); // the webhook's first delivery fails: three tries, all 503
    expect(await worker().runAvailable()).toBe(1);

    // Written with the completion, before any delivery.
    const planned = await byRecipient(id);
    // The activities of the systems the erasure changed (shop, helpdesk, fraud engine) and the shop's operator;
    // not accounting's recipients: the invoices are kept under a legal hold, not erased.
    expect(Object.keys(planned).sort()).toEqual(['colis-express', 'customer-service', 'helpdesk-cloud', 'logistics', 'mailwave', 'marketing', 'nimbus-commerce', 'relais-colis', 'riskscore']);
    expect(planned['nimbus-commerce']).toMatchObject({ channel: 'webhook', state: 'pending', subject_ref: true });
    expect(planned['customer-service']).toMatchObject({ channel: 'by_hand', state: 'by_hand' });

    const letter = await sink.waitFor((m) => m.to.includes(email) && /recipients of your data/.test(m.text));
    expect(letter.text).toContain('We are telling the 9 recipients of your data');

    const s = sender('s1');
    expect(await s.sendDue()).toBe(3);
    let now = await byRecipient(id);
    expect(now['colis-express']).toMatchObject({ state: 'delivered', deliveries: 1 });
    expect(now['relais-colis']).toMatchObject({ state: 'delivered', deliveries: 1 });
    expect(now['nimbus-commerce']).toMatchObject({ state: 'pending', deliveries: 1 });
    expect(now['nimbus-commerce']!.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
    // Not due again before its time (one minute later).
    expect(await s.sendDue()).toBe(0);
    ahead += 61_000;
    expect(await s.sendDue()).toBe(1);
    now = await byRecipient(id);
    expect(now['nimbus-commerce']).toMatchObject({ state: 'delivered', deliveries: 2 });
    expect(now['nimbus-commerce']!.attempts.map((a) => a.status)).toEqual([503, 503, 503, 200]);
    expect(now['nimbus-commerce']!.answer).toBe('{"recorded":true}');

    // What the recipient received: signed, the same notice id each time, the person by the agreed HMAC only.
    expect(receiver.received).toHaveLength(4);
    const last = receiver.received.at(-1)!;
    expect(verifyWebhookSignature(env.TEST_ART19_SECRET, last.headers['opendpo-signature'] as string, last.body, new Date(), 300)).toMatchObject({ valid: true });
    expect(new Set(receiver.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    const body = JSON.parse(last.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'opendpo.art19.notice', action: 'erasure', request_id: id, recipient_id: 'nimbus-commerce', subject_ref: subjectReference(env.TEST_ART19_REF, 'email', email) });
    for (const r of receiver.received) expect(r.body).not.toContain('bruno');

    const mail = await sink.waitFor((m) => m.to.includes('dpo@colis-express.example'));
    expect(mail.text).not.toContain('bruno');
    expect(mail.text).toContain(planned['colis-express']!.id);

    // The NATS message is in the stream, once (its id is the notice's: a second publication is stored once).
    const nc = await connect({ servers: NATS_URL });
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    await nc.close();
    expect(info.state.messages).toBe(1);

    // A recipient without a route: a person records how it was told, or why it could not be.
    const decide = (notice: string, payload: Record<string, unknown>, headers = dpo) =>
      app.inject({ method: 'POST', url: `${BASE}/desk/requests/${id}/recipient-notices/${notice}/decision`, headers, payload });
    const told = await decide(planned['customer-service']!.id, { outcome: 'told', note: 'told the team lead by phone on 12 March' });
    expect(told.statusCode, told.body).toBe(200);
    expect(told.json()).toMatchObject({ state: 'told_by_hand', decided_by: expect.stringMatching(/^token:/) });
    expect((await decide(planned.marketing!.id, { outcome: 'impossible', note: 'the campaign export was already deleted' })).json().state).toBe('not_told');
    expect((await decide(planned['customer-service']!.id, { outcome: 'told', note: 'again' })).statusCode).toBe(409);
    expect((await decide(planned['nimbus-commerce']!.id, { outcome: 'retry' })).statusCode).toBe(409);
    expect((await decide(planned.logistics!.id, { outcome: 'retry' })).statusCode).toBe(409);
    expect((await decide(planned.logistics!.id, { outcome: 'told' })).statusCode).toBe(400);
    expect((await decide(planned.logistics!.id, { outcome: 'told', note: 'x' }, auditor)).statusCode).toBe(403);
    expect((await decide(randomUUID(), { outcome: 'told', note: 'x' })).statusCode).toBe(404);

    // The person asks who the recipients are (Art. 19, second sentence), with their status token only.
    expect((await app.inject({ url: `${BASE}/requests/${id}/recipients` })).statusCode).toBe(400);
    expect((await app.inject({ url: `${BASE}/requests/${id}/recipients`, headers: { 'x-status-token': 'x'.repeat(43) } })).statusCode).toBe(404);
    const asked = await app.inject({ url: `${BASE}/requests/${id}/recipients?lang=fr`, headers: { 'x-status-token': statusToken } });
    expect(asked.statusCode, asked.body).toBe(200);
    const list = (asked.json() as { recipients: { name: string; kind: string; told: string; told_on: string | null }[] }).recipients;
    expect(list).toHaveLength(9);
    expect(list.filter((r) => r.told === 'told')).toHaveLength(4);
    expect(list.filter((r) => r.told === 'not_told')).toHaveLength(1);
    expect(list.filter((r) => r.told === 'being_told')).toHaveLength(4);
    expect(list.every((r) => r.name.length > 0 && !r.name.includes('-'))).toBe(true);
    expect(asked.body).not.toContain('127.0.0.1');

    // The audit log: every step, no identity, and the chain holds.
    const actions: string[] = [];
    for await (const e of store.audit.entries(ORG)) {
      if (e.subject.id !== id) continue;
      actions.push(e.action);
      expect(JSON.stringify(e)).not.toContain('bruno');
    }
    expect(actions).toEqual(expect.arrayContaining(['request.recipient_notices_planned', 'request.recipient_notice_retrying', 'request.recipient_notified', 'request.recipient_notice_decided', 'request.recipients_read']));
    expect(actions.filter((a) => a === 'request.recipient_notified')).toHaveLength(3);
    expect((await store.audit.verify(ORG)).problems).toEqual([]);
  });

  it.runIf(available)('tells the recipients of a rectification staff carried out by hand, with the completion', async () => {
    const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { language: 'fr', identities: [{ type: 'email', value: 'alice.martin@example.com' }], details: { type: 'rectification', corrections: [{ what: 'adresse', corrected: '3 rue Neuve, Lyon' }] } } });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { request: { id: string } }).request.id;
    const act = (action: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: `${BASE}/desk/requests/${id}/${action}`, headers: dpo, payload: body });
    await act('confirm-identity', { identity: 1, method: 'match', note: 'matches the customer account' });
    await act('approve', {});
    expect((await notices(id))).toEqual([]);
    const done = await act('record-done', { done: 'Adresse corrigée dans la boutique.' });
    expect(done.statusCode, done.body).toBe(200);
    // Where it was corrected is not known to the product: every activity of the datasets' systems is told.
    const told = (await notices(id)).map((n) => n.recipient_id);
    expect(told).toEqual(expect.arrayContaining(['nimbus-commerce', 'colis-express', 'helpdesk-cloud', 'riskscore', 'cabinet-comptable']));
    expect(told).not.toContain('paie-services');
    expect((await notices(id)).every((n) => n.subject_ref === (n.recipient_id === 'nimbus-commerce'))).toBe(true);
    const letter = await sink.waitFor((m) => m.to.includes('alice.martin@example.com') && m.text.includes('Adresse corrigée'));
    expect(letter.text).toContain(`les ${told.length} destinataires de vos données`);
    expect(await sender('s1b').sendDue()).toBe(3);
    expect((await notices(id)).filter((n) => n.state === 'delivered').map((n) => n.recipient_id).sort()).toEqual(['colis-express', 'nimbus-commerce', 'relais-colis']);
  });

  it.runIf(available)('delivers a notice once when two senders look at once, and hands it to a person after its last delivery', async () => {
    const { id } = await approvedErasure('chloe.durand@example.com');
    expect(await worker().runAvailable()).toBe(1);
    const before = receiver.received.length;
    const [a, b] = await Promise.all([sender('s2').sendDue(), sender('s3').sendDue()]);
    expect(a + b).toBe(3);
    expect(receiver.received.length - before).toBe(1);
    expect(Object.values(await byRecipient(id)).filter((n) => n.state === 'delivered')).toHaveLength(3);

    // Another erasure whose webhook never answers 2xx: after the last delivery, the notice is a person's.
    const second = await approvedErasure('alice.martin@example.com');
    expect(await worker().runAvailable()).toBe(1);
    const s = new NoticeSender({ store, sources: [{ organisationId: ORG, routes, controllerName: 'Acme Boutique', language: 'en' }], mailer, natsUrl: NATS_URL, owner: 's4', retryDelaysMs: [], redeliveryDelaysMs: [1000], env, now: () => new Date(Date.now() + ahead) });
    senders.push(s);
    receiver.answers.push(500, 500);
    await s.sendDue();
    ahead += 1500;
    await s.sendDue();
    const webhook = (await byRecipient(second.id))['nimbus-commerce']!;
    expect(webhook).toMatchObject({ state: 'failed', deliveries: 2 });
    expect(webhook.attempts.map((n) => n.status)).toEqual([500, 500]);
    // Delivered again on a person's word, then recorded as delivered.
    const retried = await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${second.id}/recipient-notices/${webhook.id}/decision`, headers: dpo, payload: { outcome: 'retry' } });
    expect(retried.json()).toMatchObject({ state: 'pending', deliveries: 0 });
    await s.sendDue();
    expect((await byRecipient(second.id))['nimbus-commerce']).toMatchObject({ state: 'delivered', deliveries: 1 });
    expect((await byRecipient(second.id))['nimbus-commerce']!.attempts.map((n) => n.status)).toEqual([500, 500, 200]);
  });
});
