/**
 * The boundary between one person and everyone else, on schemas nobody here designed, with the
 * datasets `opendpo dataset generate` wrote for them (adjusted as a DPO would, each change marked:
 * test/dsr/foreign-schemas/<name>/), on SQLite, PostgreSQL and MariaDB:
 *
 * - a Sakila-like rental shop (snake_case): a customer points at their store, which has its own
 *   address and a manager among the staff; addresses point at a city of a country; a rental points
 *   at a copy of a film; another customer paid a late fee on one of the person's rentals;
 * - a Chinook-like music store (PascalCase): a customer has a support representative among the
 *   employees; invoice lines name tracks of an album, with a media type and a genre.
 *
 * Access holds exactly the person's own rows, every column, and nothing of another person (the
 * JSON package is searched for their names and emails); catalogues (city, store, inventory, track)
 * are never counted as the person's and never written by an erasure (whole tables compared); the
 * other customer's payment is withheld with its non-personal fields only; after an erasure, an
 * access by the same email lists it with its date and what the legal hold keeps until when, and
 * the store holds no clear identity.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueKey } from '../../src/connectors/value-key.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { loadDatasetsOrThrow } from '../../src/dataset/load-datasets.js';
import type { Dataset } from '../../src/dataset/model.js';
import type { CollectedData } from '../../src/dsr/collected.js';
import { dryRun, formatDryRun } from '../../src/dsr/dry-run.js';
import { buildAccessPackage } from '../../src/dsr/package/build-access-package.js';
import { writeAccessPackageJson } from '../../src/dsr/package/write-json.js';
import { runRequest } from '../../src/dsr/run-request.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { snapshot, TARGETS, type Target } from './foreign-schemas/targets.js';
import { openTestConnections } from './open-test-connections.js';

const HERE = path.join(ROOT, 'test/dsr/foreign-schemas');

interface Schema {
  name: 'sakila' | 'chinook';
  sql: string;
  datasets: Dataset[];
}

async function schema(name: Schema['name']): Promise<Schema> {
  const folder = path.join(HERE, name);
  return { name, sql: readFileSync(path.join(folder, 'schema.sql'), 'utf8'), datasets: (await loadDatasetsOrThrow(folder)).datasets as Dataset[] };
}

const SAKILA = await schema('sakila');
const CHINOOK = await schema('chinook');

/** A throwaway target and store per suite, and requests run on them as the CLI runs them. */
function harness(s: Schema, t: (typeof TARGETS)[number]) {
  const h = {
    target: undefined as unknown as Target,
    store: undefined as unknown as Store,
    dir: '',
    run: (kind: 'access' | 'erasure' | 'rectification' | 'restriction', identities: Record<string, string>, extra: object = {}) =>
      runRequest({
        kind,
        identities,
        datasets: s.datasets,
        store: h.store,
        connect: () => openTestConnections([{ name: s.name, type: h.target.type, url: h.target.url, datasets: [s.name] }]),
        ...extra,
      }),
    /** The JSON package a person receives. */
    json: (collected: CollectedData) => writeAccessPackageJson(buildAccessPackage(collected, { datasets: s.datasets, lang: 'en' })),
    /** Every byte the store keeps on disk (the database file and its journals). */
    storeBytes: () => Buffer.concat(readdirSync(h.dir).map((f) => readFileSync(path.join(h.dir, f)))).toString('latin1'),
  };
  beforeAll(async () => {
    h.target = await t.create(s.sql);
    h.dir = mkdtempSync(path.join(tmpdir(), 'opendpo-store-'));
    h.store = await openStore(parseDatabaseUrl(`sqlite:${path.join(h.dir, 'store.db')}`, h.dir));
  });
  afterAll(async () => {
    await h.store?.close();
    await h.target?.drop();
    if (h.dir) rmSync(h.dir, { recursive: true, force: true });
  });
  return h;
}

const byCollection = (collected: CollectedData) => new Map(collected.collections.map((c) => [c.collection, c]));
const ids = (rows: readonly Record<string, unknown>[], key: string) => rows.map((r) => Number(r[key])).sort((a, b) => a - b);

const MARY = 'MARY.SMITH@sakilacustomer.org';
const SAKILA_TABLES = ['country', 'city', 'address', 'staff', 'store', 'customer', 'language', 'film', 'inventory', 'rental', 'payment'];

for (const t of TARGETS) {
  describe.runIf(await t.available())(`a Sakila-like rental shop in ${t.name}`, () => {
    const h = harness(SAKILA, t);

    it('access holds exactly Mary\'s own rows with every column; the store, the city and the film copies are context; Patricia\'s payment is withheld', async () => {
      const outcome = await h.run('access', { email: MARY });
      const found = byCollection(outcome.collected);
      // Catalogues are not Mary's records: not listed, not counted.
      expect([...found.keys()].sort()).toEqual(['address', 'customer', 'payment', 'rental', 'staff']);
      const customer = found.get('customer')!;
      expect(customer.rows).toHaveLength(1);
      // Every column of the table, declared or not, in the table's order.
      expect(Object.keys(customer.rows[0]!)).toEqual(['customer_id', 'store_id', 'first_name', 'last_name', 'email', 'address_id', 'active', 'create_date', 'last_update']);
      expect(customer.rows[0]).toMatchObject({ first_name: 'MARY', email: MARY });
      // Her own address only: not the store's, not its manager's.
      expect(ids(found.get('address')!.rows, 'address_id')).toEqual([5]);
      expect(ids(found.get('rental')!.rows, 'rental_id')).toEqual([1, 2]);
      expect(found.get('staff')!.rows).toEqual([]);
      // Patricia paid a late fee on Mary's rental 2: found through it, not Mary's.
      const payment = found.get('payment')!;
      expect(ids(payment.rows, 'payment_id')).toEqual([1, 2]);
      expect(payment.withheld).toHaveLength(1);
      expect(payment.withheld[0]!.reason).toBe('shared');
      // Not its amount nor its date (the person's purchase history), nor whose it is (a reference).
      expect(payment.withheld[0]!.fields.map((f) => f.name)).toEqual(['payment_id', 'last_update']);
      expect(ids(payment.withheld[0]!.rows, 'payment_id')).toEqual([4]);
      // The city's name beside her address; the store beside her customer row, without its keys.
      const city = found.get('address')!.context.find((c) => c.catalogue === 'sakila.city')!;
      expect(city.rows[valueKey(1)]).toMatchObject({ city: 'Lethbridge' });
      expect(found.get('customer')!.context.map((c) => [c.catalogue, c.fields.map((f) => f.name)])).toEqual([['sakila.store', ['last_update']]]);

      const json = h.json(outcome.collected);
      expect(json).toContain(MARY);
      expect(json).toContain('1913 Hanoi Way');
      for (const other of ['PATRICIA', 'JOHNSON', 'LINDA', 'WILLIAMS', 'sakilastaff.com', 'Hillyer', 'Stephens', 'MySakila Drive', 'Workhaven', 'Loja Avenue', 'Joliet']) {
        expect(json, other).not.toContain(other);
      }
      // The evidence counts the catalogue rows read as context, never as Mary's.
      const steps = await h.store.requests.steps(outcome.request.id);
      expect(steps.find((s) => s.collection === 'sakila.store')?.note).toContain('context (not the person\'s records)');
      expect(steps.find((s) => s.collection === 'sakila.payment')?.note).toContain('1 row(s) not the person\'s alone');
    });

    it('an employee\'s access: her staff row and address, the password hash left out with its reason, no customer', async () => {
      const outcome = await h.run('access', { email: 'Mike.Hillyer@sakilastaff.com' });
      const found = byCollection(outcome.collected);
      const staff = found.get('staff')!;
      expect(ids(staff.rows, 'staff_id')).toEqual([1]);
      expect(Object.keys(staff.rows[0]!)).not.toContain('password');
      expect(staff.excluded).toEqual([{ field: 'password', reason: expect.stringContaining('password hash') }]);
      expect(ids(found.get('address')!.rows, 'address_id')).toEqual([3]);
      expect(found.get('customer')!.rows).toEqual([]);
      const json = h.json(outcome.collected);
      expect(json).not.toContain('8cb2237d0679ca88db6464eac60da96345513964');
      for (const other of ['MARY', 'PATRICIA', 'LINDA', 'sakilacustomer']) expect(json, other).not.toContain(other);
    });

    it('a restriction flags Mary\'s own payments only, not the one Patricia made on her rental', async () => {
      const before = await h.target.rows('payment');
      // A variant of the dataset where payments carry a restriction flag (Art. 18).
      const flagged = SAKILA.datasets.map((d) => ({
        ...d,
        collections: d.collections.map((c) => (c.name === 'payment' ? { ...c, restrictionFlag: { field: 'last_update', value: '2000-01-01' } } : c)),
      }));
      const outcome = await h.run('restriction', { email: MARY }, { datasets: flagged });
      expect(outcome.request.status).toBe('completed');
      const after = await h.target.rows('payment');
      const flaggedIds = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i])).map((r) => Number(r.payment_id));
      expect(flaggedIds).toEqual([1, 2]);
    });

    it('dsr plan shows the catalogues as context and lists the columns an erasure would leave, for review', async () => {
      const connections = await openTestConnections([{ name: 'sakila', type: h.target.type, url: h.target.url, datasets: ['sakila'] }]);
      try {
        const report = await dryRun({ kind: 'erasure', identities: { email: MARY }, datasets: SAKILA.datasets, connections });
        expect(report.context.map((c) => c.collection).sort()).toEqual(['sakila.city', 'sakila.inventory', 'sakila.store']);
        // An erasure never reads a catalogue: no statement names one.
        expect(report.context.every((c) => c.rows === undefined)).toBe(true);
        expect(report.statements.filter((x) => /[`"](city|country|store|inventory|film)[`"]/.test(x.sql))).toEqual([]);
        expect(report.reached.map((r) => r.collection)).not.toContain('sakila.store');
        expect(report.reached.find((r) => r.collection === 'sakila.payment')).toEqual({ collection: 'sakila.payment', rows: 2, withheld: 1 });
        expect(report.review.find((r) => r.collection === 'sakila.customer')).toEqual({ collection: 'sakila.customer', undeclared: [], notPersonal: ['active', 'last_update'] });
        const text = formatDryRun(report);
        expect(text).toContain('Context (not the person\'s records)');
        expect(text).toContain('For review: shown in the copy, left as they are by an erasure');
        expect(text).toContain('sakila.customer.store_id -> sakila.store.store_id');
        expect(text).toMatch(/sakila\.store\.address_id -> sakila\.address\.address_id .*catalogue/);
      } finally {
        await connections.close();
      }
    });

    it('erasure writes Mary\'s own rows only: never a catalogue, the staff, or Patricia\'s payment; her payments stay under the legal hold', async () => {
      const before = await snapshot(h.target, SAKILA_TABLES);
      const outcome = await h.run('erasure', { email: MARY });
      expect(outcome.request.status).toBe('completed');
      const after = await snapshot(h.target, SAKILA_TABLES);
      for (const table of ['country', 'city', 'store', 'staff', 'language', 'film', 'inventory', 'payment']) expect(after[table], table).toEqual(before[table]);
      const mary = after.customer!.find((r) => Number(r.customer_id) === 1)!;
      expect(mary).toMatchObject({ email: null, first_name: '', last_name: '', active: 1 });
      // Her rentals' return dates are masked; the rental date is kept (read_only, NOT NULL); no one else's rental changes.
      expect(after.rental!.filter((r) => Number(r.customer_id) === 1).map((r) => r.return_date)).toEqual([null, null]);
      expect(after.rental!.filter((r) => Number(r.customer_id) !== 1)).toEqual(before.rental!.filter((r) => Number(r.customer_id) !== 1));
      expect(after.customer!.filter((r) => Number(r.customer_id) !== 1)).toEqual(before.customer!.filter((r) => Number(r.customer_id) !== 1));
      const address = after.address!.find((r) => Number(r.address_id) === 5)!;
      expect(address).toMatchObject({ address: '', address2: null, district: '', postal_code: null, city_id: 1 });
      expect(address.address).not.toBe('1913 Hanoi Way');
      expect(after.address!.filter((r) => Number(r.address_id) !== 5)).toEqual(before.address!.filter((r) => Number(r.address_id) !== 5));
      const read = (await h.store.requests.steps(outcome.request.id)).map((x) => x.collection);
      for (const catalogue of ['sakila.city', 'sakila.country', 'sakila.store', 'sakila.inventory', 'sakila.film']) expect(read).not.toContain(catalogue);
      expect(outcome.kept).toEqual([
        { node: 'sakila.payment', reason: 'shared', rows: 1 },
        { node: 'sakila.payment', reason: 'legal-hold', rows: 2, hold: expect.objectContaining({ article: 'Art. 17(3)(b)', period: 'P10Y' }), latestStart: '2024-05-28' },
      ]);
    });

    it('a later access by the same email says what was erased and when, what the legal hold keeps and until when; the store holds no clear identity', async () => {
      const erasure = (await h.store.requests.list()).find((r) => r.kind === 'erasure')!;
      const outcome = await h.run('access', { email: MARY });
      expect(outcome.collected.collections.every((c) => c.rows.length === 0)).toBe(true);
      expect(outcome.collected.erasures).toEqual([
        {
          requestId: erasure.id,
          completedAt: erasure.completedAt,
          kept: [
            { collection: 'sakila.payment', reason: 'shared', rows: 1 },
            {
              collection: 'sakila.payment',
              reason: 'legal-hold',
              rows: 2,
              hold: { reason: 'Payments are accounting records, kept 10 years (Code de commerce, art. L123-22)', article: 'Art. 17(3)(b)', period: 'P10Y' },
              until: '2034-05-28',
            },
          ],
        },
      ]);
      const pkg = JSON.parse(h.json(outcome.collected)) as { confirmation: { processed: boolean }; erasures: unknown[] };
      // Not "no personal data": the payments are still kept.
      expect(pkg.confirmation.processed).toBe(true);
      expect(pkg.erasures).toHaveLength(1);
      // Another person's access does not see Mary's erasure.
      expect((await h.run('access', { email: 'PATRICIA.JOHNSON@sakilacustomer.org' })).collected.erasures).toEqual([]);
      const bytes = h.storeBytes();
      expect(bytes.toLowerCase()).not.toContain(MARY.toLowerCase());
      expect(bytes).not.toContain('MARY');
    });

    it('a catalogue whose name column looks personal is never rewritten: the city only Mary\'s address points at keeps its name', async () => {
      // As an earlier dataset generate wrote it: the city's name as a person's city, masked with a random string.
      const personalCity = (catalogue: boolean) =>
        SAKILA.datasets.map((d) => ({
          ...d,
          collections: d.collections.map((c) =>
            c.name !== 'city'
              ? c
              : {
                  ...c,
                  catalogue,
                  fields: c.fields.map((f) => (f.name === 'city' ? { ...f, categories: ['user.contact.address.city'], masking: { strategy: 'random_string' as const, length: 16 } } : f)),
                },
          ),
        }));
      // Mary alone lives in Sasebo.
      const target = await t.create(`${SAKILA.sql}\nINSERT INTO "city" VALUES (3, 'Sasebo', 1, '2024-01-15');\nUPDATE "address" SET "city_id" = 3 WHERE "address_id" = 5;`);
      try {
        const connect = () => openTestConnections([{ name: 'sakila', type: target.type, url: target.url, datasets: ['sakila'] }]);
        // Were it not a catalogue, the erasure would rewrite the city's name.
        const connections = await connect();
        try {
          const report = await dryRun({ kind: 'erasure', identities: { email: MARY }, datasets: personalCity(false), connections });
          expect(report.statements.filter((x) => x.phase === 'write' && /^update [`"]city[`"]/.test(x.sql))).toHaveLength(1);
        } finally {
          await connections.close();
        }
        const before = await target.rows('city');
        const outcome = await runRequest({ kind: 'erasure', identities: { email: MARY }, datasets: personalCity(true), store: h.store, connect });
        expect(outcome.request.status).toBe('completed');
        expect(await target.rows('city')).toEqual(before);
      } finally {
        await target.drop();
      }
    });
  });
}

const LUIS = 'luisg@embraer.com.br';
const CHINOOK_TABLES = ['Artist', 'Album', 'MediaType', 'Genre', 'Track', 'Employee', 'Customer', 'Invoice', 'InvoiceLine', 'Playlist', 'PlaylistTrack'];

for (const t of TARGETS) {
  describe.runIf(await t.available())(`a Chinook-like music store in ${t.name}`, () => {
    const h = harness(CHINOOK, t);

    it('access holds Luís\'s own rows with every column; the tracks are context beside his invoice lines; no employee, no other customer', async () => {
      const outcome = await h.run('access', { email: LUIS });
      const found = byCollection(outcome.collected);
      expect([...found.keys()].sort()).toEqual(['Customer', 'Employee', 'Invoice', 'InvoiceLine']);
      const customer = found.get('Customer')!;
      expect(Object.keys(customer.rows[0]!)).toEqual(['CustomerId', 'FirstName', 'LastName', 'Company', 'Address', 'City', 'State', 'Country', 'PostalCode', 'Phone', 'Fax', 'Email', 'SupportRepId']);
      expect(customer.rows[0]).toMatchObject({ FirstName: 'Luís', LastName: 'Gonçalves' });
      expect(ids(found.get('Invoice')!.rows, 'InvoiceId')).toEqual([2, 3]);
      const lines = found.get('InvoiceLine')!;
      expect(ids(lines.rows, 'InvoiceLineId')).toEqual([3, 4, 5]);
      expect(found.get('Employee')!.rows).toEqual([]);
      // The track's name beside each line; its album, media type and genre keys are not descriptive.
      const tracks = lines.context.find((c) => c.catalogue === 'chinook.Track')!;
      expect(tracks.fields.map((f) => f.name)).toEqual(['Name', 'Composer', 'Milliseconds', 'Bytes', 'UnitPrice']);
      expect(lines.rows.map((r) => tracks.rows[valueKey(r.TrackId!)]?.Name).sort()).toEqual(['Balls to the Wall', 'Fast As a Shark', 'For Those About To Rock (We Salute You)']);
      const json = h.json(outcome.collected);
      expect(json).toContain(LUIS);
      for (const other of ['Peacock', 'chinookcorp', 'Köhler', 'leonekohler', 'Tremblay', 'ftremblay', 'Stuttgart', 'Montréal', 'Accept', 'AC/DC']) expect(json, other).not.toContain(other);
    });

    it('an employee\'s access: her own record, never the customers she supports nor her manager', async () => {
      const outcome = await h.run('access', { email: 'jane@chinookcorp.com' });
      const found = byCollection(outcome.collected);
      expect(ids(found.get('Employee')!.rows, 'EmployeeId')).toEqual([3]);
      expect(found.get('Customer')!.rows).toEqual([]);
      const json = h.json(outcome.collected);
      for (const other of ['Luís', 'Köhler', 'Tremblay', 'Nancy', 'Andrew']) expect(json, other).not.toContain(other);
    });

    it('erasure masks Luís\'s customer row only: the invoices stay under the legal hold, the catalogue and the employees are not written', async () => {
      const before = await snapshot(h.target, CHINOOK_TABLES);
      const outcome = await h.run('erasure', { email: LUIS });
      expect(outcome.request.status).toBe('completed');
      const after = await snapshot(h.target, CHINOOK_TABLES);
      for (const table of CHINOOK_TABLES.filter((x) => x !== 'Customer')) expect(after[table], table).toEqual(before[table]);
      const luis = after.Customer!.find((r) => Number(r.CustomerId) === 1)!;
      expect(luis).toMatchObject({ FirstName: '', LastName: '', Company: null, Address: null, City: null, State: null, Country: null, PostalCode: null, Phone: null, Fax: null, SupportRepId: 3 });
      expect(luis.Email).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(after.Customer!.filter((r) => Number(r.CustomerId) !== 1)).toEqual(before.Customer!.filter((r) => Number(r.CustomerId) !== 1));
    });

    it('a later access by the same email lists the erasure and the invoices held until ten years after the last one', async () => {
      const outcome = await h.run('access', { email: LUIS });
      expect(outcome.collected.erasures).toHaveLength(1);
      expect(outcome.collected.erasures[0]!.kept).toEqual([
        expect.objectContaining({ collection: 'chinook.Invoice', reason: 'legal-hold', rows: 2, until: '2034-03-05', hold: expect.objectContaining({ article: 'Art. 17(3)(b)' }) }),
      ]);
      expect(h.storeBytes()).not.toContain(LUIS);
    });
  });
}
