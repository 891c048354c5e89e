/**
 * Approved requests run by the worker on the example shop, on real stores and databases (SQLite
 * store and shop; PostgreSQL store and shop), with a real SMTP server: an access request ends with
 * the completion letter whose link downloads the package, decrypted from the vault, only with the
 * person's status token; an erasure erases; a request whose worker died is taken over and
 * completed; two workers on one store never run a request twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetsOrThrow, type LoadDatasetsResult } from '../../src/dataset/load-datasets.js';
import { Desk } from '../../src/desk/desk.js';
import { parsePackageKeyRing } from '../../src/desk/package-vault/package-key.js';
import { PackageVault } from '../../src/desk/package-vault/package-vault.js';
import { RequestWorker } from '../../src/desk/worker/request-worker.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { SmtpMailer } from '../../src/mail/smtp/smtp-mailer.js';
import { loadRegister } from '../../src/register/load.js';
import type { Register } from '../../src/register/schema.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { EXAMPLE, TARGETS, type Target } from '../dsr/shop-targets.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;

const cases = [
  { store: sqliteCase(), target: TARGETS.find((t) => t.name === 'SQLite')! },
  // PostgreSQL for both the store and the shop: skipped with a message naming it when it is not reachable.
  { store: postgresCase(), target: TARGETS.find((t) => t.name === 'PostgreSQL')! },
];

describe.each(cases)('the worker with a $store.name store', ({ store: dialect, target: targetCase }) => {
  const available = dialect.available;
  let store: Store;
  let app: ZodApp;
  let desk: Desk;
  let sink: SmtpSink;
  let mailer: SmtpMailer;
  let shop: Target;
  let vaultDir: string;
  let vault: PackageVault;
  let loaded: LoadDatasetsResult;
  let register: Register;
  let dpo: Record<string, string>;

  const workers: RequestWorker[] = [];
  const worker = (owner: string) => {
    const w = new RequestWorker({ store, desk, sources: [{ organisationId: ORG, loaded, register }], vault, publicUrl: 'http://127.0.0.1:4750', leaseSeconds: 2, targetTimeoutMs: 10_000, owner });
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    if (!available) return;
    store = await openStore(await dialect.setUp());
    register = (await loadRegister(`${ROOT}/examples/acme-shop`)).loaded!.register;
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    shop = await targetCase.create();
    loaded = await loadDatasetsOrThrow(EXAMPLE);
    // The example's connection, pointed at this test's throwaway shop.
    const connections = loaded.connections!.connections;
    connections[0] = { ...connections[0]!, type: shop.type, url: shop.url } as (typeof connections)[number];
    vaultDir = mkdtempSync(path.join(tmpdir(), 'opendpo-vault-'));
    vault = new PackageVault({ folder: vaultDir, keys: parsePackageKeyRing(randomBytes(32).toString('base64')) });
    sink = await startSmtpSink();
    mailer = new SmtpMailer({ url: sink.url, from: 'dpo@acme-boutique.example' });
    desk = new Desk({ store, mailer, vault });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, desk });
    dpo = bearer(await tokenFor(store, ORG, 'dpo'));
  });

  afterAll(async () => {
    // A worker keeps its connections to the shop between requests: closed before the shop is dropped.
    for (const w of workers) await w.stop();
    await app?.close();
    await mailer?.close();
    await sink?.close();
    await shop?.drop();
    await store?.close();
    await dialect.tearDown();
    if (vaultDir) rmSync(vaultDir, { recursive: true, force: true });
  });

  /** A request submitted, confirmed by staff (step-up) and approved: waiting for the worker. */
  const approvedRequest = async (email: string, details: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { identities: [{ type: 'email', value: email }], details } });
    expect(res.statusCode, res.body).toBe(201);
    const { request, status_token } = res.json() as { request: { id: string }; status_token: string };
    const act = (action: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: `${BASE}/desk/requests/${request.id}/${action}`, headers: dpo, payload: body });
    expect((await act('confirm-identity', { identity: 1, method: 'match', note: 'matches the customer account' })).json().state).toBe('verified');
    expect((await act('approve', {})).json().state).toBe('approved');
    return { id: request.id, statusToken: status_token };
  };

  it.runIf(available)('runs an approved access request and hands the package over through the link of the completion letter', async () => {
    const { id, statusToken } = await approvedRequest('alice.martin@example.com', { type: 'access' });
    expect(await worker('w1').runAvailable()).toBe(1);
    const done = (await app.inject({ url: `${BASE}/desk/requests/${id}`, headers: dpo })).json();
    expect(done.state).toBe('completed');
    expect(done.history.map((h: { name: string }) => h.name)).toEqual(['request_identity', 'verify_identity', 'approve', 'start', 'complete']);
    expect(done.history.at(-1).input).toMatchObject({ rows: expect.any(Number), collections: expect.any(Number) });
    expect(done.history.at(-1).input.rows).toBeGreaterThan(3);

    // The letter links to the privacy center's download page, which asks for the key the person was given.
    const letter = await sink.waitFor((m) => m.to.includes('alice.martin@example.com') && /\/download\?download=/.test(m.text));
    const [, link, token] = /(http:\/\/127\.0\.0\.1:4750\S+\/download\?download=([A-Za-z0-9_-]{43}))/.exec(letter.text)!;
    const url = link!.replace('http://127.0.0.1:4750', '');
    expect(url).toBe(`/privacy-center/${ORG}/requests/${id}/download?download=${token}`);
    const page = await app.inject({ url });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="key"');
    const post = (form: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/privacy-center/${ORG}/requests/${id}/download`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });
    // The desk's checks hold behind the page: no key, another download token, the API without its header.
    expect((await post({ download: token! })).statusCode).toBe(400);
    expect((await post({ download: `AAAAA${token!.slice(5)}`, key: statusToken })).statusCode).toBe(404);
    expect((await app.inject({ url: `${BASE}/requests/${id}/package?download=${token}` })).statusCode).toBe(400);
    // The browser that made the request sends its key in the cookie the privacy center set: nothing to type.
    const withCookie = await app.inject({
      method: 'POST',
      url: `/privacy-center/${ORG}/requests/${id}/download`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `opendpo_request_key=${statusToken}` },
      payload: `download=${token}`,
    });
    expect(withCookie.statusCode).toBe(200);
    expect(withCookie.headers['content-disposition']).toMatch(/^attachment; filename="/);
    const download = await post({ download: token!, key: statusToken });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['cache-control']).toBe('no-store');
    const files = unzipSync(new Uint8Array(download.rawPayload));
    const everything = Object.values(files).map((f) => strFromU8(f)).join('\n');
    expect(everything).toContain('alice.martin@example.com');
    expect(everything).not.toContain('bruno.petit@example.com');
    // Kept encrypted: the vault's file does not hold the person's address in clear.
    const { readdirSync, readFileSync } = await import('node:fs');
    for (const f of readdirSync(vaultDir)) expect(readFileSync(path.join(vaultDir, f)).includes(Buffer.from('alice.martin'))).toBe(false);
  });

  it.runIf(available)('sends a new link to the copy on staff\'s demand: the old link stops working, the new one opens the same copy until the same day', async () => {
    const { id, statusToken } = await approvedRequest('chloe.durand@example.com', { type: 'access' });
    expect(await worker('w-link').runAvailable()).toBe(1);
    const linkIn = (text: string) => /\/download\?download=([A-Za-z0-9_-]{43})/.exec(text)![1]!;
    const first = await sink.waitFor((m) => m.to.includes('chloe.durand@example.com') && /\/download\?download=/.test(m.text));
    const oldToken = linkIn(first.text);
    const fetchCopy = (token: string) => app.inject({ url: `${BASE}/requests/${id}/package?download=${token}`, headers: { 'x-status-token': statusToken } });
    expect((await fetchCopy(oldToken)).statusCode).toBe(200);
    const completed = (await app.inject({ url: `${BASE}/desk/requests/${id}`, headers: dpo })).json();
    expect(completed.package_expires_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const renew = (payload: Record<string, unknown>, headers = dpo) => app.inject({ method: 'POST', url: `${BASE}/desk/requests/${id}/download-link`, headers, payload });
    // On the version read, like every decision; and an agent, who decides nothing, may not.
    expect((await renew({ version: completed.version - 1 })).json()).toMatchObject({ error: { code: 'REQUEST_CHANGED' } });
    expect((await renew({}, bearer(await tokenFor(store, ORG, 'agent')))).statusCode).toBe(403);
    const before = sink.messages.length;
    const renewed = await renew({ version: completed.version });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json().state).toBe('completed');
    expect(renewed.json().package_expires_at).toBe(completed.package_expires_at);
    expect(renewed.json().letters.at(-1)).toMatchObject({ kind: 'download_link', status: 'sent' });
    const letter = await sink.waitFor((m) => m.to.includes('chloe.durand@example.com') && sink.messages.indexOf(m) >= before);
    expect(letter.subject).toMatch(/a new link to your copy/);
    const newToken = linkIn(letter.text);
    expect(newToken).not.toBe(oldToken);
    expect((await fetchCopy(oldToken)).statusCode).toBe(404);
    const copy = await fetchCopy(newToken);
    expect(copy.statusCode).toBe(200);
    expect(Object.values(unzipSync(new Uint8Array(copy.rawPayload))).map((f) => strFromU8(f)).join('\n')).toContain('chloe.durand@example.com');
    const trail = await store.audit.page(ORG, { limit: 100, action: 'request.download_link_renewed', subjectId: id });
    expect(trail.map((e) => e.detail)).toEqual([{ expires_at: completed.package_expires_at }]);

    // Once the copy has expired, a new link would open nothing: refused, nothing written.
    const later = new Desk({ store, mailer, vault, now: () => new Date(Date.parse(completed.package_expires_at) + 1000) });
    await expect(later.renewDownloadLink(ORG, id, 'staff:test')).rejects.toThrow(/expired on .* a new copy answers a new request/);
    expect((await fetchCopy(newToken)).statusCode).toBe(200);
  });

  it.runIf(available)('gives a person who lost their key a new one by email (Art. 12(2)): the completed request\'s copy downloads with it, no longer with the old one', async () => {
    const email = 'alice.martin@example.com';
    const { id, statusToken } = await approvedRequest(email, { type: 'access' });
    const started = sink.messages.length;
    expect(await worker('w-key').runAvailable()).toBe(1);
    const letter = await sink.waitFor((m) => m.to.includes(email) && sink.messages.indexOf(m) >= started && /\/download\?download=/.test(m.text));
    const downloadToken = /\/download\?download=([A-Za-z0-9_-]{43})/.exec(letter.text)![1]!;
    const fetchCopy = (key: string) => app.inject({ url: `${BASE}/requests/${id}/package?download=${downloadToken}`, headers: { 'x-status-token': key } });
    expect((await fetchCopy(statusToken)).statusCode).toBe(200);
    const completed = (await app.inject({ url: `${BASE}/desk/requests/${id}`, headers: dpo })).json();
    expect(completed.state).toBe('completed');

    const before = sink.messages.length;
    const reissued = await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${id}/status-key`, headers: dpo, payload: { version: completed.version } });
    expect(reissued.statusCode, reissued.body).toBe(200);
    expect(reissued.json().state).toBe('completed');
    expect(reissued.json().follow_url).toBeUndefined();
    const mail = await sink.waitFor((m) => m.to.includes(email) && sink.messages.indexOf(m) >= before);
    const key = /\?key=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    expect((await fetchCopy(statusToken)).statusCode).toBe(404);
    const copy = await fetchCopy(key);
    expect(copy.statusCode).toBe(200);
    expect(Object.values(unzipSync(new Uint8Array(copy.rawPayload))).map((f) => strFromU8(f)).join('\n')).toContain(email);
    const trail = await store.audit.page(ORG, { limit: 10, action: 'request.status_key_reissued', subjectId: id });
    expect(trail.map((e) => e.detail)).toEqual([{ sent: 'email', identity: 1 }]);
  });

  it.runIf(available)('erases, and takes over a request whose worker died holding it', async () => {
    const { id } = await approvedRequest('bruno.petit@example.com', { type: 'erasure' });
    // A worker takes it and dies before running it (its hold is never renewed).
    await desk.take(ORG, id, 'dead-worker', 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await worker('w2').runAvailable()).toBe(1);
    const done = (await app.inject({ url: `${BASE}/desk/requests/${id}`, headers: dpo })).json();
    expect(done.state).toBe('completed');
    expect(done.history.filter((h: { name: string }) => h.name === 'start')).toHaveLength(1);
    const customers = await shop.rows('customer');
    expect(customers.map((c) => c.email)).not.toContain('bruno.petit@example.com');
    const actions = [];
    for await (const e of store.audit.entries(ORG)) if (e.subject.id === id) actions.push(e.action);
    expect(actions).toContain('request.taken_over');
    expect((await store.audit.verify(ORG)).problems).toEqual([]);
  });

  it.runIf(available)('never runs a request twice when two workers look at once', async () => {
    const ids = [];
    for (const email of ['chloe.durand@example.com', 'alice.martin@example.com', 'nobody@example.com']) ids.push((await approvedRequest(email, { type: 'access' })).id);
    const [a, b] = await Promise.all([worker('w3').runAvailable(), worker('w4').runAvailable()]);
    expect(a + b).toBe(3);
    for (const id of ids) {
      const r = (await app.inject({ url: `${BASE}/desk/requests/${id}`, headers: dpo })).json();
      expect(r.state).toBe('completed');
      expect(r.history.filter((h: { name: string }) => h.name === 'start')).toHaveLength(1);
      expect(r.history.filter((h: { name: string }) => h.name === 'complete')).toHaveLength(1);
    }
  });
});
