/**
 * The privacy center in Chromium against a real server (SQLite store, the acme-shop register, the
 * product's SMTP mailer and an SMTP sink on loopback): every page in English and French checked by
 * axe-core (WCAG 2.1 A/AA: no violation) without console errors, with the enhancement script and
 * without JavaScript; the French flow — form, key, code read from the mail, status — both ways, with
 * a screenshot at each step (reports/screenshots/, or OPENDPO_SCREENSHOT_DIR).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Response as PlaywrightResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_TYPES } from '../../src/desk/request-types.js';
import { builtWebFolder } from '../../src/http/routes/console.js';
import { accessibilityViolations, browserAvailable, launchBrowser, screenshot, watchConsole } from '../helpers/browser.js';
import { bearer, tokenFor } from '../helpers/staff.js';
import { centerApp, ORG, type CenterApp } from './center-app.js';
import { logInto } from '../support/log-lines.js';

const run = browserAvailable();
const BASE = `/privacy-center/${ORG}`;

/** The browser's own line for a page answered 4xx on purpose (a refused form, a missing page). */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));

describe.runIf(run)('the privacy center in Chromium', () => {
  let c: CenterApp;
  let url: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** The server's log output: no key, code or address may reach it. */
  const logs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(builtWebFolder('privacy-center'), 'enhance.js'))) throw new Error('the privacy center script is not built: run npm run build:web first');
    c = await centerApp({
      logStream: logInto(logs),
    });
    url = await c.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await c?.close();
  });

  /** The last document a page was answered with (a page without JavaScript cannot be read by a script). */
  const documents = new WeakMap<Page, PlaywrightResponse>();

  async function open(options: { lang: 'en' | 'fr'; javaScript: boolean }): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: options.lang === 'fr' ? 'fr-FR' : 'en-GB', javaScriptEnabled: options.javaScript, viewport: { width: 1024, height: 800 }, colorScheme: 'light' });
    contexts.push(context);
    if (options.javaScript) jsOn.add(context);
    const page = await context.newPage();
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) documents.set(page, r);
    });
    return { page, errors: watchConsole(page) };
  }

  /**
   * axe-core on the page as it is. axe is a script: on a page without JavaScript it cannot run, so
   * the document the server sent is checked as it is (styles loaded, no script) in a page that runs it.
   */
  async function expectAccessible(page: Page, where: string): Promise<void> {
    if (jsOn.has(page.context())) {
      expect(await accessibilityViolations(page), where).toEqual([]);
      return;
    }
    const html = await documents.get(page)!.text();
    // One checking page for every document (setContent replaces the whole document): a context per check cost a second each.
    if (checker === undefined) {
      const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, colorScheme: 'light' });
      contexts.push(context);
      checker = await context.newPage();
    }
    await checker.setContent(html.replace(/<script\b[^>]*><\/script>/g, '').replace('<head>', `<head><base href="${url}/">`), { waitUntil: 'load' });
    expect(await accessibilityViolations(checker), `${where} (without JavaScript)`).toEqual([]);
  }
  let checker: Page | undefined;
  const jsOn = new WeakSet<BrowserContext>();

  for (const lang of ['en', 'fr'] as const) {
    for (const javaScript of [true, false]) {
      const mode = javaScript ? 'js' : 'nojs';
      it(`has no accessibility violation on any page in ${lang} (${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
        const { page, errors } = await open({ lang, javaScript });
        await page.goto(`${url}${BASE}?lang=${lang}`);
        await expectAccessible(page, 'home');
        await screenshot(page, `privacy-center-${lang}-${mode}-home`);
        for (const type of REQUEST_TYPES) {
          await page.goto(`${url}${BASE}/ask/${type}?lang=${lang}`);
          await expectAccessible(page, type);
          if (type === 'post_mortem' || type === 'rectification') await screenshot(page, `privacy-center-${lang}-${mode}-form-${type}`);
        }
        // A form sent with errors (the server's answer without a script, the script's check with one).
        await page.goto(`${url}${BASE}/ask/restriction?lang=${lang}`);
        await page.locator('#f-email').fill('not-an-address');
        await page.locator('form[data-validate] button[type=submit]').click();
        if (!javaScript) await page.waitForURL(/ask\/restriction/);
        await page.locator('#error-summary').waitFor();
        await expectAccessible(page, 'form with errors');
        await screenshot(page, `privacy-center-${lang}-${mode}-form-errors`);
        // Another browser's view of a request: the key asked for; the download page of a letter's link.
        const id = '0b0b0b0b-0000-4000-8000-000000000000';
        await page.goto(`${url}${BASE}/requests/${id}?lang=${lang}`);
        await expectAccessible(page, 'key form');
        await page.goto(`${url}${BASE}/requests/${id}/code?lang=${lang}`);
        await expectAccessible(page, 'code page without key');
        await page.goto(`${url}${BASE}/requests/${id}/download?download=${'A'.repeat(43)}&lang=${lang}`);
        await expectAccessible(page, 'download page');
        await screenshot(page, `privacy-center-${lang}-${mode}-download`);
        await page.goto(`${url}${BASE}/nowhere?lang=${lang}`);
        await expectAccessible(page, 'not found');
        // A request of this browser's: the key and code page, the status with the recipients told, the code page again.
        await page.goto(`${url}${BASE}/ask/rectification?lang=${lang}`);
        await page.locator('#f-email').fill(`sweep.${lang}.${mode}@example.org`);
        await page.locator('#f-what_1').fill(lang === 'en' ? 'My name' : 'Mon nom');
        await page.locator('#f-corrected_1').fill('Zoé Durand');
        // One more correction: added in place by the script, or by the server's answer without it (what was typed kept).
        await page.getByRole('button', { name: lang === 'en' ? 'Add another correction' : 'Ajouter une autre correction' }).click();
        await page.locator('#f-what_4').waitFor();
        if (javaScript) {
          expect(await page.evaluate('document.activeElement?.id')).toBe('f-what_4');
          // The script's button sits with the rows and is never the one Enter presses.
          expect(await page.locator('#corrections button[data-add-row]').getAttribute('type')).toBe('button');
        }
        expect(await page.locator('#f-corrected_1').inputValue()).toBe('Zoé Durand');
        expect(await page.getByLabel(lang === 'en' ? /^Correct value \(4\)/ : /^Valeur exacte \(4\)/).count()).toBe(1);
        await expectAccessible(page, 'rectification with a row added');
        await screenshot(page, `privacy-center-${lang}-${mode}-form-rectification-row-added`);
        await page.locator('#f-what_4').fill(lang === 'en' ? 'My city' : 'Ma ville');
        await page.locator('#f-corrected_4').fill('Lyon');
        await page.getByRole('button', { name: lang === 'en' ? 'Send my request' : 'Envoyer ma demande' }).click();
        await page.locator('#status-key').waitFor();
        const made = /requests\/([0-9a-f-]{36})/.exec(page.url())![1]!;
        expect(JSON.parse((await c.desk.get(ORG, made)).request.details_json).corrections).toHaveLength(2);
        await expectAccessible(page, 'submitted');
        expect(await page.getByRole('link', { name: lang === 'en' ? 'See the status of your request' : 'Voir où en est votre demande' }).count()).toBe(1);
        // The form's answer was a redirect: a refresh asks for the page again with GET, no second request,
        // and the key, shown once, gives way to the status page.
        const requests = (await c.desk.queue(ORG, { limit: 100_000 })).length;
        await page.reload();
        await page.locator('#status').waitFor();
        expect(await page.locator('#status-key').count()).toBe(0);
        expect((await c.desk.queue(ORG, { limit: 100_000 })).length).toBe(requests);
        await expectAccessible(page, 'status with recipients');
        await screenshot(page, `privacy-center-${lang}-${mode}-status-rectification`);
        await page.getByRole('link', { name: lang === 'en' ? 'Confirm your email address' : 'Confirmer votre adresse électronique' }).click();
        await page.locator('input.code').waitFor();
        await expectAccessible(page, 'code page');
        expect(unexpected(errors)).toEqual([]);
      }, 120_000);
    }
  }

  for (const javaScript of [false, true]) {
    const mode = javaScript ? 'js' : 'nojs';
    it(`takes a French request from the form to a confirmed email ${javaScript ? 'with' : 'without'} JavaScript, the code read from the mail`, async () => {
      const { page, errors } = await open({ lang: 'fr', javaScript });
      const email = `camille.${mode}@example.org`;
      await page.goto(`${url}/privacy-center`);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      await screenshot(page, `privacy-center-fr-${mode}-flow-1-home`);
      await page.getByRole('link', { name: 'Obtenir une copie de vos données' }).click();
      await page.getByRole('heading', { level: 1, name: 'Obtenir une copie de vos données' }).waitFor();
      if (javaScript) {
        // The script checks before sending, with the server's words, and leads to the field.
        await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
        const summary = page.locator('#error-summary');
        await summary.waitFor();
        expect(await summary.textContent()).toContain('Adresse électronique\u00a0: Remplissez ce champ.');
        expect(await page.evaluate('document.activeElement?.id')).toBe('error-summary');
        expect(await page.locator('#f-email').getAttribute('aria-invalid')).toBe('true');
        expect(await page.locator('#f-email').getAttribute('aria-describedby')).toContain('f-email-error');
        expect(page.url()).toContain('/ask/access');
        await expectAccessible(page, 'inline errors');
        await screenshot(page, `privacy-center-fr-${mode}-flow-2-inline-errors`);
      }
      await page.getByLabel(/^Adresse électronique/).fill(email);
      await page.getByLabel(/^Autre chose à nous dire/).fill('Mes commandes depuis 2024');
      await screenshot(page, `privacy-center-fr-${mode}-flow-2-form`);
      await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nous avons reçu votre demande' }).waitFor();
      const key = await page.locator('#status-key').textContent();
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(page.url()).not.toContain(key!);
      await expectAccessible(page, 'submitted');
      await screenshot(page, `privacy-center-fr-${mode}-flow-3-key-and-code`);
      // The cookie: this browser, this request's pages, no script.
      const cookie = (await page.context().cookies()).find((k) => k.name === 'opendpo_request_key')!;
      expect(cookie).toMatchObject({ value: key, httpOnly: true, sameSite: 'Strict' });
      expect(cookie.path).toMatch(new RegExp(`^${BASE}/requests/[0-9a-f-]{36}$`));

      const code = await c.mail.lastCode(email);
      const field = page.getByLabel(/^Code reçu par courriel/);
      expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
      await field.fill(code);
      await page.getByRole('button', { name: 'Confirmer' }).click();
      await page.getByRole('heading', { level: 1, name: 'Votre demande' }).waitFor();
      expect(await page.locator('main').textContent()).toContain('Merci : votre adresse électronique est confirmée.');
      expect(await page.locator('#status').textContent()).toContain('Identité confirmée ; en attente de notre décision');
      await expectAccessible(page, 'status');
      await screenshot(page, `privacy-center-fr-${mode}-flow-4-status`);

      // The same browser comes back to the status page without typing the key.
      const statusUrl = `${page.url().split('?')[0]!.replace(/\/code$/, '')}?lang=en`;
      if (javaScript) await page.clock.install();
      await page.goto(statusUrl);
      await page.getByRole('heading', { level: 1, name: 'Your request' }).waitFor();
      if (javaScript) {
        // Staff approve it: the page shows it at its next refresh, without a reload (a live region).
        const id = /requests\/([0-9a-f-]{36})/.exec(statusUrl)![1]!;
        await c.desk.act(ORG, id, 'dpo@acme', { action: 'approve' });
        expect(await page.locator('#refresh-note').isVisible()).toBe(true);
        await page.clock.fastForward(31_000);
        await page.locator('#status', { hasText: 'Accepted; about to be handled' }).waitFor();
      }
      await expectAccessible(page, 'status in English');
      await screenshot(page, `privacy-center-en-${mode}-flow-5-status`);
      expect(unexpected(errors)).toEqual([]);
    }, 60_000);
  }
  for (const javaScript of [false, true]) {
    const mode = javaScript ? 'js' : 'nojs';
    it(`lets a person follow a request staff entered from their email ${javaScript ? 'with' : 'without'} JavaScript: the link and the code from the same mail`, async () => {
      const email = `staff.entered.${mode}@example.org`;
      const staff = bearer(await tokenFor(c.store, ORG, 'agent'));
      const before = c.mail.sink.messages.length;
      const entered = await c.app.inject({
        method: 'POST',
        url: `/api/v1/organisations/${ORG}/desk/requests`,
        headers: staff,
        payload: { channel: 'email', received_at: new Date(c.clock.now - 3_600_000).toISOString(), language: 'fr', identities: [{ type: 'email', value: email }], details: { type: 'access' } },
      });
      expect(entered.statusCode, entered.body).toBe(201);
      const { id, status_token: key } = entered.json() as { id: string; status_token: string };
      const mail = await c.mail.sink.waitFor((m) => m.to.includes(email) && c.mail.sink.messages.indexOf(m) >= before);
      // The desk writes OPENDPO_PUBLIC_URL's origin (its default here): the person's browser opens it on this server.
      const link = /https?:\/\/\S+\?key=\S+/.exec(mail.text)![0]!.replace(/^https?:\/\/[^/]+/, url);
      const code = /\b(\d{6})\b/.exec(mail.text)![1]!;

      const { page, errors } = await open({ lang: 'fr', javaScript });
      await page.goto(link);
      // The key left the address at once (303), kept in this browser's cookie for this request's pages.
      expect(page.url()).toBe(`${url}${BASE}/requests/${id}/code`);
      const cookie = (await page.context().cookies()).find((k) => k.name === 'opendpo_request_key')!;
      expect(cookie).toMatchObject({ value: key, httpOnly: true, sameSite: 'Strict', path: `${BASE}/requests/${id}` });
      await page.getByRole('heading', { level: 1, name: 'Confirmez votre adresse électronique' }).waitFor();
      expect(await page.locator('main').textContent()).not.toContain(key);
      await expectAccessible(page, 'code page opened from the link');
      await page.getByLabel(/^Code reçu par courriel/).fill(code);
      await page.getByRole('button', { name: 'Confirmer' }).click();
      await page.getByRole('heading', { level: 1, name: 'Votre demande' }).waitFor();
      expect(await page.locator('#status').textContent()).toContain('Identité confirmée ; en attente de notre décision');
      expect(page.url()).not.toContain(key);
      await expectAccessible(page, 'status of a request entered by staff');
      await screenshot(page, `privacy-center-fr-${mode}-staff-entered-status`);
      expect(unexpected(errors)).toEqual([]);
      // Nothing the person holds reached the server's log output.
      const logged = logs.join('');
      expect(logged).toContain(id);
      expect(logged).not.toContain(key);
      // Six digits as a whole number: not the same digits inside a log line's timestamp.
      expect(logged).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
      expect(logged).not.toContain(email);
    }, 60_000);
  }
});
