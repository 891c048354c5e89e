/**
 * fideslang data categories guessed from a column's name and type. Every guess is only a
 * suggestion: the generated dataset marks it as such, and a person confirms it. A wrong "not
 * personal data" is the costly mistake (an erasure would leave the value), so the rules lean
 * towards personal data when a name says so, and say plainly when nothing was recognised.
 */
import type { ColumnShape } from '../../connectors/connector.js';
import { isDataCategory } from '../../reference/taxonomy.js';
import { hasPhrase, nameWords } from './name-words.js';

export interface CategorySuggestion {
  categories: string[];
  /** Why, for the YAML comment: never a value, only names. */
  reason: string;
  /** The category is a personal-data one (user.*). */
  personal: boolean;
  /** Something in the name or type was recognised (false: the system.operations fallback). */
  recognised: boolean;
}

type TypeKind = 'text' | 'number' | 'date' | 'boolean' | 'binary' | 'inet' | 'other';

/** What kind of value a database type holds, across PostgreSQL, MySQL/MariaDB and SQLite names. */
export function typeKind(type: string): TypeKind {
  const t = type.toLowerCase();
  if (t === '' || /char|text|string|clob|citext|enum|json|uuid|name/.test(t)) return 'text';
  if (/^(inet|cidr)$/.test(t)) return 'inet';
  if (/bool|^bit$/.test(t)) return 'boolean';
  if (/date|time|year/.test(t)) return 'date';
  if (/int|num|dec|real|float|double|money|serial/.test(t)) return 'number';
  if (/blob|bytea|binary/.test(t)) return 'binary';
  return 'other';
}

interface Rule {
  /** Any of these phrases (word sequences) in the column name. */
  phrases: string[][];
  category: string;
  /** Value kinds the rule applies to; absent: any. */
  kinds?: TypeKind[];
  /** Only in a table describing people (a customer, a staff member): "name" of a product is not a person's name. */
  personTableOnly?: boolean;
}

const p = (...phrases: string[]) => phrases.map((s) => s.split(' '));
const TEXTUAL: TypeKind[] = ['text', 'other'];

/** First match wins: specific names before general ones. */
export const CATEGORY_RULES: readonly Rule[] = [
  { phrases: p('ip', 'ip address', 'ip addr', 'remote addr', 'last ip', 'ipv4', 'ipv6'), category: 'user.device.ip_address', kinds: ['text', 'inet', 'binary', 'other'] },
  { phrases: p('email', 'e mail', 'mail'), category: 'user.contact.email', kinds: TEXTUAL },
  { phrases: p('fax'), category: 'user.contact.fax_number', kinds: [...TEXTUAL, 'number'] },
  { phrases: p('phone', 'tel', 'telephone', 'mobile', 'cell', 'cellphone', 'msisdn'), category: 'user.contact.phone_number', kinds: [...TEXTUAL, 'number'] },
  { phrases: p('first name', 'given name', 'forename', 'prenom'), category: 'user.name.first', kinds: TEXTUAL },
  { phrases: p('last name', 'surname', 'family name', 'nom'), category: 'user.name.last', kinds: TEXTUAL },
  { phrases: p('birth', 'dob', 'birthday', 'birthdate', 'date of birth', 'born'), category: 'user.demographic.date_of_birth', kinds: ['date', 'text', 'other'] },
  { phrases: p('gender', 'sex'), category: 'user.demographic.gender', kinds: TEXTUAL },
  { phrases: p('iban', 'bic', 'swift', 'bank account', 'account number', 'sort code', 'routing number'), category: 'user.financial.bank_account', kinds: [...TEXTUAL, 'number'] },
  { phrases: p('card', 'ccn', 'credit card', 'card number', 'pan', 'cc number', 'cvv', 'cvc'), category: 'user.financial.credit_card', kinds: [...TEXTUAL, 'number'] },
  { phrases: p('password', 'passwd', 'pwd', 'password hash', 'pass hash'), category: 'user.authorization.password', kinds: [...TEXTUAL, 'binary'] },
  { phrases: p('username', 'user name', 'login', 'handle', 'nickname'), category: 'user.account.username', kinds: TEXTUAL },
  { phrases: p('ssn', 'social security', 'national id', 'nin', 'tax id', 'insee', 'nir'), category: 'user.government_id.national_identification_number', kinds: [...TEXTUAL, 'number'] },
  { phrases: p('passport'), category: 'user.government_id.passport_number', kinds: TEXTUAL },
  { phrases: p('driver license', 'drivers license', 'driving licence', 'driving license'), category: 'user.government_id.drivers_license_number', kinds: TEXTUAL },
  { phrases: p('street', 'address line', 'address1', 'address2', 'line1', 'line2', 'house number'), category: 'user.contact.address.street', kinds: TEXTUAL },
  { phrases: p('city', 'town', 'locality'), category: 'user.contact.address.city', kinds: TEXTUAL },
  { phrases: p('zip', 'zipcode', 'zip code', 'postal', 'postcode', 'post code', 'postal code', 'plz'), category: 'user.contact.address.postal_code', kinds: [...TEXTUAL, 'number'] },
  { phrases: p('province', 'county', 'state province'), category: 'user.contact.address.state', kinds: TEXTUAL },
  { phrases: p('country'), category: 'user.contact.address.country', kinds: TEXTUAL, personTableOnly: true },
  { phrases: p('address'), category: 'user.contact.address', kinds: TEXTUAL },
  { phrases: p('latitude', 'longitude', 'lat', 'lng', 'lon', 'geo', 'geolocation', 'coordinates'), category: 'user.location.precise', kinds: ['number', 'text', 'other'] },
  { phrases: p('device id', 'device', 'idfa', 'advertising id'), category: 'user.device.device_id', kinds: TEXTUAL },
  { phrases: p('cookie', 'cookie id', 'session id'), category: 'user.device.cookie_id', kinds: TEXTUAL },
  { phrases: p('avatar', 'photo', 'picture', 'selfie', 'portrait'), category: 'user.content.self_image' },
  { phrases: p('language', 'locale', 'lang'), category: 'user.demographic.language', kinds: TEXTUAL, personTableOnly: true },
  { phrases: p('job title', 'position', 'occupation'), category: 'user.professional_information.job_title', kinds: TEXTUAL, personTableOnly: true },
  { phrases: p('company', 'employer', 'workplace', 'organisation', 'organization'), category: 'user.professional_information.workplace', kinds: TEXTUAL, personTableOnly: true },
  // After username, street, company...: "user_name", "company_name" are those, not the person's name.
  { phrases: p('full name', 'display name', 'contact name', 'name'), category: 'user.name', kinds: TEXTUAL, personTableOnly: true },
  { phrases: p('consent', 'opt in', 'optin', 'opt out', 'optout', 'newsletter', 'marketing', 'unsubscribed'), category: 'user.privacy_preferences' },
  { phrases: p('created at', 'updated at', 'deleted at', 'modified at', 'created on', 'updated on', 'created', 'updated', 'modified', 'version', 'row version'), category: 'system.operations' },
];

// A suggestion must be a key the linter and the loader accept: checked once, when loaded.
for (const rule of CATEGORY_RULES) {
  if (!isDataCategory(rule.category)) throw new Error(`suggest-categories: ${rule.category} is not an active fideslang data category`);
}

export interface ColumnContext {
  /** The table describes people (customer, user, staff...). */
  personTable: boolean;
  primaryKey: boolean;
  foreignKey: boolean;
}

export function suggestCategories(column: ColumnShape, context: ColumnContext): CategorySuggestion {
  const words = nameWords(column.name);
  const kind = typeKind(column.type);
  if (kind === 'inet') return { categories: ['user.device.ip_address'], reason: `the column type ${column.type}`, personal: true, recognised: true };
  for (const rule of CATEGORY_RULES) {
    if (rule.kinds !== undefined && !rule.kinds.includes(kind)) continue;
    if (rule.personTableOnly && !context.personTable) continue;
    const phrase = rule.phrases.find((ph) => hasPhrase(words, ph));
    if (phrase === undefined) continue;
    return { categories: [rule.category], reason: `the column name ("${phrase.join(' ')}")`, personal: rule.category.startsWith('user'), recognised: true };
  }
  if (context.primaryKey || context.foreignKey || hasPhrase(words, ['id'])) {
    return { categories: ['system.operations'], reason: context.foreignKey ? 'a foreign key' : context.primaryKey ? 'the primary key' : 'an id column', personal: false, recognised: true };
  }
  return { categories: ['system.operations'], reason: 'nothing recognised in the name; review whether it holds personal data', personal: false, recognised: false };
}
