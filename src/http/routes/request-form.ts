/**
 * GET /api/v1/organisations/:org/request-form: what a public request form offers (Art. 12(2):
 * the controller facilitates the exercise of the rights) — the rights, the identity types the
 * organisation's systems can look a person up by (Art. 12(6)), a summary of its processing from the
 * published register (what, why, how long, who receives it), and its branding. Public and
 * rate-limited like the other public routes; the privacy center's pages are built from it.
 */
import { z } from 'zod';
import { isEmailType, REQUEST_TYPES, type RequestType } from '../../desk/request-types.js';
import { summariseActivities } from '../../privacy-center/rights-summary.js';
import { Id, LANGUAGES, type Register } from '../../register/schema.js';
import { BadRequestView, RateLimitedView, RequestNotFoundView } from '../presenters/error-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

export const RequestFormView = z
  .object({
    organisation: z.object({
      id: z.string(),
      name: z.string(),
      languages: z.array(z.enum(LANGUAGES)).describe('the languages the organisation publishes in'),
      default_language: z.enum(LANGUAGES),
    }),
    language: z.enum(LANGUAGES).describe('the language of the texts below'),
    rights: z.array(z.enum(REQUEST_TYPES)).describe('the request types the form offers (post_mortem: where French law applies, loi Informatique et Libertés art. 85)'),
    identity_types: z
      .array(z.object({ type: z.string(), confirmed_by: z.enum(['code', 'staff']).describe('code: an emailed code; staff: checked by the organisation') }))
      .describe('what the organisation\'s systems can find a person by, email first'),
    activities: z.array(
      z.object({
        id: z.string(),
        anchor: z.string().describe('the activity\'s section in the privacy notice'),
        consent: z.boolean().describe('relies on consent (Art. 6(1)(a)), which can be withdrawn (Art. 7(3))'),
        name: z.string(),
        purposes: z.array(z.string()),
        data: z.array(z.string()),
        retention: z.array(z.string()),
        recipients: z.array(z.string()),
      }),
    ),
    branding: z.object({
      logo: z.string().optional(),
      logo_alt: z.string().optional(),
      primary: z.string().optional(),
      on_primary: z.string().optional(),
    }),
  })
  .meta({ id: 'RequestForm' });

const RequestFormSchema = {
  summary: 'What the public request form offers: rights, identity types, a summary of the processing, branding',
  tags: ['requests'],
  params: z.object({ org: Id.describe('organisation id') }),
  querystring: z.strictObject({ lang: z.enum(LANGUAGES, { message: `must be one of ${LANGUAGES.join(', ')}` }).optional() }),
  response: { 200: RequestFormView.describe('The form\'s options, in the language asked (default: the organisation\'s)'), 400: BadRequestView, 404: RequestNotFoundView.describe('No organisation of this id has published a register'), 429: RateLimitedView },
};

/** The request types offered: every right, and the French post-mortem directives where the organisation is French. */
export function offeredRights(register: Register): RequestType[] {
  const country = register.organisation.address?.country ?? register.organisation.supervisory_authority?.country;
  return REQUEST_TYPES.filter((t) => t !== 'post_mortem' || country === 'FR');
}

export function addRequestFormRoute(app: ZodApp, { desk, publicRateLimit }: RouteContext): void {
  // Read on every page of the privacy center: the notice's allowance (ten times the public routes').
  const config = { access: 'public' as const, rateLimit: { max: publicRateLimit * 10, timeWindow: 60_000 } };
  app.get('/api/v1/organisations/:org/request-form', { schema: RequestFormSchema, config }, async (request) => {
    const { register, identityTypes } = await desk.requestForm(request.params.org);
    const org = register.organisation;
    const languages = org.languages ?? [org.default_language];
    const language = request.query.lang ?? org.default_language;
    const branding = org.branding;
    const alt = branding?.logo_alt;
    return {
      organisation: { id: org.id, name: org.name, languages, default_language: org.default_language },
      language,
      rights: offeredRights(register),
      identity_types: identityTypes.map((type) => ({ type, confirmed_by: isEmailType(type) ? ('code' as const) : ('staff' as const) })),
      activities: summariseActivities(register, language),
      branding: {
        ...(branding?.logo !== undefined ? { logo: branding.logo } : {}),
        ...(alt !== undefined ? { logo_alt: typeof alt === 'string' ? alt : (alt[language] ?? Object.values(alt)[0]!) } : {}),
        ...(branding?.colours ? { primary: branding.colours.primary, on_primary: branding.colours.on_primary ?? '#ffffff' } : {}),
      },
    };
  });
}
