/**
 * The shop database `npm run bench:dsr` works on: 10 related PostgreSQL tables describing people
 * and their data, about 22 rows per person, with real foreign keys and an index on every key,
 * foreign-key and identity column, as a production database would have. And the dataset that
 * describes it, as the model objects the request engine plans from.
 *
 * Per person (customer i, i = 1..N): 2 addresses, 3 orders of 2 lines and 1 payment each, 3 login
 * events, 1 support ticket (assigned to one of 100 employees), 1 newsletter subscription, 2 consent
 * events. A person's rows are spread over the tables (row g belongs to customer ((g - 1) mod N) + 1),
 * as rows written over years are, so finding one person costs an index probe and a heap page per
 * row, not one page for all of them.
 *
 * Seeding is set-based (INSERT ... SELECT generate_series, constraints and indexes built after the
 * load, then VACUUM ANALYZE), so 1,000,000 people take minutes, not hours.
 */
import pg from 'pg';
import type { Collection, Dataset, DatasetField, LegalHold, Reference } from '../src/dataset/model.js';

/** Bumped when the schema or the data changes: a kept database of an older version is reseeded. */
export const SEED_VERSION = 2;
export const ROWS_PER_PERSON = 22;
export const STAFF = 100;

export const benchDatabaseName = (scale: number): string => `opendpo_bench_${scale}`;

/** The URL of the bench database on the server of `adminUrl`. */
export function benchDatabaseUrl(adminUrl: string, scale: number): string {
  const u = new URL(adminUrl);
  u.pathname = `/${benchDatabaseName(scale)}`;
  return u.toString();
}

// ---------------------------------------------------------------------------
// The database
// ---------------------------------------------------------------------------

const TABLES = [
  `create table staff (id integer not null, email text not null, name text not null, team text not null)`,
  `create table customer (id bigint not null, email text, name text, phone text, created_at timestamptz not null)`,
  `create table address (id bigint not null, customer_id bigint, street text, postal_code text, city text, country text)`,
  `create table orders (id bigint not null, customer_id bigint, ordered_at timestamptz not null, total_cents integer not null, delivery_note text)`,
  `create table order_item (id bigint not null, order_id bigint not null, sku text not null, quantity integer not null, price_cents integer not null, gift_message text)`,
  `create table payment (id bigint not null, order_id bigint not null, amount_cents integer not null, method text not null, card_last4 text, cardholder_name text, paid_at timestamptz not null)`,
  `create table login_event (id bigint not null, customer_id bigint, at timestamptz not null, ip_address text, user_agent text)`,
  `create table support_ticket (id bigint not null, customer_id bigint, agent_id integer, created_at timestamptz not null, subject text, body text)`,
  `create table newsletter_subscription (id bigint not null, customer_id bigint, email text, subscribed_at timestamptz not null, processing_restricted boolean not null default false)`,
  `create table consent_event (id bigint not null, customer_id bigint, purpose text not null, granted boolean not null, at timestamptz not null, ip_address text)`,
];

/** $1 = N (people). Each statement loads one table; `owner(g, k)` = the customer of row g of a table with k rows per person. */
const LOADS: [string, string][] = [
  ['staff', `insert into staff select g, 'agent' || g || '@shop.example', 'Agent ' || g, (array['billing','delivery','returns','accounts'])[1 + g % 4] from generate_series(1, ${STAFF}) g`],
  [
    'customer',
    `insert into customer select g, 'person' || g || '@example.com', 'Customer ' || g, '+3361' || lpad(g::text, 8, '0'),
       timestamptz '2018-01-01' + g * interval '61 seconds' from generate_series(1, $1::bigint) g`,
  ],
  [
    'address',
    `insert into address select g, 1 + (g - 1) % $1, g || ' rue de la Paix', lpad((10000 + g % 89999)::text, 5, '0'),
       (array['Paris','Lyon','Lille','Nantes','Bordeaux'])[1 + g % 5], 'FR' from generate_series(1, 2 * $1::bigint) g`,
  ],
  [
    'orders',
    `insert into orders select g, 1 + (g - 1) % $1, timestamptz '2019-01-01' + g * interval '17 seconds', 1000 + g % 50000,
       case when g % 3 = 0 then 'leave at the door' end from generate_series(1, 3 * $1::bigint) g`,
  ],
  [
    'order_item',
    `insert into order_item select g, 1 + (g - 1) % (3 * $1::bigint), 'SKU-' || (g % 5000), 1 + g % 3, 500 + g % 20000,
       case when g % 7 = 0 then 'happy birthday' end from generate_series(1, 6 * $1::bigint) g`,
  ],
  [
    'payment',
    `insert into payment select g, g, 1000 + g % 50000, (array['card','card','paypal'])[1 + g % 3], lpad((g % 10000)::text, 4, '0'),
       'Customer ' || (1 + (g - 1) % $1), timestamptz '2019-01-01' + g * interval '17 seconds' + interval '5 minutes'
       from generate_series(1, 3 * $1::bigint) g`,
  ],
  [
    'login_event',
    `insert into login_event select g, 1 + (g - 1) % $1, timestamptz '2024-01-01' + g * interval '7 seconds',
       '10.' || (g % 256) || '.' || ((g / 256) % 256) || '.' || ((g / 65536) % 256), 'Mozilla/5.0 (X11; Linux x86_64) Firefox/' || (100 + g % 30)
       from generate_series(1, 3 * $1::bigint) g`,
  ],
  [
    'support_ticket',
    `insert into support_ticket select g, g, 1 + g % ${STAFF}, timestamptz '2023-01-01' + g * interval '31 seconds',
       'Order ' || (g * 3) || ' not delivered', 'Hello, my parcel for order ' || (g * 3) || ' has not arrived yet. Customer ' || g
       from generate_series(1, $1::bigint) g`,
  ],
  [
    'newsletter_subscription',
    `insert into newsletter_subscription select g, g, 'person' || g || '@example.com', timestamptz '2020-01-01' + g * interval '29 seconds', false
       from generate_series(1, $1::bigint) g`,
  ],
  [
    'consent_event',
    `insert into consent_event select g, 1 + (g - 1) % $1, (array['newsletter','profiling'])[1 + (g - 1) / $1], g % 5 <> 0,
       timestamptz '2020-01-01' + g * interval '13 seconds', '10.' || (g % 256) || '.' || ((g / 256) % 256) || '.1'
       from generate_series(1, 2 * $1::bigint) g`,
  ],
];

/**
 * An email matches whatever its letter case (src/dsr/identity-match.ts): the request engine looks
 * it up through lower(email), which these indexes serve, as `dsr plan` advises a production
 * database to have. Made on a kept database of an earlier seed too (if not exists).
 */
export const LOWER_EMAIL_INDEXES: string[] = [
  'create index if not exists customer_email_lower_idx on customer (lower(email))',
  'create index if not exists staff_email_lower_idx on staff (lower(email))',
  'create index if not exists newsletter_subscription_email_lower_idx on newsletter_subscription (lower(email))',
];

/** Primary keys, unique identities, foreign keys and the indexes under them, built after the load. */
const CONSTRAINTS: string[] = [
  'alter table staff add primary key (id)',
  'alter table customer add primary key (id)',
  'alter table address add primary key (id)',
  'alter table orders add primary key (id)',
  'alter table order_item add primary key (id)',
  'alter table payment add primary key (id)',
  'alter table login_event add primary key (id)',
  'alter table support_ticket add primary key (id)',
  'alter table newsletter_subscription add primary key (id)',
  'alter table consent_event add primary key (id)',
  'alter table staff add constraint staff_email_key unique (email)',
  'alter table customer add constraint customer_email_key unique (email)',
  'create index address_customer_id_idx on address (customer_id)',
  'create index orders_customer_id_idx on orders (customer_id)',
  'create index order_item_order_id_idx on order_item (order_id)',
  'create index payment_order_id_idx on payment (order_id)',
  'create index login_event_customer_id_idx on login_event (customer_id)',
  'create index support_ticket_customer_id_idx on support_ticket (customer_id)',
  'create index support_ticket_agent_id_idx on support_ticket (agent_id)',
  'create index newsletter_subscription_customer_id_idx on newsletter_subscription (customer_id)',
  'create index newsletter_subscription_email_idx on newsletter_subscription (email)',
  'create index consent_event_customer_id_idx on consent_event (customer_id)',
  'alter table address add foreign key (customer_id) references customer (id)',
  'alter table orders add foreign key (customer_id) references customer (id)',
  'alter table order_item add foreign key (order_id) references orders (id)',
  'alter table payment add foreign key (order_id) references orders (id)',
  'alter table login_event add foreign key (customer_id) references customer (id)',
  'alter table support_ticket add foreign key (customer_id) references customer (id)',
  'alter table support_ticket add foreign key (agent_id) references staff (id)',
  'alter table newsletter_subscription add foreign key (customer_id) references customer (id)',
  'alter table consent_event add foreign key (customer_id) references customer (id)',
];

export const BENCH_TABLES = [
  'staff',
  'customer',
  'address',
  'orders',
  'order_item',
  'payment',
  'login_event',
  'support_ticket',
  'newsletter_subscription',
  'consent_event',
] as const;
export type BenchTable = (typeof BENCH_TABLES)[number];

export interface SeedResult {
  url: string;
  database: string;
  /** Seconds the seeding took; undefined when a kept database was reused. */
  seededSeconds: number | undefined;
  /** Seconds of the seeding that made the kept database (from its own record). */
  originalSeedSeconds: number;
  rows: number;
  sizeBytes: number;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The kept database's record, or undefined when it is missing, incomplete or of another scale or version. */
async function seededRecord(url: string, scale: number): Promise<{ seconds: number } | undefined> {
  return withClient(url, async (client) => {
    const exists = await client.query(`select to_regclass('public.bench_meta') is not null as ok`);
    if (!exists.rows[0].ok) return undefined;
    const meta = await client.query<{ scale: string; version: number; seconds: number }>('select scale, version, seconds from bench_meta');
    const row = meta.rows[0];
    if (row === undefined || Number(row.scale) !== scale || row.version !== SEED_VERSION) return undefined;
    return { seconds: Number(row.seconds) };
  });
}

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

/**
 * Makes sure the bench database of this scale exists and is seeded. With `keep`, a complete
 * database of the same scale and seed version is reused as it is; otherwise its tables are
 * dropped and loaded again.
 */
export async function seed(adminUrl: string, scale: number, options: { keep: boolean; log: (line: string) => void }): Promise<SeedResult> {
  const database = benchDatabaseName(scale);
  const url = benchDatabaseUrl(adminUrl, scale);
  if (!(await databaseExists(adminUrl, database))) {
    await withClient(adminUrl, (client) => client.query(`create database ${database}`));
  }
  let seededSeconds: number | undefined;
  let record = options.keep ? await seededRecord(url, scale) : undefined;
  if (record !== undefined) {
    options.log(`reusing the seeded database ${database} (--keep)`);
    await withClient(url, async (client) => {
      for (const ddl of LOWER_EMAIL_INDEXES) await client.query(ddl);
      await client.query('analyze customer, staff, newsletter_subscription');
    });
  } else {
    if (options.keep) options.log(`--keep: ${database} holds no complete seed of this scale and version; seeding it`);
    options.log(
      `seeding ${scale.toLocaleString('en')} people (~${(scale * ROWS_PER_PERSON).toLocaleString('en')} rows) into ${database}: ` +
        `this may take minutes (about 1 for 1,000,000 people on 2 cores, more on slower disks)`,
    );
    const t0 = performance.now();
    await withClient(url, async (client) => {
      await client.query(`set client_min_messages = warning`);
      await client.query(`set maintenance_work_mem = '256MB'`);
      await client.query(`set synchronous_commit = off`);
      await client.query(`drop table if exists bench_meta, ${[...BENCH_TABLES].reverse().join(', ')} cascade`);
      for (const ddl of TABLES) await client.query(ddl);
      for (const [table, insert] of LOADS) {
        const t = performance.now();
        await client.query(insert, insert.includes('$1') ? [scale] : []);
        options.log(`  loaded ${table} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      const t = performance.now();
      for (const ddl of [...CONSTRAINTS, ...LOWER_EMAIL_INDEXES]) await client.query(ddl);
      options.log(`  keys, foreign keys and indexes in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      // A long-lived database has its statistics, hint bits and visibility map set: without this
      // the first request to read a page would also pay for writing it back.
      const a = performance.now();
      await client.query('vacuum (analyze)');
      options.log(`  vacuum and analyze in ${((performance.now() - a) / 1000).toFixed(1)} s`);
      seededSeconds = (performance.now() - t0) / 1000;
      await client.query('create table bench_meta (scale bigint not null, version integer not null, seconds numeric not null, seeded_at timestamptz not null default now())');
      await client.query('insert into bench_meta (scale, version, seconds) values ($1, $2, $3)', [scale, SEED_VERSION, seededSeconds]);
    });
    record = { seconds: seededSeconds! };
    options.log(`seeded in ${seededSeconds!.toFixed(0)} s`);
  }
  const { rows, sizeBytes } = await withClient(url, async (client) => {
    const counts = await client.query<{ n: string }>(`select sum(reltuples)::bigint as n from pg_class where relname = any($1) and relkind = 'r'`, [[...BENCH_TABLES]]);
    const size = await client.query<{ s: string }>('select pg_database_size(current_database()) as s');
    return { rows: Number(counts.rows[0]!.n), sizeBytes: Number(size.rows[0]!.s) };
  });
  return { url, database, seededSeconds, originalSeedSeconds: record.seconds, rows, sizeBytes };
}

export async function dropBenchDatabase(adminUrl: string, scale: number): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`drop database if exists ${benchDatabaseName(scale)}`));
}

// ---------------------------------------------------------------------------
// The dataset: what the shop database holds, as the engine's model
// ---------------------------------------------------------------------------

const at = { file: 'bench/dsr-seed.ts', line: 1, column: 1 };

type FieldOptions = Partial<Omit<DatasetField, 'name' | 'categories' | 'at' | 'references'>> & { references?: Omit<Reference, 'at' | 'dataset' | 'otherSubject'> & { otherSubject?: boolean } };

function field(name: string, categories: string[], options: FieldOptions = {}): DatasetField {
  const { references, ...rest } = options;
  return {
    name,
    categories,
    primaryKey: false,
    readOnly: false,
    ...rest,
    references: references ? [{ dataset: 'shop', otherSubject: false, ...references, at }] : [],
    at,
  };
}

const pk = (name = 'id', categories = ['system.operations']) => field(name, categories, { primaryKey: true });
/** orders.customer_id is looked up from customer.id: values flow from the customer to its rows. */
const belongsTo = (name: string, collection: string) =>
  field(name, ['user.unique_id'], { references: { collection, field: 'id', direction: 'from' } });

function collection(name: string, fields: DatasetField[], extra: Partial<Omit<Collection, 'name' | 'fields' | 'at'>> = {}): Collection {
  return { name, fields, erasure: { strategy: 'mask' }, skip: false, after: [], eraseAfter: [], ...extra, at };
}

const ACCOUNTING: LegalHold = { reason: 'Accounting records are kept 10 years (Code de commerce, art. L123-22)', article: 'Art. 17(3)(b)', period: 'P10Y' };

/** The dataset of the bench database, as a user would declare it (datasets/shop.yaml). */
export function benchDataset(): Dataset {
  return {
    key: 'shop',
    name: 'Web shop database',
    system: 'shop',
    format: 'opendpo',
    at,
    collections: [
      collection('customer', [
        pk('id', ['user.unique_id']),
        field('email', ['user.contact.email'], { identity: 'email', provenance: 'provided' }),
        field('name', ['user.name'], { provenance: 'provided' }),
        field('phone', ['user.contact.phone_number'], { identity: 'phone_number', provenance: 'provided' }),
        field('created_at', ['system.operations']),
      ], { subject: 'customer' }),
      // Employees are data subjects of their own: a customer's request never enters their records.
      // NOT NULL columns: an erased employee gets a unique random email and a fixed name.
      collection('staff', [
        pk('id', ['user.unique_id']),
        field('email', ['user.contact.email'], { identity: 'email', provenance: 'provided', masking: { strategy: 'random_string', length: 24 } }),
        field('name', ['user.name'], { provenance: 'provided', masking: { strategy: 'fixed', value: 'erased' } }),
        field('team', ['system.operations']),
      ], { subject: 'employee' }),
      collection('address', [
        pk(),
        belongsTo('customer_id', 'customer'),
        field('street', ['user.contact.address.street'], { provenance: 'provided' }),
        field('postal_code', ['user.contact.address.postal_code'], { provenance: 'provided' }),
        field('city', ['user.contact.address.city'], { provenance: 'provided' }),
        field('country', ['user.contact.address.country'], { provenance: 'provided' }),
      ], { erasure: { strategy: 'delete' } }),
      collection('orders', [
        pk(),
        belongsTo('customer_id', 'customer'),
        field('ordered_at', ['user.behavior.purchase_history'], { provenance: 'observed', legalHold: ACCOUNTING }),
        field('total_cents', ['user.behavior.purchase_history'], { provenance: 'observed', legalHold: ACCOUNTING }),
        field('delivery_note', ['user.content.private'], { provenance: 'provided' }),
      ]),
      collection('order_item', [
        pk(),
        field('order_id', ['system.operations'], { references: { collection: 'orders', field: 'id', direction: 'from' } }),
        field('sku', ['system.operations']),
        field('quantity', ['system.operations']),
        field('price_cents', ['system.operations']),
        field('gift_message', ['user.content.private'], { provenance: 'provided' }),
      ]),
      collection('payment', [
        pk(),
        field('order_id', ['system.operations'], { references: { collection: 'orders', field: 'id', direction: 'from' } }),
        field('amount_cents', ['user.financial'], { provenance: 'observed', legalHold: ACCOUNTING }),
        field('method', ['system.operations']),
        field('card_last4', ['user.financial.credit_card'], { provenance: 'provided' }),
        field('cardholder_name', ['user.name'], { provenance: 'provided' }),
        field('paid_at', ['user.behavior.purchase_history'], { provenance: 'observed', legalHold: ACCOUNTING }),
      ]),
      collection('login_event', [
        pk(),
        belongsTo('customer_id', 'customer'),
        field('at', ['user.behavior.browsing_history'], { provenance: 'observed' }),
        field('ip_address', ['user.device.ip_address'], { provenance: 'observed' }),
        field('user_agent', ['user.device'], { provenance: 'observed' }),
      ], { erasure: { strategy: 'delete' } }),
      collection('support_ticket', [
        pk(),
        belongsTo('customer_id', 'customer'),
        // The agent is another person: the reference is never followed into the staff table.
        field('agent_id', ['system.operations'], { references: { collection: 'staff', field: 'id', direction: 'to', otherSubject: true } }),
        field('created_at', ['system.operations']),
        field('subject', ['user.content.private'], { provenance: 'provided' }),
        field('body', ['user.content.private'], { provenance: 'provided' }),
      ]),
      collection('newsletter_subscription', [
        pk(),
        belongsTo('customer_id', 'customer'),
        field('email', ['user.contact.email'], { identity: 'email', provenance: 'provided' }),
        field('subscribed_at', ['system.operations']),
        field('processing_restricted', ['system.operations']),
      ], { erasure: { strategy: 'delete' }, restrictionFlag: { field: 'processing_restricted', value: true } }),
      collection('consent_event', [
        pk(),
        belongsTo('customer_id', 'customer'),
        field('purpose', ['system.operations']),
        field('granted', ['system.operations']),
        field('at', ['system.operations']),
        field('ip_address', ['user.device.ip_address'], { provenance: 'observed' }),
      ]),
    ],
  };
}
