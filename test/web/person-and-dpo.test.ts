/**
 * The two front ends together, as people use them, against a real `opendpo serve` process (its
 * worker running on the example shop, a SQLite store, a real SMTP server on loopback), in Chromium:
 * a person asks for a copy of their data in French on the privacy center and confirms their email
 * with the code read from the mail; a DPO signs in to the console and approves it; the worker runs
 * it; the completion letter's link opens the privacy center's download page in the person's browser,
 * which hands over the package holding their data. Then another person asks in English for an
 * erasure, which the DPO refuses with its reasons: the refusal letter gives the person the reasons
 * and the supervisory authority (Art. 12(4)), their status page says it was refused, and the shop
 * still holds their rows. No console errors on either side, and the server's logs carry none of the
 * people's values. Last, a request that came by email: the DPO enters it in the console with the
 * email attached as the original; the person opens the link of the code email, which hands their
 * browser the request's key, types the code; the DPO approves, and the same browser downloads the copy.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { openStore } from '../../src/store/open-store.js';
import { EXAMPLE, TARGETS, type Target } from '../dsr/shop-targets.js';
import { accessibilityViolations, browserAvailable, launchBrowser, newPage, screenshot, watchConsole } from '../helpers/browser.js';
import { ROOT } from '../helpers/cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { staffAccount } from '../helpers/staff.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const ORG = 'acme-boutique';
const PERSON = 'alice.martin@example.com';
const SECOND = 'chloe.durand@example.com';
const THIRD = 'bruno.petit@example.com';
const DPO = { login: 'dana.dpo@acme-boutique.example', password: 'a long passphrase for the test' };

describe.runIf(browserAvailable())('a person and a DPO, each in their own front end', () => {
  let dir: string;
  let shop: Target;
  let sink: SmtpSink;
  let server: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'opendpo-web-e2e-'));
    shop = await TARGETS[0]!.create();
    sink = await startSmtpSink();
    const register = path.join(dir, 'register');
    cpSync(path.join(ROOT, 'examples/acme-shop'), register, { recursive: true });
    rmSync(path.join(register, 'datasets'), { recursive: true, force: true });
    const datasets = path.join(dir, 'datasets');
    mkdirSync(datasets);
    cpSync(path.join(EXAMPLE, 'shop.yaml'), path.join(datasets, 'shop.yaml'));
    writeFileSync(path.join(datasets, 'connections.yaml'), `register: ${register}\nconnections:\n  - name: shop\n    type: ${shop.type}\n    url: "${shop.url}"\n    datasets: [shop]\n`);
    const database = path.join(dir, 'opendpo.db');
    server = await startServe({
      DATABASE_URL: `sqlite:${database}`,
      OPENDPO_REGISTERS: register,
      OPENDPO_DATASETS: datasets,
      OPENDPO_SMTP_URL: sink.url,
      OPENDPO_MAIL_FROM: 'Acme DPO <dpo@acme-boutique.example>',
      OPENDPO_PACKAGE_DIR: path.join(dir, 'packages'),
      OPENDPO_LOG_LEVEL: 'info',
      OPENDPO_PUBLIC_URL: 'https://privacy.acme-boutique.example',
    });
    const store = await openStore(parseDatabaseUrl(`sqlite:${database}`, ROOT));
    await staffAccount(store, ORG, 'dpo', DPO.login, DPO.password);
    await store.close();
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sink?.close();
    await shop?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A person asks on the privacy center and confirms by the code the SMTP server received; the request's id. */
  async function askAndConfirm(person: Page, strings: { right: string; email: RegExp; send: string; received: string; code: RegExp; confirm: string; request: string }, email: string): Promise<string> {
    await person.goto(`${server.url}/privacy-center`);
    await person.getByRole('link', { name: strings.right }).click();
    await person.getByLabel(strings.email).fill(email);
    await person.getByRole('button', { name: strings.send }).click();
    await person.getByRole('heading', { level: 1, name: strings.received }).waitFor();
    const codeMail = await sink.waitFor((m) => m.to.includes(email), 15_000);
    const code = /\b(\d{6})\b/.exec(codeMail.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    codes.push(code!);
    await person.getByLabel(strings.code).fill(code!);
    await person.getByRole('button', { name: strings.confirm }).click();
    await person.getByRole('heading', { level: 1, name: strings.request }).waitFor();
    const id = /requests\/([0-9a-f-]{36})/.exec(person.url())?.[1];
    expect(id).toBeDefined();
    return id!;
  }
  const codes: string[] = [];

  /** The DPO's console page, signed in; console errors watched from the first page. */
  async function dpoPage(): Promise<{ dpo: Page; dpoErrors: string[] }> {
    const dpo = await newPage(browser, { locale: 'en-GB' });
    const dpoErrors = watchConsole(dpo);
    await dpo.goto(`${server.url}/console/`);
    await dpo.getByLabel('Login').fill(DPO.login);
    await dpo.getByLabel('Password').fill(DPO.password);
    await dpo.getByRole('button', { name: 'Sign in' }).click();
    await dpo.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    return { dpo, dpoErrors };
  }

  it('asks in French, confirms by the emailed code, is approved in the console and downloads the package', async () => {
    // The person, in French.
    const person = await newPage(browser, { locale: 'fr-FR' });
    const personErrors = watchConsole(person);
    const id = await askAndConfirm(person, FRENCH_ACCESS, PERSON);
    await screenshot(person, 'web-e2e-1-person-confirmed');

    // The DPO, in the console: the request is there, confirmed, and is approved.
    const { dpo, dpoErrors } = await dpoPage();
    await dpo.goto(`${server.url}/console/requests/${id}`);
    await dpo.getByRole('heading', { level: 1, name: /^Request / }).waitFor();
    await dpo.getByRole('button', { name: 'Approve', exact: true }).click();
    await dpo.getByRole('region', { name: 'Summary' }).getByText('Approved').waitFor();
    await screenshot(dpo, 'web-e2e-2-dpo-approved');

    // The worker runs it; the completion letter goes to the person with the link to the privacy center.
    const letter = await sink.waitFor((m) => m.to.includes(PERSON) && /download=/.test(m.text), 60_000);
    const link = /https:\/\/privacy\.acme-boutique\.example(\/privacy-center\/\S+download=[A-Za-z0-9_-]{43})/.exec(letter.text)?.[1];
    expect(link, 'the completion letter links to the privacy center').toBeDefined();
    await dpo.reload();
    await dpo.getByRole('region', { name: 'Summary' }).getByText('Completed').waitFor();

    // The person opens the link in the browser that sent the request (its key is in the cookie).
    await person.goto(`${server.url}${link!}`);
    await person.getByRole('heading', { level: 1, name: 'Télécharger vos données' }).waitFor();
    await screenshot(person, 'web-e2e-3-person-download');
    const [download] = await Promise.all([person.waitForEvent('download'), person.getByRole('button', { name: 'Télécharger mes données' }).click()]);
    const file = path.join(dir, 'package');
    await download.saveAs(file);
    const bytes = await readFile(file);
    expect(bytes.length).toBeGreaterThan(100);
    // An access package is a zip (PK) whose files hold the person's own rows.
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    expect(personErrors).toEqual([]);
    expect(dpoErrors).toEqual([]);
    // Logs carry ids and counts, never the person's values.
    expect(server.output()).not.toContain(PERSON);
    // A code is six digits: looked for as a whole number, not inside a log line's timestamp.
    for (const code of codes) expect(server.output()).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
  }, 150_000);

  it('asks for an erasure in English, which the DPO refuses with reasons: the letter and the status page say so, the data stay', async () => {
    const before = (await shop.rows('customer')).filter((r) => r.email === SECOND);
    expect(before).toHaveLength(1);
    const person = await newPage(browser, { locale: 'en-GB' });
    const personErrors = watchConsole(person);
    const id = await askAndConfirm(person, ENGLISH_ERASURE, SECOND);
    const statusUrl = person.url();

    const { dpo, dpoErrors } = await dpoPage();
    await dpo.goto(`${server.url}/console/requests/${id}`);
    await dpo.getByRole('heading', { level: 1, name: /^Request / }).waitFor();
    const refuse = dpo.getByRole('button', { name: 'Refuse the request' });
    const reason = 'Your invoices are kept for 10 years to meet our legal obligation (Art. 17(3)(b) GDPR; French Commercial Code, L123-22).';
    await dpo.getByLabel(/^Reasons, one per line \(the letter/).fill(reason);
    expect(await refuse.isDisabled(), 'no refusal without the complaint information ticked').toBe(true);
    await dpo.getByLabel(/I have checked the reasons/).check();
    await refuse.click();
    await dpo.getByRole('region', { name: 'Summary' }).getByText('Refused').waitFor();
    await screenshot(dpo, 'web-e2e-4-dpo-refused');

    // The refusal letter: the reasons, the complaint to the supervisory authority and the judicial remedy (Art. 12(4)).
    const letter = await sink.waitFor((m) => m.to.includes(SECOND) && /cannot act on your request/.test(m.subject), 30_000);
    expect(letter.text).toContain(reason);
    expect(letter.text).toMatch(/lodge a complaint with a supervisory authority \(Art\. 77 GDPR\)/);
    expect(letter.text).toMatch(/CNIL/);

    // The person's status page, in the same browser (the key is in its cookie).
    await person.goto(statusUrl);
    await person.getByRole('heading', { level: 1, name: 'Your request' }).waitFor();
    await person.getByText('Refused (the letter we sent explains why)').waitFor();
    // Nothing was changed, so there are no recipients to tell of a change (Art. 19).
    expect(await person.getByRole('heading', { name: 'Organisations told of the change' }).count()).toBe(0);
    expect(await accessibilityViolations(person)).toEqual([]);
    await screenshot(person, 'web-e2e-5-person-refused');

    // Nothing was erased: the refusal stopped the request before the engine.
    expect((await shop.rows('customer')).filter((r) => r.email === SECOND)).toEqual(before);
    expect(personErrors).toEqual([]);
    expect(dpoErrors).toEqual([]);
    expect(server.output()).not.toContain(SECOND);
    expect(server.output()).not.toContain('Durand');
  }, 120_000);

  it('enters a request received by email with the email attached; the person follows it from the code email\'s link and downloads the copy', async () => {
    const { dpo, dpoErrors } = await dpoPage();
    await dpo.goto(`${server.url}/console/requests/new`);
    await dpo.getByRole('heading', { level: 1, name: 'Enter a request received by email or post' }).waitFor();
    await dpo.getByLabel('Received by').selectOption('email');
    await dpo.getByLabel('Language of the answer').selectOption('en');
    await dpo.getByLabel('What the person asks', { exact: true }).selectOption('access');
    await dpo.getByLabel('Identity 1: kind').selectOption('email');
    await dpo.getByLabel('Identity 1: value').fill(THIRD);
    const original = `From: Bruno <${THIRD}>\r\nTo: dpo@acme-boutique.example\r\nSubject: My data\r\nDate: Thu, 3 Dec 2026 08:00:00 +0100\r\n\r\nPlease send me a copy of my personal data.\r\n`;
    await dpo.getByLabel(/^The original/).setInputFiles({ name: 'request.eml', mimeType: 'message/rfc822', buffer: Buffer.from(original) });
    const before = sink.messages.length;
    await dpo.getByRole('button', { name: 'Enter the request' }).click();
    await dpo.getByRole('heading', { level: 2, name: /^Request R-.* entered\.$/ }).waitFor();
    await screenshot(dpo, 'web-e2e-6-dpo-entered');
    await dpo.getByRole('button', { name: 'Open the request' }).click();
    await dpo.getByRole('heading', { level: 1, name: /^Request R-/ }).waitFor();
    const id = dpo.url().split('/').at(-1)!;
    await dpo.getByRole('button', { name: 'List the originals (recorded in the audit log)' }).click();
    await dpo.getByRole('button', { name: 'Download request.eml' }).waitFor();

    // The person: the code email links to the request; the link hands the key to the browser.
    const mail = await sink.waitFor((m) => m.to.includes(THIRD) && sink.messages.indexOf(m) >= before, 15_000);
    const link = /https:\/\/privacy\.acme-boutique\.example(\/privacy-center\/\S+\?key=\S+)/.exec(mail.text)?.[1];
    expect(link, 'the code email of a request entered by staff carries the link').toBeDefined();
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
    codes.push(code!);
    const person = await newPage(browser, { locale: 'en-GB' });
    const personErrors = watchConsole(person);
    await person.goto(`${server.url}${link!}`);
    expect(person.url(), 'the key leaves the address bar').not.toContain('key=');
    await person.getByLabel(/^Code from the email/).fill(code!);
    await person.getByRole('button', { name: 'Confirm' }).click();
    await person.getByRole('heading', { level: 1, name: 'Your request' }).waitFor();
    expect(await accessibilityViolations(person)).toEqual([]);
    await screenshot(person, 'web-e2e-7-person-followed');

    // The DPO sees the identity confirmed by the code and approves; the worker answers.
    await dpo.reload();
    await dpo.getByRole('region', { name: 'Identity' }).getByText(/^Confirmed \(code\)/).waitFor();
    await dpo.getByRole('button', { name: 'Approve', exact: true }).click();
    await dpo.getByRole('region', { name: 'Summary' }).getByText('Approved').waitFor();
    const letter = await sink.waitFor((m) => m.to.includes(THIRD) && /download=/.test(m.text), 60_000);
    const download = /https:\/\/privacy\.acme-boutique\.example(\/privacy-center\/\S+download=[A-Za-z0-9_-]{43})/.exec(letter.text)?.[1];
    expect(download).toBeDefined();
    await person.goto(`${server.url}${download!}`);
    await person.getByRole('heading', { level: 1, name: 'Download your data' }).waitFor();
    const [file] = await Promise.all([person.waitForEvent('download'), person.getByRole('button', { name: 'Download my data' }).click()]);
    const saved = path.join(dir, 'package-3');
    await file.saveAs(saved);
    expect((await readFile(saved)).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    expect(personErrors).toEqual([]);
    expect(dpoErrors).toEqual([]);
    expect(server.output()).not.toContain(THIRD);
    expect(server.output()).not.toMatch(/key=[A-Za-z0-9_-]{20,}/);
  }, 150_000);
});

const FRENCH_ACCESS = {
  right: 'Obtenir une copie de vos données',
  email: /^Adresse électronique/,
  send: 'Envoyer ma demande',
  received: 'Nous avons reçu votre demande',
  code: /^Code reçu par courriel/,
  confirm: 'Confirmer',
  request: 'Votre demande',
};
const ENGLISH_ERASURE = {
  right: 'Erase your data',
  email: /^Email address/,
  send: 'Send my request',
  received: 'We received your request',
  code: /^Code from the email/,
  confirm: 'Confirm',
  request: 'Your request',
};
