/**
 * The generator's guesses, without a database: category rules by name and type, which tables a
 * request enters and which references it may follow, and what the format cannot hold.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnShape, TableShape } from '../../src/connectors/connector.js';
import { datasetKeyFrom, generateDataset } from '../../src/dataset/generate/generate-dataset.js';
import { nameWords } from '../../src/dataset/generate/name-words.js';
import { CATEGORY_RULES, columnWords, suggestCategories, type ColumnContext, type TableRole } from '../../src/dataset/generate/suggest-categories.js';
import { writeDatasetYaml } from '../../src/dataset/generate/write-dataset-yaml.js';
import { isDataCategory } from '../../src/reference/taxonomy.js';

const col = (name: string, type = 'text', nullable = true): ColumnShape => ({ name, type, nullable });
const context = (role: TableRole, addressPrefixes: string[] = []): ColumnContext => ({ role, key: false, addressPrefixes: new Set(addressPrefixes) });
const plain = context('other');
const person = context('person');
const cat = (name: string, type = 'text', ctx = person) => suggestCategories(col(name, type), ctx).categories[0];

describe('names as words', () => {
  it('splits camelCase, PascalCase with acronyms, digits, accents, filler words and glued known words', () => {
    expect(nameWords('IPAddress')).toEqual(['ip', 'address']);
    expect(nameWords('CustomerID')).toEqual(['customer', 'id']);
    expect(nameWords('address1')).toEqual(['address', '1']);
    expect(nameWords('Prénom')).toEqual(['prenom']);
    expect(nameWords('date_de_naissance')).toEqual(['date', 'naissance']);
    expect(columnWords('billingcountry')).toEqual(['billing', 'country']);
    expect(columnWords('hiredate')).toEqual(['hire', 'date']);
    // Never split into pieces that are not all known, or too short to mean anything.
    expect(columnWords('company')).toEqual(['company']);
    expect(columnWords('hotel')).toEqual(['hotel']);
  });
});

describe('category suggestions', () => {
  it('only suggests active fideslang categories', () => {
    for (const rule of CATEGORY_RULES) expect(isDataCategory(rule.category), rule.category).toBe(true);
  });

  it('reads names as whole words, in snake_case, camelCase and glued forms', () => {
    expect(nameWords('billingEmailAddress')).toEqual(['billing', 'email', 'address']);
    expect(cat('billingEmail')).toBe('user.contact.email');
    expect(cat('firstname')).toBe('user.name.first');
    expect(cat('LastName')).toBe('user.name.last');
    expect(cat('mobile_phone')).toBe('user.contact.phone_number');
    expect(cat('dob', 'date')).toBe('user.demographic.date_of_birth');
    expect(cat('last_ip')).toBe('user.device.ip_address');
    expect(cat('shipping_zip')).toBe('user.contact.address.postal_code');
    expect(cat('iban')).toBe('user.financial.bank_account');
    expect(cat('card_number')).toBe('user.financial.credit_card');
    expect(cat('updated_at', 'timestamp')).toBe('system.operations');
    // "zip" is not "ip", "hotel" is not "tel".
    expect(cat('hotel', 'text', plain)).toBe('system.operations');
    expect(cat('company_name')).toBe('user.professional_information.workplace');
    expect(cat('user_name')).toBe('user.account.username');
  });

  it('reads French, prefixed and abbreviated names', () => {
    expect(cat('prénom')).toBe('user.name.first');
    expect(cat('nom')).toBe('user.name');
    expect(cat('téléphone')).toBe('user.contact.phone_number');
    expect(cat('courriel')).toBe('user.contact.email');
    expect(cat('code_postal')).toBe('user.contact.address.postal_code');
    expect(cat('date_naissance', 'date')).toBe('user.demographic.date_of_birth');
    expect(cat('sexe')).toBe('user.demographic.gender');
    expect(cat('salaire', 'numeric')).toBe('user.financial');
    expect(cat('date_embauche', 'date')).toBe('user.professional_information');
    expect(cat('cust_addr')).toBe('user.contact.address');
    expect(cat('tel_portable')).toBe('user.contact.phone_number');
    expect(cat('DOB', 'date')).toBe('user.demographic.date_of_birth');
  });

  it("reads a name by its table's role: an amount or a date is a person's in their own rows, nothing in a catalogue", () => {
    const owned = context('owned');
    expect(cat('total', 'numeric', owned)).toBe('user.behavior.purchase_history');
    expect(cat('order_date', 'date', owned)).toBe('user.behavior');
    expect(cat('notes', 'text', owned)).toBe('user.content.private');
    expect(cat('total', 'numeric', plain)).toBe('system.operations');
    expect(cat('order_date', 'date', plain)).toBe('system.operations');
    expect(cat('email', 'text', context('catalogue'))).toBe('system.operations');
    expect(cat('city', 'text', context('catalogue'))).toBe('system.operations');
    // A key is structure, unless it is itself the person's email.
    expect(suggestCategories(col('address_id'), { ...person, key: true }).categories).toEqual(['system.operations']);
    expect(suggestCategories(col('email'), { ...person, key: true }).categories).toEqual(['user.contact.email']);
  });

  it('reads an ambiguous address part as one beside another address part or after an address word', () => {
    expect(cat('billing_country', 'text', plain)).toBe('user.contact.address.country');
    expect(cat('ShipRegion', 'text', plain)).toBe('user.contact.address.state');
    expect(cat('state', 'text', context('owned', ['']))).toBe('user.contact.address.state');
    expect(cat('BillingState', 'text', context('owned', ['billing']))).toBe('user.contact.address.state');
    // An order's state is its status; a person's state alone may be their account's.
    expect(cat('state', 'text', context('owned'))).toBe('system.operations');
    expect(cat('state', 'text', person)).toBe('system.operations');
    expect(cat('region', 'text', person)).toBe('user.contact.address.state');
    expect(cat('country', 'text', person)).toBe('user.contact.address.country');
  });

  it('uses the type: a boolean is not an email, an inet column is an IP address, a product name is not a person name', () => {
    expect(cat('email_verified', 'boolean')).toBe('system.operations');
    // When the person last logged in is about them; when the row was last updated is not.
    expect(cat('last_login', 'timestamp without time zone')).toBe('user.behavior');
    expect(cat('updated_at', 'timestamp without time zone')).toBe('system.operations');
    expect(cat('last_login', 'timestamp without time zone', plain)).toBe('system.operations');
    expect(cat('origin', 'inet')).toBe('user.device.ip_address');
    expect(cat('name', 'text', plain)).toBe('system.operations');
    expect(cat('name', 'character varying', person)).toBe('user.name');
    expect(suggestCategories(col('notes'), plain)).toMatchObject({ recognised: false, personal: false });
  });
});

const table = (name: string, columns: ColumnShape[], primaryKey: string[], foreignKeys: TableShape['foreignKeys'] = [], schema?: string): TableShape => ({
  ...(schema ? { schema } : {}),
  name,
  columns,
  primaryKey,
  foreignKeys,
});

describe('generateDataset', () => {
  it('falls back to a users table as the person when there is no customer table, and flags a manager self-reference', () => {
    const d = generateDataset(
      [
        table('users', [col('id', 'int'), col('email'), col('manager_id', 'int')], ['id'], [{ columns: ['manager_id'], references: { name: 'users', columns: ['id'] } }]),
        table('posts', [col('id', 'int'), col('user_id', 'int'), col('body')], ['id'], [{ columns: ['user_id'], references: { name: 'users', columns: ['id'] } }]),
        table('comments', [col('id', 'int'), col('post_id', 'int'), col('parent_id', 'int')], ['id'], [
          { columns: ['post_id'], references: { name: 'posts', columns: ['id'] } },
          { columns: ['parent_id'], references: { name: 'comments', columns: ['id'] } },
        ]),
      ],
      { key: 'blog' },
    );
    const users = d.collections.find((c) => c.name === 'users')!;
    expect(users.subject).toBe('customer');
    expect(users.fields.find((f) => f.name === 'email')!.identity).toBe('email');
    expect(users.fields.find((f) => f.name === 'manager_id')!.references).toMatchObject([{ field: 'users.id', direction: 'to', otherSubject: true }]);
    const posts = d.collections.find((c) => c.name === 'posts')!;
    expect(posts.fields.find((f) => f.name === 'user_id')!.references).toMatchObject([{ field: 'users.id', direction: 'from', otherSubject: false }]);
    const comments = d.collections.find((c) => c.name === 'comments')!;
    expect(comments.fields.find((f) => f.name === 'post_id')!.references).toMatchObject([{ direction: 'from', otherSubject: false }]);
    // A reply's parent comment may be someone else's: never followed.
    expect(comments.fields.find((f) => f.name === 'parent_id')!.references).toMatchObject([{ field: 'comments.id', direction: 'to', otherSubject: true }]);
  });

  it('leaves out what the format cannot name, and a second table of the same name in another schema, saying why', () => {
    const d = generateDataset(
      [
        table('customer', [col('id', 'int'), col('email'), col('a.b')], ['id']),
        table('customer', [col('id', 'int')], ['id'], [], 'archive'),
        table('bad.name', [col('id', 'int')], ['id']),
        table('invoice', [col('id', 'int'), col('customer_id', 'int')], ['id'], [{ columns: ['customer_id'], references: { schema: 'billing', name: 'account', columns: ['id'] } }]),
      ],
      { key: 'shop' },
    );
    expect(d.collections.map((c) => c.name)).toEqual(['customer', 'invoice']);
    expect(d.skipped).toEqual([
      'archive.customer: a table named customer is already in the dataset (customer); generate a separate dataset for its schema',
      'bad.name: its name has a dot, a control character or a space at an end, which a dataset cannot name',
      'customer.a.b: a column name a dataset cannot name',
    ]);
    const invoiceField = d.collections[1]!.fields.find((f) => f.name === 'customer_id')!;
    expect(invoiceField.references).toEqual([]);
    expect(invoiceField.unresolved).toEqual(['billing.account.id']);
    const yaml = writeDatasetYaml(d, { source: 'test' });
    expect(yaml).toContain('# references billing.account.id, a table outside this dataset: add its schema (--schema) or a reference by hand');
    expect(yaml).toContain('#   archive.customer: a table named customer');
  });

  it('marks lookup tables catalogues by structure: pointed at, nothing about one person, no way back to a person', () => {
    const d = generateDataset(
      [
        table('country', [col('country_id', 'int'), col('country')], ['country_id']),
        table('city', [col('city_id', 'int'), col('city'), col('country_id', 'int')], ['city_id'], [{ columns: ['country_id'], references: { name: 'country', columns: ['country_id'] } }]),
        table('address', [col('address_id', 'int'), col('address'), col('postal_code'), col('phone'), col('city_id', 'int')], ['address_id'], [{ columns: ['city_id'], references: { name: 'city', columns: ['city_id'] } }]),
        table('store', [col('store_id', 'int'), col('phone'), col('address_id', 'int'), col('manager_staff_id', 'int')], ['store_id'], [
          { columns: ['address_id'], references: { name: 'address', columns: ['address_id'] } },
          { columns: ['manager_staff_id'], references: { name: 'staff', columns: ['staff_id'] } },
        ]),
        table('staff', [col('staff_id', 'int'), col('first_name'), col('email'), col('store_id', 'int')], ['staff_id'], [{ columns: ['store_id'], references: { name: 'store', columns: ['store_id'] } }]),
        table('customer', [col('customer_id', 'int'), col('email'), col('address_id', 'int'), col('store_id', 'int')], ['customer_id'], [
          { columns: ['address_id'], references: { name: 'address', columns: ['address_id'] } },
          { columns: ['store_id'], references: { name: 'store', columns: ['store_id'] } },
        ]),
      ],
      { key: 'shop' },
    );
    const c = (name: string) => d.collections.find((x) => x.name === name)!;
    expect(d.collections.filter((x) => x.catalogue).map((x) => x.name).sort()).toEqual(['city', 'country', 'store']);
    expect(c('city').fields.find((f) => f.name === 'city')!.categories).toEqual(['system.operations']);
    // An address holds a person's street and phone: not reference data.
    expect(c('address').role).toBe('linked');
    expect(c('address').fields.find((f) => f.name === 'postal_code')!.personal).toBe(true);
    // The staff's email is an identity too; the store's manager is another person.
    expect(c('staff').fields.find((f) => f.name === 'email')!.identity).toBe('email');
    expect(c('store').fields.find((f) => f.name === 'manager_staff_id')!.references).toMatchObject([{ direction: 'to', otherSubject: true }]);
  });

  it("follows a staff member's own rows from their record, and flags the staff on a customer's rows", () => {
    const d = generateDataset(
      [
        table('employee', [col('id', 'int'), col('email'), col('hire_date', 'date'), col('job_title')], ['id']),
        table('salary', [col('id', 'int'), col('employee_id', 'int'), col('amount', 'numeric'), col('from_date', 'date')], ['id'], [{ columns: ['employee_id'], references: { name: 'employee', columns: ['id'] } }]),
        table('customer', [col('id', 'int'), col('email')], ['id']),
        table('orders', [col('id', 'int'), col('customer_id', 'int'), col('employee_id', 'int'), col('total', 'numeric'), col('billing_country')], ['id'], [
          { columns: ['customer_id'], references: { name: 'customer', columns: ['id'] } },
          { columns: ['employee_id'], references: { name: 'employee', columns: ['id'] } },
        ]),
      ],
      { key: 'hr' },
    );
    const f = (t: string, n: string) => d.collections.find((x) => x.name === t)!.fields.find((x) => x.name === n)!;
    expect(f('salary', 'employee_id').references).toMatchObject([{ field: 'employee.id', direction: 'from', otherSubject: false }]);
    expect(f('salary', 'amount').personal).toBe(true);
    expect(f('employee', 'hire_date').personal).toBe(true);
    expect(f('employee', 'job_title').categories).toEqual(['user.professional_information.job_title']);
    expect(f('orders', 'employee_id').references).toMatchObject([{ field: 'employee.id', direction: 'to', otherSubject: true }]);
    expect(f('orders', 'total').personal).toBe(true);
    expect(f('orders', 'billing_country').personal).toBe(true);
    expect(d.collections.find((x) => x.name === 'orders')!.retentionStart).toBeUndefined();
  });

  it('reads references from column names where the database declares no foreign key, and enters a guest table through its email', () => {
    const d = generateDataset(
      [
        table('wp_users', [col('ID', 'bigint'), col('user_email'), col('user_pass')], ['ID']),
        table('wp_usermeta', [col('umeta_id', 'bigint'), col('user_id', 'bigint'), col('meta_key'), col('meta_value')], ['umeta_id']),
        table('wp_comments', [col('comment_ID', 'bigint'), col('comment_author_email'), col('comment_content'), col('comment_date', 'datetime')], ['comment_ID']),
      ],
      { key: 'blog' },
    );
    const f = (t: string, n: string) => d.collections.find((x) => x.name === t)!.fields.find((x) => x.name === n)!;
    expect(f('wp_usermeta', 'user_id').references).toMatchObject([{ field: 'wp_users.ID', direction: 'from', otherSubject: false }]);
    expect(f('wp_usermeta', 'user_id').references[0]!.note).toMatch(/no foreign key declares it/);
    expect(f('wp_usermeta', 'meta_value').personal).toBe(true);
    expect(f('wp_users', 'user_pass').excludeFromCopy).toMatch(/password/);
    expect(f('wp_comments', 'comment_author_email').identity).toBe('email');
    expect(f('wp_comments', 'comment_content').personal).toBe(true);
    expect(f('wp_comments', 'comment_date').personal).toBe(true);
  });

  it("reads a profile table pointing at the user it extends as that user's, and the practitioner on a patient's appointment as another person", () => {
    const fk = (column: string, to: string) => ({ columns: [column], references: { name: to, columns: ['id'] } });
    const d = generateDataset(
      [
        table('User', [col('id'), col('email'), col('name')], ['id']),
        table('PatientProfile', [col('id'), col('userId'), col('dateOfBirth', 'date'), col('phoneNumber')], ['id'], [fk('userId', 'User')]),
        table('Practitioner', [col('id'), col('userId'), col('bio')], ['id'], [fk('userId', 'User')]),
        table('Appointment', [col('id'), col('patientId'), col('practitionerId'), col('startsAt', 'timestamp'), col('notes')], ['id'], [fk('patientId', 'PatientProfile'), fk('practitionerId', 'Practitioner')]),
      ],
      { key: 'clinic' },
    );
    const c = (name: string) => d.collections.find((x) => x.name === name)!;
    const f = (t: string, n: string) => c(t).fields.find((x) => x.name === n)!;
    expect(c('User').subject).toBe('customer');
    expect(c('PatientProfile').subject).toBeUndefined();
    expect(f('PatientProfile', 'userId').references).toMatchObject([{ field: 'User.id', direction: 'from', otherSubject: false }]);
    expect(f('PatientProfile', 'phoneNumber').identity).toBe('phone_number');
    expect(f('Appointment', 'patientId').references).toMatchObject([{ direction: 'from', otherSubject: false }]);
    expect(f('Appointment', 'practitionerId').references).toMatchObject([{ direction: 'to', otherSubject: true }]);
    expect(f('Appointment', 'notes').personal).toBe(true);
    expect(f('Practitioner', 'bio').personal).toBe(true);
  });

  it('describes an inheritance child through its parent, saying which of its own columns are not read', () => {
    const d = generateDataset(
      [
        table('events', [col('id', 'int'), col('customer_email'), col('at', 'timestamp')], ['id']),
        { ...table('events_2024_01', [col('id', 'int'), col('customer_email'), col('at', 'timestamp'), col('extra')], []), inherits: { name: 'events' } },
      ],
      { key: 'log' },
    );
    expect(d.collections.map((c) => c.name)).toEqual(['events']);
    expect(d.skipped).toEqual(['events_2024_01: inherits from events, whose statements read and change its rows too; its own columns (extra) are not read through events: describe them by hand if they hold personal data']);
  });

  it('derives a dataset key from a database or file name', () => {
    expect(datasetKeyFrom('Web Shop.db')).toBe('web_shop');
    expect(datasetKeyFrom('shop.sqlite3')).toBe('shop');
    expect(datasetKeyFrom('___')).toBe('dataset');
  });
});
