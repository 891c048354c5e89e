/**
 * A first dataset from a database's own catalogue (`opendpo dataset generate`): every table and
 * column, the primary keys, references from the foreign keys (and from column names where the
 * database declares none), and suggestions a person confirms (data categories, identity fields,
 * data subjects, reference directions, catalogues). Pure: tables in, a description of the
 * dataset out; writing it as YAML with its comments is write-dataset-yaml.ts.
 *
 * The guesses that matter most for a data subject's rights, worked out from the structure first
 * and from names only as a hint:
 * - Whose tables. A table describing people (customer, staff, patient...) is entered through its
 *   email and phone (Art. 15-17 start from verified identities); employees make requests too, so
 *   a staff table is entered the same way. A table whose rows point at a person's row belongs to
 *   that person (orders, payments, salaries), and so does a table holding the person's own email
 *   without pointing at anyone (a guest order, a newsletter subscription).
 * - Which way a reference is followed. The person's rows flow from their own record downwards:
 *   orders.customer_id is looked up "from" customer.id, order_lines from orders, and so on; a row
 *   pointing at something outside that (an address, a product) points "to" it.
 * - Which references lead to another person (the staff member who handled an order, the customer
 *   who referred this one): flagged `other_subject`, never followed, so a request never pulls in
 *   someone else's data (the rights of others, Art. 15(4)).
 * - Which tables are the organisation's reference data (products, cities, stores): catalogues,
 *   nobody's records, never counted as the person's nor changed by an erasure.
 */
import type { ColumnShape, TableRef, TableShape } from '../../connectors/connector.js';
import type { ReferenceDirection } from '../model.js';
import { isDataSubject } from '../../reference/taxonomy.js';
import { ElementName } from '../schema.js';
import { singular } from './name-words.js';
import { columnEvidence, columnWords, suggestCategories, typeKind, type TableRole } from './suggest-categories.js';

export interface GeneratedReference {
  /** "collection.field" in this dataset. */
  field: string;
  direction: ReferenceDirection;
  otherSubject: boolean;
  /** Why this direction or flag, for the YAML comment. */
  note: string;
}

export type GeneratedMasking = { strategy: 'random_string'; length: number } | { strategy: 'fixed'; value: '' };

export interface GeneratedField {
  name: string;
  primaryKey: boolean;
  categories: string[];
  categoryNote: string;
  /** The suggested category is personal data (user.*). */
  personal: boolean;
  identity?: string;
  identityNote?: string;
  /** A NOT NULL personal-data text column cannot be set to NULL on erasure: a string instead. */
  masking?: GeneratedMasking;
  /** A NOT NULL personal-data column of another type: left as it is by an erasure (no safe value), said in the comment. */
  readOnly?: boolean;
  maskingNote?: string;
  /** Left out of the access copy (Art. 15(4)): a password hash or a token would weaken everyone's security. */
  excludeFromCopy?: string;
  references: GeneratedReference[];
  /** Foreign keys this field is part of that point outside the dataset, for a comment. */
  unresolved: string[];
}

export interface GeneratedCollection {
  name: string;
  schema?: string;
  subject?: string;
  subjectNote?: string;
  /** The organisation's reference data (products, cities, stores): nobody's records. */
  catalogue?: boolean;
  catalogueNote?: string;
  /** The date field the retention period starts from, when one date clearly records the event. */
  retentionStart?: string;
  retentionStartNote?: string;
  /** How the structure reads the table (for the comment and the benchmark), never written as a key. */
  role: TableRole;
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
  cust: 'customer',
  client: 'customer',
  buyer: 'customer',
  shopper: 'customer',
  consumer: 'customer',
  member: 'customer',
  adherent: 'customer',
  account: 'customer',
  subscriber: 'customer',
  abonne: 'customer',
  guest: 'customer',
  person: 'customer',
  personne: 'customer',
  people: 'customer',
  individual: 'customer',
  contact: 'customer',
  profile: 'customer',
  tenant: 'customer',
  locataire: 'customer',
  student: 'customer',
  etudiant: 'customer',
  patient: 'patient',
  passenger: 'passenger',
  passager: 'passenger',
  traveller: 'passenger',
  traveler: 'passenger',
  visitor: 'visitor',
  visiteur: 'visitor',
  prospect: 'prospect',
  lead: 'prospect',
  applicant: 'job_applicant',
  candidate: 'job_applicant',
  candidat: 'job_applicant',
  user: 'customer',
  usr: 'customer',
  utilisateur: 'customer',
};

/** Words naming other people than the one a request is about: the staff, a referrer, a manager. */
const OTHER_PEOPLE_WORDS: Record<string, string | undefined> = {
  staff: 'employee',
  employee: 'employee',
  employe: 'employee',
  emp: 'employee',
  personnel: 'employee',
  agent: 'employee',
  manager: 'employee',
  admin: 'employee',
  administrator: 'employee',
  operator: 'employee',
  supervisor: 'employee',
  worker: 'employee',
  rep: 'employee',
  representative: 'employee',
  vendeur: 'employee',
  commercial: 'employee',
  doctor: 'employee',
  practitioner: 'employee',
  clinician: 'employee',
  nurse: 'employee',
  medecin: 'employee',
  teacher: 'employee',
  instructor: 'employee',
  user: undefined,
  referrer: undefined,
  parent: undefined,
};

/** Column words that say a reference or a contact is someone else's, even inside the person's table. */
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
  'emergency',
  'kin',
  'assistant',
  'secretary',
  'tuteur',
  'conjoint',
  'responsable',
];

/**
 * Column words that say a contact (an email, a phone) is someone else's than the row's person:
 * "agent_email", "emergency_contact_phone". Not "author" or "user": a comment's author email
 * and an order's user email are the row's own person's.
 */
const CONTACT_OF_OTHERS_WORDS = OTHER_PEOPLE_COLUMN_WORDS.filter((w) => !['user', 'author', 'creator'].includes(w));

/** Names of the organisation's own places and units: reached through store_id-like references, they are context, not a person's records. */
const ORGANISATION_WORDS = [
  'store', 'shop', 'branch', 'warehouse', 'office', 'site', 'agency', 'outlet', 'depot', 'venue', 'location', 'clinic', 'hospital', 'restaurant', 'hotel',
  'department', 'dept', 'division', 'carrier', 'shipper', 'magasin', 'boutique', 'agence', 'entrepot', 'succursale', 'etablissement', 'transporteur', 'service',
];

/** Categories that only a person has: a table holding one describes people, whatever its name. */
const PERSON_SHAPE = new Set([
  'user.name.first',
  'user.name.last',
  'user.demographic.date_of_birth',
  'user.demographic.gender',
  'user.government_id.national_identification_number',
  'user.government_id.passport_number',
]);

const tableId = (t: TableRef) => `${t.schema ?? ''}\u0000${t.name}`;
const display = (t: TableRef) => (t.schema === undefined ? t.name : `${t.schema}.${t.name}`);

/** A name the dataset format can hold (no dot: references are "collection.field"; no control character...). */
const representable = (name: string) => ElementName.safeParse(name).success;

/** A reference between two tables of the dataset: declared by a foreign key, or read from a column name. */
interface Link {
  from: TableShape;
  columns: string[];
  to: TableShape;
  toColumns: string[];
  /** No foreign key declares it: the column name says it (wp_comments.user_id -> wp_users.ID). */
  inferred: boolean;
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

const tableWords = (t: TableRef) => {
  const words = columnWords(t.name);
  return new Set([...words, ...words.map(singular)]);
};
const firstWord = (t: TableRef, words: Record<string, unknown> | readonly string[]) => {
  const list = Array.isArray(words) ? words : Object.keys(words);
  const set = tableWords(t);
  return list.find((w) => set.has(w));
};
const personWord = (t: TableRef) => firstWord(t, PERSON_WORDS);
const otherPeopleWord = (t: TableRef) => firstWord(t, OTHER_PEOPLE_WORDS);
const organisationWord = (t: TableRef) => firstWord(t, ORGANISATION_WORDS);

const contactOf = (c: ColumnShape): 'email' | 'phone_number' | undefined => {
  const category = columnEvidence(c)?.category;
  if (category === 'user.contact.email') return 'email';
  if (category === 'user.contact.phone_number') return 'phone_number';
  return undefined;
};
/** The column's name says it points at someone else (manager_id, referrer_id), except the table it points at says so too (users.id from user_id). */
const otherPartyWord = (column: string, except: ReadonlySet<string> = new Set()) =>
  columnWords(column).map(singular).find((w) => OTHER_PEOPLE_COLUMN_WORDS.includes(w) && !except.has(w));
/** The column's name says the contact is someone else's (agent_email, emergency_contact_phone). */
const othersContact = (column: string) => columnWords(column).map(singular).some((w) => CONTACT_OF_OTHERS_WORDS.includes(w));

/**
 * The words a reference column names its table by: "customer" in "customer_id", "id_client",
 * "fk_soc", "CustomerId"; for a column a foreign key declares a reference, also "employee" in
 * "emp_no" (numbers and codes are keys there).
 */
function linkBase(column: string, declared: boolean): string[] | undefined {
  const words = columnWords(column).map(singular);
  const markers = declared ? ['id', 'fk', 'no', 'num', 'nr', 'number', 'code', 'key', 'ref'] : ['id', 'fk'];
  if (words.length > 1 && markers.includes(words.at(-1)!)) return words.slice(0, -1);
  if (words.length > 1 && markers.includes(words[0]!)) return words.slice(1);
  return undefined;
}

/** The table's name ends with these words ("wp_users" ends with [user]). */
function endsWithWords(t: TableRef, words: readonly string[]): boolean {
  const own = columnWords(t.name).map(singular);
  return own.length >= words.length && words.every((w, i) => own[own.length - words.length + i] === w);
}

/** A column named as another table's own key, where that key names the table ("tax_code" -> tax_codes.tax_code). */
function naturalKeyTarget(tables: readonly TableShape[], t: TableShape, c: ColumnShape): Link | undefined {
  const words = columnWords(c.name).map(singular);
  const target = tables.find(
    (o) =>
      o !== t &&
      o.primaryKey.length === 1 &&
      o.primaryKey[0] === c.name &&
      words.length > 1 &&
      (endsWithWords(o, words) || endsWithWords(o, words.slice(0, -1))) &&
      !(t.primaryKey.length === 1 && t.primaryKey[0] === c.name),
  );
  return target === undefined ? undefined : { from: t, columns: [c.name], to: target, toColumns: [c.name], inferred: true };
}

/** Links the column names say, where no foreign key does: "<table>_id", "id_<table>", "fk_<table>", "<Table>Id". */
function inferLinks(tables: readonly TableShape[], declared: ReadonlySet<string>): Link[] {
  const links: Link[] = [];
  for (const t of tables) {
    for (const c of t.columns) {
      if (declared.has(`${tableId(t)}\u0000${c.name}`) || (t.primaryKey.length === 1 && t.primaryKey[0] === c.name)) continue;
      // A name the rules read as a value is not a reference ("id_token" is a token, not a link to a token table).
      const evidence = columnEvidence(c);
      if (evidence !== undefined && evidence.kind !== 'context') continue;
      const natural = naturalKeyTarget(tables, t, c);
      if (natural !== undefined) {
        links.push(natural);
        continue;
      }
      const base = linkBase(c.name, false);
      if (base === undefined) continue;
      for (let n = base.length; n >= 1; n--) {
        const suffix = base.slice(-n);
        const candidates = tables.filter((o) => o !== t && endsWithWords(o, suffix));
        if (candidates.length > 1) break;
        const target = candidates[0];
        if (target === undefined) continue;
        const key = target.primaryKey.length === 1 ? target.columns.find((k) => k.name === target.primaryKey[0]) : undefined;
        const kind = (x: ColumnShape) => (typeKind(x.type) === 'number' ? 'number' : typeKind(x.type) === 'text' || typeKind(x.type) === 'other' ? 'text' : typeKind(x.type));
        if (key !== undefined && kind(key) === kind(c)) links.push({ from: t, columns: [c.name], to: target, toColumns: [key.name], inferred: true });
        break;
      }
    }
  }
  return links;
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
  // PostgreSQL inheritance children (old-style monthly partitions...) are read and written through their parent.
  for (const t of [...kept]) {
    const parent = t.inherits === undefined ? undefined : byId.get(tableId(t.inherits));
    if (parent === undefined) continue;
    const own = t.columns.filter((c) => !parent.columns.some((pc) => pc.name === c.name)).map((c) => c.name);
    skipped.push(
      `${display(t)}: inherits from ${display(parent)}, whose statements read and change its rows too` +
        (own.length === 0 ? '' : `; its own columns (${own.join(', ')}) are not read through ${parent.name}: describe them by hand if they hold personal data`),
    );
    kept.splice(kept.indexOf(t), 1);
    byId.delete(tableId(t));
  }

  // The references: foreign keys between kept tables, then what column names say where no key does.
  const links: Link[] = [];
  const unresolved = new Map<string, string[]>();
  const declared = new Set<string>();
  for (const t of kept) {
    for (const fk of t.foreignKeys) {
      for (const c of fk.columns) declared.add(`${tableId(t)}\u0000${c}`);
      const target = byId.get(tableId(fk.references));
      if (target === undefined || fk.references.columns.some((c) => !representable(c))) {
        fk.columns.forEach((c, i) => {
          const key = `${tableId(t)}\u0000${c}`;
          unresolved.set(key, [...(unresolved.get(key) ?? []), `${display(fk.references)}.${fk.references.columns[i] ?? '?'}`]);
        });
        continue;
      }
      links.push({ from: t, columns: fk.columns, to: target, toColumns: fk.references.columns, inferred: false });
    }
  }
  links.push(...inferLinks(kept, declared));
  const keyColumns = new Set(links.flatMap((l) => l.columns.map((c) => `${tableId(l.from)}\u0000${c}`)));

  // 1. People: tables whose rows describe a person. Primary: the people requests are usually about
  //    (customers, users); others: the organisation's people (staff), who make requests too.
  const withContact = (t: TableShape) => t.columns.some((c) => contactOf(c) !== undefined && !othersContact(c.name));
  const withEmail = (t: TableShape) => t.columns.some((c) => contactOf(c) === 'email' && !othersContact(c.name));
  const shaped = new Set(kept.filter((t) => t.columns.some((c) => PERSON_SHAPE.has(columnEvidence(c)?.category ?? ''))).map(tableId));
  const personShaped = (t: TableShape) => shaped.has(tableId(t));
  const staffWord = (t: TableShape) => {
    const word = otherPeopleWord(t);
    return word !== undefined && OTHER_PEOPLE_WORDS[word] !== undefined ? word : undefined;
  };
  const personish = (t: TableShape) => personWord(t) !== undefined || otherPeopleWord(t) !== undefined || personShaped(t);
  const isSelf = (l: Link) => tableId(l.from) === tableId(l.to);
  // A link whose column names the table it points at (userId -> User, user_id -> wp_users): its owner, not someone else.
  const namesTarget = (l: Link) => {
    const base = l.columns.length === 1 ? linkBase(l.columns[0]!, true) : undefined;
    return base !== undefined && endsWithWords(l.to, base);
  };
  // A person table extending another one (a patient profile, a practitioner's details pointing at their
  // user account): the same person, reached from the record they sign in with.
  const extensions = new Set(kept.filter((t) => personish(t) && links.some((l) => l.from === t && !isSelf(l) && personish(l.to) && namesTarget(l))).map(tableId));
  const candidate = (t: TableShape) => !extensions.has(tableId(t));
  const notOther = (t: TableShape) => otherPeopleWord(t) === undefined;
  let primary = kept.filter((t) => candidate(t) && personWord(t) !== undefined && personWord(t) !== 'user' && personWord(t) !== 'usr' && notOther(t) && withContact(t));
  if (primary.length === 0) primary = kept.filter((t) => candidate(t) && (tableWords(t).has('user') || tableWords(t).has('usr')) && withContact(t));
  if (primary.length === 0) primary = kept.filter((t) => candidate(t) && notOther(t) && personShaped(t) && withContact(t));
  if (primary.length === 0) primary = kept.filter((t) => candidate(t) && notOther(t) && withEmail(t));
  const primarySet = new Set(primary.map(tableId));
  // A table pointing at a primary person's record is that person's (wp_usermeta -> wp_users), not another kind of people.
  const pointsAtPrimary = (t: TableShape) => links.some((l) => l.from === t && l.to !== t && primarySet.has(tableId(l.to)));
  const others = kept.filter((t) => candidate(t) && !primarySet.has(tableId(t)) && otherPeopleWord(t) !== undefined && !pointsAtPrimary(t));
  const othersSet = new Set(others.map(tableId));
  const peopleTables = new Set([...primarySet, ...othersSet]);

  // 2. Whose rows: from each person's table down through the links that point at it. Primary
  //    first; a table already the primary person's is not also the staff's.
  const owner = new Map<string, 'primary' | 'other'>();
  for (const t of primary) owner.set(tableId(t), 'primary');
  for (const t of others) owner.set(tableId(t), 'other');

  const isPersonTable = (t: TableShape) => peopleTables.has(tableId(t)) || personWord(t) !== undefined || otherPeopleWord(t) !== undefined;
  const otherSubjectWhy = (l: Link): string | undefined => {
    const from = l.from;
    const to = l.to;
    if (isSelf(l) && isPersonTable(from)) return `a reference from ${from.name} to another row of ${from.name}: another person`;
    // A reply's parent comment, a sub-ticket's ticket: the other row may be someone else's.
    if (isSelf(l) && owner.has(tableId(from))) return `a reference to another row of ${from.name}, which may belong to another person`;
    // posts.user_id -> users.id names the table it points at: the owner, not someone else.
    const word = l.columns.map((c) => otherPartyWord(c, tableWords(to))).find((w) => w !== undefined);
    if (word !== undefined && (personish(to) || owner.has(tableId(to)))) return `the column name says "${word}": another person than the one in the request`;
    if (personish(from) && personish(to) && !namesTarget(l)) return `${from.name} and ${to.name} both describe people: a ${from.name} row points at another person`;
    // The staff member on a customer's order, rental or appointment: the row is the customer's.
    const staff = staffWord(to);
    if (staff !== undefined && staffWord(from) === undefined) {
      const belongsElsewhere = links.some((o) => o.from === from && o !== l && !isSelf(o) && staffWord(o.to) === undefined && (personish(o.to) || owner.get(tableId(o.to)) === 'primary'));
      if (belongsElsewhere || owner.get(tableId(from)) === 'primary') return `${to.name} describes the organisation's people (${staff}), not the person whose ${from.name} row this is`;
    }
    const fromOwner = owner.get(tableId(from));
    const toOwner = owner.get(tableId(to));
    if (peopleTables.has(tableId(to)) && fromOwner !== undefined && toOwner !== undefined && fromOwner !== toOwner && !namesTarget(l)) {
      return `${to.name} describes other people (${otherPeopleWord(to) ?? personWord(to) ?? 'people'}) than the ${from.name} rows' own`;
    }
    return undefined;
  };

  const reach = (who: 'primary' | 'other') => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const l of links) {
        if (owner.has(tableId(l.from)) || owner.get(tableId(l.to)) !== who || isSelf(l)) continue;
        if (otherSubjectWhy(l) !== undefined) continue;
        owner.set(tableId(l.from), who);
        changed = true;
      }
    }
  };
  reach('primary');
  // Tables describing people that no one's rows lead to are people requests can be about too (a
  // staff table named in the local language, actors): their own rows are reached from them.
  for (const t of kept) {
    if (!owner.has(tableId(t)) && !extensions.has(tableId(t)) && personShaped(t)) {
      owner.set(tableId(t), 'other');
      othersSet.add(tableId(t));
      peopleTables.add(tableId(t));
    }
  }
  reach('other');
  // A table holding a person's own email without pointing at anyone is that person's: a guest's
  // order, a newsletter subscription, a guest's comment.
  const unowned = (t: TableShape) => !owner.has(tableId(t)) && !personish(t) && organisationWord(t) === undefined;
  for (const t of kept) if (unowned(t) && withEmail(t)) owner.set(tableId(t), 'primary');
  reach('primary');

  // 3. Roles: people, their rows, the organisation's reference data, what the person's rows point at.
  const roles = new Map<string, TableRole>();
  for (const t of kept) {
    const id = tableId(t);
    if (peopleTables.has(id) || extensions.has(id) || (!owner.has(id) && personish(t))) roles.set(id, 'person');
    else if (owner.has(id)) roles.set(id, 'owned');
  }
  const pointedAt = new Set(links.filter((l) => !isSelf(l)).map((l) => tableId(l.to)));
  const catalogueCandidate = (t: TableShape) => {
    const own = [...tableWords(t)];
    return t.columns.every((c) => {
      if (keyColumns.has(`${tableId(t)}\u0000${c.name}`) || t.primaryKey.includes(c.name)) return true;
      const evidence = columnEvidence(c);
      if (evidence === undefined || evidence.kind === 'context') return true;
      if (evidence.kind === 'individual') return false;
      // A contact column: an organisation's store has an address and a phone; a city table's "city" is its label.
      if (organisationWord(t) !== undefined) return true;
      return evidence.category.startsWith('user.contact.address') && columnWords(c.name).map(singular).some((w) => own.includes(w));
    });
  };
  const catalogues = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of kept) {
      const id = tableId(t);
      if (roles.has(id) || catalogues.has(id) || !catalogueCandidate(t)) continue;
      const out = links.filter((l) => tableId(l.from) === id && !isSelf(l));
      // Pointed at (many-to-one) by other tables, or a link table between catalogues only.
      const joinsCatalogues = out.length > 0 && out.every((l) => catalogues.has(tableId(l.to)));
      if (pointedAt.has(id) || joinsCatalogues) {
        catalogues.add(id);
        changed = true;
      }
    }
  }
  for (const id of catalogues) roles.set(id, 'catalogue');
  for (const l of links) {
    const fromRole = roles.get(tableId(l.from));
    if (!roles.has(tableId(l.to)) && (fromRole === 'person' || fromRole === 'owned') && otherSubjectWhy(l) === undefined) roles.set(tableId(l.to), 'linked');
  }
  const roleOf = (t: TableShape): TableRole => roles.get(tableId(t)) ?? 'other';

  // 4. The collections.
  const collections = kept.map((t): GeneratedCollection => {
    const role = roleOf(t);
    const addressPrefixes = new Set(t.columns.map((c) => columnEvidence(c)?.addressPrefix).filter((x): x is string => x !== undefined));
    const fields = t.columns
      .filter((c) => representable(c.name))
      .map((c): GeneratedField => {
        const primaryKey = t.primaryKey.includes(c.name);
        // A surrogate key or a reference is structure; a column of a composite key that points nowhere is a value (a salary's from_date).
        const key = (primaryKey && t.primaryKey.length === 1) || keyColumns.has(`${tableId(t)}\u0000${c.name}`);
        const suggestion = suggestCategories(c, { role, key, addressPrefixes });
        const field: GeneratedField = {
          name: c.name,
          primaryKey,
          categories: suggestion.categories,
          categoryNote: suggestion.recognised ? `suggested from ${suggestion.reason}` : `suggested: ${suggestion.reason}`,
          personal: suggestion.personal,
          references: [],
          unresolved: unresolved.get(`${tableId(t)}\u0000${c.name}`) ?? [],
        };
        const contact = suggestion.personal && role !== 'other' ? contactOf(c) : undefined;
        if (contact !== undefined && !othersContact(c.name)) {
          field.identity = contact;
          field.identityNote = `suggested: a request finds the person's ${t.name} rows by ${contact === 'email' ? 'email address' : 'phone number'}`;
        }
        if (suggestion.personal && !c.nullable && !primaryKey) {
          const masking = maskingFor(c, field.identity ?? (suggestion.categories[0] === 'user.account.username' ? 'email' : undefined));
          if (masking !== undefined) {
            field.masking = masking;
            field.maskingNote = `suggested: the column is NOT NULL, so an erasure writes ${masking.strategy === 'random_string' ? 'a random string' : 'an empty string'} instead of NULL`;
          } else {
            // No value of a date or a number is safe to write in its place: a CHECK or a partition
            // bound may refuse it, and a made-up date or amount is a false record. Kept, in the open.
            field.readOnly = true;
            field.maskingNote =
              'suggested: NOT NULL and no text: an erasure leaves it as it is (no value of its type is safe to write: a CHECK or a partition may refuse it) while the person\'s other fields are masked; give a masking value, a legal hold or erasure: delete if it must go';
          }
        }
        if (suggestion.categories.some((cat) => cat.startsWith('user.authorization'))) {
          field.excludeFromCopy = 'a password hash or a secret token: disclosing it would weaken the security of the account (Art. 15(4))';
        }
        return field;
      });
    for (const c of t.columns) if (!representable(c.name)) skipped.push(`${display(t)}.${c.name}: a column name a dataset cannot name`);

    for (const l of links.filter((x) => tableId(x.from) === tableId(t))) {
      const why = otherSubjectWhy(l);
      const composite = l.columns.length > 1 ? ` (part of a ${l.columns.length}-column foreign key)` : '';
      const inferred = l.inferred ? `no foreign key declares it, the column name says it holds ${l.to.name}.${l.toColumns[0]}; ` : '';
      l.columns.forEach((column, i) => {
        const field = fields.find((f) => f.name === column);
        const targetColumn = l.toColumns[i];
        if (field === undefined || targetColumn === undefined) return;
        const target = `${l.to.name}.${targetColumn}`;
        if (why !== undefined) {
          field.references.push({ field: target, direction: 'to', otherSubject: true, note: `suggested: ${inferred}${why}; confirm, a request never follows it` });
        } else if (owner.has(tableId(l.to)) && roleOf(l.to) !== 'catalogue') {
          field.references.push({ field: target, direction: 'from', otherSubject: false, note: `suggested: ${inferred}${t.name} rows belong to the person of the ${l.to.name} row they point at${composite}` });
        } else {
          field.references.push({ field: target, direction: 'to', otherSubject: false, note: `suggested: ${inferred}a ${t.name} row points at a ${l.to.name} row${composite}` });
        }
      });
    }

    const collection: GeneratedCollection = { name: t.name, ...(t.schema === undefined ? {} : { schema: t.schema }), role, fields };
    if (primarySet.has(tableId(t))) {
      const subject = PERSON_WORDS[personWord(t) ?? 'customer'] ?? 'customer';
      if (isDataSubject(subject)) {
        collection.subject = subject;
        collection.subjectNote = 'suggested: each row describes one person, entered only through an identity, never through a reference';
      }
    } else if (othersSet.has(tableId(t))) {
      const word = otherPeopleWord(t);
      const subject = word === undefined ? undefined : OTHER_PEOPLE_WORDS[word];
      if (subject !== undefined && isDataSubject(subject)) {
        collection.subject = subject;
        collection.subjectNote = 'suggested: these rows describe other people than the customers; a request about a customer never enters them, an employee\'s request enters through their own identity';
      }
    }
    if (role === 'catalogue') {
      collection.catalogue = true;
      collection.catalogueNote = `suggested: reference data of the organisation (${pointedAt.has(tableId(t)) ? 'other tables point at its rows' : 'it only links reference data'}, and nothing in it is about one person): confirm; a request neither counts its rows as the person's nor changes them`;
    }
    if (role === 'owned') {
      const start = retentionStart(t, fields);
      if (start !== undefined) {
        collection.retentionStart = start;
        collection.retentionStartNote = 'suggested: the date of the event the retention period starts from; confirm';
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

/**
 * The one date that records the event a person's row is about: "order_date" in orders,
 * "InvoiceDate" in Invoice, "payment_date" in payment; else the only "created" date. Undefined
 * when it is not clear (a rental has a rental date and a return date, both named after it).
 */
function retentionStart(t: TableShape, fields: readonly GeneratedField[]): string | undefined {
  const dates = t.columns.filter((c) => typeKind(c.type) === 'date' && fields.find((f) => f.name === c.name)?.personal === true);
  const own = [...tableWords(t)];
  const named = dates.filter((c) => columnWords(c.name).map(singular).some((w) => own.includes(w)));
  if (named.length === 1) return named[0]!.name;
  if (named.length > 1) return undefined;
  const created = dates.filter((c) => columnWords(c.name).some((w) => w === 'created' || w === 'creation'));
  return created.length === 1 ? created[0]!.name : undefined;
}

/**
 * What an erasure writes in a NOT NULL personal-data text column instead of NULL: a random string
 * for an identity (it may be UNIQUE), an empty string otherwise (it fits any length). Undefined
 * for other types (an enumeration, JSON, a UUID, a date, a number): no generic value fits them.
 */
function maskingFor(c: ColumnShape, identity: string | undefined): GeneratedMasking | undefined {
  const type = c.type.toLowerCase();
  if (/enum|^set$|json|uuid/.test(type)) return undefined;
  const kind = typeKind(type);
  if (kind !== 'text' && kind !== 'other') return undefined;
  return identity ? { strategy: 'random_string', length: identity === 'email' ? 16 : 8 } : { strategy: 'fixed', value: '' };
}
