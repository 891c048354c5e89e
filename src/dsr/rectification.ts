/**
 * Rectification (Art. 16): which of the person's rows take which corrected values, decided before
 * any write, in the shape of the problem — `resolveRectification` reads the `--set` and `--where`
 * against the request graph (pure), the search and the boundary find the rows, `readUnlinkedMatches`
 * asks the database the one thing left (does a row `--where` names exist outside the person's
 * records), then `planRectification` decides purely:
 *
 * - only the person's own rows change (boundary.ts): a `--where` naming a row shared with another
 *   person, another person's, or one no identity and no reference of theirs leads to, is refused;
 * - a field under a legal hold (the field's or its collection's, Art. 17(3)) is not changed: an
 *   invoice is kept as it was issued. The refusal names the hold, the field, and until when it runs
 *   (the latest `retention_start` of the rows plus the hold's period, when the dataset dates them);
 * - rows already holding the new values are not written, and when nothing is left to write the
 *   request says so (values already equal, no row matching `--where`, no row of the person there),
 *   distinctly from a change.
 */
import type { DatabaseConnector, Row, Value } from '../connectors/connector.js';
import { valueKey } from '../connectors/value-key.js';
import type { LegalHold } from '../dataset/model.js';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { Boundary, Ownership } from './boundary.js';
import { tableOf, type CollectedNode } from './execute/collect.js';
import { NO_KEY_FIX } from './plan/check-against-databases.js';
import type { GraphNode, RequestGraph } from './plan/graph.js';
import { addPeriod, calendarDate } from './past-erasures.js';

/** The corrected values of one collection, and the rows `--where` narrows them to (all the person's rows without it). */
export interface RectificationTarget {
  node: GraphNode;
  /** Field -> new value, as given. */
  set: Record<string, string>;
  /** Field -> values: a row matches when, for every field, it holds one of the values (none: every row). */
  where: Map<string, string[]>;
}

/** Rows a `--where` names that are not the person's own, or a held field: nothing is written. */
export type RectificationRefusal =
  | { collection: string; reason: 'legal-hold'; field: string; rows: number; hold: LegalHold; until?: string }
  | { collection: string; reason: 'not-the-persons'; ownership: Exclude<Ownership, 'own'> | 'not-linked'; rows: number };

/** A collection where the request changes nothing, and why. */
export interface RectificationUnchanged {
  collection: string;
  fields: string[];
  reason: 'already-equal' | 'no-matching-row' | 'no-row' | 'not-theirs-alone';
  rows: number;
}

export interface RectificationUpdate {
  /** The collection with only the rows to write. */
  node: CollectedNode;
  set: Record<string, Value>;
  /** For the evidence: which fields, never their values. */
  note: string;
  /** The person's rows left out because they already hold the new values. */
  alreadyEqual: number;
  /** Rows found that are not the person's alone, left as they are. */
  notTheirs: number;
}

export interface RectificationPlan {
  updates: RectificationUpdate[];
  unchanged: RectificationUnchanged[];
  refused: RectificationRefusal[];
}

/** Resolves "collection.field" or "dataset.collection.field" against the request graph. */
function resolveField(graph: RequestGraph, option: string, target: string): { node: GraphNode; field: string } {
  const parts = target.split('.');
  const candidates = [...graph.nodes.values()].filter((n) =>
    parts.length === 3 ? n.dataset.key === parts[0] && n.collection.name === parts[1] : parts.length === 2 && n.collection.name === parts[0],
  );
  if (candidates.length !== 1) {
    throw new OpendpoError(
      'INVALID_INPUT',
      candidates.length === 0
        ? `${option} ${target.slice(0, 200)}: no collection of that name (write collection.field or dataset.collection.field)`
        : `${option} ${target.slice(0, 200)}: several datasets have that collection; write dataset.collection.field`,
    );
  }
  return { node: candidates[0]!, field: parts[parts.length - 1]! };
}

/**
 * The targets of a rectification: `changes` ("collection.field" -> value) and `where`
 * ("collection.field" -> values), checked against the datasets before anything is read. Refused:
 * a field the dataset does not declare, a primary key, a read-only field, a catalogue (nobody's
 * records), a collection without a key (rows cannot be addressed one by one), a `--where` on a
 * collection no `--set` changes.
 */
export function resolveRectification(
  graph: RequestGraph,
  changes: Readonly<Record<string, string>>,
  where: Readonly<Record<string, readonly string[]>>,
  keyOf: (node: GraphNode) => string[],
): RectificationTarget[] {
  if (Object.keys(changes).length === 0) throw new OpendpoError('INVALID_INPUT', 'rectification needs at least one --set collection.field=value');
  const targets = new Map<string, RectificationTarget>();
  for (const [target, value] of Object.entries(changes)) {
    const { node, field: name } = resolveField(graph, '--set', target);
    const field = node.collection.fields.find((f) => f.name === name);
    if (field === undefined) throw new OpendpoError('INVALID_INPUT', `--set ${target.slice(0, 200)}: the dataset declares no field "${name.slice(0, 100)}" in ${node.id}`);
    if (field.primaryKey || field.readOnly) throw new OpendpoError('INVALID_INPUT', `--set ${target}: ${field.primaryKey ? 'a primary key' : 'a read-only field'} is not rectified`);
    if (graph.context.has(node.id)) {
      throw new OpendpoError('INVALID_INPUT', `--set ${target.slice(0, 200)}: ${node.id} is a catalogue (${node.collection.at.file}:${node.collection.at.line}), nobody's records: it is not rectified through a person's request`);
    }
    if (keyOf(node).length === 0) {
      throw new OpendpoError(
        'DATASET_INVALID',
        `${node.id} (${node.collection.at.file}:${node.collection.at.line}) has no primary key and no unique index on NOT NULL columns, so a rectification cannot address the person's rows one by one: ${NO_KEY_FIX}`,
      );
    }
    const entry = targets.get(node.id) ?? { node, set: {}, where: new Map<string, string[]>() };
    entry.set[field.name] = value;
    targets.set(node.id, entry);
  }
  for (const [target, values] of Object.entries(where)) {
    const { node, field } = resolveField(graph, '--where', target);
    const entry = targets.get(node.id);
    if (entry === undefined) throw new OpendpoError('INVALID_INPUT', `--where ${target.slice(0, 200)}: no --set changes ${node.id}; --where narrows the rows of a collection a --set changes`);
    if (!node.collection.fields.some((f) => f.name === field) && !keyOf(node).includes(field)) {
      throw new OpendpoError('INVALID_INPUT', `--where ${target.slice(0, 200)}: ${node.id} has no key and the dataset declares no field "${field.slice(0, 100)}"`);
    }
    entry.where.set(field, [...(entry.where.get(field) ?? []), ...values]);
  }
  return [...targets.values()];
}

/** The columns the search must read for a rectification beyond its own: the fields changed and those `--where` compares. */
export function columnsToRead(targets: readonly RectificationTarget[]): Map<string, string[]> {
  return new Map(targets.map((t) => [t.node.id, [...new Set([...Object.keys(t.set), ...t.where.keys()])]]));
}

/**
 * Whether a stored value is the value given as text (as a person writes it on the command line):
 * text as is, numbers as their decimal form, booleans as true/false or 1/0, dates as their calendar
 * date or instant. NULL is never equal to a value.
 */
export function holdsValue(stored: Value | undefined, given: string): boolean {
  if (stored === null || stored === undefined) return false;
  if (typeof stored === 'string') return stored === given;
  if (typeof stored === 'boolean') return (stored ? ['true', '1'] : ['false', '0']).includes(given.trim().toLowerCase());
  if (stored instanceof Date) return calendarDate(stored) === given || (!Number.isNaN(stored.getTime()) && stored.toISOString() === given);
  if (stored instanceof Uint8Array) return false;
  return valueKey(stored) === `v:${given.trim()}`;
}

const matches = (row: Row, where: ReadonlyMap<string, readonly string[]>) => [...where].every(([field, values]) => values.some((v) => holdsValue(row[field], v)));

/**
 * For each target whose `--where` names none of the rows the request found, how many rows of its
 * table match it: rows that exist but are not the person's (refused), or none at all (nothing to change).
 */
export async function readUnlinkedMatches(
  targets: readonly RectificationTarget[],
  found: ReadonlyMap<string, CollectedNode>,
  connectorFor: (datasetKey: string) => DatabaseConnector,
  columnTypes: (node: GraphNode) => ReadonlyMap<string, string> | undefined,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of targets) {
    if (t.where.size === 0) continue;
    const rows = [...(found.get(t.node.id)?.rows.values() ?? [])];
    if (rows.some((r) => matches(r, t.where))) continue;
    const fields = [...t.where.keys()];
    const types = columnTypes(t.node);
    // A value that cannot be in a number column matches no row (and PostgreSQL would refuse to compare it).
    const usable = fields.map((f) => t.where.get(f)!.filter((v) => !/int|serial|numeric|decimal|real|double|float/.test(types?.get(f) ?? '') || /^-?\d+(\.\d+)?$/.test(v.trim())));
    if (usable.some((values) => values.length === 0)) {
      out.set(t.node.id, 0);
      continue;
    }
    // Every combination of the fields' values (a row matches one value per field).
    let tuples: Value[][] = [[]];
    for (const values of usable) tuples = tuples.flatMap((tuple) => values.map((v) => [...tuple, v]));
    const result = await connectorFor(t.node.dataset.key).run({ kind: 'select', table: tableOf(t.node), columns: fields, where: { columns: fields, values: tuples } });
    out.set(t.node.id, result.rows.length);
  }
  return out;
}

/** The end of a legal hold over these rows: their latest retention start plus the hold's period, when the dataset dates every row. */
function holdUntil(node: GraphNode, hold: LegalHold, rows: readonly Row[]): string | undefined {
  const start = node.collection.retentionStart;
  if (start === undefined || hold.period === undefined || rows.length === 0) return undefined;
  const dates = rows.map((r) => calendarDate(r[start] ?? null));
  if (dates.some((d) => d === undefined)) return undefined;
  return addPeriod((dates as string[]).reduce((a, b) => (a > b ? a : b)), hold.period);
}

export function planRectification(input: {
  targets: readonly RectificationTarget[];
  found: ReadonlyMap<string, CollectedNode>;
  boundary: Boundary;
  /** From readUnlinkedMatches. */
  unlinked: ReadonlyMap<string, number>;
}): RectificationPlan {
  const plan: RectificationPlan = { updates: [], unchanged: [], refused: [] };
  for (const t of input.targets) {
    const id = t.node.id;
    const fields = Object.keys(t.set);
    const c = input.found.get(id);
    const ownership = input.boundary.get(id);
    const rows = [...(c?.rows ?? new Map<string, Row>())];
    const selected = t.where.size === 0 ? rows : rows.filter(([, r]) => matches(r, t.where));
    const own = selected.filter(([k]) => ownership?.get(k) === 'own');

    if (t.where.size > 0) {
      // A row --where names that is not the person's own is refused, never left silently.
      const counts = new Map<Exclude<Ownership, 'own'>, number>();
      for (const [k] of selected) {
        const o = ownership?.get(k);
        if (o !== undefined && o !== 'own') counts.set(o, (counts.get(o) ?? 0) + 1);
      }
      for (const [o, n] of counts) plan.refused.push({ collection: id, reason: 'not-the-persons', ownership: o, rows: n });
      if (selected.length === 0) {
        const outside = input.unlinked.get(id) ?? 0;
        if (outside > 0) plan.refused.push({ collection: id, reason: 'not-the-persons', ownership: 'not-linked', rows: outside });
        else plan.unchanged.push({ collection: id, fields, reason: 'no-matching-row', rows: 0 });
        continue;
      }
      if (counts.size > 0) continue;
    }
    if (own.length === 0) {
      if (t.where.size === 0) plan.unchanged.push(rows.length > 0 ? { collection: id, fields, reason: 'not-theirs-alone', rows: rows.length } : { collection: id, fields, reason: 'no-row', rows: 0 });
      continue;
    }
    const differing = own.filter(([, r]) => fields.some((f) => !holdsValue(r[f], t.set[f]!)));
    if (differing.length === 0) {
      plan.unchanged.push({ collection: id, fields, reason: 'already-equal', rows: own.length });
      continue;
    }
    // Art. 17(3) holds keep records as they are: a held field is not rewritten by a rectification either.
    let held = false;
    for (const f of fields) {
      const hold = t.node.collection.legalHold ?? t.node.collection.fields.find((x) => x.name === f)?.legalHold;
      const changing = differing.filter(([, r]) => !holdsValue(r[f], t.set[f]!)).map(([, r]) => r);
      if (hold === undefined || changing.length === 0) continue;
      held = true;
      const until = holdUntil(t.node, hold, changing);
      plan.refused.push({ collection: id, reason: 'legal-hold', field: f, rows: changing.length, hold, ...(until ? { until } : {}) });
    }
    if (held) continue;
    plan.updates.push({
      node: { ...c!, rows: new Map(differing) },
      set: { ...t.set },
      note: `rectified fields: ${fields.join(', ')}`,
      alreadyEqual: own.length - differing.length,
      notTheirs: t.where.size === 0 ? rows.length - own.length : 0,
    });
  }
  return plan;
}

/** One line per refusal, naming the hold or whose the row is; never a value. */
export function refusalText(r: RectificationRefusal): string {
  if (r.reason === 'legal-hold') {
    const until = r.until
      ? `until ${r.until}`
      : r.hold.period
        ? `for ${r.hold.period} from the rows' start event (the dataset declares no retention_start to date it)`
        : 'for as long as the hold lasts (no period declared)';
    return `${r.collection}.${r.field} is under a legal hold on ${r.rows} of the person's row(s) (${r.hold.article}: ${r.hold.reason}), ${until}`;
  }
  const whose = {
    shared: 'shared with another person (records outside the request lead to it)',
    'other-person': "another person's (an identity field names someone else)",
    'not-linked': 'not linked to the person (no identity or reference of theirs leads to it)',
  }[r.ownership];
  return `${r.collection}: ${r.rows} row(s) --where names ${r.rows === 1 ? 'is' : 'are'} ${whose}; only the person's own rows are rectified`;
}

export function unchangedText(u: RectificationUnchanged): string {
  const what = `${u.collection} (${u.fields.join(', ')})`;
  if (u.reason === 'already-equal') return `${what}: the person's ${u.rows} row(s) already hold the values given`;
  if (u.reason === 'no-matching-row') return `${what}: no row matches --where`;
  if (u.reason === 'not-theirs-alone') return `${what}: the ${u.rows} row(s) found there are not the person's alone, left as they are`;
  return `${what}: the person has no row there`;
}
