/**
 * GET /privacy-notice: the notice generated from the latest published register, so what people
 * read is always what the register says (Art. 12(1), 13, 14).
 */
import { z } from 'zod';
import { NOTICE_FORMATS } from '../../notice/render-notice.js';
import { Id, LANGUAGES } from '../../register/schema.js';
import { BadRequestView, NotFoundView } from '../presenters/error-presenter.js';
import { negotiateLanguage } from '../negotiate-language.js';
import type { RouteContext, ZodApp } from '../route-context.js';
import { VERSION } from '../../version.js';

const CONTENT_TYPES = { html: 'text/html; charset=utf-8', md: 'text/markdown; charset=utf-8' } as const;

const PrivacyNoticeSchema = {
  summary: 'The privacy notice (Art. 13-14) of an organisation, from its latest published register',
  description:
    'Language: `lang`, else the best match of the Accept-Language header (q-values honoured) among the languages the notice is published in, else the organisation\'s default language.',
  tags: ['notice'],
  querystring: z.object({
    org: Id.optional().describe('organisation id (default: the first register configured)'),
    lang: z.enum(LANGUAGES, { message: `must be one of ${LANGUAGES.join(', ')}` }).optional(),
    format: z.enum(NOTICE_FORMATS as ['html', 'md'], { message: 'must be html or md' }).default('html'),
  }),
  headers: z.object({ 'accept-language': z.string().optional() }),
  response: {
    200: {
      description: 'The notice, with Content-Language and Vary: Accept-Language',
      content: {
        'text/html': { schema: z.string().describe('accessible HTML, with lang, headings and captioned tables') },
        'text/markdown': { schema: z.string() },
      },
    },
    304: {
      description: 'Not modified: the ETag given in If-None-Match is still current (no body)',
      content: { 'text/html': { schema: z.literal('') }, 'text/markdown': { schema: z.literal('') } },
    },
    400: BadRequestView,
    404: NotFoundView,
  },
};

const RootSchema = {
  summary: 'Redirects to the privacy notice',
  tags: ['notice'],
  response: { 302: z.null().describe('Location: /privacy-notice') },
};

export function addPrivacyNoticeRoutes(app: ZodApp, { notices, publicRateLimit }: RouteContext): void {
  // The notice is read far more than requests are made: ten times the public routes' limit.
  const config = { access: 'public' as const, rateLimit: { max: publicRateLimit * 10, timeWindow: 60_000 } };
  // http://localhost:4750 in a browser shows the notice, the thing `npm start` is for.
  app.get('/', { schema: RootSchema, config }, async (_request, reply) => reply.redirect('/privacy-notice', 302));

  app.get('/privacy-notice', { schema: PrivacyNoticeSchema, config }, async (request, reply) => {
    const { org, lang, format } = request.query;
    const version = await notices.latestVersion(org);
    const { register, contentHash } = version;
    const organisation = register.organisation;
    const language =
      lang ?? negotiateLanguage(request.headers['accept-language'], organisation.languages ?? LANGUAGES, organisation.default_language);
    // The notice changes only when a new version is published (or opendpo itself changes): a
    // revalidating browser or cache gets a 304, and the server renders each notice once (NoticeCache).
    const etag = `"${contentHash.slice(0, 20)}-${language}-${format}-${VERSION}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'Accept-Language');
    if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) return reply.code(304).send('');
    const body = notices.notice(version, language, format);
    if (format === 'html') {
      // The notice is static text with an inline style sheet: nothing else may load or run in it.
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
    }
    return reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-language', language)
      // Bytes, sent as they are; the schema documents them as the text they encode.
      .send(body as unknown as string);
  });
}
