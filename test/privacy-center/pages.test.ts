/**
 * The privacy center without JavaScript, as a browser that runs no script sees it: every page and
 * every form in English and French, answered by the server (Art. 12(1)-(2)); a request submitted,
 * its key shown once and kept in a cookie limited to its pages, the code read from the mail a real
 * SMTP server on loopback received, the status followed; bad input answered with the page again
 * and an accessible message, never a stack trace or a 500; the key never in a URL or a log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_TYPES, type RequestType } from '../../src/desk/request-types.js';
import { PRIVACY_CENTER_CSP } from '../../src/http/routes/privacy-center.js';
import { centerApp, ORG, type CenterApp } from './center-app.js';
import { logInto } from '../support/log-lines.js';

const BASE = `/privacy-center/${ORG}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const LANGS = ['en', 'fr'] as const;

/** A valid form for each right. */
const VALID: Record<RequestType, Record<string, string | string[]>> = {
  access: {},
  portability: { transmit_controller: 'Other Shop', transmit_url: 'https://other.example/import' },
  rectification: { what_1: 'Postal address', corrected_1: '3 rue Neuve, 69003 Lyon' },
  erasure: { grounds: 'consent_withdrawn' },
  restriction: { grounds: 'accuracy_contested' },
  lift_restriction: {},
  objection: { direct_marketing: 'yes', activities: ['newsletter'] },
  withdraw_consent: { activities: ['newsletter'] },
  automated_decision_review: { decision: 'My order was blocked as fraud on 2 March', point_of_view: 'I ordered it myself.' },
  post_mortem: { action: 'record_directives', scope: 'specific', directives: 'Erase my account.', designated_name: 'Camille Martin', designated_email: 'camille@example.org' },
};

function encode(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return params.toString();
}

/** The checks every page passes: its language, its CSP, nothing inline, one h1, escaped. */
function expectPage(body: string, headers: Record<string, unknown>, lang: 'en' | 'fr'): void {
  expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(body).toContain(`<html lang="${lang}">`);
  expect(headers['content-security-policy']).toBe(PRIVACY_CENTER_CSP);
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
  expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/);
  expect(body).not.toMatch(/\sstyle=|<style/);
  expect(body.match(/<h1[ >]/g)).toHaveLength(1);
  expect(body).toContain('href="#main"');
  expect(body).toContain(lang === 'en' ? 'lang="fr" hreflang="fr"' : 'lang="en" hreflang="en"');
}

describe('the privacy center without JavaScript', () => {
  let c: CenterApp;
  const logs: string[] = [];
  beforeAll(async () => {
    c = await centerApp({
      logStream: logInto(logs),
    });
  });
  afterAll(async () => c?.close());

  const get = (url: string, headers: Record<string, string> = {}) => c.app.inject({ method: 'GET', url, headers });
  const post = (url: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) => c.app.inject({ method: 'POST', url, headers: { ...FORM, ...headers }, payload: encode(form) });

  it('sends /privacy-center to the default organisation, keeping the language asked', async () => {
    const res = await get('/privacy-center?lang=fr');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${BASE}?lang=fr`);
    expect((await get('/privacy-center/')).headers.location).toBe(BASE);
  });

  it.each(LANGS)('shows the home page in %s: every right, and what the register says is processed, why, how long, who receives it', async (lang) => {
    const res = await get(`${BASE}?lang=${lang}`);
    expect(res.statusCode).toBe(200);
    expectPage(res.body, res.headers, lang);
    for (const type of REQUEST_TYPES) expect(res.body).toContain(`${BASE}/ask/${type}?lang=${lang}`);
    expect(res.body).toContain(lang === 'en' ? 'How long we keep it' : 'Combien de temps nous les conservons');
    expect(res.body).toContain(lang === 'en' ? 'Newsletter' : 'Lettre d');
    expect(res.body).toContain(`/privacy-notice?org=${ORG}&amp;lang=${lang}#`);
    // The organisation's logo, from the register, with its text alternative.
    expect(res.body).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Acme Boutique">/);
  });

  it('takes the language from Accept-Language, else the organisation\'s own', async () => {
    expect((await get(BASE, { 'accept-language': 'en-GB,en;q=0.9' })).body).toContain('<html lang="en">');
    expect((await get(BASE, { 'accept-language': 'fr-CA' })).body).toContain('<html lang="fr">');
    expect((await get(BASE, { 'accept-language': 'de' })).body).toContain('<html lang="fr">'); // acme's default language
    expect((await get(`${BASE}?lang=en`, { 'accept-language': 'fr' })).body).toContain('<html lang="en">');
  });

  it('serves its style sheets (the organisation\'s colours) and its script, cached', async () => {
    const theme = await get(`${BASE}/theme.css`);
    expect(theme.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(theme.body).toBe(':root { --primary: #8a3b12; --on-primary: #ffffff; }\n');
    const home = (await get(BASE)).body;
    const css = /href="(\/privacy-center\/assets\/center\.css\?v=[0-9a-f]{12})"/.exec(home)![1]!;
    const sheet = await get(css);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const script = /src="(\/privacy-center\/assets\/enhance\.js\?v=[0-9a-f]{12})"/.exec(home);
    if (script) {
      const js = await get(script[1]!);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('offers the identity types the organisation\'s systems can look a person up by (public API)', async () => {
    const res = await get(`/api/v1/organisations/${ORG}/request-form?lang=en`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { identity_types: { type: string; confirmed_by: string }[]; rights: string[]; activities: { id: string; consent: boolean }[]; branding: { primary?: string } };
    expect(body.identity_types[0]).toEqual({ type: 'email', confirmed_by: 'code' });
    expect(body.identity_types.map((t) => t.type)).toContain('phone_number');
    expect(body.rights).toEqual([...REQUEST_TYPES]);
    expect(body.activities.find((a) => a.id === 'newsletter')?.consent).toBe(true);
    expect(body.branding.primary).toBe('#8a3b12');
    expect((await get('/api/v1/organisations/nobody/request-form')).statusCode).toBe(404);
    const form = (await get(`${BASE}/ask/access?lang=en`)).body;
    expect(form).toContain('name="id_phone_number"');
  });

  for (const lang of LANGS) {
    it.each([...REQUEST_TYPES])(`shows and takes the %s form in ${lang}`, async (type) => {
      const page = await get(`${BASE}/ask/${type}?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      expectPage(page.body, page.headers, lang);
      expect(page.body).toContain(`<form method="post" action="${BASE}/ask/${type}?lang=${lang}"`);
      // Every control has a label.
      for (const m of page.body.matchAll(/<(?:input|textarea)[^>]*\bid="([^"]+)"/g)) expect(page.body).toContain(`for="${m[1]}"`);
      const email = `${type.replace(/_/g, '-')}.${lang}@example.org`;
      const res = await post(`${BASE}/ask/${type}?lang=${lang}`, { email, ...VALID[type] });
      expect(res.statusCode, res.body.slice(0, 2000)).toBe(200);
      expectPage(res.body, res.headers, lang);
      expect(res.body).toContain(lang === 'en' ? 'Keep this key' : 'Conservez cette clé');
      const code = await c.mail.lastCode(email);
      expect(code).toMatch(/^\d{6}$/);
    });
  }

  it('takes a request from the form to a confirmed identity in French: key shown once, kept in a cookie for its pages only, code from the mail', async () => {
    const email = 'zoé.durand@example.org';
    const res = await post(`${BASE}/ask/access?lang=fr`, { email, id_phone_number: '+33 6 12 34 56 78', message: 'Depuis 2024' });
    expect(res.statusCode).toBe(200);
    const key = /<code class="key" id="status-key">([A-Za-z0-9_-]{43})<\/code>/.exec(res.body)![1]!;
    const id = /\/requests\/([0-9a-f-]{36})\?lang=fr/.exec(res.body)![1]!;
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`opendpo_request_key=${key}`);
    expect(cookie).toContain(`Path=${BASE}/requests/${id}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // plain HTTP here
    expect(res.headers['cache-control']).toBe('no-store');
    // Never in a URL: no link or form action carries it.
    for (const m of res.body.matchAll(/(?:href|action)="([^"]*)"/g)) expect(m[1]).not.toContain(key);
    const jar = { cookie: `opendpo_request_key=${key}` };

    const codePage = await get(`${BASE}/requests/${id}/code?lang=fr`, jar);
    expect(codePage.statusCode).toBe(200);
    expect(codePage.body).toContain('autocomplete="one-time-code"');
    expect(codePage.body).toContain('z•••@example.org');

    // This browser keeps cookies: each try is answered with a page asked with GET.
    const tried = await post(`${BASE}/requests/${id}/code?lang=fr`, { identity: '1', code: '000000' }, jar);
    expect(tried.statusCode).toBe(303);
    const wrong = await get(tried.headers.location!, jar);
    expect(wrong.body).toContain('Il vous reste 4 essais.');
    expect(wrong.body).toContain('aria-describedby="f-code-hint f-code-error"');
    expect(wrong.body).toContain('<a href="#f-code">Code reçu par courriel\u00a0: Ce code n’est pas le bon.');

    const code = await c.mail.lastCode(email);
    const confirmed = await post(`${BASE}/requests/${id}/code?lang=fr`, { identity: '1', code: `${code.slice(0, 3)} ${code.slice(3)}` }, jar);
    expect(confirmed.statusCode).toBe(303);
    const done = await get(confirmed.headers.location!, jar);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Merci : votre adresse électronique est confirmée.');
    // The phone number is checked by staff (no code goes to it): the request waits for them.
    expect(done.body).toContain('z•••@example.org — confirmée');
    expect(done.body).toMatch(/•••• ?[\d ]+ — pas encore confirmée/);

    const status = await get(`${BASE}/requests/${id}?lang=fr`, jar);
    expect(status.statusCode).toBe(200);
    expectPage(status.body, status.headers, 'fr');
    expect(status.body).toContain('Réponse au plus tard le');
    expect(status.body).toContain('z•••@example.org — confirmée');
    expect(status.body).toContain('data-refresh="30"');

    // Another browser: the key is asked for in a posted form, then kept.
    const asked = await get(`${BASE}/requests/${id}?lang=fr`);
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('name="key"');
    expect(asked.body).toContain(`action="${BASE}/requests/${id}?lang=fr"`);
    const opened = await post(`${BASE}/requests/${id}?lang=fr`, { key });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Où elle en est');
    expect(String(opened.headers['set-cookie'])).toContain(`Path=${BASE}/requests/${id}`);
    const refused = await post(`${BASE}/requests/${id}?lang=fr`, { key: 'A'.repeat(43) });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Cette clé n’ouvre pas cette demande.');
    expect((await post(`${BASE}/requests/${id}?lang=fr`, { key: '<b>' })).body).toContain('Saisissez la clé qui vous a été donnée');

    // No log line carries the key, the address or the code.
    const logged = logs.join('');
    expect(logged).not.toContain(key);
    expect(logged).not.toContain('durand');
    // Six digits as a whole number: not the same digits inside a log line's timestamp.
    expect(logged).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
  });

  it('answers each form of a browser that keeps cookies with a redirect (303) to a page asked with GET: a refresh never sends a second request or a second try', async () => {
    const email = 'post.redirect.get@example.org';
    const form = await get(`${BASE}/ask/access?lang=fr`);
    const probe = /opendpo_cookies=1[^,]*/.exec(String(form.headers['set-cookie']))?.[0];
    expect(probe).toContain('Path=/privacy-center');
    expect(probe).toContain('HttpOnly');
    expect(probe).toContain('SameSite=Strict');
    const cookies: Record<string, string> = { opendpo_cookies: '1' };
    const jar = () => ({ cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ') });
    const keep = (res: { headers: Record<string, unknown> }) => {
      const set = res.headers['set-cookie'];
      for (const line of Array.isArray(set) ? set : set === undefined ? [] : [String(set)]) {
        const [pair] = String(line).split(';');
        const [name, value] = pair!.split('=') as [string, string];
        if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(String(line))) delete cookies[name];
        else cookies[name] = value;
      }
    };
    const count = async () => (await c.desk.queue(ORG, { limit: 100_000 })).length;
    const before = await count();

    const sent = await post(`${BASE}/ask/access?lang=fr`, { email }, jar());
    expect(sent.statusCode).toBe(303);
    const id = /\/requests\/([0-9a-f-]{36})\/submitted\?lang=fr$/.exec(String(sent.headers.location))![1]!;
    expect(sent.body).toBe('');
    keep(sent);
    expect(cookies.opendpo_request_key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookies.opendpo_submitted).toBeDefined();
    expect(String(sent.headers['set-cookie'])).toMatch(new RegExp(`opendpo_submitted=[^;]+; Max-Age=600; Path=${BASE}/requests/${id}; HttpOnly; SameSite=Strict`));
    const key = cookies.opendpo_request_key!;
    // The one-shot cookie says which codes went out, never the key or the address.
    expect(Buffer.from(cookies.opendpo_submitted!, 'base64url').toString('utf8')).toBe('[{"identity":1,"sent":true}]');

    const shown = await get(sent.headers.location!, jar());
    expect(shown.statusCode).toBe(200);
    expectPage(shown.body, shown.headers, 'fr');
    expect(shown.body).toContain(`<code class="key" id="status-key">${key}</code>`);
    expect(shown.headers['cache-control']).toBe('no-store');
    keep(shown);
    expect(cookies.opendpo_submitted).toBeUndefined();
    // A refresh: the key is not shown again, the browser is sent to the status page, no second request.
    const refreshed = await get(sent.headers.location!, jar());
    expect(refreshed.statusCode).toBe(303);
    expect(refreshed.headers.location).toBe(`${BASE}/requests/${id}?lang=fr`);
    expect(refreshed.body).not.toContain(key);
    expect(await count()).toBe(before + 1);
    // A one-shot cookie altered by hand is no cookie.
    expect((await get(sent.headers.location!, { cookie: `${jar().cookie}; opendpo_submitted=bm90IGpzb24` })).statusCode).toBe(303);

    // A wrong code: the page that says so is asked with GET (a refresh is not another try).
    const wrong = await post(`${BASE}/requests/${id}/code?lang=fr`, { identity: '1', code: '000000' }, jar());
    expect(wrong.statusCode).toBe(303);
    expect(wrong.headers.location).toBe(`${BASE}/requests/${id}/code?outcome=wrong&left=4&identity=1&lang=fr`);
    const wrongPage = await get(wrong.headers.location!, jar());
    expect(wrongPage.body).toContain('<a href="#f-code">Code reçu par courriel\u00a0: Ce code n’est pas le bon. Il vous reste 4 essais.');
    expect(wrongPage.body).toContain('aria-invalid="true"');
    expect((await get(`${BASE}/requests/${id}/code?outcome=wrong&left=99&identity=1&lang=fr`, jar())).body).not.toContain('Il vous reste');

    // A new code (a minute later), then the right one: each answered with a page asked with GET.
    c.clock.now += 61_000;
    const resent = await post(`${BASE}/requests/${id}/code/new?lang=fr`, { identity: '1' }, jar());
    expect(resent.statusCode).toBe(303);
    expect(resent.headers.location).toBe(`${BASE}/requests/${id}/code?outcome=sent&lang=fr`);
    expect((await get(resent.headers.location!, jar())).body).toContain('Nous avons envoyé un nouveau code.');
    const done = await post(`${BASE}/requests/${id}/code?lang=fr`, { identity: '1', code: await c.mail.lastCode(email) }, jar());
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${BASE}/requests/${id}?outcome=confirmed&lang=fr`);
    const status = await get(done.headers.location!, jar());
    expect(status.body).toContain('Merci : votre adresse électronique est confirmée.');
    expect(status.body).toContain('p•••@example.org — confirmée');

    // The key typed in another browser that keeps cookies: kept, then the status page asked with GET.
    const typed = await post(`${BASE}/requests/${id}?lang=en`, { key }, { cookie: 'opendpo_cookies=1' });
    expect(typed.statusCode).toBe(303);
    expect(typed.headers.location).toBe(`${BASE}/requests/${id}?lang=en`);
    expect(String(typed.headers['set-cookie'])).toContain(`opendpo_request_key=${key}`);
    expect(await count()).toBe(before + 1);
  });

  it('shows the recipients told on a status page in English', async () => {
    const email = 'rect.status@example.org';
    const res = await post(`${BASE}/ask/rectification?lang=en`, { email, what_1: 'Name', corrected_1: 'Zoé' });
    const key = /id="status-key">([^<]+)</.exec(res.body)![1]!;
    const id = /\/requests\/([0-9a-f-]{36})\?lang=en/.exec(res.body)![1]!;
    const status = await get(`${BASE}/requests/${id}?lang=en`, { cookie: `opendpo_request_key=${key}` });
    expect(status.body).toContain('Organisations told of the change');
    expect(status.body).toContain('Waiting for you to confirm your identity');
    expect(status.body).toContain('Once the change is made, the organisations we tell are listed here.');
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const secure = await centerApp({ trustProxy: 1 });
    try {
      const res = await secure.app.inject({ method: 'POST', url: `${BASE}/ask/access?lang=en`, headers: { ...FORM, 'x-forwarded-proto': 'https' }, payload: encode({ email: 'secure@example.org' }) });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toContain('Secure');
    } finally {
      await secure.close();
    }
  });
});

describe('the privacy center, given bad input', () => {
  let c: CenterApp;
  beforeAll(async () => {
    c = await centerApp();
  });
  afterAll(async () => c?.close());
  const get = (url: string, headers: Record<string, string> = {}) => c.app.inject({ method: 'GET', url, headers });
  const post = (url: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) => c.app.inject({ method: 'POST', url, headers: { ...FORM, ...headers }, payload: encode(form) });

  const REQUIRED: Record<RequestType, string[]> = {
    access: ['email'],
    portability: ['email'],
    rectification: ['email', 'what_1', 'corrected_1'],
    erasure: ['email'],
    restriction: ['email', 'grounds'],
    lift_restriction: ['email'],
    objection: ['email', 'direct_marketing'],
    withdraw_consent: ['email'],
    automated_decision_review: ['email', 'decision'],
    post_mortem: ['email', 'action'],
  };

  for (const lang of LANGS) {
    it.each([...REQUEST_TYPES])(`answers the %s form sent empty in ${lang} with the page again, an error summary and each message tied to its field`, async (type) => {
      const res = await post(`${BASE}/ask/${type}?lang=${lang}`, {});
      expect(res.statusCode).toBe(400);
      expectPage(res.body, res.headers, lang);
      expect(res.body).toContain('class="error-summary" role="alert"');
      expect(res.body).toContain(lang === 'en' ? '<h2 id="error-summary-title">There is a problem</h2>' : '<h2 id="error-summary-title">Il y a un problème</h2>');
      for (const field of REQUIRED[type]) {
        expect(res.body).toContain(`<a href="#f-${field}">`);
        expect(res.body).toMatch(new RegExp(`id="f-${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-${field}"|id="f-${field}"[^>]*required aria-invalid="true"`));
        expect(res.body).toContain(`id="f-${field}-error">`);
      }
      expect(res.body).toMatch(lang === 'en' ? /<title>There is a problem: / : /<title>Il y a un problème\u00a0: /);
    });
  }

  it('keeps what was typed, escaped, and refuses a bad email, a bad URL and half-given pairs', async () => {
    const hostile = '<script>alert(1)</script>"\'&';
    const res = await post(`${BASE}/ask/portability?lang=en`, { email: 'not-an-email', transmit_controller: hostile, message: hostile });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(res.body).toContain('Enter an email address, like name@example.com.');
    expect(res.body).toContain('Give both the organisation&#39;s name and its address, or neither.');
    const url = await post(`${BASE}/ask/portability?lang=fr`, { email: 'a@example.org', transmit_controller: 'X', transmit_url: 'http://x.example' });
    expect(url.body).toContain('Saisissez une adresse web sécurisée commençant par https://.');
    const objection = await post(`${BASE}/ask/objection?lang=en`, { email: 'a@example.org', direct_marketing: 'no' });
    expect(objection.body).toContain('Give your reasons, or choose direct marketing.');
    const death = await post(`${BASE}/ask/post_mortem?lang=fr`, { email: 'a@example.org', action: 'record_directives', designated_name: 'Camille' });
    expect(death.body).toContain('Pour enregistrer des directives, choisissez lesquelles et rédigez-les.');
    expect(death.body).toContain('Indiquez à la fois le nom et l’adresse électronique, ou aucun des deux.');
    const tooLong = await post(`${BASE}/ask/access?lang=en`, { email: 'a@example.org', message: 'x'.repeat(5001) });
    expect(tooLong.body).toContain('This is too long: at most 5000 characters.');
    const choice = await post(`${BASE}/ask/restriction?lang=en`, { email: 'a@example.org', grounds: 'because' });
    expect(choice.body).toContain('Choose one option.');
    // A field sent twice, and an activity the register does not have, are not a crash.
    const twice = await post(`${BASE}/ask/withdraw_consent?lang=en`, { email: ['a@example.org', 'b@example.org'], activities: ['nope', '../../x'] });
    expect(twice.statusCode).toBe(200);
  });

  it('adds a correction row without a script: the form again with what was typed and one more row, bounded, nothing sent', async () => {
    const count = async () => (await c.desk.queue(ORG, { limit: 100_000 })).length;
    const before = await count();
    const form = await get(`${BASE}/ask/rectification?lang=fr`);
    expect(form.body).toContain('<input type="hidden" name="rows" value="3">');
    expect(form.body).toContain(`formaction="${BASE}/ask/rectification?lang=fr#f-what_4"`);
    expect(form.body).toContain('>Ajouter une autre correction</button>');
    // After "Send": Enter in a field presses the first submit button, which must send the form.
    expect(form.body.indexOf('data-add-row')).toBeGreaterThan(form.body.indexOf('>Envoyer ma demande</button>'));
    expect(form.body).not.toContain('id="f-what_4"');

    const hostile = '<b>"x"</b>';
    const added = await post(`${BASE}/ask/rectification?lang=fr`, { email: 'rows@example.org', rows: '3', what_1: 'Nom', corrected_1: hostile, what_3: 'Ville', add_row: '1' });
    expect(added.statusCode).toBe(200);
    expectPage(added.body, added.headers, 'fr');
    expect(added.body).toContain('<input type="hidden" name="rows" value="4">');
    expect(added.body).toContain('<label for="f-what_4">Donnée à corriger (4)');
    expect(added.body).toContain('<label for="f-corrected_4">Valeur exacte (4)');
    expect(added.body).toContain('value="rows@example.org"');
    expect(added.body).toContain('value="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"');
    expect(added.body).toContain('id="f-what_3" name="what_3" maxlength="200" value="Ville"');
    // Adding a row is not sending: no error shown, no request made.
    expect(added.body).not.toContain('error-summary');
    expect(await count()).toBe(before);

    // Bounded: at twenty rows the button gives way to a note; a count made up is brought back within bounds.
    const full = await post(`${BASE}/ask/rectification?lang=en`, { email: 'rows@example.org', rows: '20', add_row: '1' });
    expect(full.body).toContain('<input type="hidden" name="rows" value="20">');
    expect(full.body).toContain('id="f-what_20"');
    expect(full.body).not.toContain('id="f-what_21"');
    expect(full.body).not.toContain('data-add-row');
    expect(full.body).toContain('At most 20 corrections in one request: for more, send another request.');
    expect((await post(`${BASE}/ask/rectification?lang=en`, { email: 'rows@example.org', rows: '99999', add_row: '1' })).body).toContain('name="rows" value="20"');
    expect((await post(`${BASE}/ask/rectification?lang=en`, { email: 'rows@example.org', rows: '-4', add_row: '1' })).body).toContain('name="rows" value="4"');
    expect(await count()).toBe(before);

    // Sent: every row read, a half-filled one refused on its field; the corrections of rows 1 and 5 in the request.
    const half = await post(`${BASE}/ask/rectification?lang=en`, { email: 'rows@example.org', rows: '5', what_1: 'Name', corrected_1: 'Zoé', what_5: 'City' });
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain('<a href="#f-corrected_5">Correct value (5): ');
    const sent = await post(`${BASE}/ask/rectification?lang=en`, { email: 'rows@example.org', rows: '5', what_1: 'Name', corrected_1: 'Zoé', what_5: 'City', corrected_5: 'Lyon' });
    expect(sent.statusCode).toBe(200);
    const id = /\/requests\/([0-9a-f-]{36})\?lang=en/.exec(sent.body)![1]!;
    const stored = await c.desk.get(ORG, id);
    expect(JSON.parse(stored.request.details_json)).toMatchObject({ type: 'rectification', corrections: [{ what: 'Name', corrected: 'Zoé' }, { what: 'City', corrected: 'Lyon' }] });
    expect(await count()).toBe(before + 1);
  });

  it('answers an oversized body, a body of another type and a hostile path with a page, never a stack trace', async () => {
    const big = await c.app.inject({ method: 'POST', url: `${BASE}/ask/access?lang=fr`, headers: FORM, payload: `email=a%40example.org&message=${'x'.repeat(200 * 1024)}` });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(big.body).toContain('Ce que vous avez envoyé est trop long.');
    const json = await c.app.inject({ method: 'POST', url: `${BASE}/ask/access?lang=en`, headers: { 'content-type': 'application/json' }, payload: '{"email": 5' });
    expect(json.statusCode).toBe(400);
    expect(json.headers['content-type']).toBe('text/html; charset=utf-8');
    // Form bodies are read only by the privacy center: the API still takes JSON alone.
    const api = await c.app.inject({ method: 'POST', url: `/api/v1/organisations/${ORG}/requests`, headers: FORM, payload: 'language=en' });
    expect(api.statusCode).toBe(415);
    const xml = await c.app.inject({ method: 'POST', url: `${BASE}/ask/access?lang=en`, headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(xml.body).toContain('What you sent could not be read.');
    for (const url of [`/privacy-center/nobody`, `/privacy-center/NOT_AN_ID`, `${BASE}/ask/nothing`, `${BASE}/requests/not-a-uuid`, `${BASE}/nowhere/at/all`, `${BASE}/ask/%3Cscript%3E`]) {
      const res = await get(`${url}?lang=en`);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(PRIVACY_CENTER_CSP);
      expect(res.body).toContain('Page not found');
      expect(res.body).not.toContain('<script>');
      expect(res.body).not.toMatch(/at \w+ \(|node_modules/);
    }
  });

  it('asks for the key on the code page without the cookie, and refuses a wrong code, a wrong key and a bad code', async () => {
    const res = await post(`${BASE}/ask/access?lang=en`, { email: 'codes@example.org' });
    const key = /id="status-key">([^<]+)</.exec(res.body)![1]!;
    const id = /\/requests\/([0-9a-f-]{36})\?lang=en/.exec(res.body)![1]!;
    const asked = await get(`${BASE}/requests/${id}/code?lang=en`);
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('name="key"');
    expect(asked.body).toContain('name="code"');
    const noKey = await post(`${BASE}/requests/${id}/code?lang=en`, { code: '123456' });
    expect(noKey.statusCode).toBe(400);
    const wrongKey = await post(`${BASE}/requests/${id}/code?lang=en`, { key: 'B'.repeat(43), code: '123456' });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.body).toContain('This key does not open this request.');
    const badCode = await post(`${BASE}/requests/${id}/code?lang=en`, { key, identity: '1', code: '12ab' });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.body).toContain('Enter the six digits of the code.');
    // A new code within the minute is refused with the desk's reason, as a page.
    const again = await post(`${BASE}/requests/${id}/code/new?lang=en`, { key, identity: '1' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('a code was sent less than a minute ago');
    // Five wrong tries lock the code.
    for (let i = 0; i < 5; i++) await post(`${BASE}/requests/${id}/code?lang=en`, { key, identity: '1', code: '000000' });
    const locked = await post(`${BASE}/requests/${id}/code?lang=en`, { key, identity: '1', code: await c.mail.lastCode('codes@example.org') });
    expect(locked.statusCode).toBe(400);
    expect(locked.body).toMatch(/Too many wrong codes|This code is not the right one|could not be sent/);
  });

  it('refuses an incomplete or expired download link with a page that says what to do', async () => {
    const id = '0b0b0b0b-0000-4000-8000-000000000000';
    const bad = await get(`${BASE}/requests/${id}/download?download=short&lang=en`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('This download link is not complete.');
    const token = 'A'.repeat(43);
    const page = await get(`${BASE}/requests/${id}/download?download=${token}&lang=fr`);
    expect(page.statusCode).toBe(200);
    expectPage(page.body, page.headers, 'fr');
    expect(page.body).toContain('name="key"');
    expect(page.body).toContain(`href="${BASE}/requests/${id}/download?download=${token}&amp;lang=en" lang="en"`);
    const missing = await post(`${BASE}/requests/${id}/download?lang=fr`, { download: token });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Remplissez ce champ.');
    const expired = await post(`${BASE}/requests/${id}/download?lang=fr`, { download: token, key: 'C'.repeat(43) });
    expect(expired.statusCode).toBe(404);
    expect(expired.body).toContain('Ce lien de téléchargement a expiré ou n’est pas valable.');
  });

  it('limits each visitor like the public API, with a page that says to wait', async () => {
    const limited = await centerApp({ publicRateLimit: 2 });
    try {
      const send = () => limited.app.inject({ method: 'POST', url: `${BASE}/ask/access?lang=fr`, headers: FORM, payload: 'email=' });
      expect((await send()).statusCode).toBe(400);
      expect((await send()).statusCode).toBe(400);
      const third = await send();
      expect(third.statusCode).toBe(429);
      expect(third.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(third.body).toContain('Trop d’essais depuis votre connexion.');
    } finally {
      await limited.close();
    }
  });
});
