/**
 * The staff console in Chromium against a real server (SQLite store, the example register, an SMTP
 * sink): sign in, Today, the queue's filters and pages, a request approved and one refused, a
 * manual entry with its original, the audit log; each page checked by axe-core in English and
 * French, without console errors, and the queue driven from the keyboard.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, browserAvailable, launchBrowser, newPage, screenshot, watchConsole } from '../helpers/browser.js';
import { ADMIN, AGENT, API, consoleBuilt, DPO, enterRequest, startConsoleServer, type ConsoleServer } from './console-server.js';

const run = browserAvailable();
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

describe.runIf(run)('the staff console', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const overdue: { id: string; reference: string }[] = [];
  const dueSoon: { id: string; reference: string }[] = [];
  let toApprove: { id: string; reference: string };
  let toRefuse: { id: string; reference: string };
  let toPlan: { id: string; reference: string };

  beforeAll(async () => {
    if (!consoleBuilt()) throw new Error('the console is not built: run npm run build:web first');
    server = await startConsoleServer();
    browser = await launchBrowser();
    overdue.push(await enterRequest(server, { receivedAt: daysAgo(45), confirm: true, assignee: server.dpoId }));
    overdue.push(await enterRequest(server, { type: 'portability', receivedAt: daysAgo(40), confirm: true }));
    dueSoon.push(await enterRequest(server, { receivedAt: daysAgo(27), confirm: true, assignee: server.agentId }));
    toApprove = await enterRequest(server, { confirm: true });
    toRefuse = await enterRequest(server, { type: 'erasure', confirm: true });
    toPlan = await enterRequest(server, { type: 'erasure', email: 'alice.martin@example.com', confirm: true, receivedAt: daysAgo(2) });
    // Enough requests for the queue to have a second page (25 a page).
    for (let i = 0; i < 25; i++) await enterRequest(server, { receivedAt: daysAgo(1) });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, who = DPO): Promise<void> {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel(/^(Login|Identifiant)$/).fill(who.login);
    await page.getByLabel(/^(Password|Mot de passe)$/).fill(who.password);
    await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
    await page.getByRole('heading', { level: 1, name: /^(Today|Aujourd’hui)$/ }).waitFor();
  }

  /** Sign-in is limited to 10 a minute per address: the tests sign in once and share the session's cookie. */
  let cookies: Awaited<ReturnType<ReturnType<Page['context']>['cookies']>> | undefined;
  async function signedInPage(options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; errors: string[] }> {
    const page = await newPage(browser, options);
    const errors = watchConsole(page);
    if (cookies === undefined) {
      await signIn(page);
      cookies = await page.context().cookies();
    } else {
      await page.context().addCookies(cookies);
      await page.goto(`${server.url}/console/`);
      await page.getByRole('heading', { level: 1, name: /^(Today|Aujourd’hui)$/ }).waitFor();
    }
    return { page, errors };
  }

  it('signs a DPO in and out, with the CSRF token from the sign-in answer', async () => {
    const page = await newPage(browser);
    const errors = watchConsole(page);
    await page.goto(`${server.url}/console/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // Asking who is signed in before the form is an answer (signed_in: false), not a 401 the browser reports.
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    await screenshot(page, 'console-01-sign-in');

    await page.getByLabel('Login').fill(DPO.login);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong login or password.' }).waitFor();
    // The one error allowed: the browser's report of the wrong password's 401, which this step provokes.
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatch(/401 \(Unauthorized\)/);
    errors.length = 0;

    await page.getByLabel('Password').fill(DPO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    expect(await page.getByText(`Signed in as ${DPO.login} (dpo)`).isVisible()).toBe(true);

    // A reload keeps the session (the cookie), and the CSRF token comes back with GET /session.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('Today lists the overdue and due requests by assignee, those waiting for identity, the findings and the charts', async () => {
    const { page, errors } = await signedInPage();
    const overdueSection = page.getByRole('region', { name: /^Overdue/ });
    await overdueSection.getByRole('link', { name: overdue[0]!.reference }).waitFor();
    await overdueSection.getByRole('link', { name: overdue[1]!.reference }).waitFor();
    expect(await overdueSection.getByText(`You (${DPO.login}): 1 request`).isVisible()).toBe(true);
    expect(await overdueSection.getByText('Unassigned: 1 request').isVisible()).toBe(true);
    const week = page.getByRole('region', { name: /^Due within 7 days/ });
    await week.getByRole('link', { name: dueSoon[0]!.reference }).waitFor();
    // The agent by name (the staff directory), not by staff id, for a DPO who cannot manage accounts.
    expect(await week.getByText(`${AGENT.login}: 1 request`).isVisible()).toBe(true);
    const identity = page.getByRole('region', { name: /^New requests waiting for identity/ });
    expect(await identity.getByRole('link').count()).toBe(11); // ten, and the link to the whole list
    await page.getByRole('region', { name: 'Register findings' }).getByText('Errors').waitFor();
    await page.getByRole('img', { name: 'Requests per week, by type' }).waitFor();
    await page.getByRole('img', { name: 'Days to answer, against the one-month line' }).waitFor();
    // The eight weeks come from one call to the report, grouped by week.
    const reports: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/desk/report')) reports.push(request.url());
    });
    await page.reload();
    await page.getByRole('img', { name: 'Requests per week, by type' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(reports).toHaveLength(1);
    expect(new URL(reports[0]!).searchParams.get('group')).toBe('week');
    // Every request entered above, the oldest received 45 days ago, is in these eight weeks.
    expect(await page.locator('#chart-weeks-svg-desc').textContent()).toBe('Requests received over the last 8 weeks: 31 in all.');
    await page.getByText('Requests per week, by type: the figures as a table').click();
    await page.getByRole('row', { name: /Total/ }).first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-02-today');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the queue names each assignee for a DPO (not an admin), and filters by a colleague chosen by name', async () => {
    const { page, errors } = await signedInPage();
    await page.goto(`${server.url}/console/requests`);
    await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    const row = (reference: string) => page.locator('table.queue tbody tr').filter({ has: page.getByRole('link', { name: reference, exact: true }) });
    await row(dueSoon[0]!.reference).getByRole('cell', { name: AGENT.login, exact: true }).waitFor();
    expect(await row(dueSoon[0]!.reference).textContent()).not.toContain(server.agentId);
    await row(overdue[0]!.reference).getByRole('cell', { name: `You (${DPO.login})`, exact: true }).waitFor();
    await row(overdue[1]!.reference).getByRole('cell', { name: 'Unassigned', exact: true }).waitFor();

    // The filter lists colleagues by name (the staff ids stay in the URL).
    await page.getByLabel('Assignee').selectOption({ label: AGENT.login });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('assignee') === server.agentId);
    await row(dueSoon[0]!.reference).waitFor();
    const rows = page.locator('table.queue tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByLabel('Assignee').locator('option:checked').textContent()).toBe(AGENT.login);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the queue filters by type, keeps the filters in the URL, and pages with the server\'s keyset', async () => {
    const { page, errors } = await signedInPage();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
    await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    const rows = page.locator('table.queue tbody tr');
    await rows.first().waitFor();
    await expect.poll(() => rows.count()).toBe(25);
    // By due day: the most overdue first.
    expect(await rows.first().getByRole('link').textContent()).toBe(overdue[0]!.reference);
    await screenshot(page, 'console-03-queue');

    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/after=/);
    await page.getByRole('link', { name: 'First page' }).waitFor();
    await expect.poll(() => rows.count()).toBe(31 - 25);
    expect(await page.getByRole('navigation', { name: 'Pages' }).getByText('Page 2').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Next page' }).count()).toBe(0);

    // Back the way it came: the first page again, the most overdue first.
    await page.getByRole('link', { name: 'Previous page' }).click();
    await page.waitForURL((url) => url.pathname === '/console/requests' && !url.searchParams.has('after') && !url.searchParams.has('back'));
    await expect.poll(() => rows.count()).toBe(25);
    expect(await rows.first().getByRole('link').textContent()).toBe(overdue[0]!.reference);
    expect(await page.getByRole('link', { name: 'Previous page' }).count()).toBe(0);

    await page.getByLabel('Type').selectOption('erasure');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('type') === 'erasure' && !url.searchParams.has('after'));
    await page.getByRole('link', { name: toRefuse.reference }).waitFor();
    await page.getByRole('link', { name: toPlan.reference }).waitFor();
    await expect.poll(() => rows.count()).toBe(2);

    await page.getByLabel('Overdue only').check();
    await page.getByLabel('Type').selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('overdue') === 'true');
    await page.getByRole('link', { name: overdue[1]!.reference }).waitFor();
    await expect.poll(() => rows.count()).toBe(2);

    // The URL alone gives the same list (a link shared, a reload).
    await page.goto(`${server.url}/console/requests?type=portability&overdue=true`);
    await page.getByRole('link', { name: overdue[1]!.reference }).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByLabel('Type').inputValue()).toBe('portability');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-04-queue-filtered');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the queue is used from the keyboard: skip link, filters, a request opened with Enter, focus visible', async () => {
    const { page, errors } = await signedInPage();
    await page.goto(`${server.url}/console/requests`);
    await page.locator('table.queue tbody tr').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Skip to content');
    await page.keyboard.press('Enter');
    const reference = overdue[0]!.reference;
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      found = (await page.evaluate<string>("document.activeElement?.textContent ?? ''")) === reference;
    }
    expect(found).toBe(true);
    const outline = await page.evaluate<string>("document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : 'none'");
    expect(outline).not.toBe('none');
    await screenshot(page, 'console-05-queue-keyboard');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Request ${reference}` }).waitFor();
    // The new page's heading has the focus, for a screen reader to announce it.
    expect(await page.evaluate<string>("document.activeElement?.tagName ?? ''")).toBe('H1');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opens a request and approves it', async () => {
    const { page, errors } = await signedInPage();
    await page.goto(`${server.url}/console/requests/${toApprove.id}`);
    await page.getByRole('heading', { level: 1, name: `Request ${toApprove.reference}` }).waitFor();
    await page.getByText('Identity confirmed', { exact: true }).first().waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Transition: identity confirmed').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-06-request');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('region', { name: 'Summary' }).getByText('Approved').waitFor();
    await timeline.getByText('Transition: approved').waitFor();
    // Who did what, in words: the DPO signed in is "You", the token that confirmed the identity is said to be one.
    await timeline.locator('li', { hasText: 'Transition: approved' }).getByText(/^by You \(/).waitFor();
    await timeline.locator('li', { hasText: 'Transition: identity confirmed' }).getByText(/^by API token [A-Za-z0-9_-]+$/).waitFor();
    // The button pressed is gone with the state it belonged to: the outcome is said at the top, and has the focus.
    expect(await page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Saved. The request is now: Approved.');
    const stored = await server.app.inject({ url: `${API}/desk/requests/${toApprove.id}`, headers: server.admin });
    expect(stored.json().state).toBe('approved');
    expect(stored.json().history.at(-1).actor).toBe(`staff:${server.dpoId}`);
    await screenshot(page, 'console-07-request-approved');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refuses an erasure only with reasons and the complaint information', async () => {
    const { page, errors } = await signedInPage();
    await page.goto(`${server.url}/console/requests/${toRefuse.id}`);
    await page.getByRole('heading', { level: 1, name: `Request ${toRefuse.reference}` }).waitFor();
    const refuse = page.getByRole('button', { name: 'Refuse the request' });
    expect(await refuse.isDisabled()).toBe(true);
    await page.getByText(/may complain to CNIL|may complain to/).waitFor();
    await page.getByLabel(/^Reasons, one per line \(the letter/).fill('The data are kept to meet a legal obligation (Art. 17(3)(b)): invoices, 10 years.');
    expect(await refuse.isDisabled()).toBe(true);
    await page.getByLabel(/I have checked the reasons/).check();
    expect(await refuse.isDisabled()).toBe(false);
    await screenshot(page, 'console-08-refuse-form');
    await refuse.click();
    await page.getByRole('region', { name: 'Summary' }).getByText('Refused').waitFor();
    const stored = await server.app.inject({ url: `${API}/desk/requests/${toRefuse.id}`, headers: server.admin });
    expect(stored.json().state).toBe('refused');
    expect(stored.json().history.at(-1).input.reasons).toEqual(['The data are kept to meet a legal obligation (Art. 17(3)(b)): invoices, 10 years.']);
    await page.getByRole('region', { name: 'Timeline' }).getByText(/Letter: refusal/).waitFor();
    await screenshot(page, 'console-09-refused');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an agent confirms an identity by step-up and extends the deadline, and is offered no decision', { timeout: 60_000 }, async () => {
    const pending = await enterRequest(server, { type: 'access', customer: 'C-2024' });
    const page = await newPage(browser);
    const errors = watchConsole(page);
    await signIn(page, AGENT);
    await page.goto(`${server.url}/console/requests/${pending.id}`);
    await page.getByRole('heading', { level: 1, name: `Request ${pending.reference}` }).waitFor();
    expect(await page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Refuse the request' }).count()).toBe(0);
    const confirm = page.getByRole('button', { name: 'Confirm the identity' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel('How it was confirmed').selectOption('document');
    await page.getByLabel('Note (what was checked)').fill('Identity card shown at the counter, not kept');
    await confirm.click();
    await page.getByText('Saved. The request is now: Identity confirmed.').waitFor();
    await page.getByLabel('By', { exact: true }).selectOption('2');
    await page.getByLabel('Reasons, one per line', { exact: true }).fill('Many systems to search\nThe person asked for archives');
    await page.getByRole('button', { name: 'Extend', exact: true }).click();
    await page.getByRole('region', { name: 'Summary' }).getByText('2 months').waitFor();
    const stored = await server.app.inject({ url: `${API}/desk/requests/${pending.id}`, headers: server.admin });
    expect(stored.json().extension_months).toBe(2);
    expect(stored.json().history.at(-1)).toMatchObject({ name: 'extend', actor: `staff:${server.agentId}`, input: { months: 2, reasons: ['Many systems to search', 'The person asked for archives'] } });
    expect(stored.json().identities[0].confirmed_by).toBe('document');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-17-agent-extended');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('records a rectification done by hand, then the recipients told (Art. 19) with the decision buttons', { timeout: 60_000 }, async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: `${API}/desk/requests`,
      headers: server.admin,
      payload: { channel: 'email', received_at: daysAgo(3), identities: [{ type: 'email', value: 'alice.martin@example.com' }], details: { type: 'rectification', corrections: [{ what: 'postal address', corrected: '12 rue des Lilas, 69003 Lyon' }] } },
    });
    const rectification = res.json() as { id: string; reference: string };
    await server.app.inject({ method: 'POST', url: `${API}/desk/requests/${rectification.id}/confirm-identity`, headers: server.admin, payload: { identity: 1, method: 'staff', note: 'wrote from the address we know' } });
    const { page, errors } = await signedInPage();
    await page.goto(`${server.url}/console/requests/${rectification.id}`);
    await page.getByRole('heading', { level: 1, name: `Request ${rectification.reference}` }).waitFor();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByText('Saved. The request is now: Approved.').waitFor();
    await page.getByLabel('What was done (the completion letter tells the person)').fill('The postal address was corrected in the shop and the accounts.');
    await page.getByRole('button', { name: 'Record as done' }).click();
    await page.getByText('Saved. The request is now: Completed.').waitFor();
    const notices = page.getByRole('region', { name: 'Recipients told (Art. 19)' });
    const row = notices.getByRole('row', { name: /Cabinet Comptable Rhône Conseil/ });
    await row.waitFor();
    await row.getByText('Record how Cabinet Comptable Rhône Conseil was told').click();
    await row.getByLabel('Outcome').selectOption('told');
    await row.getByLabel('How it was told, or why not').fill('Phoned the accountant on 3 December');
    await row.getByRole('button', { name: 'Record' }).click();
    await row.getByText('Told by hand').waitFor();
    const stored = await server.app.inject({ url: `${API}/desk/requests/${rectification.id}/recipient-notices`, headers: server.admin });
    expect((stored.json() as { notices: { recipient_id: string; state: string; note: string | null }[] }).notices.find((n) => n.recipient_id === 'cabinet-comptable')).toMatchObject({ state: 'told_by_hand', note: 'Phoned the accountant on 3 December' });
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-18-recipients-told');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('enters a request received by post with the original attached', async () => {
    const { page, errors } = await signedInPage();
    await page.goto(`${server.url}/console/requests`);
    await page.getByRole('link', { name: 'Enter a request received by email or post' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter a request received by email or post' }).waitFor();
    await page.getByLabel('Received by').selectOption('post');
    await page.getByLabel('What the person asks', { exact: true }).selectOption('erasure');
    await page.getByLabel('Identity 1: kind').selectOption('customer_number');
    await page.getByLabel('Identity 1: value').fill('C-1042');
    await page.getByLabel(/^The original/).setInputFiles({ name: 'lettre.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% a scanned letter\n%%EOF\n') });
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-10-entry');
    await page.getByRole('button', { name: 'Enter the request' }).click();
    // The person's link to follow it, shown this once, for the postal answer; its key opens the request's status.
    await page.getByRole('heading', { level: 2, name: /^Request R-.* entered\.$/ }).waitFor();
    const follow = await page.getByLabel('The person\'s link to follow the request').inputValue();
    const [, id, key] = /\/privacy-center\/[a-z0-9-]+\/requests\/([0-9a-f-]{36})\?key=([A-Za-z0-9_-]+)$/.exec(follow) ?? [];
    expect(id, follow).toBeDefined();
    expect((await server.app.inject({ url: `${API}/requests/${id}`, headers: { 'x-status-token': key! } })).statusCode).toBe(200);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Open the request' }).click();
    await page.getByRole('heading', { level: 1, name: /^Request R-/ }).waitFor();
    expect(page.url().split('/').at(-1)).toBe(id);
    const stored = await server.app.inject({ url: `${API}/desk/requests/${id}/attachments`, headers: server.admin });
    expect(stored.json().attachments).toMatchObject([{ seq: 1, filename: 'lettre.pdf', content_type: 'application/pdf' }]);
    // The original listed on the request's page, on demand (the view is logged).
    await page.getByRole('button', { name: 'List the originals (recorded in the audit log)' }).click();
    await page.getByRole('button', { name: 'Download lettre.pdf' }).waitFor();
    await screenshot(page, 'console-11-entered');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the audit log pages and verifies its chain', async () => {
    const { page, errors } = await signedInPage();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(/^The chain is intact: \d+ entries checked\.$/).waitFor();
    await page.getByLabel('Action').fill('request.approve');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=request\.approve/);
    await page.locator('tbody tr').first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-12-audit');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the register: activities in the policy table\'s eight columns, findings at file:line, a version\'s changes, publishing', async () => {
    const { page, errors } = await signedInPage();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Register' }).click();
    await page.getByRole('heading', { level: 1, name: 'Register' }).waitFor();
    const table = page.getByRole('table', { name: 'Activities' });
    await table.waitFor();
    const headers = await table.locator('thead th').allTextContents();
    expect(headers).toEqual(['Data source', 'Explanation of the source', 'Processing activity', 'Purpose', 'Personal data categories', 'Legal ground', 'Persons concerned', 'Recipients']);
    await table.getByRole('rowheader', { name: 'Accounting and invoicing' }).waitFor();
    await page.getByRole('button', { name: 'Changes in version 1' }).click();
    await page.getByText('First version: no earlier one to compare with.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-13-register');
    await page.getByLabel('Why this version is published').fill('checked by the console test');
    await page.getByRole('button', { name: 'Publish the register' }).click();
    await page.getByText('The latest version already holds this register: nothing was published.').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('systems: the shop\'s connection tested, its uncategorised columns listed', async () => {
    const { page, errors } = await signedInPage();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Systems' }).click();
    await page.getByRole('heading', { level: 1, name: 'Systems' }).waitFor();
    const test = page.getByRole('button', { name: /^Test the connection of / }).first();
    await test.click();
    await page.getByText(/^(Connected, nothing stops a request|Problems found) \(\d+ ms\)\.$/).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-14-systems');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a request\'s dry run shows what the engine would find and erase', async () => {
    const { page, errors } = await signedInPage();
    await page.goto(`${server.url}/console/requests/${toPlan.id}`);
    await page.getByRole('heading', { level: 1, name: `Request ${toPlan.reference}` }).waitFor();
    await page.getByRole('button', { name: 'Show what the engine will do (dry run, recorded in the audit log)' }).click();
    await page.getByRole('heading', { name: 'Rows found' }).waitFor();
    await page.getByRole('heading', { name: 'What would be written' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-15-plan');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an admin adds an account, makes a token (its secret shown once) and revokes it', { timeout: 60_000 }, async () => {
    const page = await newPage(browser);
    const errors = watchConsole(page);
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users and tokens' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users and tokens' }).waitFor();
    await page.getByRole('rowheader', { name: DPO.login }).waitFor();
    await page.getByLabel('Login (work email)').fill('new.agent@acme-boutique.example');
    await page.getByLabel('Role', { exact: true }).first().selectOption('agent');
    await page.getByRole('button', { name: 'Add the account' }).click();
    await page.getByText(/^Initial password, shown once: /).waitFor();
    await page.getByRole('rowheader', { name: 'new.agent@acme-boutique.example' }).waitFor();
    await page.getByLabel('What it is for').fill('prometheus');
    await page.getByRole('button', { name: 'Make the token' }).click();
    await page.getByText(/^odp_/).waitFor();
    await page.getByRole('button', { name: 'Revoke prometheus' }).click();
    await page.getByRole('row', { name: /prometheus.*Revoked/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-16-staff');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('every page is axe-clean in French and in dark mode, the language switched from the header', { timeout: 120_000 }, async () => {
    const { page, errors } = await signedInPage({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Afficher la console en français' }).click();
    await page.getByRole('heading', { level: 1, name: 'Aujourd’hui' }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('fr');
    const pages: [string, string, string][] = [
      ['/console/', 'Aujourd’hui', 'today'],
      ['/console/requests', 'Demandes', 'queue'],
      ['/console/requests/new', 'Saisir une demande reçue par courriel ou par courrier', 'entry'],
      [`/console/requests/${toPlan.id}`, `Demande ${toPlan.reference}`, 'request'],
      ['/console/audit', 'Journal d’audit', 'audit'],
      ['/console/register', 'Registre', 'register'],
      ['/console/systems', 'Systèmes', 'systems'],
    ];
    for (const [url, title, name] of pages) {
      await page.goto(`${server.url}${url}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await accessibilityViolations(page), url).toEqual([]);
      expect(await page.title()).toBe(`${title} — opendpo`);
      await screenshot(page, `console-fr-dark-${name}`);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the queue pages forward and back over three pages, and from its URL alone', { timeout: 60_000 }, async () => {
    // More requests, received three days ago: three pages of 25 at least.
    for (let i = 0; i < 25; i++) await enterRequest(server, { receivedAt: daysAgo(3) });
    const { page, errors } = await signedInPage();
    await page.goto(`${server.url}/console/requests`);
    const rows = page.locator('table.queue tbody tr');
    const pager = page.getByRole('navigation', { name: 'Pages' });
    const firstOfPage = async (n: number) => {
      await pager.getByText(`Page ${n}`, { exact: true }).waitFor();
      await expect.poll(() => rows.count()).toBeGreaterThan(0);
      return (await rows.first().getByRole('link').textContent())!;
    };
    const seen = [await firstOfPage(1)];
    for (const n of [2, 3]) {
      await pager.getByRole('link', { name: 'Next page' }).click();
      seen.push(await firstOfPage(n));
    }
    expect(new Set(seen).size).toBe(3);
    const third = page.url();
    expect(new URL(third).searchParams.get('back')?.split(',')).toHaveLength(1);

    await pager.getByRole('link', { name: 'Previous page' }).click();
    expect(await firstOfPage(2)).toBe(seen[1]);
    await pager.getByRole('link', { name: 'Previous page' }).click();
    expect(await firstOfPage(1)).toBe(seen[0]);

    // The third page's URL, opened afresh, still leads back through the second.
    await page.goto(third);
    expect(await firstOfPage(3)).toBe(seen[2]);
    await pager.getByRole('link', { name: 'Previous page' }).click();
    expect(await firstOfPage(2)).toBe(seen[1]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('every page is axe-clean in English (light)', { timeout: 120_000 }, async () => {
    const { page, errors } = await signedInPage();
    for (const url of ['/console/', '/console/requests', '/console/requests/new', `/console/requests/${dueSoon[0]!.id}`, '/console/audit', '/console/register', '/console/systems', '/console/nowhere']) {
      await page.goto(`${server.url}${url}`);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await accessibilityViolations(page), url).toEqual([]);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
