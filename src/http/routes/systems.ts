/**
 * The console's Systems page (`systems.read`: admin, DPO, engineer, auditor): the systems the
 * server runs the organisation's requests on — the datasets of the folder the worker was started
 * with (OPENDPO_DATASETS, `serve --datasets`) — and a check of one against its database, as the
 * engine checks before every request (src/desk/systems/). The check reads the database's catalogue,
 * never a row: it is open to auditors, who never read a person's data, and is not in the audit log
 * (nothing changes, no one's data is read). A server started without datasets lists none.
 */
import { z } from 'zod';
import { checkSystem } from '../../desk/systems/check-system.js';
import { describeSystems } from '../../desk/systems/describe-systems.js';
import { sourceOf } from '../../desk/worker/request-worker.js';
import { DatasetName } from '../../dataset/schema.js';
import { Id } from '../../register/schema.js';
import { BadRequestView, ErrorView, ForbiddenView, UnauthenticatedView } from '../presenters/error-presenter.js';
import { SystemCheckView, SystemView, presentSystem, presentSystemCheck } from '../presenters/systems-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const OrgParams = z.object({ org: Id.describe('organisation id') });
const Errors = { 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView };

const ListSchema = {
  summary: 'The systems requests run on: each dataset, its connection\'s kind, tables, fields and data categories, and the fields left uncategorised',
  tags: ['systems'],
  params: OrgParams,
  response: { 200: z.object({ systems: z.array(SystemView) }).describe('Every system of the datasets folder the server runs the organisation\'s requests on (none when it has none)'), ...Errors },
};

const CheckSchema = {
  summary: 'Test a system\'s connection: connect and hold its dataset against the database, as before every request (catalogue only, no row read)',
  tags: ['systems'],
  params: OrgParams.extend({ system: DatasetName.describe('the system\'s id (its dataset\'s key), as GET …/systems lists it') }),
  response: {
    200: SystemCheckView.describe('ok, or the problems found (a database that does not answer is one), and the time it took'),
    ...Errors,
    404: ErrorView.describe('The server runs the organisation\'s requests on no system of this id'),
  },
};

export function addSystemsRoutes(app: ZodApp, { store, sources, targetTimeoutMs }: RouteContext): void {
  app.get('/api/v1/organisations/:org/systems', { schema: ListSchema, config: { access: 'systems.read' } }, async (request) => {
    return { systems: describeSystems(sourceOf(sources, request.params.org)).map(presentSystem) };
  });

  app.post('/api/v1/organisations/:org/systems/:system/check', { schema: CheckSchema, config: { access: 'systems.read' } }, async (request) => {
    const checked = await checkSystem(sourceOf(sources, request.params.org), request.params.system, store, { timeoutMs: targetTimeoutMs });
    request.log.info({ system: checked.system, ok: checked.ok, problems: checked.problems.length, durationMs: checked.durationMs }, 'system checked');
    return presentSystemCheck(checked);
  });
}
