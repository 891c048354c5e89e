/**
 * A first dataset from a database's own catalogue (`opendpo dataset generate`): every table and
 * column, the primary keys, references from the foreign keys, and suggestions a person confirms
 * (data categories, identity fields, data subjects, reference directions). Pure: tables in, a
 * description of the dataset out; writing it as YAML with its comments is write-dataset-yaml.ts.
 *
 * The guesses that matter most for a data subject's rights:
 * - Which tables a request enters through an identity (Art. 15-17 start from verified identities):
 *   tables that look like the person's own record (customer, client, member...).
 * - Which way a reference is followed. The person's rows flow from their own record downwards:
 *   orders.customer_id is looked up "from" customer.id, order_lines from orders, and so on; a
 *   row pointing at something outside that (an address, a product) points "to" it.
 * - Which references lead to another person (the staff member who handled an order, the
 *   customer who referred this one): flagged `other_subject`, never followed, so a request never
 *   pulls in someone else's data (the rights of others, Art. 15(4)).
 */
import type { ColumnShape, TableRef, TableShape } from '../../connectors/connector.js';
import type { ReferenceDirection } from '../model.js';
import { isDataSubject } from '../../reference/taxonomy.js';
import { ElementName } from '../schema.js';
import { nameWords, wordSet } from './name-words.js';
import { suggestCategories, typeKind } from './suggest-categories.js';

export interface GeneratedReference {
  /** "collection.field" in this dataset. */
  field: string;
  direction: ReferenceDirection;
  otherSubject: boolean;
  /** Why this direction or flag, for the YAML comment. */
  note: string;
}

export interface GeneratedField {
  name: string;
  primaryKey: boolean;
  categories: string[];
  categoryNote: string;
  identity?: string;
  identityNote?: string;
  /** A NOT NULL personal-data column cannot be set to NULL on erasure: a random string instead. */
  masking?: { strategy: 'random_string'; length: number };
  maskingNote?: string;
  references: GeneratedReference[];
  /** Foreign keys this field is part of that point outside the dataset, for a comment. */
  unresolved: string[];
}

export interface GeneratedCollection {
  name: string;
  schema?: string;
  subject?: string;
  subjectNote?: string;
  fields: GeneratedField[];
}

export interface GeneratedDataset {
  key: string;
  system?: string;
  collections: GeneratedCollection[];
  /** Tables left out, and why (safe to show: names only). */
  skipped: string[];
}

export interface GenerateOptions {
  key: string;
  system?: string;
}

/** Names of tables describing the person a request is about, and the fideslang subject each suggests. */
const PERSON_WORDS: Record<string, string> = {
  customer: 'customer',
  client: 'customer',
  buyer: 'customer',
  shopper: 'customer',
  consumer: 'customer',
  member: 'customer',
  account: 'customer',
  subscriber: 'customer',
  guest: 'customer',
  person: 'customer',
  people: 'customer',
  contact: 'customer',
  profile: 'customer',
  patient: 'patient',
  passenger: 'passenger',
  visitor: 'visitor',
  prospect: 'prospect',
  lead: 'prospect',
  applicant: 'job_applicant',
  candidate: 'job_applicant',
  user: 'customer',
};

/** Words naming other people than the one a request is about: the staff, a referrer, a manager. */
const OTHER_PEOPLE_WORDS: Record<string, string | undefined> = {
  staff: 'employee',
  employee: 'employee',
  agent: 'employee',
  manager: 'employee',
  admin: 'employee',
  administrator: 'employee',
  operator: 'employee',
  supervisor: 'employee',
  worker: 'employee',
  rep: 'employee',
  representative: 'employee',
  user: undefined,
  referrer: undefined,
  parent: undefined,
};

/** Column words that say a foreign key points at someone else, even inside the person's table. */
const OTHER_PEOPLE_COLUMN_WORDS = [
  ...Object.keys(OTHER_PEOPLE_WORDS),
  'referred',
  'referral',
  'sponsor',
  'inviter',
  'invited',
  'assignee',
  'assigned',
  'approver',
  'approved',
  'reviewer',
  'handler',
  'handled',
  'author',
  'creator',
  'guardian',
  'spouse',
  'partner',
  'friend',
];

const tableId = (t: TableRef) => `${t.schema ?? ''}\u0000${t.name}`;
const display = (t: TableRef) => (t.schema === undefined ? t.name : `${t.schema}.${t.name}`);

/** A name the dataset format can hold (no dot: references are "collection.field"; no control character...). */
const representable = (name: string) => ElementName.safeParse(name).success;

const isContactColumn = (c: ColumnShape): 'email' | 'phone_number' | undefined => {
  const kind = typeKind(c.type);
  if (kind !== 'text' && kind !== 'other' && kind !== 'number') return undefined;
  const cats = suggestCategories(c, { personTable: true, primaryKey: false, foreignKey: false }).categories;
  if (cats.includes('user.contact.email')) return 'email';
  if (cats.includes('user.contact.phone_number')) return 'phone_number';
  return undefined;
};

function personWord(table: TableShape): string | undefined {
  const words = wordSet(table.name);
  return Object.keys(PERSON_WORDS).find((w) => words.has(w));
}

function otherPeopleWord(table: TableShape): string | undefined {
  const words = wordSet(table.name);
  return Object.keys(OTHER_PEOPLE_WORDS).find((w) => words.has(w));
}

/** A dataset key from a database or file name: lowercase letters, digits, "_" and "-". */
export function datasetKeyFrom(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/\.(db|sqlite3?|sqlite)$/, '')
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 100);
  return key === '' ? 'dataset' : key;
}

export function generateDataset(tables: readonly TableShape[], options: GenerateOptions): GeneratedDataset {
  const skipped: string[] = [];
  // Tables the format can hold, one per name (a collection is named by its table alone).
  const kept: TableShape[] = [];
  const byName = new Map<string, TableShape>();
  for (const t of tables) {
    if (!representable(t.name) || (t.schema !== undefined && !representable(t.schema))) {
      skipped.push(`${display(t)}: its name has a dot, a control character or a space at an end, which a dataset cannot name`);
      continue;
    }
    const first = byName.get(t.name);
    if (first !== undefined) {
      skipped.push(`${display(t)}: a table named ${t.name} is already in the dataset (${display(first)}); generate a separate dataset for its schema`);
      continue;
    }
    byName.set(t.name, t);
    kept.push(t);
  }
  const byId = new Map(kept.map((t) => [tableId(t), t]));

  // 1. Whose tables: the person's own record (entered through an identity), and other people's.
  const withContact = (t: TableShape) => t.columns.some((c) => isContactColumn(c) !== undefined);
  const notOther = (t: TableShape) => otherPeopleWord(t) === undefined;
  let identityTables = kept.filter((t) => personWord(t) !== undefined && personWord(t) !== 'user' && notOther(t) && withContact(t));
  if (identityTables.length === 0) identityTables = kept.filter((t) => wordSet(t.name).has('user') && withContact(t));
  if (identityTables.length === 0) identityTables = kept.filter((t) => notOther(t) && t.columns.some((c) => isContactColumn(c) === 'email'));
  const identitySet = new Set(identityTables.map(tableId));
  const otherPeople = new Set(kept.filter((t) => !identitySet.has(tableId(t)) && otherPeopleWord(t) !== undefined).map(tableId));
  const personTable = (t: TableShape) => identitySet.has(tableId(t)) || otherPeople.has(tableId(t)) || personWord(t) !== undefined;

  // Tables holding the person's rows: filled in step 3, read by step 2 for self-references.
  const reached = new Set(identitySet);

  // 2. Which references lead to another person.
  const isSelf = (t: TableShape, target: TableRef) => tableId(target) === tableId(t);
  const otherSubjectWhy = (t: TableShape, fkColumns: string[], target: TableShape): string | undefined => {
    if (isSelf(t, target) && personTable(t)) return `a reference from ${t.name} to another row of ${t.name}: another person`;
    // A reply's parent comment, a sub-ticket's ticket: the other row may be someone else's.
    if (isSelf(t, target) && reached.has(tableId(t))) return `a reference to another row of ${t.name}, which may belong to another person`;
    if (otherPeople.has(tableId(target))) return `${target.name} describes other people (${otherPeopleWord(target)})`;
    // posts.user_id -> users.id names the table it points at: the owner, not someone else.
    const targetWords = wordSet(target.name);
    const columnWord = fkColumns.flatMap(nameWords).find((w) => OTHER_PEOPLE_COLUMN_WORDS.includes(w) && !targetWords.has(w));
    if (columnWord !== undefined && personTable(target)) return `the column name says "${columnWord}": another person than the one in the request`;
    return undefined;
  };

  // 3. The person's rows: from the identity tables down through foreign keys pointing at them.
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of kept) {
      if (reached.has(tableId(t))) continue;
      for (const fk of t.foreignKeys) {
        const target = byId.get(tableId(fk.references));
        if (target === undefined || isSelf(t, target) || !reached.has(tableId(target))) continue;
        if (otherSubjectWhy(t, fk.columns, target) !== undefined) continue;
        reached.add(tableId(t));
        changed = true;
        break;
      }
    }
  }

  const collections = kept.map((t): GeneratedCollection => {
    const fkColumns = new Set(t.foreignKeys.flatMap((fk) => fk.columns));
    const isIdentityTable = identitySet.has(tableId(t));
    const fields = t.columns
      .filter((c) => representable(c.name))
      .map((c): GeneratedField => {
        const primaryKey = t.primaryKey.includes(c.name);
        const suggestion = suggestCategories(c, { personTable: personTable(t), primaryKey, foreignKey: fkColumns.has(c.name) });
        const field: GeneratedField = { name: c.name, primaryKey, categories: suggestion.categories, categoryNote: suggestion.recognised ? `suggested from ${suggestion.reason}` : `suggested: ${suggestion.reason}`, references: [], unresolved: [] };
        const contact = isIdentityTable ? isContactColumn(c) : undefined;
        if (contact !== undefined) {
          field.identity = contact;
          field.identityNote = `suggested: a request finds the person's ${t.name} row by ${contact === 'email' ? 'email address' : 'phone number'}`;
        }
        if (suggestion.personal && !c.nullable && !primaryKey && typeKind(c.type) === 'text') {
          field.masking = { strategy: 'random_string', length: 16 };
          field.maskingNote = 'suggested: the column is NOT NULL, so an erasure writes a random string instead of NULL';
        }
        return field;
      });
    for (const c of t.columns) if (!representable(c.name)) skipped.push(`${display(t)}.${c.name}: a column name a dataset cannot name`);

    for (const fk of t.foreignKeys) {
      const target = byId.get(tableId(fk.references));
      fk.columns.forEach((column, i) => {
        const field = fields.find((f) => f.name === column);
        const targetColumn = fk.references.columns[i];
        if (field === undefined || targetColumn === undefined) return;
        if (target === undefined || !representable(targetColumn)) {
          field.unresolved.push(`${display(fk.references)}.${targetColumn}`);
          return;
        }
        const why = otherSubjectWhy(t, fk.columns, target);
        const composite = fk.columns.length > 1 ? ` (part of a ${fk.columns.length}-column foreign key)` : '';
        let reference: GeneratedReference;
        if (why !== undefined) {
          reference = { field: `${target.name}.${targetColumn}`, direction: 'to', otherSubject: true, note: `suggested: ${why}; confirm, a request never follows it` };
        } else if (reached.has(tableId(target))) {
          reference = {
            field: `${target.name}.${targetColumn}`,
            direction: 'from',
            otherSubject: false,
            note: `suggested: ${t.name} rows belong to the person of the ${target.name} row they point at${composite}`,
          };
        } else {
          reference = { field: `${target.name}.${targetColumn}`, direction: 'to', otherSubject: false, note: `suggested: a ${t.name} row points at a ${target.name} row${composite}` };
        }
        field.references.push(reference);
      });
    }

    const collection: GeneratedCollection = { name: t.name, ...(t.schema === undefined ? {} : { schema: t.schema }), fields };
    if (isIdentityTable) {
      const subject = PERSON_WORDS[personWord(t) ?? 'customer'] ?? 'customer';
      if (isDataSubject(subject)) {
        collection.subject = subject;
        collection.subjectNote = 'suggested: each row describes one person, entered only through an identity, never through a reference';
      }
    } else if (otherPeople.has(tableId(t))) {
      const subject = OTHER_PEOPLE_WORDS[otherPeopleWord(t)!];
      if (subject !== undefined && isDataSubject(subject)) {
        collection.subject = subject;
        collection.subjectNote = 'suggested: these rows describe other people than the customers; a request about a customer never enters them';
      }
    }
    return collection;
  });

  return {
    key: options.key,
    ...(options.system === undefined ? {} : { system: options.system }),
    collections: collections.filter((c) => {
      if (c.fields.length === 0) skipped.push(`${c.schema === undefined ? c.name : `${c.schema}.${c.name}`}: no column a dataset can name`);
      return c.fields.length > 0;
    }),
    skipped,
  };
}
