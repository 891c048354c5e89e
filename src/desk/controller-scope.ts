/**
 * What a controller's forwarded request may touch (Art. 28(3)(a), (e), Art. 29): a processor acts only
 * on the documented instructions of the controller, so a request forwarded by controller A is carried
 * out on the data we process for A and on nothing else — not our own data as a controller, not what we
 * process for controller B. The register says which: the activities with `role: processor` whose
 * `controllers` name A's id (Art. 30(2)(b)), their `systems`, and from the datasets only the tables
 * whose system (the collection's own `system`, else the dataset's) is one of those.
 *
 * Pure: the register and the datasets in, the scope out.
 */
import type { Dataset } from '../dataset/model.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { ForwardedRequestTerms, Register } from '../register/schema.js';

export interface ControllerScope {
  controllerId: string;
  /** The controller's name as the register gives it (the first activity that names it). */
  name: string;
  /** The processor activities carried out for this controller (Art. 30(2)(b)). */
  activities: string[];
  /** The systems those activities name, each once, in register order. */
  systems: string[];
  /** The contract's terms for forwarded requests, where the register records them (Art. 28(3)(e)). */
  terms?: ForwardedRequestTerms;
}

/** The scope of a controller's requests, or undefined when no processor activity names it. */
export function controllerScope(register: Register, controllerId: string): ControllerScope | undefined {
  const activities: string[] = [];
  const systems: string[] = [];
  let name: string | undefined;
  let terms: ForwardedRequestTerms | undefined;
  for (const activity of register.activities) {
    if (activity.role !== 'processor') continue;
    const party = (activity.controllers ?? []).find((c) => c.id === controllerId);
    if (!party) continue;
    activities.push(activity.id);
    name ??= party.name;
    // The linter (processor/controller-id-conflict) keeps one controller's terms the same everywhere they are given.
    terms ??= party.requests;
    for (const system of activity.systems ?? []) if (!systems.includes(system)) systems.push(system);
  }
  if (name === undefined) return undefined;
  return { controllerId, name, activities, systems, ...(terms ? { terms } : {}) };
}

/**
 * The datasets restricted to the tables of the given systems: a table belongs to its collection's
 * `system`, else to its dataset's; a table of no system is in no controller's scope. A dataset left
 * with no table is left out. References into tables left out are not followed (the planner ignores
 * references to collections it does not have), so the request never reaches data outside the scope.
 */
export function scopeDatasets(datasets: readonly Dataset[], systems: readonly string[]): Dataset[] {
  const inScope = new Set(systems);
  const out: Dataset[] = [];
  for (const dataset of datasets) {
    const collections = dataset.collections.filter((c) => {
      const system = c.system ?? dataset.system;
      return system !== undefined && inScope.has(system);
    });
    if (collections.length === dataset.collections.length) out.push(dataset);
    else if (collections.length > 0) out.push({ ...dataset, collections });
  }
  return out;
}

/**
 * The datasets a request runs on: every one for a request made to us as controller; for a request a
 * controller forwarded (`controllerId`), only its scope. Refused (nothing run) when the register is not
 * at hand or no longer records a system processed for that controller: running on nothing would
 * answer "no data found" where the truth is "not looked".
 */
export function datasetsForRequest(datasets: readonly Dataset[], register: Register | undefined, controllerId: string | null): readonly Dataset[] {
  if (controllerId === null) return datasets;
  if (!register) {
    throw new OpendpoError('CONFIG_INVALID', `a request forwarded by controller ${controllerId} runs only on the systems the register records for it: the worker has no register (OPENDPO_DATASETS' connections.yaml names it)`);
  }
  const scope = controllerScope(register, controllerId);
  if (!scope) {
    throw new OpendpoError('REQUEST_REFUSED', `the register records no activity processed for controller ${controllerId} (role: processor, controllers[].id): nothing is run for it`);
  }
  if (scope.systems.length === 0) {
    throw new OpendpoError('REGISTER_INVALID', `the activities processed for controller ${controllerId} (${scope.activities.join(', ')}) name no system: add their systems, whose datasets the request runs on`);
  }
  return scopeDatasets(datasets, scope.systems);
}
