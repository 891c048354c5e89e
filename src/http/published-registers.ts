/**
 * The reads the server makes: which organisation a request means and its published versions,
 * with the NOT_FOUND messages a visitor sees. Routes call these; only the repository runs SQL.
 * The messages do not repeat the id or version asked: whatever a request carries is not echoed back.
 */
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Store } from '../store/open-store.js';
import type { RegisterVersion } from '../store/register-versions-repository.js';

const NO_ORGANISATION = 'no organisation of this id has published a register';

/** The organisation named in the request, or the default one (the first register published). */
export async function resolveOrganisation(store: Store, requested: string | undefined, defaultOrganisation: string | undefined): Promise<string> {
  if (requested !== undefined) {
    const found = await store.registerVersions.organisation(requested);
    if (!found) throw new OpendpoError('NOT_FOUND', NO_ORGANISATION);
    return requested;
  }
  if (defaultOrganisation !== undefined && (await store.registerVersions.organisation(defaultOrganisation))) return defaultOrganisation;
  const first = (await store.registerVersions.organisations())[0];
  if (!first) throw new OpendpoError('NOT_FOUND', 'no register has been published yet: run opendpo register publish DIR');
  return first.id;
}

export async function latestVersionOf(store: Store, organisationId: string): Promise<RegisterVersion> {
  const latest = await store.registerVersions.latest(organisationId);
  if (!latest) throw new OpendpoError('NOT_FOUND', NO_ORGANISATION);
  return latest;
}

export async function versionOf(store: Store, organisationId: string, version: number): Promise<RegisterVersion> {
  const found = await store.registerVersions.get(organisationId, version);
  if (found) return found;
  await latestVersionOf(store, organisationId); // an unknown organisation says so, not "no version"
  throw new OpendpoError('NOT_FOUND', 'the organisation has published no register version of this number');
}
