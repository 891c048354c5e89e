/**
 * fideslang data categories guessed from a column's name, its type and the role of its table.
 * Every guess is only a suggestion: the generated dataset marks it as such, and a person confirms
 * it. A wrong "not personal data" is the costly mistake (the copy would call the value
 * uncategorised and an erasure would leave it, Art. 15 and 17), so the rules lean towards
 * personal data when a name says so, and say plainly when nothing was recognised.
 *
 * A name alone is often not enough: "name" is a person's in a customer table and a product's in
 * a catalogue; "state" is an address part beside a city and an order's status elsewhere; an
 * amount or a date says what a person bought and when in their own orders, and nothing in a
 * price list. So each rule says where it applies (the table's role, worked out from the
 * database's structure in generate-dataset.ts).
 */
import type { ColumnShape } from '../../connectors/connector.js';
import { isDataCategory } from '../../reference/taxonomy.js';
import { nameWords, singular } from './name-words.js';

export interface CategorySuggestion {
  categories: string[];
  /** Why, for the YAML comment: never a value, only names. */
  reason: string;
  /** The category is a personal-data one (user.*). */
  personal: boolean;
  /** Something in the name or type was recognised (false: the system.operations fallback). */
  recognised: boolean;
  /** What the matched rule says about a table holding the column (see RuleKind). */
  kind?: RuleKind;
}

export type TypeKind = 'text' | 'number' | 'date' | 'boolean' | 'binary' | 'inet' | 'other';

/** What kind of value a database type holds, across PostgreSQL, MySQL/MariaDB and SQLite names. */
export function typeKind(type: string): TypeKind {
  const t = type.toLowerCase();
  if (t === '' || /char|text|string|clob|citext|enum|json|uuid|name|^set$/.test(t)) return 'text';
  if (/^(inet|cidr)$/.test(t)) return 'inet';
  if (/bool|^bit$/.test(t)) return 'boolean';
  if (/date|time|year/.test(t)) return 'date';
  if (/int|num|dec|real|float|double|money|serial/.test(t)) return 'number';
  if (/blob|bytea|binary/.test(t)) return 'binary';
  return 'other';
}

/**
 * The role of a table, from the database's structure (generate-dataset.ts):
 * - person: each row describes a person (a customer, a staff member, a patient);
 * - owned: the rows belong to a person (their orders, payments, comments, salaries);
 * - linked: the person's rows point at it and it is not reference data (an address);
 * - catalogue: the organisation's reference data (products, cities, stores): nobody's record;
 * - other: none of these (settings, logs the structure does not tie to anyone).
 */
export type TableRole = 'person' | 'owned' | 'linked' | 'catalogue' | 'other';

/**
 * What a matched rule says about a table holding such a column:
 * - individual: data about one person (a first name, a birth date, a password): a table with it
 *   is about people, never reference data;
 * - contact: a way to reach someone or somewhere (an email, a phone, a street): people have them,
 *   and so do an organisation's stores;
 * - context: personal only in a person's rows (an amount, a date, a note, a city in an address).
 */
export type RuleKind = 'individual' | 'contact' | 'context';

/** Where a rule applies. */
type Where =
  /** Anywhere but a catalogue: the name is enough. */
  | 'any'
  /** In a table describing a person: "name", "title", "language". */
  | 'person'
  /** In a person's table or their rows (owned or linked): a note, a company, a website. */
  | 'personal'
  /** In a person's own rows (owned) or a person table: amounts, quantities, dates of events. */
  | 'history'
  /** An address part that means something else alone ("state", "region"): beside another address part, or with an address word before it ("billing_state"). */
  | 'address';

interface Rule {
  /** Any of these phrases (word sequences) in the column name. */
  phrases: string[][];
  category: string;
  /** Value kinds the rule applies to; absent: any. */
  kinds?: TypeKind[];
  where?: Where;
  kind: RuleKind;
}

const p = (...phrases: string[]) => phrases.map((s) => s.split(' '));
const TEXTUAL: TypeKind[] = ['text', 'other'];
const TEXT_OR_NUMBER: TypeKind[] = ['text', 'other', 'number'];

/** Words that say an address part belongs to a person's address, whatever its table ("billing_country", "ShipRegion"). */
export const ADDRESS_WORDS = ['billing', 'shipping', 'ship', 'delivery', 'home', 'invoice', 'invoicing', 'mailing', 'postal', 'residence', 'residential', 'facturation', 'livraison', 'domicile', 'bill'];

/** A column that, in the name, says it is not personal however its table is used: bookkeeping of the row itself. */
const MAINTENANCE: Rule = {
  phrases: p('updated', 'updated at', 'updated on', 'modified', 'modified at', 'last update', 'last updated', 'last modified', 'changed', 'edited', 'synced', 'sync', 'version', 'row version', 'rowversion', 'etag', 'checksum', 'maj', 'modification', 'modif', 'mise jour', 'expires', 'expire', 'expiry', 'expiration', 'expires at', 'ttl', 'valid until', 'deleted', 'deleted at', 'imported', 'indexed', 'cached', 'processed'),
  category: 'system.operations',
  kind: 'context',
};

/** First match wins: specific names before general ones. The maintenance rule sits between the identifiers and the rest. */
export const CATEGORY_RULES: readonly Rule[] = [
  { phrases: p('ip', 'ip address', 'ip addr', 'remote addr', 'remote ip', 'client ip', 'last ip', 'ipv4', 'ipv6'), category: 'user.device.ip_address', kinds: ['text', 'inet', 'binary', 'other', 'number'], kind: 'individual' },
  { phrases: p('user agent', 'useragent', 'browser', 'http user agent'), category: 'user.device', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('email', 'e mail', 'mail', 'courriel', 'mel'), category: 'user.contact.email', kinds: TEXTUAL, kind: 'contact' },
  { phrases: p('fax', 'telecopie'), category: 'user.contact.fax_number', kinds: TEXT_OR_NUMBER, kind: 'contact' },
  { phrases: p('phone', 'tel', 'telephone', 'mobile', 'cell', 'cellphone', 'msisdn', 'gsm', 'portable', 'landline', 'phonenumber'), category: 'user.contact.phone_number', kinds: TEXT_OR_NUMBER, kind: 'contact' },
  { phrases: p('first name', 'given name', 'forename', 'prenom', 'fname', 'middle name', 'vorname'), category: 'user.name.first', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('last name', 'surname', 'family name', 'lname', 'maiden name', 'nom famille', 'nom naissance', 'nom usage', 'nachname', 'apellido'), category: 'user.name.last', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('birth', 'dob', 'birthday', 'birthdate', 'date of birth', 'born', 'naissance', 'ne le'), category: 'user.demographic.date_of_birth', kinds: ['date', 'text', 'other', 'number'], kind: 'individual' },
  { phrases: p('gender', 'sex', 'sexe'), category: 'user.demographic.gender', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('marital', 'marital status', 'situation familiale', 'etat civil', 'civil status'), category: 'user.demographic.marital_status', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('nationality', 'nationalite', 'citizenship'), category: 'user.demographic.citizenship_or_immigration_status', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('ethnicity', 'ethnic', 'race'), category: 'user.demographic.race_ethnicity', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('religion', 'religious'), category: 'user.demographic.religious_belief', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('trade union', 'union membership', 'syndicat'), category: 'user.demographic.union_membership', kind: 'individual' },
  {
    phrases: p('diagnosis', 'diagnostic', 'allergy', 'allergie', 'medication', 'medicament', 'prescription', 'ordonnance', 'treatment', 'traitement', 'symptom', 'symptome', 'blood type', 'groupe sanguin', 'disability', 'handicap', 'medical', 'pathologie', 'antecedent', 'vaccination'),
    category: 'user.health',
    kind: 'individual',
  },
  { phrases: p('iban', 'bic', 'swift', 'bank account', 'account number', 'account no', 'sort code', 'routing number', 'rib', 'bank', 'bancaire'), category: 'user.financial.bank_account', kinds: TEXT_OR_NUMBER, kind: 'individual' },
  { phrases: p('card', 'ccn', 'credit card', 'card number', 'pan', 'cc number', 'cvv', 'cvc', 'last4', 'last 4', 'last four', 'cardholder'), category: 'user.financial.credit_card', kinds: TEXT_OR_NUMBER, kind: 'individual' },
  { phrases: p('password', 'passwd', 'pwd', 'password hash', 'pass hash', 'pass', 'mot passe', 'mdp', 'salt', 'pin', 'pin code'), category: 'user.authorization.password', kinds: [...TEXTUAL, 'binary'], kind: 'individual' },
  {
    phrases: p('token', 'access token', 'refresh token', 'id token', 'api key', 'secret', 'activation key', 'reset key', 'reset token', 'otp', 'totp', 'mfa secret', 'session token', 'remember token'),
    category: 'user.authorization.credentials',
    kinds: [...TEXTUAL, 'binary'],
    kind: 'individual',
  },
  { phrases: p('username', 'user name', 'login', 'user login', 'handle', 'nickname', 'pseudo', 'screen name', 'screenname'), category: 'user.account.username', kinds: TEXTUAL, kind: 'individual' },
  {
    phrases: p('ssn', 'social security', 'national id', 'national insurance', 'ni number', 'nin', 'tax id', 'tax number', 'tin', 'insee', 'nir', 'securite sociale', 'secu', 'sin', 'personnummer'),
    category: 'user.government_id.national_identification_number',
    kinds: TEXT_OR_NUMBER,
    kind: 'individual',
  },
  { phrases: p('passport'), category: 'user.government_id.passport_number', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('driver license', 'drivers license', 'driving licence', 'driving license', 'permis conduire'), category: 'user.government_id.drivers_license_number', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('license plate', 'licence plate', 'plate number', 'vehicle registration', 'immatriculation'), category: 'user.government_id.vehicle_registration', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('insurance number', 'insurance id', 'insurance no', 'policy number', 'mutuelle', 'numero adherent'), category: 'user.health.insurance_beneficiary_id', kinds: TEXT_OR_NUMBER, kind: 'individual' },
  // A number the organisation gave the person: their customer or employee number.
  {
    phrases: p('customer number', 'customer no', 'customer code', 'client number', 'code client', 'numero client', 'member number', 'membership number', 'employee number', 'staff number', 'payroll number', 'personnel number', 'matricule', 'badge number'),
    category: 'user.unique_id',
    kinds: TEXT_OR_NUMBER,
    kind: 'individual',
  },
  { phrases: p('provider account id', 'provider user id', 'external id', 'external user id', 'oauth id', 'openid', 'google id', 'facebook id', 'apple id', 'stripe customer id'), category: 'user.unique_id', kinds: TEXT_OR_NUMBER, kind: 'individual' },
  { phrases: p('avatar', 'selfie', 'portrait', 'profile picture', 'profile image', 'profile photo'), category: 'user.content.self_image', kind: 'individual' },
  MAINTENANCE,
  {
    phrases: p('salary', 'salaire', 'wage', 'pay', 'remuneration', 'bonus', 'compensation', 'commission', 'gross pay', 'net pay', 'hourly rate', 'brut', 'contribution', 'contrib', 'cotisation', 'pension', 'deduction', 'retenue'),     category: 'user.financial',
    kinds: TEXT_OR_NUMBER,
    where: 'history',
    kind: 'context',
  },
  // How the person paid, and the payment provider's reference to it.
  {
    phrases: p('payment method', 'payment type', 'payment mode', 'mode reglement', 'mode paiement', 'moyen paiement', 'transaction id', 'transaction reference', 'payment intent', 'charge id', 'payment reference'),
    category: 'user.financial',
    kinds: TEXTUAL,
    where: 'history',
    kind: 'context',
  },
  // A person's name written beside their role in someone's rows: the customer's name on an order, a comment's author.
  {
    phrases: p('customer name', 'client name', 'contact name', 'recipient name', 'recipient', 'ship name', 'shipping name', 'billing name', 'author', 'author name', 'holder name', 'holder', 'payee', 'beneficiary', 'attendee name', 'guest name', 'patient name', 'passenger name', 'member name', 'employee name', 'nom client', 'destinataire', 'titulaire', 'full name', 'fullname', 'display name', 'nom complet'),
    category: 'user.name',
    kinds: TEXTUAL,
    kind: 'context',
  },
  { phrases: p('civility', 'civilite', 'salutation', 'title of courtesy', 'honorific', 'courtesy'), category: 'user.name', kinds: TEXTUAL, where: 'personal', kind: 'context' },
  { phrases: p('absence', 'absence type', 'leave type', 'sick', 'sickness', 'sick leave', 'maladie', 'arret maladie', 'conge', 'type conge'), category: 'user.professional_information', where: 'history', kind: 'context' },
  { phrases: p('license number', 'licence number', 'registration number', 'professional number', 'specialty', 'speciality', 'specialite', 'qualification', 'diploma', 'diplome'), category: 'user.professional_information', kinds: TEXTUAL, where: 'person', kind: 'context' },
  { phrases: p('hire', 'hired', 'hire date', 'embauche', 'date embauche', 'employment date', 'termination', 'date entree', 'date sortie', 'seniority', 'anciennete', 'contract type', 'type contrat'), category: 'user.professional_information', where: 'history', kind: 'context' },
  { phrases: p('job title', 'job', 'position', 'occupation', 'poste', 'fonction', 'profession', 'title', 'contact title'), category: 'user.professional_information.job_title', kinds: TEXTUAL, where: 'person', kind: 'context' },
  { phrases: p('department', 'dept', 'division', 'team'), category: 'user.professional_information.workplace', kinds: TEXTUAL, where: 'person', kind: 'context' },
  { phrases: p('company', 'company name', 'employer', 'workplace', 'organisation', 'organization', 'societe', 'entreprise', 'raison sociale', 'business name'), category: 'user.professional_information.workplace', kinds: TEXTUAL, where: 'personal', kind: 'context' },
  { phrases: p('website', 'url', 'homepage', 'home page', 'site web', 'linkedin', 'twitter', 'facebook', 'instagram', 'social'), category: 'user.contact.social_url', kinds: TEXTUAL, where: 'personal', kind: 'context' },
  {
    phrases: p('street', 'address line', 'address 1', 'address 2', 'address 3', 'addr 1', 'addr 2', 'line 1', 'line 2', 'house number', 'rue', 'voie', 'numero rue', 'complement adresse', 'adresse 1', 'adresse 2', 'apartment', 'apt', 'strasse'),
    category: 'user.contact.address.street',
    kinds: TEXTUAL,
    kind: 'contact',
  },
  { phrases: p('city', 'town', 'locality', 'ville', 'commune', 'localite', 'municipality'), category: 'user.contact.address.city', kinds: TEXTUAL, kind: 'contact' },
  { phrases: p('zip', 'zipcode', 'zip code', 'postal', 'postcode', 'post code', 'postal code', 'plz', 'code postal', 'cp', 'npa'), category: 'user.contact.address.postal_code', kinds: TEXT_OR_NUMBER, kind: 'contact' },
  { phrases: p('address', 'adresse', 'addr'), category: 'user.contact.address', kinds: TEXTUAL, kind: 'contact' },
  { phrases: p('state', 'region', 'province', 'county', 'district', 'departement', 'canton', 'territory', 'prefecture'), category: 'user.contact.address.state', kinds: TEXTUAL, where: 'address', kind: 'context' },
  { phrases: p('country', 'pays', 'country code'), category: 'user.contact.address.country', kinds: TEXTUAL, where: 'address', kind: 'context' },
  { phrases: p('latitude', 'longitude', 'lat', 'lng', 'lon', 'geo', 'geolocation', 'coordinates', 'gps', 'position gps'), category: 'user.location.precise', kinds: ['number', 'text', 'other'], kind: 'context' },
  { phrases: p('location', 'localisation'), category: 'user.location', kinds: TEXTUAL, where: 'personal', kind: 'context' },
  { phrases: p('device id', 'device', 'idfa', 'advertising id', 'imei', 'udid', 'push token', 'fcm token', 'mac address', 'device token'), category: 'user.device.device_id', kinds: TEXTUAL, kind: 'individual' },
  { phrases: p('cookie', 'cookie id', 'session id', 'session'), category: 'user.device.cookie_id', kinds: TEXTUAL, where: 'personal', kind: 'context' },
  { phrases: p('photo', 'picture', 'image', 'img'), category: 'user.content.self_image', where: 'person', kind: 'context' },
  { phrases: p('language', 'locale', 'lang', 'langue'), category: 'user.demographic.language', kinds: TEXTUAL, where: 'person', kind: 'context' },
  { phrases: p('age'), category: 'user.demographic.age_range', kinds: TEXT_OR_NUMBER, where: 'person', kind: 'context' },
  { phrases: p('genre'), category: 'user.demographic.gender', kinds: TEXTUAL, where: 'person', kind: 'context' },
  { phrases: p('condition', 'conditions'), category: 'user.health', kinds: TEXTUAL, where: 'person', kind: 'context' },
  { phrases: p('consent', 'opt in', 'optin', 'opt out', 'optout', 'newsletter', 'marketing', 'unsubscribed', 'do not contact', 'do not call', 'gdpr', 'rgpd', 'accepts marketing'), category: 'user.privacy_preferences', where: 'personal', kind: 'context' },
  // After username, street, company...: "user_name", "company_name" are those, not the person's name.
  { phrases: p('name', 'nom'), category: 'user.name', kinds: TEXTUAL, where: 'person', kind: 'context' },
  {
    phrases: p('note', 'notes', 'comment', 'comments', 'remark', 'remarks', 'observation', 'observations', 'commentaire', 'remarque', 'message', 'bio', 'biography', 'about', 'memo', 'body', 'content', 'contenu', 'text', 'texte', 'feedback', 'review', 'complaint', 'instructions', 'excerpt', 'meta value', 'value', 'valeur', 'answer', 'reponse', 'motif', 'reason'),
    category: 'user.content.private',
    kinds: TEXTUAL,
    where: 'personal',
    kind: 'context',
  },
  { phrases: p('description', 'details', 'interests', 'hobbies', 'preferences'), category: 'user.content.private', kinds: TEXTUAL, where: 'person', kind: 'context' },
  { phrases: p('title', 'subject', 'sujet', 'objet'), category: 'user.content.private', kinds: TEXTUAL, where: 'history', kind: 'context' },
  // What the person did, when the row records it (an audit log's action), and the period a row of theirs covers (a pay slip's month).
  { phrases: p('action', 'event', 'activity', 'activite', 'period', 'periode'), category: 'user.behavior', kinds: TEXTUAL, where: 'history', kind: 'context' },
  // What they bought: the item on their order line.
  { phrases: p('item name', 'product name', 'item', 'product', 'designation', 'article'), category: 'user.behavior.purchase_history', kinds: TEXTUAL, where: 'history', kind: 'context' },
  {
    phrases: p('amount', 'total', 'price', 'cost', 'sum', 'fee', 'fees', 'paid', 'balance', 'subtotal', 'sub total', 'tax', 'discount', 'quantity', 'qty', 'montant', 'prix', 'cout', 'somme', 'solde', 'remise', 'quantite', 'tva', 'ht', 'ttc', 'frais', 'acompte', 'credit', 'debit', 'refund', 'tip', 'net', 'gross', 'points', 'rating', 'score', 'spent', 'limit'),
    category: 'user.behavior.purchase_history',
    kinds: ['number', 'text', 'other'],
    where: 'history',
    kind: 'context',
  },
];

// A suggestion must be a key the linter and the loader accept: checked once, when loaded.
for (const rule of CATEGORY_RULES) {
  if (!isDataCategory(rule.category)) throw new Error(`suggest-categories: ${rule.category} is not an active fideslang data category`);
}

/** Every word the rules name: a glued name made of them ("firstname", "billingcountry") is split into them. */
export const KNOWN_WORDS: ReadonlySet<string> = new Set([
  ...CATEGORY_RULES.flatMap((r) => r.phrases.flat()),
  ...ADDRESS_WORDS,
  'id', 'date', 'time', 'at', 'on', 'by', 'no', 'number', 'code', 'type', 'status', 'created', 'order', 'customer', 'client', 'user', 'contact', 'employee', 'staff', 'member', 'account', 'person', 'product', 'item', 'line', 'home', 'work', 'office', 'mobile', 'primary', 'secondary', 'other', 'main', 'last', 'first', 'full', 'short', 'long', 'zip', 'post', 'payment', 'invoice', 'rental', 'return', 'commande', 'facture', 'paiement', 'livraison', 'client', 'emp', 'empl', 'cust', 'usr', 'mgr',
].filter((w) => w.length >= 2));

/** Abbreviations of the words that name people, as schemas write them ("emp_no", "cust_id", "mgr_id"). */
const ABBREVIATIONS: Readonly<Record<string, string>> = { emp: 'employee', empl: 'employee', cust: 'customer', usr: 'user', mgr: 'manager' };

/** The words of a column or table name, with glued words split (nameWords with the rules' vocabulary) and abbreviations spelt out. */
export function columnWords(name: string): string[] {
  let words = WORDS_OF.get(name);
  if (words === undefined) {
    words = nameWords(name, KNOWN_WORDS).map((w) => ABBREVIATIONS[w] ?? w);
    WORDS_OF.set(name, words);
  }
  return words;
}
/** Names are read many times while the roles are worked out: once each. */
const WORDS_OF = new Map<string, string[]>();

export interface ColumnContext {
  role: TableRole;
  /** Part of the primary key, a foreign key, or a reference the name says it is: read to find rows, never what the person is. */
  key: boolean;
  /**
   * The words written before the unambiguous address parts of the table ("" for "city", "billing"
   * for "billing_city"): "state" beside "city", or "BillingState" beside "BillingCity", is an address part.
   */
  addressPrefixes: ReadonlySet<string>;
}

interface Match {
  rule: Rule;
  phrase: string[];
  /** The words before the phrase in the name. */
  prefix: string[];
}

/**
 * Where the phrase starts in the name's words (each word also read in the singular; a phrase
 * written as one glued word counts too: "firstname"), or -1.
 */
function phraseAt(words: readonly string[], phrase: readonly string[]): number {
  const singulars = singularsOf(words);
  const joined = phrase.length > 1 ? phrase.join('') : undefined;
  for (let i = 0; i < words.length; i++) {
    if (joined !== undefined && words[i] === joined) return i;
    if (phrase.every((w, j) => words[i + j] === w || singulars[i + j] === w)) return i;
  }
  return -1;
}
const singularsOf = (words: readonly string[]): readonly string[] => {
  let found = SINGULARS.get(words);
  if (found === undefined) SINGULARS.set(words, (found = words.map(singular)));
  return found;
};
const SINGULARS = new WeakMap<readonly string[], readonly string[]>();

/** The rules with a phrase starting with (or glued into) each word: a name is held only against the rules its words can start. */
const RULES_BY_WORD = new Map<string, Set<Rule>>();
for (const rule of [...CATEGORY_RULES, MAINTENANCE]) {
  for (const phrase of rule.phrases) {
    for (const w of [phrase[0]!, phrase.join('')]) RULES_BY_WORD.set(w, (RULES_BY_WORD.get(w) ?? new Set()).add(rule));
  }
}
function candidateRules(words: readonly string[]): Set<Rule> {
  const found = new Set<Rule>();
  for (const w of [...words, ...singularsOf(words)]) for (const rule of RULES_BY_WORD.get(w) ?? []) found.add(rule);
  return found;
}

/** The first rule whose phrase and value kind fit the column, where it applies or not. */
function matchRule(column: ColumnShape, rules: readonly Rule[]): Match | undefined {
  const words = columnWords(column.name);
  const kind = typeKind(column.type);
  const candidates = candidateRules(words);
  for (const rule of rules) {
    if (!candidates.has(rule) || (rule.kinds !== undefined && !rule.kinds.includes(kind))) continue;
    for (const phrase of rule.phrases) {
      const at = phraseAt(words, phrase);
      if (at < 0) continue;
      return { rule, phrase, prefix: words.slice(0, at) };
    }
  }
  return undefined;
}

/**
 * What the name and type say, before the table's role is known: used to work out the roles
 * (a table with a first name is about people; a table with only a name and a code may be a
 * catalogue). The address prefix is given for contact address parts.
 */
export type Evidence = { kind: RuleKind; category: string; addressPrefix?: string } | undefined;

export function columnEvidence(column: ColumnShape): Evidence {
  if (EVIDENCE_OF.has(column)) return EVIDENCE_OF.get(column);
  const evidence = readEvidence(column);
  EVIDENCE_OF.set(column, evidence);
  return evidence;
}
const EVIDENCE_OF = new WeakMap<ColumnShape, Evidence>();

function readEvidence(column: ColumnShape): Evidence {
  if (typeKind(column.type) === 'inet') return { kind: 'individual', category: 'user.device.ip_address' };
  const match = matchRule(column, CATEGORY_RULES);
  if (match === undefined || match.rule.category === 'system.operations') return undefined;
  const addressPart = match.rule.category.startsWith('user.contact.address');
  return { kind: match.rule.kind, category: match.rule.category, ...(addressPart && match.rule.kind === 'contact' ? { addressPrefix: match.prefix.join(' ') } : {}) };
}

function applies(match: Match, context: ColumnContext): boolean {
  const where = match.rule.where ?? 'any';
  const role = context.role;
  switch (where) {
    case 'any':
      return true;
    case 'person':
      return role === 'person';
    case 'personal':
      return role === 'person' || role === 'owned' || role === 'linked';
    case 'history':
      return role === 'person' || role === 'owned';
    case 'address': {
      const prefix = match.prefix.join(' ');
      if (match.prefix.some((w) => ADDRESS_WORDS.includes(w))) return true;
      if (context.addressPrefixes.has(prefix)) return true;
      // A person's region or country needs no street beside it; a person's "state" may be their account's.
      return role === 'person' && !(match.phrase.length === 1 && match.phrase[0] === 'state');
    }
  }
}

/** A key that holds a person's email, phone or secret (an email or a session token as the primary key) is their data; any other key is structure. */
const VALUE_IDENTIFIERS = new Set(['user.contact.email', 'user.contact.phone_number', 'user.authorization.credentials', 'user.authorization.password']);

/**
 * Last words that say a column classifies its row rather than holding a value ("comment_type",
 * "token_type", "post_status", "comment_approved"): not personal, unless a rule's phrase ends with
 * the word itself ("blood_type", "absence_type").
 */
const DESCRIPTOR_WORDS = new Set(['type', 'kind', 'status', 'statut', 'approved', 'count', 'format']);

function describesTheRow(words: readonly string[]): boolean {
  const last = words.at(-1);
  if (last === undefined || words.length < 2 || !DESCRIPTOR_WORDS.has(last)) return false;
  return !CATEGORY_RULES.some((r) => r.phrases.some((ph) => ph.length > 1 && ph.at(-1) === last && phraseAt(words.slice(-ph.length), ph) === 0));
}

export function suggestCategories(column: ColumnShape, context: ColumnContext): CategorySuggestion {
  const kind = typeKind(column.type);
  const operations = (reason: string, recognised = true): CategorySuggestion => ({ categories: ['system.operations'], reason, personal: false, recognised });
  if (context.role === 'catalogue') return operations("its table, a catalogue (the organisation's reference data, nobody's record)");
  if (kind === 'inet') return { categories: ['user.device.ip_address'], reason: `the column type ${column.type}`, personal: true, recognised: true, kind: 'individual' };
  const match = matchRule(column, CATEGORY_RULES);
  // A key is read to find rows; only a key that is itself a person's identifier (an email as the key) is personal data.
  if (context.key && (match === undefined || !VALUE_IDENTIFIERS.has(match.rule.category))) return operations('a key (read to find rows, never masked)');
  if (match !== undefined && match.rule.category === 'system.operations') return operations(`the column name ("${match.phrase.join(' ')}": bookkeeping of the row)`);
  const words = columnWords(column.name);
  if (describesTheRow(words)) return operations(`the column name ("${words.at(-1)}": it says what kind of row this is)`);
  // The first rule of the name decides; if it does not apply to this table, later rules may ("title" of a post, not a person's job title).
  const candidates = candidateRules(words);
  for (const rule of CATEGORY_RULES) {
    if (rule === MAINTENANCE || !candidates.has(rule) || (rule.kinds !== undefined && !rule.kinds.includes(kind))) continue;
    let at = -1;
    const phrase = rule.phrases.find((ph) => (at = phraseAt(words, ph)) >= 0);
    if (phrase === undefined) continue;
    const m: Match = { rule, phrase, prefix: words.slice(0, at) };
    if (!applies(m, context)) continue;
    return { categories: [rule.category], reason: `the column name ("${phrase.join(' ')}")`, personal: rule.category.startsWith('user'), recognised: true, kind: rule.kind };
  }
  // A date in a person's own rows says when they did something: an order's date, a rental's return, a login.
  if (kind === 'date' && (context.role === 'owned' || context.role === 'person')) {
    return { categories: ['user.behavior'], reason: "a date in a person's rows (when they did something)", personal: true, recognised: true, kind: 'context' };
  }
  if (phraseAt(words, ['id']) >= 0) return operations('an id column');
  return operations('nothing recognised in the name; review whether it holds personal data', false);
}
