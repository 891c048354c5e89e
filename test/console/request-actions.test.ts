/**
 * The request page's decision forms that console.test.ts does not drive, in Chromium against a real
 * server (SQLite store, the example register, an SMTP sink): a fee charged and received (Art.
 * 12(5)(a)), a withdrawal, a failed run retried, the person asked for identity information (Art.
 * 12(6)), a code sent to an email identity and two identities confirmed in turn, an assignment by
 * name, a late extension (Art. 12(3)). Each form is used by its labels, as a DPO would, from the
 * keyboard where that is natural; its result is read back through the API and on the page. What a
 * form must refuse it refuses, says why, and nothing is written. Every form is axe-clean (WCAG 2.1
 * AA) and the page prints no error.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Desk } from '../../src/desk/desk.js';
import { issueDownloadToken } from '../../src/desk/package-vault/download-token.js';
import { accessibilityViolations, browserAvailable, launchBrowser, newPage, screenshot, watchConsole } from '../helpers/browser.js';
import { AGENT, API, consoleBuilt, DPO, enterRequest, ORG, startConsoleServer, type ConsoleServer } from './console-server.js';

const run = browserAvailable();
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
/** What Chromium itself prints when the server refuses a call: the one console error a refusal test expects. */
const refusedLoad = (status: string) => `Failed to load resource: the server responded with a status of ${status}`;

interface Stored {
  state: string;
  version: number;
  assignee: string | null;
  extension_months: number;
  identities: { identity: number; confirmed_at: string | null; confirmed_by: string | null; codes_sent: number }[];
  history: { name: string; actor: string; input: Record<string, unknown> }[];
  letters: { kind: string; status: string }[];
}

describe.runIf(run)('the request page\'s decision forms', () => {
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

  /** The request as the API has it now. */
  async function stored(id: string): Promise<Stored> {
    const res = await server.app.inject({ url: `${API}/desk/requests/${id}`, headers: server.admin });
    expect(res.statusCode).toBe(200);
    return res.json() as Stored;
  }

  /** A request entered through the API with the identities given (the helper enters one). */
  async function enterWith(identities: { type: string; value: string }[], type = 'access'): Promise<{ id: string; reference: string }> {
    const res = await server.app.inject({ method: 'POST', url: `${API}/desk/requests`, headers: server.admin, payload: { channel: 'post', received_at: daysAgo(1), identities, details: { type } } });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; reference: string };
  }

  const mailsTo = (address: string) => server.mail.sink.messages.filter((m) => m.to.includes(address));

  /** Sign-in is limited to 10 a minute per address: each login signs in once, its pages share the cookie. */
  const cookies = new Map<string, Awaited<ReturnType<ReturnType<Page['context']>['cookies']>>>();
  async function signedInPage(who = DPO, options: { locale?: string } = {}): Promise<{ page: Page; errors: string[] }> {
    const page = await newPage(browser, options);
    const errors = watchConsole(page);
    const kept = cookies.get(who.login);
    if (kept === undefined) {
      await page.goto(`${server.url}/console/`);
      await page.getByLabel(/^(Login|Identifiant)$/).fill(who.login);
      await page.getByLabel(/^(Password|Mot de passe)$/).fill(who.password);
      await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
      await page.getByRole('heading', { level: 1, name: /^(Today|Aujourd’hui)$/ }).waitFor();
      cookies.set(who.login, await page.context().cookies());
    } else {
      await page.context().addCookies(kept);
    }
    return { page, errors };
  }

  async function openRequest(page: Page, request: { id: string; reference: string }, title = `Request ${request.reference}`): Promise<void> {
    await page.goto(`${server.url}/console/requests/${request.id}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.waitForLoadState('networkidle');
  }

  it('charges a fee (Art. 12(5)(a)) only with an amount, a currency and the grounds, then records it paid', { timeout: 60_000 }, async () => {
    const email = 'fee.person@example.com';
    const request = await enterRequest(server, { email, confirm: true });
    const { page, errors } = await signedInPage();
    await openRequest(page, request);
    const form = page.getByRole('group', { name: 'Charge a fee (manifestly unfounded or excessive)' });
    const submit = form.getByRole('button', { name: 'Charge the fee' });
    const blocked = 'Give an amount (such as 25 or 25.50), a three-letter currency and the grounds to charge a fee.';

    // Nothing filled in: the button waits, and says why.
    expect(await submit.isDisabled()).toBe(true);
    expect(await form.getByText(blocked).isVisible()).toBe(true);
    expect(await submit.getAttribute('aria-describedby')).toBe('fee-blocked');
    const grounds = 'Fourth request for the same copy within 30 days; nothing changed in between.';
    await form.getByLabel('Grounds').fill(grounds);
    expect(await submit.isDisabled()).toBe(true); // grounds but no amount
    for (const amount of ['0', '12.345', '-5', '25 euros']) {
      await form.getByLabel('Amount').fill(amount);
      expect(await submit.isDisabled(), amount).toBe(true);
    }
    // Enter in the amount field submits nothing while the form is not ready.
    await form.getByLabel('Amount').press('Enter');
    await form.getByLabel('Amount').fill('25,50');
    await form.getByLabel('Currency').fill('EU');
    expect(await submit.isDisabled()).toBe(true);
    await form.getByLabel('Grounds').fill('');
    await form.getByLabel('Currency').fill('eur');
    expect(await submit.isDisabled()).toBe(true); // an amount and a currency but no grounds
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-fee-blocked');
    const before = await stored(request.id);
    expect(before.state).toBe('verified');

    // Above the API's ceiling (100,000.00): the server refuses, the page says so, nothing is written.
    await form.getByLabel('Grounds').fill(grounds);
    await form.getByLabel('Amount').fill('1000000');
    await form.getByLabel('Amount').press('Enter');
    await form.getByRole('alert').filter({ hasText: /^The server refused: .*must be at most 100,000\.00 in the currency/ }).waitFor();
    const refused = await stored(request.id);
    expect(refused.version).toBe(before.version);
    expect(refused.history).toEqual(before.history);
    expect(mailsTo(email).filter((m) => /a fee is charged/.test(m.subject))).toEqual([]);

    // Filled in: sent with Enter from the amount, in cents counted from the digits, the currency in capitals.
    await form.getByLabel('Amount').fill('25,50');
    await form.getByLabel('Amount').press('Enter');
    await page.getByText('Saved. The request is now: Awaiting fee.').waitFor();
    await page.getByRole('region', { name: 'Summary' }).getByText('Awaiting fee').waitFor();
    await page.getByRole('region', { name: 'Timeline' }).getByText('Letter: fee').waitFor();
    expect(await page.getByRole('group', { name: 'Charge a fee (manifestly unfounded or excessive)' }).count()).toBe(0);
    const charged = await stored(request.id);
    expect(charged.state).toBe('awaiting_fee');
    expect(charged.history.at(-1)).toMatchObject({ name: 'charge_fee', actor: `staff:${server.dpoId}`, input: { amount_cents: 2550, currency: 'EUR', grounds } });
    expect(charged.letters.at(-1)).toMatchObject({ kind: 'fee', status: 'sent' });
    await server.mail.sink.waitFor((m) => m.to.includes(email) && /a fee is charged/.test(m.subject));
    expect(mailsTo(email).find((m) => /a fee is charged/.test(m.subject))?.text).toContain(grounds);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-fee-charged');

    // Paid: verified again, for the decision it waited for.
    await page.getByRole('button', { name: 'The fee was received' }).click();
    await page.getByText('Saved. The request is now: Identity confirmed.').waitFor();
    await page.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    const paid = await stored(request.id);
    expect(paid.state).toBe('verified');
    expect(paid.history.at(-1)).toMatchObject({ name: 'receive_fee', actor: `staff:${server.dpoId}` });
    expect(errors).toEqual([refusedLoad('400 (Bad Request)')]); // the amount above the ceiling, and nothing else
    await page.context().close();
  });

  it('says in French why the fee form is not ready', async () => {
    const request = await enterRequest(server, { confirm: true });
    const { page, errors } = await signedInPage(DPO, { locale: 'fr-FR' });
    await openRequest(page, request, `Demande ${request.reference}`);
    const form = page.getByRole('group', { name: /^Exiger des frais/ });
    await form.getByText('Indiquez un montant (par exemple 25 ou 25,50), une devise en trois lettres et les motifs pour demander des frais.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-fee-blocked-fr');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('withdraws a request the person took back, with the note staff give, and then offers nothing more', async () => {
    const request = await enterRequest(server, { type: 'erasure' });
    const { page, errors } = await signedInPage();
    await openRequest(page, request);
    const form = page.getByRole('group', { name: 'Withdraw (the person asked)' });
    expect(await accessibilityViolations(page)).toEqual([]);
    const note = 'Phoned on 3 December: no longer wishes to proceed';
    await form.getByLabel('Note (optional)').fill(note);
    await screenshot(page, 'console-request-withdraw-form');
    await form.getByLabel('Note (optional)').press('Enter');
    await page.getByText('Saved. The request is now: Withdrawn.').waitFor();
    await page.getByRole('region', { name: 'Timeline' }).getByText('Transition: withdrawn').waitFor();
    await page.getByRole('region', { name: 'Decision' }).getByText('Nothing to decide in this state.').waitFor();
    const withdrawn = await stored(request.id);
    expect(withdrawn.state).toBe('withdrawn');
    expect(withdrawn.history.at(-1)).toMatchObject({ name: 'withdraw', actor: `staff:${server.dpoId}`, input: { note } });
    // A withdrawn request is final: no form is left on the page, and the API refuses one more decision.
    expect(await page.getByRole('group').count()).toBe(0);
    const again = await server.app.inject({ method: 'POST', url: `${API}/desk/requests/${request.id}/withdraw`, headers: server.admin, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-withdrawn');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs a failed request again, not while the engine runs it, and not for an agent', { timeout: 60_000 }, async () => {
    const request = await enterRequest(server, { type: 'erasure', confirm: true });
    const approved = await server.app.inject({ method: 'POST', url: `${API}/desk/requests/${request.id}/approve`, headers: server.admin, payload: {} });
    expect(approved.statusCode).toBe(200);
    // The worker's own steps on the server's store: it takes the request, then its database does not answer.
    const desk = new Desk({ store: server.store });
    await desk.take(ORG, request.id, 'test-worker', 60_000);

    const { page, errors } = await signedInPage();
    await openRequest(page, request);
    await page.getByRole('region', { name: 'Summary' }).getByText('In progress').waitFor();
    // While the engine writes, the request is neither withdrawn nor run again.
    expect(await page.getByRole('group', { name: 'Withdraw (the person asked)' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Run it again' }).count()).toBe(0);

    await desk.finishRun(ORG, request.id, 'test-worker', { outcome: 'failed', runId: null, errorCode: 'CONNECTION_REFUSED' });
    await openRequest(page, request);
    const evidence = page.getByRole('region', { name: 'Evidence of the run' });
    await evidence.getByRole('heading', { name: /^Failed — / }).waitFor();
    await evidence.getByText('CONNECTION_REFUSED').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-failed');
    const retry = page.getByRole('button', { name: 'Run it again' });
    await retry.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Saved. The request is now: Approved.').waitFor();
    await page.getByRole('region', { name: 'Timeline' }).getByText('Transition: run again').waitFor();
    const again = await stored(request.id);
    expect(again.state).toBe('approved');
    expect(again.history.at(-1)).toMatchObject({ name: 'retry', actor: `staff:${server.dpoId}` });
    expect(errors).toEqual([]);
    await page.context().close();

    // An agent may not decide (requests.decide): a failed request shows them no retry.
    await desk.take(ORG, request.id, 'test-worker', 60_000);
    await desk.finishRun(ORG, request.id, 'test-worker', { outcome: 'failed', runId: null, errorCode: 'CONNECTION_REFUSED' });
    const agent = await signedInPage(AGENT);
    await openRequest(agent.page, request);
    await agent.page.getByRole('region', { name: 'Summary' }).getByText('Failed').waitFor();
    expect(await agent.page.getByRole('button', { name: 'Run it again' }).count()).toBe(0);
    expect(agent.errors).toEqual([]);
    await agent.page.context().close();
  });

  it('asks the person for identity information (Art. 12(6)) only with what is needed and why', async () => {
    const email = 'doubt.person@example.com';
    const request = await enterRequest(server, { email, confirm: true });
    const { page, errors } = await signedInPage();
    await openRequest(page, request);
    const form = page.getByRole('group', { name: 'Ask the person for identity information' });
    const submit = form.getByRole('button', { name: 'Send the identity request' });
    expect(await submit.isDisabled()).toBe(true);
    await form.getByLabel('What is needed, and why').fill('   \n  ');
    expect(await submit.isDisabled()).toBe(true);
    const before = await stored(request.id);

    const reason = 'The order number of your last purchase: the copy you ask for holds your payment history.';
    await form.getByLabel('What is needed, and why').fill(reason);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-ask-identity');
    await submit.click();
    await page.getByText('Saved. The request is now: Awaiting identity.').waitFor();
    await page.getByRole('region', { name: 'Timeline' }).getByText('Letter: identity request').waitFor();
    // Asked: the form is gone (the person answers, or staff confirm by step-up).
    expect(await page.getByRole('group', { name: 'Ask the person for identity information' }).count()).toBe(0);
    const asked = await stored(request.id);
    expect(before.state).toBe('verified');
    expect(asked.state).toBe('awaiting_identity');
    expect(asked.history.length).toBe(before.history.length + 1);
    expect(asked.history.at(-1)).toMatchObject({ name: 'request_identity', actor: `staff:${server.dpoId}`, input: { reason } });
    await server.mail.sink.waitFor((m) => m.to.includes(email) && m.text.includes(reason));
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('sends a code to an email identity, refuses a second within the minute, then confirms both identities in turn', { timeout: 60_000 }, async () => {
    const email = 'code.person@example.com';
    const request = await enterWith([
      { type: 'email', value: email },
      { type: 'customer_number', value: 'C-7781' },
    ]);
    const { page, errors } = await signedInPage();
    await openRequest(page, request);
    const identity = page.getByRole('region', { name: 'Identity' });
    // A code goes only to an email: none is offered for the customer number.
    expect(await identity.getByRole('button', { name: 'Send a code to identity 2' }).count()).toBe(0);
    const send = identity.getByRole('button', { name: 'Send a code to identity 1' });
    await send.focus();
    await page.keyboard.press('Enter');
    await identity.getByRole('status').filter({ hasText: 'A code was sent.' }).waitFor();
    expect(await server.mail.lastCode(email)).toMatch(/^\d{6}$/);
    // The page reads the request again: its state, and the count of codes sent.
    await page.getByRole('region', { name: 'Summary' }).getByText('Awaiting identity').waitFor();
    await identity.getByRole('row', { name: /^1 email Not confirmed 1$/ }).waitFor();
    const sent = await stored(request.id);
    expect(sent.state).toBe('awaiting_identity');
    expect(sent.identities[0]?.codes_sent).toBe(1);

    // A second code within the minute is refused, and the page no longer says one was sent.
    await send.click();
    await identity.getByRole('alert').filter({ hasText: /^The server refused: a code was sent less than a minute ago/ }).waitFor();
    expect(await identity.getByText('A code was sent.').count()).toBe(0);
    expect((await stored(request.id)).identities[0]?.codes_sent).toBe(1);
    expect(mailsTo(email)).toHaveLength(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-code-sent');

    // Step-up for each identity, on the version the page read after the code: the form offers the next one still to confirm.
    const confirm = page.getByRole('group', { name: 'Confirm an identity (step-up)' });
    expect(await confirm.getByLabel('Identity', { exact: true }).inputValue()).toBe('1');
    await confirm.getByLabel('Note (what was checked)').fill('The person read the code out on the phone');
    await confirm.getByRole('button', { name: 'Confirm the identity' }).click();
    await page.getByText('Saved. The request is now: Awaiting identity.').waitFor();
    expect(await confirm.getByLabel('Identity', { exact: true }).inputValue()).toBe('2');
    await confirm.getByLabel('How it was confirmed').selectOption('document');
    await confirm.getByLabel('Note (what was checked)').fill('Customer card shown at the counter, not kept');
    await confirm.getByRole('button', { name: 'Confirm the identity' }).click();
    await page.getByText('Saved. The request is now: Identity confirmed.').waitFor();
    const confirmed = await stored(request.id);
    expect(confirmed.state).toBe('verified');
    expect(confirmed.identities.map((i) => i.confirmed_by)).toEqual(['match', 'document']);
    expect(errors).toEqual([refusedLoad('409 (Conflict)')]); // the second code, and nothing else
    await page.context().close();
  });

  it('assigns a request to a colleague chosen by name, then to nobody', async () => {
    const request = await enterRequest(server, { confirm: true });
    const { page, errors } = await signedInPage();
    await openRequest(page, request);
    const form = page.getByRole('group', { name: 'Assign' });
    const who = form.getByRole('combobox', { name: 'Assign to' });
    await who.waitFor(); // a list of names once the staff directory has answered
    await who.selectOption({ label: AGENT.login });
    await form.getByRole('button', { name: 'Assign' }).click();
    await page.getByText('Saved. The request is now: Identity confirmed.').waitFor();
    const summary = page.getByRole('region', { name: 'Summary' });
    await summary.getByText(AGENT.login, { exact: true }).waitFor();
    expect(await summary.getByText(server.agentId).count()).toBe(0);
    expect((await stored(request.id)).assignee).toBe(server.agentId);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-assigned');

    await who.selectOption({ label: 'Unassigned' });
    await form.getByRole('button', { name: 'Assign' }).press('Enter');
    await summary.getByText('Unassigned', { exact: true }).waitFor();
    expect((await stored(request.id)).assignee).toBeNull();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('offers an extension only within the first month (Art. 12(3)), by the months left, and says why once it cannot', { timeout: 60_000 }, async () => {
    // Received 40 days ago: the first month is over. The server says so, the page offers no form, and the API refuses one.
    const late = await enterRequest(server, { confirm: true, receivedAt: daysAgo(40) });
    expect((await server.app.inject({ url: `${API}/desk/requests/${late.id}`, headers: server.admin })).json().extension).toBeNull();
    const { page, errors } = await signedInPage();
    await openRequest(page, late);
    await page.getByText(/^The period can no longer be extended: an extension is told within the first month/).waitFor();
    expect(await page.getByRole('group', { name: 'Extend the deadline' }).count()).toBe(0);
    const refused = await server.app.inject({ method: 'POST', url: `${API}/desk/requests/${late.id}/extend`, headers: server.admin, payload: { months: 1, reasons: ['Many systems to search'] } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/^an extension is told within the first month \(Art\. 12\(3\)\); that month ended on \d{4}-\d{2}-\d{2}/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-extension-closed');

    // Received 10 days ago: two months can be added, told by the first month's last day; after one, one is left.
    const recent = await enterRequest(server, { confirm: true, receivedAt: daysAgo(10) });
    const before = (await server.app.inject({ url: `${API}/desk/requests/${recent.id}`, headers: server.admin })).json();
    expect(before.extension).toEqual({ months_left: 2, tell_by: before.due_on });
    await openRequest(page, recent);
    const form = page.getByRole('group', { name: 'Extend the deadline' });
    await form.getByText(/^Told to the person by .* at the latest, with the reasons \(Art\. 12\(3\)\)\.$/).waitFor();
    expect(await form.getByLabel('By', { exact: true }).locator('option').count()).toBe(2);
    await form.getByLabel('Reasons, one per line', { exact: true }).fill('Twelve years of orders to search');
    await form.getByRole('button', { name: 'Extend', exact: true }).click();
    await page.getByRole('region', { name: 'Summary' }).getByText('Extended').waitFor();
    const after = (await server.app.inject({ url: `${API}/desk/requests/${recent.id}`, headers: server.admin })).json();
    expect(after.extension_months).toBe(1);
    expect(after.extension).toEqual({ months_left: 1, tell_by: before.due_on });
    expect(await form.getByLabel('By', { exact: true }).locator('option').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('sends a person who lost the completion letter a new link to the copy (Art. 15(3)); an agent is not offered it', { timeout: 60_000 }, async () => {
    const email = 'lost.letter@example.com';
    const request = await enterRequest(server, { email, confirm: true });
    expect((await server.app.inject({ method: 'POST', url: `${API}/desk/requests/${request.id}/approve`, headers: server.admin, payload: {} })).statusCode).toBe(200);
    // The worker's steps on the server's store: it takes the request and completes it with a sealed copy.
    const desk = new Desk({ store: server.store });
    await desk.take(ORG, request.id, 'test-worker', 60_000);
    const expiresAt = new Date(Date.now() + 7 * DAY).toISOString();
    await desk.finishRun(ORG, request.id, 'test-worker', { outcome: 'completed', runId: 'run-1', summary: { rows: 4, collections: 2 }, package: { id: 'p'.repeat(22), expiresAt, downloadHash: issueDownloadToken().hash } });
    const before = await stored(request.id);
    expect(before.state).toBe('completed');

    // An agent reads where the copy is, and is offered nothing to send.
    const agent = await signedInPage(AGENT);
    await openRequest(agent.page, request);
    const agentPanel = agent.page.getByRole('region', { name: 'The package' });
    await agentPanel.getByText(/^The copy can be downloaded until /).waitFor();
    expect(await agentPanel.getByRole('button').count()).toBe(0);
    await agent.page.context().close();

    const { page, errors } = await signedInPage();
    await openRequest(page, request);
    const panel = page.getByRole('region', { name: 'The package' });
    await panel.getByText(/^The copy can be downloaded until /).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await panel.getByRole('button', { name: 'Send a new link' }).click();
    await page.getByRole('region', { name: 'Timeline' }).getByText(/Letter: new link to the copy/).waitFor();
    const after = await stored(request.id);
    expect(after.version).toBe(before.version + 1);
    expect(after.state).toBe('completed');
    expect(after.letters.at(-1)).toEqual(expect.objectContaining({ kind: 'download_link', status: 'sent' }));
    const letter = mailsTo(email).at(-1)!;
    expect(letter.subject).toMatch(/a new link to your copy|un nouveau lien vers votre copie/);
    expect(letter.text).toMatch(new RegExp(`/privacy-center/${ORG}/requests/${request.id}/download\\?download=[A-Za-z0-9_-]{43}`));
    await screenshot(page, 'console-request-new-link');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
