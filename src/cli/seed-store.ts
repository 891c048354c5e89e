/**
 * A fresh install serves something: when the store holds no organisation, the registers of
 * OPENDPO_REGISTERS are published into it (`opendpo serve` at start, `opendpo user add` before the
 * first admin is created), so the two README commands set everything up.
 */
import type { Config } from '../config/config.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Store } from '../store/open-store.js';

/**
 * A fresh install serves something: when the store holds no organisation, publish the configured
 * registers, errors allowed (the seed's register has real gaps, recorded as findings).
 * Returns the default organisation: the one in the first configured register.
 */
export async function seedIfEmpty(store: Store, config: Config): Promise<string | undefined> {
  const [{ loadRegister }, { publishRegister }] = await Promise.all([import('../register/load.js'), import('../register/publish-register.js')]);
  const empty = (await store.registerVersions.organisations()).length === 0;
  let defaultOrganisation: string | undefined;
  for (const [index, dir] of config.registers.entries()) {
    if (!empty && index > 0) break;
    const loadResult = await loadRegister(dir);
    if (index === 0) defaultOrganisation = loadResult.loaded?.register.organisation.id;
    if (!empty) break;
    try {
      const { outcome, findings } = await publishRegister(store, loadResult, {
        author: 'opendpo serve',
        message: 'published at start into an empty store (OPENDPO_REGISTERS)',
        allowErrors: true,
      });
      const errors = findings.filter((f) => f.severity === 'error').length;
      process.stderr.write(
        `opendpo: published ${outcome.version.organisationId} version ${outcome.version.version} from ${dir}${errors > 0 ? ` with ${errors} lint error(s) recorded` : ''}\n`,
      );
    } catch (err) {
      // One unusable folder must not keep the server from serving the others.
      if (!(err instanceof OpendpoError && err.code === 'REGISTER_INVALID')) throw err;
      process.stderr.write(`opendpo: warning: did not publish ${dir}: ${err.message}\n`);
    }
  }
  return defaultOrganisation;
}
