/**
 * Art. 19 over HTTP. Staff follow the notices of a request (who was told, when, how, what they
 * answered) and record what a person did about one that is theirs to handle; the person asks who the
 * recipients told of their request are (Art. 19, second sentence), with their status token.
 */
import { z } from 'zod';
import { Id } from '../../register/schema.js';
import { principalOf } from '../auth.js';
import { BadRequestView, ConflictView, ForbiddenView, RateLimitedView, RequestNotFoundView, UnauthenticatedView } from '../presenters/error-presenter.js';
import { PersonRecipientView, StaffNoticeView, presentPersonRecipient, presentStaffNotice } from '../presenters/notice-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const RequestParams = z.object({ org: Id.describe('organisation id'), id: z.uuid({ message: 'must be a request id (a UUID)' }) });
const NoticeParams = RequestParams.extend({ notice: z.uuid({ message: 'must be a notice id (a UUID)' }) });
const StaffErrors = { 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView, 404: RequestNotFoundView, 409: ConflictView };

const ListSchema = {
  summary: 'The Art. 19 notices of a request: each recipient, how it is told, every attempt and its answer',
  tags: ['desk'],
  params: RequestParams,
  response: { 200: z.object({ notices: z.array(StaffNoticeView) }).describe('The notices, oldest first'), ...StaffErrors },
};

const DecideSchema = {
  summary: 'Record how a recipient without a route (or whose deliveries failed) was told, or why it could not be; or deliver it again',
  tags: ['desk'],
  params: NoticeParams,
  body: z.discriminatedUnion('outcome', [
    z.strictObject({
      outcome: z.enum(['told', 'impossible', 'disproportionate']).describe('told: by other means; impossible or disproportionate: Art. 19 does not require it, and the note says why'),
      note: z.string().trim().min(1).max(2000).describe('how it was told, or why it could not be (the controller bears the proof, Art. 5(2))'),
    }),
    z.strictObject({ outcome: z.literal('retry').describe('deliver a failed notice again by its route') }),
  ]),
  response: { 200: StaffNoticeView.describe('The notice as recorded'), ...StaffErrors },
};

const PersonSchema = {
  summary: 'Who the recipients told of this request are (Art. 19, second sentence)',
  tags: ['requests'],
  params: RequestParams,
  headers: z.object({ 'x-status-token': z.string({ message: 'is required: the status token given when the request was submitted' }).min(1).max(200) }),
  querystring: z.strictObject({ lang: z.enum(['en', 'fr']).optional().describe('the language of the names (default: the request\'s)') }),
  response: { 200: z.object({ recipients: z.array(PersonRecipientView) }).describe('The recipients and whether each has been told'), 400: BadRequestView, 404: RequestNotFoundView, 429: RateLimitedView },
};

export function addRecipientNoticeRoutes(app: ZodApp, { desk, publicRateLimit }: RouteContext): void {
  app.get('/api/v1/organisations/:org/desk/requests/:id/recipient-notices', { schema: ListSchema, config: { access: 'requests.read' } }, async (request) => {
    const rows = await desk.recipientNotices(request.params.org, request.params.id);
    return { notices: rows.map(presentStaffNotice) };
  });

  app.post('/api/v1/organisations/:org/desk/requests/:id/recipient-notices/:notice/decision', { schema: DecideSchema, config: { access: 'requests.decide' } }, async (request) => {
    const { org, id, notice } = request.params;
    return presentStaffNotice(await desk.decideNotice(org, id, notice, principalOf(request).actor, request.body));
  });

  app.get(
    '/api/v1/organisations/:org/requests/:id/recipients',
    { schema: PersonSchema, config: { access: 'public' as const, rateLimit: { max: publicRateLimit, timeWindow: 60_000 } } },
    async (request) => {
      const { org, id } = request.params;
      const found = await desk.recipientsForPerson(org, id, request.headers['x-status-token']);
      const language = request.query.lang ?? (found.request.request.language === 'fr' ? 'fr' : 'en');
      return { recipients: found.notices.map((n) => presentPersonRecipient(n, found.register, language)) };
    },
  );
}
