/**
 * The public privacy center (docs/privacy-center.md): pages the server renders from the desk's API,
 * in English and French, that work without JavaScript — plain forms posted here and answered with
 * a redirect to the next page, asked with GET, so a refresh never posts twice (Art. 12(1)-(2): easily
 * accessible, facilitate the exercise of the rights; people use old phones, strict browsers, screen
 * readers). Every handler calls only the API, through the
 * generated client with a fetch the app answers in-process (decision 0035): the same schemas,
 * limits, rate limits (the visitor's address passed on) and audit as any client.
 *
 * The status key the API gives once at submission is shown once and kept in a cookie limited to
 * that request's pages (HttpOnly, SameSite=Strict, Secure over https); without it, the pages ask for
 * it in a posted form. The privacy center never puts it in a URL, and no log line carries a body.
 * One link does carry it: the one a request entered by staff is followed by (src/desk/follow-link.ts),
 * whose key is moved into the cookie at once and dropped from the address (keyFromLink).
 */
import { loggableError } from '../../errors/loggable-error.js';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createApiClient, apiError, type ApiClient } from '../../../web/client/api-client.js';
import { REQUEST_TYPES, type RequestType } from '../../desk/request-types.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { CENTER_STRINGS, centerBase, fill, withLang, type CenterAssets, type CenterLanguage, type CenterOrganisation } from '../../privacy-center/layout.js';
import { codeField, codePage, downloadPage, errorPage, formPage, homePage, keyPage, statusPage, submittedPage, requestBase, type PageBase, type PublicRequest, type RecipientLine, type RequestFormData } from '../../privacy-center/pages.js';
import { correctionRows, MAX_CORRECTION_ROWS, normaliseCode, normaliseKey, one, parseRequestForm, type FieldError, type FormValues } from '../../privacy-center/request-forms.js';
import { BASE_CSS, themeCss } from '../../privacy-center/style.js';
import { inProcessFetch } from '../in-process-fetch.js';
import { negotiateLanguage } from '../negotiate-language.js';
import type { RouteContext, ZodApp } from '../route-context.js';
import { builtWebFolder } from './console.js';

/** The privacy center's Content-Security-Policy: its own files only, nothing inline, no framing. */
export const PRIVACY_CENTER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The cookie that keeps a request's status key in the browser that made it. */
export const KEY_COOKIE = 'opendpo_request_key';
/** Long enough to follow a request through an extension (Art. 12(3): up to three months) and its download. */
const KEY_COOKIE_SECONDS = 120 * 24 * 3600;
/**
 * A session cookie that says this browser keeps cookies, set with each page. A form's answer is then a
 * redirect (303 See Other) to a page the browser asks for again with GET, so a refresh never posts the
 * form twice (a second request, a second code); a browser that keeps no cookie is answered with the
 * page itself, as the key would otherwise be lost with the redirect. It holds nothing but "1".
 */
export const COOKIES_COOKIE = 'opendpo_cookies';
/**
 * The one-shot cookie between a form's post and the page that shows its key (…/submitted): whether
 * each code was sent, and why not, never the key (in its own cookie). Read once, cleared there.
 */
export const SUBMITTED_COOKIE = 'opendpo_submitted';
const SUBMITTED_COOKIE_SECONDS = 10 * 60;
/** A form's text is bounded by the API (10,000 characters of directives at most): percent-encoded, up to 9 bytes each. */
export const FORM_BODY_LIMIT = 128 * 1024;

const ORG = /^[a-z0-9][a-z0-9-]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOWNLOAD = /^[A-Za-z0-9_-]{43}$/;

type Params = { org?: string; id?: string; type?: string };
type Query = { lang?: string; download?: string; key?: string; outcome?: string; left?: string; identity?: string };

/** What a page cannot go on with: shown as a page of its own, with its status. */
class PageStop extends Error {
  constructor(
    readonly status: 404 | 429 | 500,
    readonly kind: 'not_found' | 'rate_limited' | 'generic',
  ) {
    super(kind);
  }
}

interface Visit {
  org: string;
  /** The language asked (?lang=, else Accept-Language), or undefined: the organisation's own. */
  asked: CenterLanguage | undefined;
  api: ApiClient;
}

/** One request's page, as every handler of its pages starts (requestPage). */
interface RequestPage {
  v: Visit;
  base: PageBase;
  s: (typeof CENTER_STRINGS)['en'];
  id: string;
  /** The request's pages' path: /privacy-center/:org/requests/:id. */
  path: string;
  /** The posted form (none for a GET). */
  values: FormValues;
  /** Whether the form had a key field filled in (well formed or not). */
  keyGiven: boolean;
  /** The key typed in the form, when well formed. */
  typed: string | undefined;
  /** The key in this browser's cookie. */
  cookie: string | undefined;
  /** The key to use: the one typed, else the cookie's. */
  key: string | undefined;
}

interface Loaded {
  base: PageBase;
  form: RequestFormData;
}

export async function addPrivacyCenterRoutes(app: ZodApp, context: RouteContext, folder = builtWebFolder('privacy-center')): Promise<void> {
  const scriptFile = path.join(folder, 'enhance.js');
  const script = existsSync(scriptFile) ? readFileSync(scriptFile) : undefined;
  const version = (content: string | Buffer) => createHash('sha256').update(content).digest('hex').slice(0, 12);
  const assets: CenterAssets = {
    css: `/privacy-center/assets/center.css?v=${version(BASE_CSS)}`,
    ...(script ? { script: `/privacy-center/assets/enhance.js?v=${version(script)}` } : {}),
  };
  // Pages are read more than forms are posted: the notice's allowance for reading, the API's for posting.
  const read = { access: 'public' as const, rateLimit: { max: context.publicRateLimit * 10, timeWindow: 60_000 } };
  const post = { access: 'public' as const, rateLimit: { max: context.publicRateLimit, timeWindow: 60_000 } };
  const hide = { hide: true };

  const visit = (request: FastifyRequest): Visit => {
    const params = request.params as Params;
    const query = (request.query ?? {}) as Query;
    if (params.org === undefined || !ORG.test(params.org)) throw new PageStop(404, 'not_found');
    const lang = query.lang === 'en' || query.lang === 'fr' ? query.lang : acceptedLanguage(request.headers['accept-language']);
    const api = createApiClient({ baseUrl: 'http://in-process', fetch: inProcessFetch(app, request.ip) });
    return { org: params.org, asked: lang, api };
  };

  const load = async (request: FastifyRequest, v: Visit): Promise<Loaded> => {
    const answer = await v.api.GET('/api/v1/organisations/{org}/request-form', { params: { path: { org: v.org }, query: v.asked ? { lang: v.asked } : {} } });
    if (!answer.data) throw stopFor(answer.response.status);
    const data = answer.data;
    const org: CenterOrganisation = { id: data.organisation.id, name: data.organisation.name, branding: data.branding };
    const loaded = { base: { lang: data.language, org, assets }, form: { rights: data.rights, identityTypes: data.identity_types, activities: data.activities } };
    (request as FastifyRequest & { centerPage?: PageBase }).centerPage = loaded.base;
    return loaded;
  };

  const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);

  await app.register(
    async (scope) => {
      // Form bodies are read only here (application/x-www-form-urlencoded), within a bound.
      await scope.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT });
      // The probe that tells a browser that keeps cookies (COOKIES_COOKIE): its forms are answered with a redirect.
      scope.addHook('preHandler', async (request, reply) => {
        if (request.method === 'GET' && request.cookies[COOKIES_COOKIE] === undefined && !request.url.includes('/assets/')) {
          reply.setCookie(COOKIES_COOKIE, '1', { path: '/privacy-center', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
        }
      });
      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('content-security-policy', PRIVACY_CENTER_CSP);
        // A page may show a status key or a person's masked address: never kept by a cache.
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
        return payload;
      });
      // Whatever goes wrong, a page in plain words, never a stack trace or the API's JSON.
      scope.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
        const stop = error instanceof PageStop ? error : undefined;
        const status = stop?.status ?? (error instanceof OpendpoError ? error.status : error.statusCode) ?? 500;
        if (status >= 500) request.log.error({ err: loggableError(error) }, 'privacy center page failed');
        const base = pageBaseOf(request, assets);
        const s = CENTER_STRINGS[base.lang];
        const kind = stop?.kind ?? (status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : status === 413 ? 'too_large' : status >= 500 ? 'generic' : 'bad_request');
        const [title, message] =
          kind === 'not_found' ? [s.error_not_found_title, s.error_not_found]
          : kind === 'rate_limited' ? [s.error_title, s.error_rate_limited]
          : kind === 'too_large' ? [s.error_title, s.error_too_large]
          : kind === 'bad_request' ? [s.error_title, s.error_bad_request]
          : [s.error_title, s.error_generic];
        return html(reply, errorPage(base, { title, message, path: request.url.split('?')[0]! }), status);
      });
      scope.setNotFoundHandler(async (request, reply) => {
        const base = pageBaseOf(request, assets);
        const s = CENTER_STRINGS[base.lang];
        return html(reply, errorPage(base, { title: s.error_not_found_title, message: s.error_not_found, path: request.url.split('?')[0]! }), 404);
      });

      scope.get('/assets/center.css', { schema: hide, config: read }, async (_request, reply) =>
        reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(BASE_CSS),
      );
      if (script) {
        scope.get('/assets/enhance.js', { schema: hide, config: read }, async (_request, reply) =>
          reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(script),
        );
      }

      // /privacy-center: the default organisation's, else the first one published.
      scope.get('/', { schema: hide, config: read }, async (request, reply) => {
        let org = context.defaultOrganisation;
        if (org === undefined) {
          const api = createApiClient({ baseUrl: 'http://in-process', fetch: inProcessFetch(app, request.ip) });
          const answer = await api.GET('/api/v1/organisations');
          org = answer.data?.organisations[0]?.id;
        }
        if (org === undefined) throw new PageStop(404, 'not_found');
        const lang = (request.query as Query).lang;
        return reply.redirect(`${centerBase(org)}${lang === 'en' || lang === 'fr' ? `?lang=${lang}` : ''}`, 302);
      });

      scope.get('/:org/theme.css', { schema: hide, config: read }, async (request, reply) => {
        const { base } = await load(request, visit(request));
        return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(themeCss(base.org.branding));
      });

      scope.get('/:org', { schema: hide, config: read }, async (request, reply) => {
        const { base, form } = await load(request, visit(request));
        return html(reply, homePage(base, form));
      });

      // One form per right (Art. 15-22, loi Informatique et Libertés art. 85).
      scope.get('/:org/ask/:type', { schema: hide, config: read }, async (request, reply) => {
        const { base, form } = await load(request, visit(request));
        const type = offered(request, form);
        return html(reply, formPage(base, { type, form, values: {}, errors: [] }));
      });

      scope.post('/:org/ask/:type', { schema: hide, config: post, bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
        const v = visit(request);
        const { base, form } = await load(request, v);
        const type = offered(request, form);
        const values = formValues(request.body);
        const s = CENTER_STRINGS[base.lang];
        // "Add another correction" without a script: the form again, what was typed kept, one more row; nothing is sent.
        if (type === 'rectification' && one(values, 'add_row') !== '') {
          return html(reply, formPage(base, { type, form, values: { ...values, rows: String(Math.min(correctionRows(values) + 1, MAX_CORRECTION_ROWS)) }, errors: [] }));
        }
        const parsed = parseRequestForm(values, { type, language: base.lang, identityTypes: form.identityTypes.map((t) => t.type), activityIds: form.activities.map((a) => a.id) }, s);
        if (!parsed.ok) return html(reply, formPage(base, { type, form, values, errors: parsed.errors }), 400);
        const answer = await v.api.POST('/api/v1/organisations/{org}/requests', { params: { path: { org: v.org } }, body: parsed.body });
        if (answer.data) {
          const { request: submitted, status_token: key, codes } = answer.data;
          setKeyCookie(request, reply, v.org, submitted.id, key);
          if (!keepsCookies(request)) return html(reply, submittedPage(base, { request: submitted as PublicRequest, key, codes }));
          // The key is shown by the page the browser asks for next, from its cookie: a refresh asks for that page again, never a second request.
          reply.setCookie(SUBMITTED_COOKIE, encodeCodes(codes), { path: requestBase(v.org, submitted.id), httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: SUBMITTED_COOKIE_SECONDS });
          return seeOther(reply, `${requestBase(v.org, submitted.id)}/submitted`, base.lang);
        }
        const status = answer.response.status;
        if (status === 400 || status === 409) {
          const message = apiError(answer.error)?.message ?? '';
          return html(reply, formPage(base, { type, form, values, errors: [], formError: fill(s.error_rejected, { message }) }), 400);
        }
        if (status === 429) return html(reply, formPage(base, { type, form, values, errors: [], formError: s.error_rate_limited }), 429);
        throw stopFor(status);
      });

      // The key, shown once after the form's redirect: from the key's cookie, while the one-shot cookie lasts; after, the status page.
      scope.get('/:org/requests/:id/submitted', { schema: hide, config: read }, async (request, reply) => {
        const p = await requestPage(request);
        const codes = decodeCodes(request.cookies[SUBMITTED_COOKIE]);
        const found = p.cookie && codes ? await publicRequest(p.v, p.id, p.cookie) : undefined;
        if (!p.cookie || !codes || !found) return seeOther(reply, p.path, p.base.lang);
        reply.clearCookie(SUBMITTED_COOKIE, { path: p.path, httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
        return html(reply, submittedPage(p.base, { request: found, key: p.cookie, codes }));
      });

      // The status page (Art. 12(3): the due day; Art. 19: the recipients told).
      scope.get('/:org/requests/:id', { schema: hide, config: read }, async (request, reply) => {
        const p = await requestPage(request);
        if ((request.query as Query).key !== undefined) return keyFromLink(request, reply, p, p.path);
        if (!p.cookie) return html(reply, statusKeyPage(p));
        const shown = await statusOf(p.v, p.base, p.id, p.cookie, (request.query as Query).outcome === 'confirmed' ? p.s.code_verified : undefined);
        if (!shown) {
          clearKeyCookie(request, reply, p.v.org, p.id);
          return html(reply, statusKeyPage(p, p.s.key_wrong), 400);
        }
        return html(reply, shown);
      });

      scope.post('/:org/requests/:id', { schema: hide, config: post }, async (request, reply) => {
        const p = await requestPage(request);
        if (!p.typed) return html(reply, statusKeyPage(p, p.s.key_format), 400);
        const shown = await statusOf(p.v, p.base, p.id, p.typed);
        if (!shown) return html(reply, statusKeyPage(p, p.s.key_wrong), 400);
        setKeyCookie(request, reply, p.v.org, p.id, p.typed);
        return keepsCookies(request) ? seeOther(reply, p.path, p.base.lang) : html(reply, shown);
      });

      // Art. 12(6): the code emailed to each address the request names.
      scope.get('/:org/requests/:id/code', { schema: hide, config: read }, async (request, reply) => {
        const p = await requestPage(request);
        if ((request.query as Query).key !== undefined) return keyFromLink(request, reply, p, `${p.path}/code`);
        const found = p.cookie ? await publicRequest(p.v, p.id, p.cookie) : undefined;
        if (!found) return html(reply, codeKeyPage(p, p.cookie ? p.s.key_wrong : undefined), p.cookie ? 400 : 200);
        return html(reply, codePage(p.base, { request: found, ...codeOutcome(request.query as Query, p.s) }));
      });

      scope.post('/:org/requests/:id/code', { schema: hide, config: post }, async (request, reply) => {
        const p = await requestPage(request);
        const { base, s, key } = p;
        const found = key ? await publicRequest(p.v, p.id, key) : undefined;
        if (!key || !found) return html(reply, codeKeyPage(p, !p.keyGiven && !key ? s.key_format : s.key_wrong), 400);
        if (p.typed) setKeyCookie(request, reply, p.v.org, p.id, p.typed);
        const seq = identityOf(p.values, found);
        const pageKey = p.typed;
        const codeError = (message: string, status = 400) =>
          html(reply, codePage(base, { request: found, key: pageKey, errors: [{ field: 'code', message }], values: { identity: String(seq) } }), status);
        const code = normaliseCode(one(p.values, 'code'));
        if (!code) return codeError(one(p.values, 'code') === '' ? s.error_required : s.code_format);
        const answer = await p.v.api.POST('/api/v1/organisations/{org}/requests/{id}/verification', {
          params: { path: { org: p.v.org, id: p.id }, header: { 'x-status-token': key } },
          body: { identity: seq, code },
        });
        if (answer.data) {
          const outcome = answer.data.outcome;
          const verified = outcome === 'verified' || outcome === 'already-verified';
          // Every try is counted (five lock the code): its answer is a page asked for with GET, so a refresh is not another try.
          if (keepsCookies(request)) {
            if (verified) return seeOther(reply, `${p.path}?outcome=confirmed`, base.lang);
            const left = outcome === 'wrong' ? `&left=${answer.data.attempts_left}&identity=${seq}` : '';
            return seeOther(reply, `${p.path}/code?outcome=${outcome}${left}`, base.lang);
          }
          if (verified) return html(reply, (await statusOf(p.v, base, p.id, key, s.code_verified)) ?? '');
          if (outcome === 'wrong') return codeError(fill(s.code_wrong, { left: answer.data.attempts_left }));
          return html(reply, codePage(base, { request: found, key: pageKey, alert: outcome === 'expired' ? s.code_expired : s.code_locked }), 400);
        }
        return apiRefused(reply, answer.response.status, answer.error, (alert) => codePage(base, { request: found, key: pageKey, alert }), s);
      });

      scope.post('/:org/requests/:id/code/new', { schema: hide, config: post }, async (request, reply) => {
        const p = await requestPage(request);
        const { base, s, key } = p;
        const found = key ? await publicRequest(p.v, p.id, key) : undefined;
        if (!key || !found) return html(reply, codeKeyPage(p, s.key_wrong), 400);
        const seq = identityOf(p.values, found);
        const answer = await p.v.api.POST('/api/v1/organisations/{org}/requests/{id}/codes', { params: { path: { org: p.v.org, id: p.id }, header: { 'x-status-token': key } }, body: { identity: seq } });
        if (answer.data) {
          if (answer.data.sent && keepsCookies(request)) return seeOther(reply, `${p.path}/code?outcome=sent`, base.lang);
          return answer.data.sent
            ? html(reply, codePage(base, { request: found, key: p.typed, message: s.code_resent }))
            : html(reply, codePage(base, { request: found, key: p.typed, alert: fill(s.error_rejected, { message: answer.data.reason ?? '' }) }), 409);
        }
        return apiRefused(reply, answer.response.status, answer.error, (alert) => codePage(base, { request: found, key: p.typed, alert }), s);
      });

      // The link of the completion letter (Art. 15(3), 20(1)): the download token in the link, the key from this browser or typed.
      scope.get('/:org/requests/:id/download', { schema: hide, config: read }, async (request, reply) => {
        const p = await requestPage(request);
        const download = (request.query as Query).download ?? '';
        if (!DOWNLOAD.test(download)) return html(reply, badDownloadPage(p), 400);
        return html(reply, downloadPage(p.base, { requestId: p.id, download, needKey: !p.cookie }));
      });

      scope.post('/:org/requests/:id/download', { schema: hide, config: post }, async (request, reply) => {
        const p = await requestPage(request);
        const { s, key } = p;
        const download = one(p.values, 'download');
        if (!DOWNLOAD.test(download)) return html(reply, badDownloadPage(p), 400);
        const again = (error: string, status: number) => html(reply, downloadPage(p.base, { requestId: p.id, download, needKey: !p.cookie || p.typed !== undefined, error }), status);
        if (!key) return again(!p.keyGiven ? s.error_required : s.key_format, 400);
        const answer = await p.v.api.GET('/api/v1/organisations/{org}/requests/{id}/package', {
          params: { path: { org: p.v.org, id: p.id }, header: { 'x-status-token': key }, query: { download } },
          parseAs: 'arrayBuffer',
        });
        if (answer.response.ok && answer.data) {
          if (p.typed) setKeyCookie(request, reply, p.v.org, p.id, p.typed);
          const headers = answer.response.headers;
          return reply
            .code(200)
            .header('content-type', headers.get('content-type') ?? 'application/octet-stream')
            .header('content-disposition', headers.get('content-disposition') ?? 'attachment')
            .header('cache-control', 'no-store')
            .send(Buffer.from(answer.data as ArrayBuffer));
        }
        const status = answer.response.status;
        if (status === 404) return again(s.download_expired, 404);
        if (status === 429) return again(s.error_rate_limited, 429);
        if (status === 400) return again(s.download_bad_link, 400);
        throw stopFor(status);
      });
    },
    { prefix: '/privacy-center' },
  );

  /**
   * The link of a request staff entered (src/desk/follow-link.ts) hands its key to this browser: the
   * key goes into the request's cookie at once and the page is asked again without it (303 See
   * Other), so it leaves the address bar and the history and never goes out in a Referer
   * (Referrer-Policy: no-referrer). The access log records the route, never the URL. A key that does
   * not open the request is dropped (the page then asks for it): a cookie already here is kept.
   */
  async function keyFromLink(request: FastifyRequest, reply: FastifyReply, { v, id }: RequestPage, path: string): Promise<FastifyReply> {
    const key = normaliseKey((request.query as Query).key ?? '');
    if (key && (await publicRequest(v, id, key))) setKeyCookie(request, reply, v.org, id, key);
    const lang = (request.query as Query).lang;
    return reply.header('referrer-policy', 'no-referrer').redirect(lang === 'en' || lang === 'fr' ? withLang(path, lang) : path, 303);
  }

  /**
   * What every page of one request starts from: the organisation and the request's id from the path
   * (anything else is not found), the organisation's page frame, the posted form, and the status key —
   * this browser's cookie, or one typed in the form (which wins: it is what the person just gave).
   */
  async function requestPage(request: FastifyRequest): Promise<RequestPage> {
    const v = visit(request);
    // The organisation's frame first: a page not found for a bad id is still the organisation's.
    const { base } = await load(request, v);
    const id = requestId(request);
    const values = formValues(request.body);
    const keyGiven = one(values, 'key') !== '';
    const typed = keyGiven ? normaliseKey(one(values, 'key')) : undefined;
    const cookie = cookieKey(request);
    return { v, base, s: CENTER_STRINGS[base.lang], id, path: requestBase(v.org, id), values, keyGiven, typed, cookie, key: typed ?? cookie };
  }

  /** The status page without a key that opens it: the key asked for in a form. */
  function statusKeyPage(p: RequestPage, error?: string): string {
    return keyPage(p.base, { action: p.path, path: p.path, title: p.s.key_form_title, ...(error ? { error } : {}) });
  }

  /** The code page without a key that opens it: the key and the code asked for in one form. */
  function codeKeyPage(p: RequestPage, error: string | undefined): string {
    return keyPage(p.base, {
      action: `${p.path}/code`,
      path: `${p.path}/code`,
      title: p.s.code_page_title,
      ...(error ? { error } : {}),
      hiddenFields: { identity: '1' },
      extra: codeField(p.base.lang),
    });
  }

  /** A download link cut short (the letter's token is not whole): a page that says so. */
  function badDownloadPage(p: RequestPage): string {
    return errorPage(p.base, { title: p.s.download_title, message: p.s.download_bad_link, path: `${p.path}/download` });
  }

  async function publicRequest(v: Visit, id: string, key: string): Promise<PublicRequest | undefined> {
    const answer = await v.api.GET('/api/v1/organisations/{org}/requests/{id}', { params: { path: { org: v.org, id }, header: { 'x-status-token': key } } });
    if (answer.data) return answer.data as PublicRequest;
    if (answer.response.status === 404 || answer.response.status === 400) return undefined;
    throw stopFor(answer.response.status);
  }

  /** The status page, or undefined when the key does not open the request. */
  async function statusOf(v: Visit, base: PageBase, id: string, key: string, message?: string): Promise<string | undefined> {
    const found = await publicRequest(v, id, key);
    if (!found) return undefined;
    const told = await v.api.GET('/api/v1/organisations/{org}/requests/{id}/recipients', { params: { path: { org: v.org, id }, header: { 'x-status-token': key }, query: { lang: base.lang } } });
    const recipients: RecipientLine[] = (told.data?.recipients ?? []).map((r) => ({ name: r.name, told: r.told, told_on: r.told_on }));
    return statusPage(base, { request: found, recipients, message });
  }
}

/** en or fr from Accept-Language, or undefined when the visitor accepts neither (the organisation's language then). */
function acceptedLanguage(header: string | undefined): CenterLanguage | undefined {
  if (!header) return undefined;
  const NONE = 'none' as CenterLanguage;
  const lang = negotiateLanguage(header, ['en', 'fr'], NONE);
  return lang === NONE ? undefined : lang;
}

function stopFor(status: number): PageStop {
  if (status === 404 || status === 400) return new PageStop(404, 'not_found');
  if (status === 429) return new PageStop(429, 'rate_limited');
  return new PageStop(500, 'generic');
}

function offered(request: FastifyRequest, form: RequestFormData): RequestType {
  const type = (request.params as Params).type;
  if (!REQUEST_TYPES.includes(type as RequestType) || !form.rights.includes(type as RequestType)) throw new PageStop(404, 'not_found');
  return type as RequestType;
}

function requestId(request: FastifyRequest): string {
  const id = (request.params as Params).id;
  if (id === undefined || !UUID.test(id)) throw new PageStop(404, 'not_found');
  return id.toLowerCase();
}

/** A posted form as fields (anything else — JSON, no body — as no field: the page says what is missing). */
function formValues(body: unknown): FormValues {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/** The identity a code form names (1-5), else the first email still to confirm. */
function identityOf(values: FormValues, found: PublicRequest): number {
  const identity = Number.parseInt(one(values, 'identity'), 10);
  return Number.isInteger(identity) && identity >= 1 && identity <= 5 ? identity : firstPending(found);
}

function firstPending(found: PublicRequest): number {
  return found.identities.find((i) => !i.confirmed && (i.type === 'email' || i.type.endsWith('_email')))?.identity ?? 1;
}

/** This browser keeps cookies: it sent one of ours (the probe of every page, or a request's key). */
function keepsCookies(request: FastifyRequest): boolean {
  return request.cookies[COOKIES_COOKIE] !== undefined || request.cookies[KEY_COOKIE] !== undefined;
}

/** The answer to a form: the page to ask for with GET (303 See Other), in the language of the page. */
function seeOther(reply: FastifyReply, path: string, lang: CenterLanguage): FastifyReply {
  return reply.redirect(withLang(path, lang), 303);
}

type CodeSentLine = { identity: number; sent: boolean; reason?: string | undefined };

/** Whether each code was sent, for the one-shot cookie: the desk's reasons only, never an address or the key. */
function encodeCodes(codes: readonly CodeSentLine[]): string {
  return Buffer.from(JSON.stringify(codes.map((c) => ({ identity: c.identity, sent: c.sent, ...(c.reason !== undefined ? { reason: c.reason.slice(0, 300) } : {}) }))), 'utf8').toString('base64url');
}

/** The one-shot cookie read back; anything else (absent, altered) as absent. */
function decodeCodes(value: string | undefined): CodeSentLine[] | undefined {
  if (value === undefined || value.length > 3000) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length > 5) return undefined;
    const lines = parsed.map((c: unknown): CodeSentLine | undefined => {
      const x = c as Record<string, unknown>;
      if (typeof x !== 'object' || x === null || !Number.isInteger(x.identity) || typeof x.sent !== 'boolean' || (x.reason !== undefined && typeof x.reason !== 'string')) return undefined;
      return { identity: x.identity as number, sent: x.sent, ...(typeof x.reason === 'string' ? { reason: x.reason.slice(0, 300) } : {}) };
    });
    return lines.every((l) => l !== undefined) ? (lines as CodeSentLine[]) : undefined;
  } catch {
    return undefined;
  }
}

/** What the code page says after a try or a new code (the redirect's query): fixed messages, the tries left a number. */
function codeOutcome(query: Query, s: (typeof CENTER_STRINGS)['en']): { message?: string; alert?: string; errors?: FieldError[]; values?: FormValues } {
  switch (query.outcome) {
    case 'sent':
      return { message: s.code_resent };
    case 'expired':
      return { alert: s.code_expired };
    case 'locked':
      return { alert: s.code_locked };
    case 'wrong': {
      const left = Number.parseInt(query.left ?? '', 10);
      const identity = Number.parseInt(query.identity ?? '', 10);
      if (!(left >= 0 && left <= 5) || !(identity >= 1 && identity <= 5)) return {};
      return { errors: [{ field: 'code', message: fill(s.code_wrong, { left }) }], values: { identity: String(identity) } };
    }
    default:
      return {};
  }
}

function cookieKey(request: FastifyRequest): string | undefined {
  const value = request.cookies[KEY_COOKIE];
  return value === undefined ? undefined : normaliseKey(value);
}

/** The key in this browser, for this request's pages only (the cookie's path), never sent to a script or another site. */
function setKeyCookie(request: FastifyRequest, reply: FastifyReply, org: string, id: string, key: string): void {
  reply.setCookie(KEY_COOKIE, key, { path: requestBase(org, id), httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: KEY_COOKIE_SECONDS });
}

function clearKeyCookie(request: FastifyRequest, reply: FastifyReply, org: string, id: string): void {
  reply.clearCookie(KEY_COOKIE, { path: requestBase(org, id), httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
}

/** The API refused (a code already used up, the request moved on): the page again, saying why. */
function apiRefused(reply: FastifyReply, status: number, body: unknown, again: (alert: string) => string, s: (typeof CENTER_STRINGS)['en']): FastifyReply {
  if (status === 429) return reply.code(429).type('text/html; charset=utf-8').send(again(s.error_rate_limited));
  if (status === 400 || status === 409) return reply.code(status).type('text/html; charset=utf-8').send(again(fill(s.error_rejected, { message: apiError(body)?.message ?? '' })));
  throw stopFor(status);
}

/** The frame of an error page: the organisation's, once loaded; else its id, in the visitor's language. */
function pageBaseOf(request: FastifyRequest, assets: CenterAssets): PageBase {
  const loaded = (request as FastifyRequest & { centerPage?: PageBase }).centerPage;
  if (loaded) return loaded;
  // The not-found handler has no route parameters: the organisation is read from the path.
  const params = { org: /^\/privacy-center\/([^/?]+)/.exec(request.url)?.[1], ...((request.params ?? {}) as Params) };
  const query = (request.query ?? {}) as Query;
  const lang = query.lang === 'en' || query.lang === 'fr' ? query.lang : (acceptedLanguage(request.headers['accept-language']) ?? 'en');
  const id = params.org !== undefined && ORG.test(params.org) ? params.org : 'privacy';
  return { lang, org: { id, name: id, branding: {} }, assets };
}

export type { FieldError };
