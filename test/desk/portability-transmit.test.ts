/**
 * Art. 20(2) through the worker: a portability request naming another controller's endpoint is run
 * on the example shop, its export sealed in the vault and sent to that endpoint (a real HTTPS server
 * on loopback with a certificate made by openssl, reached by its name through the test's resolver);
 * the completion letter says where it went, the history keeps the outcome without the URL's path, and
 * an endpoint that refuses leaves the export to download. A URL pointing inside the network is refused
 * at submission.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
import { sqliteCase } from '../store/store-cases.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}`;
const NAME = 'import.other-controller.example';

describe('portability transmitted to another controller', () => {
  const dialect = sqliteCase();
  let store: Store;
  let app: ZodApp;
  let desk: Desk;
  let sink: SmtpSink;
  let mailer: SmtpMailer;
  let shop: Target;
  let dir: string;
  let loaded: LoadDatasetsResult;
  let register: Register;
  let dpo: Record<string, string>;
  let server: Server;
  let port: number;
  let cert: string;
  const received: { url?: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  let status = 200;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-portability-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=receiver', '-addext', `subjectAltName=DNS:${NAME}`, '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'pipe' });
    cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ ...(req.url === undefined ? {} : { url: req.url }), headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(status).end(status < 300 ? '{"imported":true}' : '{"error":"unknown account"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;

    store = await openStore(await dialect.setUp());
    register = (await loadRegister(`${ROOT}/examples/acme-shop`)).loaded!.register;
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    shop = await TARGETS.find((t) => t.name === 'SQLite')!.create();
    loaded = await loadDatasetsOrThrow(EXAMPLE);
    const connections = loaded.connections!.connections;
    connections[0] = { ...connections[0]!, type: shop.type, url: shop.url } as (typeof connections)[number];
    sink = await startSmtpSink();
    mailer = new SmtpMailer({ url: sink.url, from: 'dpo@acme-boutique.example' });
    desk = new Desk({ store, mailer });
    app = await buildApp({ config: { logLevel: 'silent', publicRateLimit: 10_000 }, store, defaultOrganisation: ORG, desk });
    dpo = bearer(await tokenFor(store, ORG, 'dpo'));
  });

  afterAll(async () => {
    for (const w of workers) await w.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await app?.close();
    await mailer?.close();
    await sink?.close();
    await shop?.drop();
    await store?.close();
    await dialect.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  const workers: RequestWorker[] = [];
  const worker = () => {
    const w = new RequestWorker({
      store,
      desk,
      sources: [{ organisationId: ORG, loaded, register }],
      vault: new PackageVault({ folder: path.join(dir, 'vault'), keys: parsePackageKeyRing(randomBytes(32).toString('base64')) }),
      publicUrl: 'http://127.0.0.1:4750',
      leaseSeconds: 5,
      targetTimeoutMs: 10_000,
      owner: 'w',
      // The endpoint's name resolves to this machine for the test only; in production a loopback or private address is refused.
      transmitForTests: { allowLoopback: true, ca: cert, retryDelaysMs: [], lookup: (host) => Promise.resolve(host === NAME ? [{ address: '127.0.0.1', family: 4 as const }] : []) },
    });
    workers.push(w);
    return w;
  };

  const approved = async (email: string, url: string, language = 'en') => {
    const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { language, identities: [{ type: 'email', value: email }], details: { type: 'portability', transmit_to: { controller: 'Other Shop', url } } } });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { request: { id: string } }).request.id;
    await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${id}/confirm-identity`, headers: dpo, payload: { identity: 1, method: 'match', note: 'matches the account' } });
    expect((await app.inject({ method: 'POST', url: `${BASE}/desk/requests/${id}/approve`, headers: dpo, payload: {} })).json().state).toBe('approved');
    return id;
  };

  it('sends the export to the endpoint the person named, says so in the letter, and keeps the outcome without the URL\'s path', async () => {
    const id = await approved('alice.martin@example.com', `https://${NAME}:${port}/import/CUST-778?token=abc`);
    expect(await worker().runAvailable()).toBe(1);
    expect(received).toHaveLength(1);
    const sent = received[0]!;
    expect(sent.url).toBe('/import/CUST-778?token=abc');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['idempotency-key']).toBe(id);
    const exported = JSON.parse(sent.body.toString('utf8')) as unknown;
    expect(JSON.stringify(exported)).toContain('alice.martin@example.com');
    expect(JSON.stringify(exported)).not.toContain('bruno.petit@example.com');

    const history = (await app.inject({ url: `${BASE}/desk/requests/${id}`, headers: dpo })).json() as { state: string; history: { name: string; input: Record<string, unknown> }[] };
    expect(history.state).toBe('completed');
    const transmitted = history.history.at(-1)!.input.transmitted as Record<string, unknown>;
    expect(transmitted).toMatchObject({ controller: 'Other Shop', host: `${NAME}:${port}`, outcome: 'delivered', attempts: 1, status: 200, addresses: ['127.0.0.1'] });
    expect(JSON.stringify(history)).not.toContain('CUST-778');

    const letter = await sink.waitFor((m) => m.to.includes('alice.martin@example.com') && /transmitted this data directly/.test(m.text));
    expect(letter.text).toContain(`directly to Other Shop (${NAME}:${port})`);
    expect(letter.text).toMatch(/\/download\?download=/);
  });

  it('leaves the export to download when the endpoint refuses it, and says so', async () => {
    status = 422;
    const id = await approved('bruno.petit@example.com', `https://${NAME}:${port}/import`, 'fr');
    expect(await worker().runAvailable()).toBe(1);
    const history = (await app.inject({ url: `${BASE}/desk/requests/${id}`, headers: dpo })).json() as { state: string; history: { input: Record<string, unknown> }[] };
    expect(history.state).toBe('completed');
    expect(history.history.at(-1)!.input.transmitted).toMatchObject({ outcome: 'failed', status: 422 });
    const letter = await sink.waitFor((m) => m.to.includes('bruno.petit@example.com') && /pas pu transmettre/.test(m.text));
    expect(letter.text).toMatch(/\/download\?download=/);
  });

  it('refuses at submission an endpoint inside the network or without https', async () => {
    for (const url of ['https://127.0.0.1/import', 'https://169.254.169.254/latest', 'http://other.example/import', 'https://localhost/import', 'https://10.0.0.8/x']) {
      const res = await app.inject({ method: 'POST', url: `${BASE}/requests`, payload: { identities: [{ type: 'email', value: 'chloe.durand@example.com' }], details: { type: 'portability', transmit_to: { controller: 'X', url } } } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message, url).toContain('transmit_to');
    }
  });
});
