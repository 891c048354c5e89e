/**
 * Publishing the register from the console (`register.publish`: the DPO, admins): the register
 * folder the server was started with — of OPENDPO_REGISTERS, or the one a datasets folder's
 * connections.yaml names — read again as it is now and published through the same service as
 * `opendpo register publish` (src/register/publish-register.ts): linted first, refused with its
 * findings when it has errors (422, nothing written), stored with the material changes from the
 * previous version (Art. 13(3), 14(4): what people must be told before the change applies) and its
 * audit entry in one transaction. A register that did not change is not published again.
 */
import path from 'node:path';
import { z } from 'zod';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Finding } from '../../register/finding.js';
import { loadRegister, type LoadResult } from '../../register/load.js';
import { prepareRegisterPublication, publishPreparedRegister } from '../../register/publish-register.js';
import { Id } from '../../register/schema.js';
import { principalOf } from '../auth.js';
import { BadRequestView, ErrorView, ForbiddenView, RefusedWithProblemsView, UnauthenticatedView, presentProblems } from '../presenters/error-presenter.js';
import { RegisterDiffView, VersionSummaryView, presentVersionDetail, presentVersionSummary } from '../presenters/register-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const PublishedView = z
  .object({
    unchanged: z.boolean().describe('true: the latest version already holds this register, nothing was published'),
    version: VersionSummaryView,
    diff: RegisterDiffView,
  })
  .meta({ id: 'RegisterPublication' });

const PublishSchema = {
  summary: 'Publish the register folder the server was started with as the next version (linted first; the material changes from the previous version recorded with it)',
  tags: ['register'],
  params: z.object({ org: Id.describe('organisation id') }),
  body: z
    .strictObject({
      message: z.string().trim().min(1).max(2000).optional().describe('why this version is published'),
      allow_errors: z.boolean().optional().describe('publish even when lint finds errors (the findings are recorded with the version); default false'),
      allow_empty: z.boolean().optional().describe('publish a register with no processing activity (every activity has really ended); default false'),
    })
    .nullish()
    .describe('optional: without a body, the register is published as it is, if lint finds no error'),
  response: {
    200: PublishedView.describe('Unchanged: the latest version already holds this register'),
    201: PublishedView.describe('Published: the new version and its changes from the previous one'),
    400: BadRequestView,
    401: UnauthenticatedView,
    403: ForbiddenView,
    404: ErrorView.describe('The server was started with no register folder of this organisation'),
    422: RefusedWithProblemsView.describe('Refused: the register has errors (or no activity); nothing was published'),
  },
};

export function addRegisterPublishRoutes(app: ZodApp, { store, registerFolders }: RouteContext): void {
  app.post('/api/v1/organisations/:org/register/versions', { schema: PublishSchema, config: { access: 'register.publish' } }, async (request, reply) => {
    const { org } = request.params;
    const body = request.body;
    const { dir, loadResult } = await registerFolderOf(registerFolders, org);
    const fileName = (file: string) => relativeTo(dir, file);
    let prepared;
    try {
      prepared = prepareRegisterPublication(loadResult, { allowErrors: body?.allow_errors ?? false, allowEmpty: body?.allow_empty ?? false });
    } catch (err) {
      if (!(err instanceof OpendpoError) || err.code !== 'REGISTER_INVALID') throw err;
      const findings = (err.details as { findings?: Finding[] } | undefined)?.findings ?? [];
      // The CLI's way out (--allow-errors) is allow_errors here.
      const message = err.message.replace('--allow-errors', 'allow_errors: true').replace('--allow-empty', 'allow_empty: true').replace('(see the errors above)', '(see the findings)');
      return reply.code(422).send(presentProblems('REGISTER_INVALID', message, findings, fileName));
    }
    // The principal, as the audit log names it: the entry is written with the version (one transaction).
    const { outcome } = await publishPreparedRegister(store, prepared, { author: principalOf(request).actor, message: body?.message });
    request.log.info({ version: outcome.version.version, unchanged: outcome.unchanged }, 'register published');
    return reply.code(outcome.unchanged ? 200 : 201).send({ unchanged: outcome.unchanged, version: presentVersionSummary(outcome.version), diff: presentVersionDetail(outcome.version).diff });
  });
}

/**
 * The folder whose register is the organisation's, read now: the first whose organisation.yaml names
 * it. A folder that cannot be read at all says so with its findings (it may be the one meant).
 */
async function registerFolderOf(folders: readonly string[], organisationId: string): Promise<{ dir: string; loadResult: LoadResult }> {
  const unreadable: { dir: string; loadResult: LoadResult }[] = [];
  for (const dir of new Set(folders)) {
    const loadResult = await loadRegister(dir);
    if (loadResult.loaded?.register.organisation.id === organisationId) return { dir, loadResult };
    if (!loadResult.loaded) unreadable.push({ dir, loadResult });
  }
  if (unreadable.length === 1 && folders.length === 1) return unreadable[0]!;
  throw new OpendpoError('NOT_FOUND', 'the server was started with no register folder of this organisation (OPENDPO_REGISTERS, or the register a datasets folder names): publish it with `opendpo register publish DIR`');
}

function relativeTo(dir: string, file: string): string {
  const rel = path.relative(dir, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(file) : rel.split(path.sep).join('/');
}
