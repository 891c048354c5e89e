/**
 * Who is told of a rectification, an erasure or a restriction, and how (Art. 19): "each recipient
 * to whom the personal data have been disclosed". Pure: the register, the activities the person's
 * data fall under, the datasets the change was carried out in and notifications.yaml in, the list
 * out; the notifiers and the manual tasks act on it.
 *
 * A recipient received the data when
 * - an activity the person's data fall under names it (Art. 30(1)(d)),
 * - it operates a system the change was carried out in (systems.yaml `operated_by`: a processor
 *   hosting the data has received them, Art. 4(9), whether or not an activity says so),
 * - it is the sub-processor of a recipient that did (`sub_processor_of`, Art. 28(2),(4)).
 *
 * Every such recipient is returned: with its route when notifications.yaml gives one, otherwise to
 * be told by hand. None is dropped here, internal teams included: whether telling one "proves
 * impossible or involves disproportionate effort" (Art. 19) is a person's call, recorded on the
 * task, never a silent default. The list also answers the person who asks who the recipients
 * were (Art. 19, second sentence).
 */
import { isPersonalDataCategory, type Dataset } from '../dataset/model.js';
import type { LocalisedText, Recipient, Register } from '../register/schema.js';
import { suggestClosest } from '../register/suggest-closest.js';
import type { NotificationRoute, NotificationRoutes } from './routes-schema.js';

/** How a recipient is reached: a route of notifications.yaml, or a person who does it. */
export type Reach = NotificationRoute | { channel: 'by_hand' };

export interface RecipientToTell {
  id: string;
  name: LocalisedText;
  kind: Recipient['kind'];
  /** Where it processes the data (ISO 3166-1 alpha-2), when the register says. */
  country?: string;
  /** How it received the data: the activities naming it, the systems it operates, the processors that engaged it. */
  receivedThrough: { activities: string[]; systems: string[]; processors: string[] };
  /** The data categories it may hold (fideslang codes), from those activities and systems; the caller keeps those the change concerns. */
  categories: string[];
  reach: Reach;
  /** What the person telling it by hand should know. */
  note?: string;
}

export interface RecipientsToTell {
  /** In the order of recipients.yaml. */
  recipients: RecipientToTell[];
  /**
   * Ids an activity names that recipients.yaml does not describe (the linter reports them too):
   * they received the data, but who they are is for a person to find out and tell.
   */
  undescribed: { id: string; activities: string[] }[];
  /** Activity ids given that the register does not have: a caller's mistake, named rather than ignored. */
  unknownActivities: string[];
}

const NOTES: Partial<Record<Recipient['kind'], string>> = {
  internal: 'the controller\'s own team: tell it where it keeps copies outside the systems the change was carried out in (exports, spreadsheets, mailboxes)',
  public_authority: 'a public authority: tell it if the data were in fact communicated to it (Art. 4(9): an authority receiving data in a particular inquiry is not a recipient)',
};

/**
 * The recipients to tell, for the activities the person's data fall under.
 * @param datasets the datasets the change was carried out in, when known: their systems' operators are recipients too.
 * @param routes notifications.yaml, when there is one.
 */
export function recipientsToTell(
  register: Register,
  activityIds: readonly string[],
  datasets?: readonly Dataset[],
  routes?: NotificationRoutes,
): RecipientsToTell {
  const described = new Map(register.recipients.map((r) => [r.id, r]));
  const found = new Map<string, { activities: Set<string>; systems: Set<string>; processors: Set<string>; categories: Set<string> }>();
  const entry = (id: string) => {
    let e = found.get(id);
    if (!e) found.set(id, (e = { activities: new Set(), systems: new Set(), processors: new Set(), categories: new Set() }));
    return e;
  };

  const unknownActivities: string[] = [];
  for (const activityId of new Set(activityIds)) {
    const activity = register.activities.find((a) => a.id === activityId);
    if (!activity) {
      unknownActivities.push(activityId);
      continue;
    }
    for (const id of activity.recipients ?? []) {
      const e = entry(id);
      e.activities.add(activity.id);
      for (const c of activity.data_categories ?? []) e.categories.add(c.category);
    }
  }

  for (const [systemId, categories] of systemsOf(datasets ?? [])) {
    const operator = register.systems.find((s) => s.id === systemId)?.operated_by;
    if (operator === undefined) continue;
    const e = entry(operator);
    e.systems.add(systemId);
    for (const c of categories) e.categories.add(c);
  }

  // Sub-processors, at any depth: each pass adds those engaged by a recipient already found.
  for (let added = true; added; ) {
    added = false;
    for (const r of register.recipients) {
      if (r.sub_processor_of === undefined || r.sub_processor_of === r.id) continue;
      const by = found.get(r.sub_processor_of);
      if (!by) continue;
      const e = entry(r.id);
      if (!e.processors.has(r.sub_processor_of)) {
        e.processors.add(r.sub_processor_of);
        added = true;
      }
      const size = e.categories.size;
      for (const c of by.categories) e.categories.add(c);
      if (e.categories.size !== size) added = true;
    }
  }

  const recipients: RecipientToTell[] = [];
  for (const r of register.recipients) {
    const e = found.get(r.id);
    if (!e) continue;
    const route = routes?.routes[r.id];
    const note = NOTES[r.kind];
    recipients.push({
      id: r.id,
      name: r.name,
      kind: r.kind,
      ...(r.country === undefined ? {} : { country: r.country }),
      receivedThrough: { activities: [...e.activities], systems: [...e.systems], processors: [...e.processors] },
      categories: [...e.categories].sort(),
      reach: route ?? { channel: 'by_hand' },
      ...(note === undefined ? {} : { note }),
    });
  }
  const undescribed = [...found]
    .filter(([id]) => !described.has(id))
    .map(([id, e]) => ({ id, activities: [...e.activities] }));
  return { recipients, undescribed, unknownActivities };
}

/** Each system the datasets describe (a dataset's own, or a table's), with the personal-data categories held there. */
function systemsOf(datasets: readonly Dataset[]): Map<string, Set<string>> {
  const systems = new Map<string, Set<string>>();
  for (const d of datasets) {
    for (const c of d.collections) {
      const system = c.system ?? d.system;
      if (system === undefined || c.skip) continue;
      let categories = systems.get(system);
      if (!categories) systems.set(system, (categories = new Set()));
      for (const f of c.fields) for (const cat of f.categories) if (isPersonalDataCategory(cat)) categories.add(cat);
    }
  }
  return systems;
}

/**
 * Routes of notifications.yaml for ids recipients.yaml does not have (a typo, a recipient removed):
 * such a route tells nobody, and the recipient it was meant for would be told by hand unawares.
 */
export function routesWithoutRecipient(register: Register, routes: NotificationRoutes): { id: string; suggestion?: string }[] {
  const ids = register.recipients.map((r) => r.id);
  return Object.keys(routes.routes)
    .filter((id) => !ids.includes(id))
    .map((id) => {
      const suggestion = suggestClosest(id, ids);
      return suggestion === undefined ? { id } : { id, suggestion };
    });
}
