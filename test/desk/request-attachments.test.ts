/**
 * A request received by post or email, entered by staff with its original attached (decision 0032),
 * on real SQLite and PostgreSQL stores, over Fastify's inject with real multipart bodies: the scan
 * and the email stored with the request, listed and downloaded byte for byte; a file's kind read
 * from its content (an executable renamed .pdf, HTML, SVG, a zip refused, named); a file over the
 * limit, or one too many, refused with nothing stored; names kept without their path or control
 * characters; only staff allowed a person's data read them, each view in the audit log, which holds
 * ids, types and sizes, never a name; the content sealed in the table (no letter in clear), and a
 * sealed file moved to another request does not open.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreLocation } from '../../src/config/config.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../../src/desk/attachments/check-attachment.js';
import { ATTACHMENT_TYPES, detectAttachmentType } from '../../src/desk/attachments/detect-attachment-type.js';
import { attachmentDisposition, sanitiseFilename } from '../../src/desk/attachments/sanitise-filename.js';
import { PackageKeyRing } from '../../src/desk/package-vault/package-key.js';
import { PackageVault } from '../../src/desk/package-vault/package-vault.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';
import { buildApp } from '../../src/http/app.js';
import type { ZodApp } from '../../src/http/route-context.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { logInto } from '../support/log-lines.js';

const ORG = 'acme-boutique';
const BASE = `/api/v1/organisations/${ORG}/desk/requests`;
/** What the letter says, to look for in the table, the logs and the audit log. */
const MARKER = 'LETTRE-DE-JEAN-DUPONT-42';

// ---------------------------------------------------------------------------------------------
// Files as they arrive

const pdf = (body = `1 0 obj << /Type /Catalog >> endobj % ${MARKER}`) => Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.from(body), randomBytes(2048), Buffer.from('\n%%EOF\n')]);
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(512)]);
const eml = [
  'Return-Path: <jean.dupont@example.org>',
  'From: Jean Dupont <jean.dupont@example.org>',
  'To: dpo@acme-boutique.example',
  'Subject: =?UTF-8?Q?Demande_d=E2=80=99acc=C3=A8s?=',
  'Date: Fri, 27 Feb 2026 10:12:00 +0100',
  'Message-ID: <20260227101200.42@example.org>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  `Bonjour, je demande une copie de mes données (${MARKER}).`,
  '',
].join('\r\n');

interface Part {
  name: string;
  filename?: string;
  /** RFC 5987 filename*, percent-encoded UTF-8 (carries what a quoted name cannot), given instead of `filename`. */
  filenameStar?: string;
  type?: string;
  content: string | Buffer;
}

function form(parts: readonly Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----opendpo-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let disposition = `form-data; name="${p.name}"`;
    if (p.filenameStar !== undefined) disposition += `; filename*=UTF-8''${p.filenameStar}`;
    else if (p.filename !== undefined) disposition += `; filename="${p.filename}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`, 'utf8'));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const entry = (over: Record<string, unknown> = {}) => ({
  channel: 'post',
  received_at: '2026-02-27T10:00:00+01:00',
  language: 'fr',
  identities: [{ type: 'customer_number', value: 'C-1042' }],
  details: { type: 'access' },
  ...over,
});
const requestPart = (body: unknown = entry()): Part => ({ name: 'request', type: 'application/json', content: JSON.stringify(body) });
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// ---------------------------------------------------------------------------------------------
// The store's tables, read and written past the store (as someone with the database would)

async function query(location: StoreLocation, text: string): Promise<Record<string, unknown>[]> {
  if (location.kind === 'sqlite') {
    const db = new SqliteDatabase(location.file);
    try {
      const statement = db.prepare(text);
      return statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

describe.each([sqliteCase(), postgresCase()])('a request entered with its originals on $name', (dialect) => {
  let location: StoreLocation;
  let store: Store;
  let app: ZodApp;
  let vaultFolder: string;
  const logs: string[] = [];
  const staff: Record<string, Record<string, string>> = {};
  const clock = Date.parse('2026-03-02T09:00:00Z');

  beforeAll(async () => {
    if (!dialect.available) return;
    location = await dialect.setUp();
    store = await openStore(location);
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    vaultFolder = mkdtempSync(path.join(tmpdir(), 'opendpo-attachments-'));
    const vault = new PackageVault({ folder: vaultFolder, keys: PackageKeyRing.of([{ id: 'k1', key: randomBytes(32) }]) });
    const logStream = logInto(logs);
    app = await buildApp({ config: { logLevel: 'info' }, store, defaultOrganisation: ORG, logStream, vault, now: () => new Date(clock) });
    for (const role of ['dpo', 'agent', 'engineer', 'auditor'] as const) staff[role] = bearer(await tokenFor(store, ORG, role));
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await dialect.tearDown();
    if (vaultFolder) rmSync(vaultFolder, { recursive: true, force: true });
  });

  const enter = (parts: readonly Part[], headers: Record<string, string> = staff.agent!) => {
    const body = form(parts);
    return app.inject({ method: 'POST', url: `${BASE}/with-attachments`, headers: { ...headers, ...body.headers }, payload: body.payload });
  };
  /** What a refusal must leave as it was: requests, identities, attachments, audit entries. */
  const written = async () =>
    JSON.stringify(
      (await query(location, `select ${['desk_requests', 'desk_identities', 'desk_attachments', 'audit_log'].map((t) => `(select count(*) from ${t}) as ${t}`).join(', ')}`)).map((r) => Object.values(r).map(Number)),
    );
  const auditOf = async (requestId: string) => {
    const entries = [];
    for await (const e of store.audit.entries(ORG)) if (e.subject.id === requestId) entries.push(e);
    return entries;
  };

  it.runIf(dialect.available)('enters a request received by post with its scan and the email, lists them, and gives them back byte for byte', async () => {
    const scan = pdf();
    const email = Buffer.from(eml, 'utf8');
    const res = await enter([
      requestPart(),
      { name: 'attachment', filename: 'lettre-jean-dupont.pdf', type: 'application/pdf', content: scan },
      // The type a client claims is not what decides: this one says octet-stream.
      { name: 'attachment', filename: 'demande.eml', type: 'application/octet-stream', content: email },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json();
    expect(made).toMatchObject({ state: 'received', channel: 'post', received_on: '2026-02-27', created_by: expect.stringMatching(/^token:/) });
    const expected = [
      { seq: 1, filename: 'lettre-jean-dupont.pdf', content_type: 'application/pdf', size_bytes: scan.length, sha256: sha256(scan), created_at: new Date(clock).toISOString(), created_by: made.created_by },
      { seq: 2, filename: 'demande.eml', content_type: 'message/rfc822', size_bytes: email.length, sha256: sha256(email), created_at: new Date(clock).toISOString(), created_by: made.created_by },
    ];
    expect(made.attachments).toEqual(expected);

    const list = await app.inject({ url: `${BASE}/${made.id}/attachments`, headers: staff.dpo! });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toEqual({ attachments: expected });

    for (const [seq, bytes, type] of [[1, scan, 'application/pdf'], [2, email, 'message/rfc822']] as const) {
      const file = await app.inject({ url: `${BASE}/${made.id}/attachments/${seq}`, headers: staff.agent! });
      expect(file.statusCode, file.body.slice(0, 200)).toBe(200);
      expect(file.rawPayload.equals(bytes)).toBe(true);
      expect(sha256(file.rawPayload)).toBe(expected[seq - 1]!.sha256);
      expect(file.headers['content-type']).toBe(type);
      expect(file.headers['content-length']).toBe(String(bytes.length));
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['cache-control']).toBe('no-store');
      expect(file.headers['content-disposition']).toBe(attachmentDisposition(expected[seq - 1]!.filename));
      expect(String(file.headers['content-disposition'])).toMatch(/^attachment; filename="/);
    }
    const none = await app.inject({ url: `${BASE}/${made.id}/attachments/3`, headers: staff.agent! });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('NOT_FOUND');
    const badSeq = await app.inject({ url: `${BASE}/${made.id}/attachments/0`, headers: staff.agent! });
    expect(badSeq.statusCode).toBe(400);

    // The audit log: the request, each attachment received, the list and each download seen; ids, types and sizes only.
    const entries = await auditOf(made.id);
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ['request.received', { type: 'access', channel: 'post', identities: ['customer_number'], due_on: made.due_on }],
      ['request.attachment_received', { attachment: 1, content_type: 'application/pdf', bytes: scan.length }],
      ['request.attachment_received', { attachment: 2, content_type: 'message/rfc822', bytes: email.length }],
      ['request.attachments_listed', { attachments: 2 }],
      ['request.attachment_viewed', { attachment: 1, content_type: 'application/pdf', bytes: scan.length }],
      ['request.attachment_viewed', { attachment: 2, content_type: 'message/rfc822', bytes: email.length }],
    ]);
    // Entered and downloaded by the agent, listed by the DPO: each entry names who.
    const agent = made.created_by as string;
    expect(entries.map((e) => e.actor)).toEqual([agent, agent, agent, expect.stringMatching(/^token:/), agent, agent]);
    expect(entries[3]!.actor).not.toBe(agent);
    expect((await store.audit.verify(ORG)).problems).toEqual([]);
    const everything = JSON.stringify(entries) + logs.join('');
    for (const personal of ['dupont', 'Dupont', 'demande.eml', MARKER, 'C-1042']) expect(everything).not.toContain(personal);
    expect(logs.join('')).toContain('"attachments":2');

    // In the table: sealed (the vault's format), never the letter or the email in clear.
    const rows = await query(location, `select seq, filename, content_type, size_bytes, sha256, sealed from desk_attachments where request_id = '${made.id}' order by seq`);
    expect(rows.map((r) => [Number(r.seq), r.filename, r.content_type, Number(r.size_bytes), r.sha256])).toEqual(expected.map((a) => [a.seq, a.filename, a.content_type, a.size_bytes, a.sha256]));
    for (const [i, row] of rows.entries()) {
      const sealed = row.sealed as Buffer;
      expect(sealed.subarray(0, 4).toString('latin1')).toBe('ODPK');
      expect(sealed.includes(Buffer.from(MARKER))).toBe(false);
      expect(sealed.includes(Buffer.from('jean.dupont'))).toBe(false);
      expect(sealed.includes(i === 0 ? scan.subarray(-1024) : email.subarray(0, 64))).toBe(false);
      // The header in clear says where it belongs, never the name it was sent under.
      expect(sealed.includes(Buffer.from('lettre'))).toBe(false);
    }
  });

  it.runIf(dialect.available)('reads what a file is from its content: an executable renamed .pdf, HTML, SVG and a zip are refused by name, and nothing is stored', async () => {
    const before = await written();
    const refused: [Part, string][] = [
      [{ name: 'attachment', filename: 'scan.pdf', type: 'application/pdf', content: Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), randomBytes(256)]) }, 'a Windows executable'],
      [{ name: 'attachment', filename: 'letter.txt', type: 'text/plain', content: '<!DOCTYPE html><html><script>fetch("/api")</script></html>' }, 'HTML, XML or SVG'],
      [{ name: 'attachment', filename: 'photo.png', type: 'image/png', content: '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>' }, 'HTML, XML or SVG'],
      [{ name: 'attachment', filename: 'letter.pdf', type: 'application/pdf', content: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(128)]) }, 'a zip archive'],
      [{ name: 'attachment', filename: 'note.txt', type: 'text/plain', content: Buffer.concat([Buffer.from('plain start '), Buffer.from([0x00, 0x01, 0xff, 0xfe])]) }, 'nor text in UTF-8'],
    ];
    for (const [bad, reason] of refused) {
      // After a good file: the request is not stored without the one refused.
      const res = await enter([requestPart(), { name: 'attachment', filename: 'ok.pdf', content: pdf() }, bad]);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_TYPE');
      expect(res.json().error.message).toContain(`attachment 2 (${JSON.stringify(bad.filename)}) is refused`);
      expect(res.json().error.message).toContain(reason);
    }
    const empty = await enter([requestPart(), { name: 'attachment', filename: 'empty.pdf', content: Buffer.alloc(0) }]);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('"empty.pdf") is empty');
    expect(await written()).toBe(before);
  });

  it.runIf(dialect.available)(`refuses a file over ${MAX_ATTACHMENT_BYTES} bytes with 413, and one file too many, storing nothing; takes one of exactly the limit`, async () => {
    const before = await written();
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - 9, 0x41)]);
    expect(big.length).toBe(MAX_ATTACHMENT_BYTES + 1);
    const over = await enter([requestPart(), { name: 'attachment', filename: 'ok.pdf', content: pdf() }, { name: 'attachment', filename: 'scan-300dpi.pdf', content: big }]);
    expect(over.statusCode, over.body).toBe(413);
    expect(over.json().error).toEqual({ code: 'TOO_LARGE', message: `attachment 2 ("scan-300dpi.pdf") is refused: a file is at most 10 MiB (${MAX_ATTACHMENT_BYTES} bytes)` });
    expect(await written()).toBe(before);

    const six = Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i): Part => ({ name: 'attachment', filename: `page-${i + 1}.pdf`, content: pdf() }));
    const tooMany = await enter([requestPart(), ...six]);
    expect(tooMany.statusCode, tooMany.body).toBe(413);
    expect(tooMany.json().error.message).toBe(`attachment 6 ("page-6.pdf") is refused: at most ${MAX_ATTACHMENTS} files are kept with a request`);
    expect(await written()).toBe(before);

    const five = await enter([requestPart(), ...six.slice(0, MAX_ATTACHMENTS)]);
    expect(five.statusCode, five.body).toBe(201);
    expect(five.json().attachments.map((a: { filename: string }) => a.filename)).toEqual(['page-1.pdf', 'page-2.pdf', 'page-3.pdf', 'page-4.pdf', 'page-5.pdf']);

    const exact = big.subarray(0, MAX_ATTACHMENT_BYTES);
    const atLimit = await enter([requestPart(), { name: 'attachment', filename: 'exact.pdf', content: exact }]);
    expect(atLimit.statusCode, atLimit.body).toBe(201);
    const back = await app.inject({ url: `${BASE}/${atLimit.json().id}/attachments/1`, headers: staff.dpo! });
    expect(back.rawPayload.length).toBe(MAX_ATTACHMENT_BYTES);
    expect(sha256(back.rawPayload)).toBe(sha256(exact));
  });

  it.runIf(dialect.available)('keeps a file name without its path or control characters, 200 characters at most', async () => {
    const res = await enter([
      requestPart(),
      // ../../etc/lettre<BEL>-<ESC>dupont<RLO>.pdf, sent as RFC 5987 UTF-8.
      { name: 'attachment', filenameStar: encodeURIComponent('../../etc/lettre\u0007-\u001bdupont\u202e.pdf'), content: pdf() },
      { name: 'attachment', filenameStar: encodeURIComponent(`${'é'.repeat(300)}.pdf`), content: pdf() },
      { name: 'attachment', filename: '..', content: Buffer.from(eml) },
      { name: 'attachment', filenameStar: encodeURIComponent('C:\\Users\\jean\\Desktop\\courrier.png'), content: png() },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const names = res.json().attachments.map((a: { filename: string }) => a.filename);
    expect(names).toEqual(['lettre-dupont.pdf', `${'é'.repeat(196)}.pdf`, 'attachment-3.eml', 'courrier.png']);
    const rows = await query(location, `select filename from desk_attachments where request_id = '${res.json().id}' order by seq`);
    expect(rows.map((r) => r.filename)).toEqual(names);
  });

  it.runIf(dialect.available)('lets only staff allowed a person\'s data read the originals, and only staff who enter requests attach them', async () => {
    const made = await enter([requestPart(), { name: 'attachment', filename: 'lettre.pdf', content: pdf() }]);
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    const auditBefore = (await auditOf(id)).length;
    for (const role of ['engineer', 'auditor'] as const) {
      for (const url of [`${BASE}/${id}/attachments`, `${BASE}/${id}/attachments/1`]) {
        const res = await app.inject({ url, headers: staff[role]! });
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
        expect(res.body).not.toContain('lettre');
      }
      const entered = await enter([requestPart(), { name: 'attachment', filename: 'lettre.pdf', content: pdf() }], staff[role]!);
      expect(entered.statusCode).toBe(403);
    }
    expect((await app.inject({ url: `${BASE}/${id}/attachments/1` })).statusCode).toBe(401);
    const other = bearer(await tokenFor(store, 'another-org', 'dpo'));
    expect((await app.inject({ url: `${BASE}/${id}/attachments/1`, headers: other })).statusCode).toBe(403);
    // Refused views are not views: nothing more in the audit log of the request.
    expect((await auditOf(id)).length).toBe(auditBefore);
    expect((await app.inject({ url: `${BASE}/${id}/attachments/1`, headers: staff.agent! })).statusCode).toBe(200);
  });

  it.runIf(dialect.available)('keeps the JSON entry as it was, and answers a form that is not one with a clear error, storing nothing', async () => {
    const json = await app.inject({ method: 'POST', url: BASE, headers: staff.agent!, payload: entry({ identities: [{ type: 'customer_number', value: 'C-7' }] }) });
    expect(json.statusCode, json.body).toBe(201);
    expect(json.json().attachments).toBeUndefined();
    const before = await written();
    // The JSON route takes no form (as before the form route existed).
    const formToJson = form([requestPart(), { name: 'attachment', filename: 'a.pdf', content: pdf() }]);
    const wrongRoute = await app.inject({ method: 'POST', url: BASE, headers: { ...staff.agent!, ...formToJson.headers }, payload: formToJson.payload });
    expect(wrongRoute.statusCode).toBe(415);
    expect(Object.keys(wrongRoute.json().error).sort()).toEqual(['code', 'message']);
    const jsonToForm = await app.inject({ method: 'POST', url: `${BASE}/with-attachments`, headers: staff.agent!, payload: { request: entry(), attachment: [] } });
    expect(jsonToForm.statusCode).toBe(415);
    expect(jsonToForm.json().error).toMatchObject({ code: 'UNSUPPORTED_TYPE', message: expect.stringContaining('multipart/form-data') });

    const cases: [Part[], number, string][] = [
      [[{ name: 'attachment', filename: 'a.pdf', content: pdf() }], 400, 'no "request" part'],
      [[requestPart()], 400, 'no "attachment" file'],
      [[requestPart(entry({ channel: 'fax' })), { name: 'attachment', filename: 'a.pdf', content: pdf() }], 400, 'part "request": field "channel"'],
      [[requestPart(entry({ received_at: '2027-01-01T00:00:00Z' })), { name: 'attachment', filename: 'a.pdf', content: pdf() }], 400, 'cannot be received in the future'],
      [[{ name: 'request', content: '{"channel": "post",' }, { name: 'attachment', filename: 'a.pdf', content: pdf() }], 400, 'not JSON'],
      [[{ name: 'request', type: 'application/json', content: '{"channel":' }, { name: 'attachment', filename: 'a.pdf', content: pdf() }], 400, 'not JSON'],
      [[requestPart(), requestPart(), { name: 'attachment', filename: 'a.pdf', content: pdf() }], 400, 'two "request" parts'],
      [[requestPart(), { name: 'attachment', content: 'not a file' }], 400, 'an "attachment" part is a file'],
      [[requestPart(), { name: 'passport\u0007', filename: 'id.png', content: png() }], 400, 'a part named "passport"'],
      [[{ name: 'request', filename: 'big.json', content: 'x'.repeat(300 * 1024) }, { name: 'attachment', filename: 'a.pdf', content: pdf() }], 413, '"request" part is over 256 KiB'],
      [[{ name: 'request', content: JSON.stringify(entry({ message: 'x'.repeat(300 * 1024) })) }, { name: 'attachment', filename: 'a.pdf', content: pdf() }], 413, '"request" part is over 256 KiB'],
    ];
    for (const [parts, status, message] of cases) {
      const res = await enter(parts);
      expect(res.statusCode, `${message}: ${res.body}`).toBe(status);
      expect(res.json().error.message).toContain(message);
    }
    const garbled = await app.inject({ method: 'POST', url: `${BASE}/with-attachments`, headers: { ...staff.agent!, 'content-type': 'multipart/form-data; boundary=zzz' }, payload: '--zzz\r\nContent-Disposition: form-data; name="request"\r\n\r\n{"a":1' });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().error.code).toBe('INVALID_INPUT');
    const noBoundary = await app.inject({ method: 'POST', url: `${BASE}/with-attachments`, headers: { ...staff.agent!, 'content-type': 'multipart/form-data' }, payload: 'x' });
    expect(noBoundary.statusCode).toBe(400);
    expect(noBoundary.json().error).toEqual({ code: 'INVALID_INPUT', message: 'the body is not a well-formed multipart/form-data form' });
    expect(await written()).toBe(before);
  });

  it.runIf(dialect.available)('answers any form, whole, cut or garbled, with 201 or a 4xx in the error format, and stores nothing when it refuses', async () => {
    const hostile = ['../../etc/passwd', '\u0000', '<script>alert(1)</script>', "'; drop table desk_attachments; --", '\uD800', '🙂'.repeat(50), 'A'.repeat(5000), '__proto__', ''];
    const content = fc.oneof(
      fc.constant(pdf()),
      fc.constant(png()),
      fc.constant(Buffer.from(eml)),
      fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
      fc.constantFrom(...hostile).map((h) => Buffer.from(h)),
    );
    const part: fc.Arbitrary<Part> = fc.record(
      {
        name: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('request', 'attachment') }, fc.constantFrom('constructor', 'x', 'attachment[]', '')),
        filename: fc.oneof(fc.constant(undefined), fc.constantFrom('a.pdf', 'x.eml', ...hostile.map((h) => h.replace(/"/g, '')))),
        type: fc.constantFrom(undefined, 'application/json', 'application/pdf', 'text/html', 'application/octet-stream'),
        content: fc.oneof(content, fc.constant(Buffer.from(JSON.stringify(entry()))), fc.constantFrom(...hostile).map((h) => JSON.stringify({ ...entry(), channel: h }))),
      },
      { requiredKeys: ['name', 'content'] },
    );
    const body = fc.oneof(
      { weight: 3, arbitrary: fc.array(part, { maxLength: 8 }).map((parts) => form(parts)) },
      // A form cut anywhere, or raw bytes under a multipart type.
      fc.tuple(fc.array(part, { minLength: 1, maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true })).map(([parts, at]) => {
        const whole = form(parts);
        return { ...whole, payload: whole.payload.subarray(0, Math.floor(whole.payload.length * at)) };
      }),
      fc.uint8Array({ maxLength: 1024 }).map((a) => ({ payload: Buffer.from(a), headers: { 'content-type': 'multipart/form-data; boundary=----x' } })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ payload, headers }) => {
        const before = await written();
        const res = await app.inject({ method: 'POST', url: `${BASE}/with-attachments`, headers: { ...staff.agent!, ...headers }, payload });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 201) return;
        expect(Object.keys(res.json().error).sort(), res.body).toEqual(['code', 'message']);
        expect(res.body).not.toMatch(/\n\s+at |node:internal|SQLITE_|syntax error/);
        expect(await written()).toBe(before);
      }),
      { seed: 20_260_302, numRuns: 120 },
    );
  });

  it.runIf(dialect.available)('describes the form and the download as they are in /openapi.json', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    const entered = doc.paths['/api/v1/organisations/{org}/desk/requests/with-attachments'].post;
    expect(Object.keys(entered.requestBody.content)).toEqual(['multipart/form-data']);
    const schema = entered.requestBody.content['multipart/form-data'].schema;
    expect(schema.required).toEqual(['request', 'attachment']);
    expect(schema.properties.request.properties.channel.enum).toEqual(['email', 'post']);
    expect(schema.properties.attachment).toMatchObject({ type: 'array', minItems: 1, maxItems: MAX_ATTACHMENTS, items: { type: 'string', format: 'binary' } });
    expect(Object.keys(entered.responses)).toEqual(['201', '400', '401', '403', '404', '409', '413', '415']);
    const download = doc.paths['/api/v1/organisations/{org}/desk/requests/{id}/attachments/{seq}'].get;
    expect(Object.keys(download.responses['200'].content)).toEqual([...ATTACHMENT_TYPES]);
  });

  it.runIf(dialect.available)('does not open a sealed file moved to another request, or changed', async () => {
    const a = (await enter([requestPart(), { name: 'attachment', filename: 'a.pdf', content: pdf() }])).json();
    const b = (await enter([requestPart(), { name: 'attachment', filename: 'b.pdf', content: pdf() }])).json();
    await query(location, `update desk_attachments set sealed = (select sealed from desk_attachments where request_id = '${a.id}' and seq = 1), sha256 = (select sha256 from desk_attachments where request_id = '${a.id}' and seq = 1), size_bytes = (select size_bytes from desk_attachments where request_id = '${a.id}' and seq = 1) where request_id = '${b.id}' and seq = 1`);
    const moved = await app.inject({ url: `${BASE}/${b.id}/attachments/1`, headers: staff.dpo! });
    expect(moved.statusCode).toBe(500);
    expect(moved.json().error).toEqual({ code: 'INTERNAL', message: `attachment 1 of request ${b.id} cannot be opened: its sealed content is not the one recorded for this place (moved or swapped)` });
    // One bit changed in the content: its record does not verify, and nothing of it is sent.
    const rows = await query(location, `select sealed from desk_attachments where request_id = '${a.id}' and seq = 1`);
    const sealed = Buffer.from(rows[0]!.sealed as Buffer);
    sealed[sealed.length - 100]! ^= 0x01;
    const hex = sealed.toString('hex');
    await query(location, location.kind === 'sqlite' ? `update desk_attachments set sealed = x'${hex}' where request_id = '${a.id}' and seq = 1` : `update desk_attachments set sealed = '\\x${hex}'::bytea where request_id = '${a.id}' and seq = 1`);
    const changed = await app.inject({ url: `${BASE}/${a.id}/attachments/1`, headers: staff.dpo! });
    expect(changed.statusCode).toBe(500);
    expect(changed.json().error.message).toMatch(/^attachment 1 of request .* cannot be opened: record 1 of 1 does not verify/);
    expect(changed.body).not.toContain('%PDF');
  });
});

describe('what an attachment is, read from its content', () => {
  const text = (s: string) => Buffer.from(s, 'utf8');
  it.each([
    ['a PDF', pdf(), 'application/pdf'],
    ['a PNG', png(), 'image/png'],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), 'image/jpeg'],
    ['a TIFF, little-endian', Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00]), 'image/tiff'],
    ['a TIFF, big-endian', Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x08]), 'image/tiff'],
    ['an email (CRLF)', text(eml), 'message/rfc822'],
    ['an email (LF, a folded field, no body)', text('From: a@example.org\nDate: Fri, 27 Feb 2026 10:12:00 +0100\nSubject: a long\n subject, folded\n'), 'message/rfc822'],
    ['an email whose body is 8-bit Latin-1', Buffer.concat([text('From: a@example.org\r\nDate: Fri, 27 Feb 2026 10:12:00 +0100\r\n\r\n'), Buffer.from('Données personnelles', 'latin1')]), 'message/rfc822'],
    ['headers without a Date (not an email: text)', text('From: a@example.org\r\nSubject: x\r\n\r\nhello'), 'text/plain'],
    ['plain text in UTF-8, with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text('Madame, Monsieur,\r\n\tje demande…\f')]), 'text/plain'],
  ])('takes %s', (_what, bytes, type) => {
    expect(detectAttachmentType(bytes)).toEqual({ type });
  });

  it.each([
    ['an executable renamed .pdf', Buffer.from('MZ\x90\x00\x03', 'latin1'), 'a Windows executable'],
    ['an ELF executable', Buffer.from('\x7fELF\x02\x01', 'latin1'), 'an executable (ELF)'],
    ['a script', text('#!/bin/sh\nrm -rf /\n'), 'a script (#!)'],
    ['a zip (an office document)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'a zip archive (or an office document, which is one)'],
    ['HTML', text('  <html><body>hi</body></html>'), 'HTML, XML or SVG (markup a browser would run)'],
    ['HTML after a line of text', text('Dear DPO,\n<script>alert(1)</script>'), 'HTML, XML or SVG (markup a browser would run)'],
    ['SVG', text('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'HTML, XML or SVG (markup a browser would run)'],
    ['a GIF', text('GIF89a'), 'a GIF image'],
    ['a HEIC photo', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), text('ftypheic')]), 'an ISO media file (a HEIC photo, a video)'],
    ['binary', Buffer.from([0x00, 0x01, 0x02, 0xff]), 'neither a PDF, PNG, JPEG or TIFF file nor text in UTF-8 (binary content of another kind)'],
    ['text in Latin-1', Buffer.from('Données', 'latin1'), 'neither a PDF, PNG, JPEG or TIFF file nor text in UTF-8 (binary content of another kind)'],
    ['an email with a NUL', Buffer.concat([text('From: a@example.org\r\nDate: x\r\n\r\n'), Buffer.from([0])]), 'neither a PDF, PNG, JPEG or TIFF file nor text in UTF-8 (binary content of another kind)'],
    ['nothing', Buffer.alloc(0), 'empty'],
  ])('refuses %s', (_what, bytes, problem) => {
    expect(detectAttachmentType(bytes)).toEqual({ problem });
  });
});

describe('the name an attachment is kept under', () => {
  it.each([
    ['lettre.pdf', 'lettre.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['/var/tmp/', 'fallback.pdf'],
    ['..', 'fallback.pdf'],
    ['.hidden.pdf', 'hidden.pdf'],
    ['scan\u0000.pdf', 'scan.pdf'],
    ['exe\u202Efdp.exe', 'exefdp.exe'],
    ['a\r\nb\tc.pdf', 'abc.pdf'],
    ['  many   spaces .pdf ', 'many spaces .pdf'],
    ['e\u0301te\u0301.pdf', 'été.pdf'],
    ['', 'fallback.pdf'],
    [undefined, 'fallback.pdf'],
  ])('keeps %j as %j', (name, kept) => {
    expect(sanitiseFilename(name, 'fallback.pdf')).toBe(kept);
  });

  it('cuts a long name to 200 characters, keeping its extension', () => {
    const kept = sanitiseFilename(`${'🙂'.repeat(250)}.jpeg`, 'x');
    expect([...kept].length).toBe(200);
    expect(kept.endsWith('🙂.jpeg')).toBe(true);
  });

  it('is downloaded under an ASCII name and its own (RFC 6266)', () => {
    expect(attachmentDisposition('lettre "été".pdf')).toBe(`attachment; filename="lettre _ete_.pdf"; filename*=UTF-8''lettre%20%22%C3%A9t%C3%A9%22.pdf`);
  });
});

describe('content sealed in memory by the vault (its format, its keys)', () => {
  const meta = { organisationId: 'org-1', requestId: 'req-1', filename: 'attachment-1', contentType: 'application/pdf' };
  const now = new Date('2026-03-02T09:00:00Z');
  const ring = PackageKeyRing.of([{ id: 'k1', key: randomBytes(32) }]);
  const vault = new PackageVault({ folder: path.join(tmpdir(), 'unused'), keys: ring });

  it.each([0, 1, 65_536, 65_537, 200_000])('gives back %i bytes as sealed', (size) => {
    const plaintext = randomBytes(size);
    const sealed = vault.sealBytes(plaintext, meta, { now, ttlMs: 60_000 });
    if (size >= 16) expect(sealed.includes(plaintext.subarray(0, 16))).toBe(false);
    const opened = vault.openBytes(sealed, { now });
    expect(opened.plaintext.equals(plaintext)).toBe(true);
    expect(opened.meta).toEqual(meta);
  });

  it('refuses content changed, cut, expired, or sealed under a key the ring does not hold', () => {
    const sealed = vault.sealBytes(randomBytes(100_000), meta, { now, ttlMs: 60_000 });
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return isOpendpoError(err) ? `${err.code}: ${err.message}` : String(err);
      }
      return 'opened';
    };
    const changed = Buffer.from(sealed);
    changed[changed.length - 1]! ^= 1;
    expect(code(() => vault.openBytes(changed, { now, name: 'x' }))).toBe('INTERNAL: x cannot be opened: record 2 of 2 does not verify (changed, moved, or cut)');
    expect(code(() => vault.openBytes(sealed.subarray(0, sealed.length - 20_000), { now, name: 'x' }))).toMatch(/^INTERNAL: x cannot be opened: record 2 of 2 does not verify/);
    expect(code(() => vault.openBytes(sealed, { now: new Date(now.getTime() + 60_000), name: 'x' }))).toBe('NOT_FOUND: x has expired');
    const other = new PackageVault({ folder: path.join(tmpdir(), 'unused'), keys: PackageKeyRing.of([{ id: 'k2', key: randomBytes(32) }]) });
    expect(code(() => other.openBytes(sealed, { now, name: 'x' }))).toBe('CONFIG_INVALID: x was sealed under the package key "k1", which the key ring no longer holds');
    expect(code(() => vault.openBytes(Buffer.from('not sealed at all'), { now, name: 'x' }))).toBe('INTERNAL: x cannot be opened: it is not an access package');
  });
});
