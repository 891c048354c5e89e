/** The register as JSON: organisations, their latest register, versions with diffs, findings. */
import { z } from 'zod';
import { Id } from '../../register/schema.js';
import { BadRequestView, ForbiddenView, NotFoundView, UnauthenticatedView } from '../presenters/error-presenter.js';
import {
  FindingsView,
  LatestRegisterView,
  OrganisationView,
  VersionDetailView,
  VersionSummaryView,
  presentFindings,
  presentLatestRegister,
  presentOrganisation,
  presentVersionDetail,
  presentVersionSummary,
} from '../presenters/register-presenter.js';
import { latestVersionOf, versionOf } from '../published-registers.js';
import type { RouteContext, ZodApp } from '../route-context.js';

const OrgParams = z.object({ org: Id.describe('organisation id, as in organisation.yaml') });

const ListOrganisationsSchema = {
  summary: 'The organisations that have published a register',
  tags: ['register'],
  response: { 200: z.object({ organisations: z.array(OrganisationView) }).describe('Every organisation with a published register') },
};

const LatestRegisterSchema = {
  summary: 'The latest published register of an organisation',
  tags: ['register'],
  params: OrgParams,
  response: { 200: LatestRegisterView.describe('The register as published: version, content hash, date, and the register itself'), 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView, 404: NotFoundView },
};

const ListVersionsSchema = {
  summary: 'The published versions of the register, newest first',
  tags: ['register'],
  params: OrgParams,
  response: { 200: z.object({ versions: z.array(VersionSummaryView) }).describe('Every published version, newest first, without the register itself'), 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView, 404: NotFoundView },
};

const GetVersionSchema = {
  summary: 'One published version of the register, with the changes from the previous one',
  tags: ['register'],
  params: OrgParams.extend({
    version: z.coerce
      .number({ message: 'must be a version number (1, 2, 3, ...)' })
      .int({ message: 'must be a version number (1, 2, 3, ...)' })
      .positive({ message: 'must be a version number (1, 2, 3, ...)' }),
  }),
  response: { 200: VersionDetailView.describe('The version, its register and the changes from the previous version'), 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView, 404: NotFoundView },
};

const FindingsSchema = {
  summary: 'The lint findings recorded with the latest published version',
  tags: ['register'],
  params: OrgParams,
  response: { 200: FindingsView.describe('The findings lint recorded when the latest version was published, with counts'), 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView, 404: NotFoundView },
};

export function addOrganisationRoutes(app: ZodApp, { store }: RouteContext): void {
  app.get('/api/v1/organisations', { schema: ListOrganisationsSchema, config: { access: 'public' } }, async () => {
    const organisations = await store.registerVersions.organisations();
    return { organisations: organisations.map(presentOrganisation) };
  });

  app.get('/api/v1/organisations/:org/register', { schema: LatestRegisterSchema, config: { access: 'register.read' } }, async (request) => {
    return presentLatestRegister(await latestVersionOf(store, request.params.org));
  });

  app.get('/api/v1/organisations/:org/register/versions', { schema: ListVersionsSchema, config: { access: 'register.read' } }, async (request) => {
    const { org } = request.params;
    await latestVersionOf(store, org); // 404 for an unknown organisation rather than an empty list
    return { versions: (await store.registerVersions.list(org)).map(presentVersionSummary) };
  });

  app.get('/api/v1/organisations/:org/register/versions/:version', { schema: GetVersionSchema, config: { access: 'register.read' } }, async (request) => {
    return presentVersionDetail(await versionOf(store, request.params.org, request.params.version));
  });

  app.get('/api/v1/organisations/:org/register/findings', { schema: FindingsSchema, config: { access: 'register.read' } }, async (request) => {
    return presentFindings(await latestVersionOf(store, request.params.org));
  });
}
