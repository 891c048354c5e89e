/**
 * "Send the person a new key" on the request page, in Chromium against a real server (SQLite store,
 * the example register, an SMTP sink): the DPO presses it on a request whose email is confirmed; the
 * mail with the new link arrives (Art. 12(2)); the person's own browser, holding no key, opens the link
 * and sees their request's status page, and the key leaves the address bar. For a request with no
 * confirmed email, nothing is emailed (Art. 12(6)) and the link is shown once in a read-only field.
 * Both axe-clean (WCAG 2.1 AA), no console errors.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, browserAvailable, launchBrowser, newPage, watchConsole } from '../helpers/browser.js';
import { API, consoleBuilt, DPO, enterRequest, startConsoleServer, type ConsoleServer } from './console-server.js';

const run = browserAvailable();

describe.runIf(run)('a new key for the person, from the request page', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let dpoCookies: Awaited<ReturnType<ReturnType<Page['context']>['cookies']>> | undefined;

  beforeAll(async () => {
    if (!consoleBuilt()) throw new Error('the console is not built: run npm run build:web first');
    server = await startConsoleServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Sign-in is limited per address: the DPO signs in once, the later pages share the cookie. */
  async function dpoPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await newPage(browser);
    const errors = watchConsole(page);
    if (dpoCookies === undefined) {
      await page.goto(`${server.url}/console/`);
      await page.getByLabel('Login').fill(DPO.login);
      await page.getByLabel('Password').fill(DPO.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
      dpoCookies = await page.context().cookies();
    } else {
      await page.context().addCookies(dpoCookies);
    }
    return { page, errors };
  }

  async function openRequest(page: Page, request: { id: string; reference: string }): Promise<void> {
    await page.goto(`${server.url}/console/requests/${request.id}`);
    await page.getByRole('heading', { level: 1, name: `Request ${request.reference}` }).waitFor();
    await page.waitForLoadState('networkidle');
  }

  /** The path and query of a link the desk wrote (its origin is OPENDPO_PUBLIC_URL's default), on this server. */
  const onServer = (link: string) => `${server.url}${link.replace(/^https?:\/\/[^/]+/, '')}`;

  it('emails the new link to the confirmed address, and the person\'s browser follows the request with it', { timeout: 60_000 }, async () => {
    const email = 'lost.key.person@example.com';
    const request = await enterRequest(server, { email, confirm: true });
    const { page, errors } = await dpoPage();
    await openRequest(page, request);
    const identity = page.getByRole('region', { name: 'Identity' });
    await identity.getByText('a new link to follow the request goes to their confirmed email address (identity 1). The earlier key and its links stop working.', { exact: false }).waitFor();
    const before = server.mail.sink.messages.length;
    await identity.getByRole('button', { name: 'Send the person a new key' }).click();
    await identity.getByRole('status').filter({ hasText: 'A new link was emailed to the person\'s confirmed address.' }).waitFor();
    // Emailed: no link on the staff's page.
    expect(await page.locator('#r-follow').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    const mail = await server.mail.sink.waitFor((m) => m.to.includes(email) && server.mail.sink.messages.indexOf(m) >= before);
    expect(mail.subject).toContain('a new link to follow your request');
    const link = new RegExp(`https?://[^\\s]+/privacy-center/[^\\s]+/requests/${request.id}\\?key=[A-Za-z0-9_-]{43}`).exec(mail.text)?.[0];
    expect(link).toBeDefined();
    const stored = (await server.app.inject({ url: `${API}/desk/requests/${request.id}`, headers: server.admin })).json() as { letters: { kind: string; status: string }[] };
    expect(stored.letters.at(-1)).toEqual(expect.objectContaining({ kind: 'status_link', status: 'sent' }));

    // The person, in a browser of their own that holds no key, opens the link.
    const person = await newPage(browser);
    const personErrors = watchConsole(person);
    await person.goto(onServer(link!));
    await person.getByRole('heading', { level: 1, name: 'Your request' }).waitFor();
    expect(person.url(), 'the key leaves the address bar').not.toContain('key=');
    expect(await person.getByText(request.reference).count()).toBeGreaterThan(0);
    expect(await accessibilityViolations(person)).toEqual([]);
    expect(personErrors).toEqual([]);
    expect(errors).toEqual([]);
    await person.close();
    await page.close();
  });

  it('shows the link once, never emailed, for a request with no confirmed email', { timeout: 60_000 }, async () => {
    const email = 'unconfirmed.lost.key@example.com';
    const request = await enterRequest(server, { email });
    const { page, errors } = await dpoPage();
    await openRequest(page, request);
    const identity = page.getByRole('region', { name: 'Identity' });
    await identity.getByText('no email address of theirs is confirmed, so nothing is emailed', { exact: false }).waitFor();
    const before = server.mail.sink.messages.filter((m) => m.to.includes(email)).length;
    await identity.getByRole('button', { name: 'Send the person a new key' }).click();
    const field = identity.getByLabel('The person\'s new link to follow the request');
    await field.waitFor();
    expect(await field.getAttribute('readonly')).not.toBeNull();
    const link = await field.inputValue();
    expect(link).toMatch(new RegExp(`/privacy-center/[^/]+/requests/${request.id}\\?key=[A-Za-z0-9_-]{43}$`));
    await identity.getByText('It is shown only now', { exact: false }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.mail.sink.messages.filter((m) => m.to.includes(email)).length).toBe(before);

    // Read again, the page no longer shows it.
    await openRequest(page, request);
    expect(await page.locator('#r-follow').count()).toBe(0);
    expect(await page.content()).not.toContain(link.split('key=')[1]!);

    const person = await newPage(browser);
    await person.goto(onServer(link));
    await person.getByRole('heading', { level: 1, name: 'Your request' }).waitFor();
    expect(errors).toEqual([]);
    await person.close();
    await page.close();
  });
});
