/**
 * The generator's guesses, without a database: category rules by name and type, which tables a
 * request enters and which references it may follow, and what the format cannot hold.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnShape, TableShape } from '../../src/connectors/connector.js';
import { datasetKeyFrom, generateDataset } from '../../src/dataset/generate/generate-dataset.js';
import { nameWords } from '../../src/dataset/generate/name-words.js';
import { CATEGORY_RULES, suggestCategories } from '../../src/dataset/generate/suggest-categories.js';
import { writeDatasetYaml } from '../../src/dataset/generate/write-dataset-yaml.js';
import { isDataCategory } from '../../src/reference/taxonomy.js';

const col = (name: string, type = 'text', nullable = true): ColumnShape => ({ name, type, nullable });
const plain = { personTable: false, primaryKey: false, foreignKey: false };
const person = { ...plain, personTable: true };
const cat = (name: string, type = 'text', ctx = person) => suggestCategories(col(name, type), ctx).categories[0];

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

  it('uses the type: a boolean is not an email, an inet column is an IP address, a product name is not a person name', () => {
    expect(cat('email_verified', 'boolean')).toBe('system.operations');
    expect(cat('last_login', 'timestamp without time zone')).toBe('system.operations');
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

  it('derives a dataset key from a database or file name', () => {
    expect(datasetKeyFrom('Web Shop.db')).toBe('web_shop');
    expect(datasetKeyFrom('shop.sqlite3')).toBe('shop');
    expect(datasetKeyFrom('___')).toBe('dataset');
  });
});
