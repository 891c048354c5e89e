/**
 * `dataset generate` against a small shop in each real database: a customer table with a
 * self-reference (the customer who referred them), a staff table, orders handled by staff,
 * order lines with a composite key, products and addresses. The dataset must enter through the
 * customer's email and phone, follow orders and lines "from" the customer, point "to" addresses
 * and products, and flag the referrer and the staff member as other people. Its YAML must load.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { datasetGenerate } from '../../src/cli/commands/dataset-generate.js';
import type { GeneratedCollection, GeneratedDataset } from '../../src/dataset/generate/generate-dataset.js';
import { loadDatasets } from '../../src/dataset/load-datasets.js';
import { isOpendpoError } from '../../src/errors/opendpo-error.js';

export interface ShopDatabase {
  url: string;
  /** The dataset key generate derives from the URL. */
  defaultKey: string;
  exec(sql: string): Promise<void>;
  q(id: string): string;
  types: { key: string; text: string; date: string; timestamp: string };
  /** A second schema (PostgreSQL) holding a table with a foreign key into the default one. */
  otherSchema?: string;
  /** A URL to a database without tables. */
  emptyUrl: string;
  teardown(): Promise<void>;
}

async function shop(db: ShopDatabase): Promise<void> {
  const { key, text, date, timestamp } = db.types;
  const statements = [
    `create table address (id int primary key, street ${text}, city ${text}, zip ${key})`,
    `create table customer (id int primary key, email ${key} not null unique, phone ${key}, first_name ${text}, last_name ${text}, birth_date ${date},
       referrer_id int, address_id int, created_at ${timestamp},
       foreign key (referrer_id) references customer (id), foreign key (address_id) references address (id))`,
    `create table staff (id int primary key, email ${key}, full_name ${text})`,
    `create table product (id int primary key, name ${text}, price int)`,
    `create table orders (id int primary key, customer_id int not null, handled_by_staff_id int, status ${key},
       foreign key (customer_id) references customer (id), foreign key (handled_by_staff_id) references staff (id))`,
    `create table order_line (order_id int not null, line_no int not null, product_id int not null, qty int, primary key (order_id, line_no),
       foreign key (order_id) references orders (id), foreign key (product_id) references product (id))`,
  ];
  if (db.otherSchema !== undefined) {
    statements.push(`create table ${db.q(db.otherSchema)}.invoice (id int primary key, customer_id int not null, amount int, foreign key (customer_id) references customer (id))`);
  }
  for (const s of statements) await db.exec(s);
}

const collection = (d: GeneratedDataset, name: string): GeneratedCollection => {
  const c = d.collections.find((x) => x.name === name);
  if (!c) throw new Error(`no collection ${name}`);
  return c;
};
const field = (d: GeneratedDataset, table: string, name: string) => {
  const f = collection(d, table).fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${table}.${name}`);
  return f;
};
const refs = (d: GeneratedDataset, table: string, name: string) => field(d, table, name).references.map((r) => ({ field: r.field, direction: r.direction, other: r.otherSubject }));

export function generateSuite(name: string, available: boolean, makeDb: () => Promise<ShopDatabase>): void {
  describe.runIf(available)(`dataset generate on ${name}`, () => {
    let db: ShopDatabase;
    let dir: string;
    let result: Awaited<ReturnType<typeof datasetGenerate>>;
    beforeAll(async () => {
      db = await makeDb();
      await shop(db);
      dir = mkdtempSync(path.join(tmpdir(), 'opendpo-generate-'));
      result = await datasetGenerate({ url: db.url, system: 'shop', ...(db.otherSchema ? { schema: [db.otherSchema] } : {}) });
    });
    afterAll(async () => {
      await db?.teardown();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('writes every table, with primary keys and the key derived from the database name', () => {
      const d = result.dataset;
      expect(d.key).toBe(db.defaultKey);
      expect(d.system).toBe('shop');
      expect(d.collections.map((c) => c.name).sort()).toEqual(['address', 'customer', ...(db.otherSchema ? ['invoice'] : []), 'order_line', 'orders', 'product', 'staff'].sort());
      expect(collection(d, 'customer').schema).toBeUndefined();
      expect(collection(d, 'order_line').fields.filter((f) => f.primaryKey).map((f) => f.name)).toEqual(['order_id', 'line_no']);
      expect(field(d, 'customer', 'id').primaryKey).toBe(true);
      expect(d.skipped).toEqual([]);
    });

    it('suggests data categories from column names and types', () => {
      const d = result.dataset;
      const cats = (t: string, f: string) => field(d, t, f).categories;
      expect(cats('customer', 'email')).toEqual(['user.contact.email']);
      expect(cats('customer', 'phone')).toEqual(['user.contact.phone_number']);
      expect(cats('customer', 'first_name')).toEqual(['user.name.first']);
      expect(cats('customer', 'last_name')).toEqual(['user.name.last']);
      expect(cats('customer', 'birth_date')).toEqual(['user.demographic.date_of_birth']);
      expect(cats('customer', 'id')).toEqual(['system.operations']);
      // When the person signed up: a date in their own record.
      expect(cats('customer', 'created_at')).toEqual(['user.behavior']);
      // What the person bought: the quantity on their order line (a person's rows, reached from their order).
      expect(cats('order_line', 'qty')).toEqual(['user.behavior.purchase_history']);
      expect(cats('orders', 'status')).toEqual(['system.operations']);
      expect(cats('address', 'street')).toEqual(['user.contact.address.street']);
      expect(cats('address', 'city')).toEqual(['user.contact.address.city']);
      expect(cats('address', 'zip')).toEqual(['user.contact.address.postal_code']);
      expect(cats('staff', 'full_name')).toEqual(['user.name']);
      // A product's name and price are not a person's: the product table is the organisation's catalogue.
      expect(cats('product', 'name')).toEqual(['system.operations']);
      expect(cats('product', 'price')).toEqual(['system.operations']);
      expect(collection(d, 'product').catalogue).toBe(true);
      expect(collection(d, 'address').catalogue).toBeUndefined();
      expect(collection(d, 'orders').catalogue).toBeUndefined();
      // NOT NULL personal data cannot be erased with NULL.
      expect(field(d, 'customer', 'email').masking).toEqual({ strategy: 'random_string', length: 16 });
      expect(field(d, 'customer', 'phone').masking).toBeUndefined();
    });

    it("suggests identities on the customer's and the staff's email and phone (employees make requests too), and data subjects", () => {
      const d = result.dataset;
      const identities = d.collections.flatMap((c) => c.fields.filter((f) => f.identity).map((f) => `${c.name}.${f.name}=${f.identity}`));
      expect(identities.sort()).toEqual(['customer.email=email', 'customer.phone=phone_number', 'staff.email=email']);
      expect(collection(d, 'customer').subject).toBe('customer');
      expect(collection(d, 'staff').subject).toBe('employee');
      expect(collection(d, 'orders').subject).toBeUndefined();
    });

    it('turns foreign keys into references: from the person down, to what their rows point at, and other people flagged', () => {
      const d = result.dataset;
      expect(refs(d, 'orders', 'customer_id')).toEqual([{ field: 'customer.id', direction: 'from', other: false }]);
      expect(refs(d, 'order_line', 'order_id')).toEqual([{ field: 'orders.id', direction: 'from', other: false }]);
      expect(refs(d, 'order_line', 'product_id')).toEqual([{ field: 'product.id', direction: 'to', other: false }]);
      expect(refs(d, 'customer', 'address_id')).toEqual([{ field: 'address.id', direction: 'to', other: false }]);
      // The customer who referred this one, and the staff member who handled the order: other people.
      expect(refs(d, 'customer', 'referrer_id')).toEqual([{ field: 'customer.id', direction: 'to', other: true }]);
      expect(refs(d, 'orders', 'handled_by_staff_id')).toEqual([{ field: 'staff.id', direction: 'to', other: true }]);
      if (db.otherSchema !== undefined) {
        expect(collection(d, 'invoice').schema).toBe(db.otherSchema);
        expect(refs(d, 'invoice', 'customer_id')).toEqual([{ field: 'customer.id', direction: 'from', other: false }]);
      }
    });

    it('marks every guess as a suggestion in YAML comments, and the YAML loads as a dataset', async () => {
      const yaml = result.yaml;
      expect(yaml).toContain(`# Generated by opendpo dataset generate from --url (`);
      expect(yaml).toMatch(/identity: email # suggested: /);
      expect(yaml).toMatch(/categories: \[user\.contact\.email\] # suggested from the column name/);
      expect(yaml).toMatch(/# suggested: a reference from customer to another row of customer: another person; confirm/);
      expect(yaml).toMatch(/other_subject: true # suggested: confirm/);
      expect(yaml).toMatch(/subject: employee # suggested: /);
      expect(yaml).toMatch(/catalogue: true # suggested: reference data of the organisation/);
      expect(parse(yaml)).toMatchObject({ dataset: { key: db.defaultKey, system: 'shop' } });

      await writeFile(path.join(dir, 'shop.yaml'), yaml);
      const loaded = await loadDatasets(dir);
      expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const [dataset] = loaded.datasets;
      expect(dataset?.collections.length).toBe(result.dataset.collections.length);
      const customer = dataset!.collections.find((c) => c.name === 'customer')!;
      expect(customer.subject).toBe('customer');
      const referrer = customer.fields.find((f) => f.name === 'referrer_id')!;
      expect(referrer.references).toMatchObject([{ collection: 'customer', field: 'id', direction: 'to', otherSubject: true }]);
      const orders = dataset!.collections.find((c) => c.name === 'orders')!;
      expect(orders.fields.find((f) => f.name === 'customer_id')!.references).toMatchObject([{ collection: 'customer', field: 'id', direction: 'from', otherSubject: false }]);
    });

    it('writes --out, refuses to replace an existing file without --force, replaces it with --force', async () => {
      const out = path.join(dir, 'out.yaml');
      writeFileSync(out, 'keep me\n');
      const err = await datasetGenerate({ url: db.url, out }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isOpendpoError(err) && err.code).toBe('INVALID_INPUT');
      expect((err as Error).message).toMatch(/already exists.*--force/);
      expect(await readFile(out, 'utf8')).toBe('keep me\n');
      const replaced = await datasetGenerate({ url: db.url, out, force: true, key: 'my-shop' });
      expect(await readFile(out, 'utf8')).toBe(replaced.yaml);
      expect(parse(replaced.yaml)).toMatchObject({ dataset: { key: 'my-shop' } });
    });

    it('says so when the database has no table', async () => {
      const err = await datasetGenerate({ url: db.emptyUrl }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isOpendpoError(err) && err.code).toBe('NOT_FOUND');
      expect((err as Error).message).toMatch(/no table/);
    });
  });
}
