/**
 * The browser the web tests drive: Debian's Chromium through playwright-core (never a downloaded
 * browser), with the flags this machine's closed network needs, a fresh profile each launch. Without
 * Chromium the tests skip with a message naming it, unless OPENDPO_REQUIRE_SERVICES=1 (CI installs it).
 *
 * Also: axe-core on a page (WCAG 2.1 A and AA, the privacy center's bar), the console errors a page
 * printed, and screenshots (reports/screenshots/, or OPENDPO_SCREENSHOT_DIR: `npm run screenshots`
 * writes docs/screenshots/).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './cli.js';
import { REQUIRE_SERVICES } from './services.js';

export const CHROMIUM = process.env.OPENDPO_CHROMIUM ?? '/usr/bin/chromium';

export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
  if (REQUIRE_SERVICES) throw new Error(`${message}, and OPENDPO_REQUIRE_SERVICES=1 requires it`);
  console.warn(`SKIPPED: tests needing Chromium: ${message} (set OPENDPO_REQUIRE_SERVICES=1 to make this an error)`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page in a context of its own (cookies, storage), as axe-core requires; `locale` sets Accept-Language too. */
export async function newPage(browser: Browser, options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-GB', colorScheme: options.colorScheme ?? 'light', viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

/** What the page printed as an error, and the errors it threw: a test asserts there are none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line each (rule, impact, where). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

const SCREENSHOTS = process.env.OPENDPO_SCREENSHOT_DIR ?? path.join(ROOT, 'reports', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
