/**
 * The part of every SQL connector that does not depend on the database: statements rendered
 * by Kysely's compilers, long key lists split into chunks, driver errors turned into
 * TARGET_UNAVAILABLE / TARGET_INVALID naming the connection and the table. Each database folder
 * (postgres/, mysql/, sqlite/) only supplies an SqlEngine: how to run SQL, how to hold a
 * transaction on one connection, how to read its catalogue, and which of its errors mean what.
 */
import { isOpendpoError } from '../../errors/opendpo-error.js';
import type {
  DatabaseConnector,
  RenderedStatement,
  Row,
  SearchStep,
  Statement,
  StatementResult,
  StatementRunner,
  TableRef,
  TableShape,
  Value,
} from '../connector.js';
import { renderSearch, searchParameters, searchShape, splitSearchArrays, splitSearchRows, type RenderedSearch } from './search-sql.js';
import { valueKey } from '../value-key.js';
import { CHUNK_TUPLES, chunkStatement, LOCATION_COLUMN, locates, renderStatement, tableLabel, type SqlDialect } from './statement-sql.js';
import { targetError, type ErrorClassifier, type ErrorContext } from './target-errors.js';

/**
 * Output column → its type as the catalogue names it (TableShape), for a result whose own
 * metadata lost it: a search's UNION ALL makes a MariaDB BIGINT UNSIGNED a DECIMAL, and SQLite
 * gives declared types only for the first branch of a compound select.
 */
export type ResultTypes = Readonly<Record<string, string>>;

/** Runs SQL on one connection (a transaction's) or on any connection of a pool. */
export interface SqlSession {
  /**
   * `reader`: the statement returns rows (a select). `prepare`: the same text runs again and again
   * (a request's whole search): the database may keep its plan (a named prepared statement).
   * `arrays`: the rows may come back as arrays in the statement's column order (`arrays`, with
   * `rows` empty), where the driver can (PostgreSQL): a wide result of mostly NULL slots, read
   * without building an object of every slot for every row.
   */
  execute(query: RenderedStatement & { prepare?: boolean; types?: ResultTypes; arrays?: boolean }, reader: boolean): Promise<{ rows: Row[]; affected: number; arrays?: Value[][] }>;
}

export interface IntrospectOptions {
  tables?: TableRef[];
  schemas?: string[];
}

/** One connection held for a transaction. */
export interface SqlTransactionConnection extends SqlSession {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Gives the connection back; `broken`: it lost the server and must not be reused. */
  release(broken: boolean): Promise<void>;
}

export interface SqlEngine extends SqlSession {
  readonly dialect: SqlDialect;
  readonly label: string;
  /** The schema a table without one lives in (PostgreSQL current_schema(), MySQL database(), SQLite "main"). */
  readonly defaultSchema: string | undefined;
  readonly classify: ErrorClassifier;
  /** How long a statement, a lock wait or a connection may take before TARGET_UNAVAILABLE (the database is not answering). */
  readonly timeoutMs?: number;
  /** A connection of its own for a transaction (SQLite: the only one, held until released). */
  acquire(): Promise<SqlTransactionConnection>;
  /** Tables of the given schemas (undefined: the default schema), schema absent for the default one. */
  introspect(schemas: Array<string | undefined>): Promise<TableShape[]>;
  /**
   * A value that changes whenever the tables, columns or keys of these schemas change (one cheap
   * query): a connector kept between requests reuses its introspection while it stays the same.
   */
  catalogueVersion(schemas: Array<string | undefined>): Promise<string>;
  close(): Promise<void>;
}

/** Each output slot of a search with the type of the step's column it carries (a slot shared by several columns has their one type). */
function resultTypes(steps: readonly SearchStep[], slots: readonly string[][]): ResultTypes {
  const types: Record<string, string> = {};
  steps.forEach((step, i) => step.types?.forEach((type, j) => (types[slots[i]![j]!] = type)));
  return types;
}

/** Distinct search shapes kept per connection (one per datasets folder and identity types, in practice). */
const MAX_CACHED_SEARCHES = 64;

export class SqlConnector implements DatabaseConnector {
  readonly type;
  readonly label;
  #closed = false;
  /** Search texts and their result types by shape (null: this shape cannot be one statement here). */
  readonly #searches = new Map<string, (RenderedSearch & { types: ResultTypes }) | null>();

  /** Introspections by the schemas asked, with the catalogue version read just before each (only when kept between requests). */
  readonly #catalogues = new Map<string, { version: string; shapes: TableShape[] }>();

  #keepCatalogues = false;
  #catalogueReads = 0;

  constructor(private readonly engine: SqlEngine) {
    this.type = engine.dialect.type;
    this.label = engine.label;
  }

  /**
   * Keeps each introspection while the catalogue's version stays the same: for a connector kept
   * between requests (the server's worker). A connector opened per request reads the catalogue each
   * time rather than paying for the version query too.
   */
  keepCatalogues(): void {
    this.#keepCatalogues = true;
  }

  /** The schema that `TableRef`s without one, and shapes without one, are in. */
  get defaultSchema(): string | undefined {
    return this.engine.defaultSchema;
  }

  /**
   * The whole statement as one SQL text, with every tuple. A statement with more than
   * CHUNK_TUPLES tuples runs as the statements of `renderChunks`, each of this same shape.
   */
  render(statement: Statement): RenderedStatement {
    return renderStatement(this.engine.dialect, statement);
  }

  /** Exactly the statements `run` sends, in order (none for a statement without tuples). */
  renderChunks(statement: Statement): RenderedStatement[] {
    return chunkStatement(this.engine.dialect, statement).map((s) => renderStatement(this.engine.dialect, s));
  }

  async run(statement: Statement): Promise<StatementResult> {
    const chunks = chunkStatement(this.engine.dialect, statement);
    // A write split into chunks, or by address then by key, is still one statement to the caller:
    // all of it or none.
    if (statement.kind !== 'select' && (chunks.length > 1 || (chunks.length === 1 && locates(this.engine.dialect, chunks[0]!)))) {
      return this.transaction((tx) => tx.run(statement));
    }
    return this.#runChunks(this.engine, chunks);
  }

  async #runChunks(session: SqlSession, chunks: Statement[]): Promise<StatementResult> {
    const rows: Row[] = [];
    const locations: string[] = [];
    let affected = 0;
    for (const chunk of chunks) {
      const located = locates(this.engine.dialect, chunk);
      const result = await this.#execute(session, chunk, chunk.kind === 'select' || (chunk.kind === 'update' && located));
      if (chunk.kind === 'select') {
        if (located) {
          // The address is the statement's last column: taken out, so the row is the table's alone.
          for (const row of result.rows) {
            const { [LOCATION_COLUMN]: location, ...own } = row;
            rows.push(own);
            locations.push(String(location));
          }
        } else {
          for (const row of result.rows) rows.push(row);
        }
      } else if (located) {
        // Rows moved since they were read (or gone) are written by key alone; each row once. A
        // delete by key of every key finds only those left; an update's rows found at their
        // address came back by key, and only the others are written by key.
        const { locations: _hint, ...byKey } = chunk;
        if (chunk.kind === 'delete') {
          affected += result.affected;
          if (result.affected < chunk.where.values.length) affected += (await this.#execute(session, byKey, false)).affected;
        } else {
          affected += result.rows.length;
          const tupleKey = chunk.where.columns.length === 1 ? (t: readonly Value[]) => valueKey(t[0] ?? null) : (t: readonly Value[]) => JSON.stringify(t.map(valueKey));
          const written = new Set(result.rows.map((row) => tupleKey(chunk.where.columns.map((c) => row[c] ?? null))));
          const rest = chunk.where.values.filter((tuple) => !written.has(tupleKey(tuple)));
          if (rest.length > 0) affected += (await this.#execute(session, { ...byKey, where: { ...chunk.where, values: rest } }, false)).affected;
        }
      } else {
        affected += result.affected;
      }
    }
    return locations.length > 0 ? { rows, affected, locations } : { rows, affected };
  }

  async #execute(session: SqlSession, statement: Statement, reader: boolean): Promise<{ rows: Row[]; affected: number }> {
    const rendered = renderStatement(this.engine.dialect, statement);
    try {
      // A key list bound as one array (PostgreSQL, see statement-sql.ts) gives the same text for
      // any number of keys: prepared, its plan is kept for the next chunk and the next request.
      const prepare = this.engine.dialect.type === 'postgres' && statement.where.columns.length === 1;
      return await session.execute({ ...rendered, prepare }, reader);
    } catch (err) {
      throw this.#mapError(err, { action: statement.kind, table: tableLabel(statement.table) });
    }
  }

  async search(steps: readonly SearchStep[]): Promise<Row[][] | undefined> {
    // The text of a search is written once per shape (the same datasets give the same text).
    const shape = searchShape(steps);
    let rendered = this.#searches.get(shape);
    if (rendered === undefined) {
      const text = renderSearch(this.engine.dialect, steps);
      rendered = text === undefined ? null : { ...text, types: resultTypes(steps, text.slots) };
      if (this.#searches.size < MAX_CACHED_SEARCHES) this.#searches.set(shape, rendered);
    }
    const parameters = searchParameters(this.engine.dialect, steps);
    // PostgreSQL binds each seed list as one array; elsewhere every value is a parameter.
    if (rendered === null || parameters.length > CHUNK_TUPLES) return undefined;
    let result;
    try {
      result = await this.engine.execute({ sql: rendered.sql, parameters, prepare: true, types: rendered.types, arrays: true }, true);
    } catch (err) {
      throw this.#mapError(err, { action: 'select', table: steps.map((s) => tableLabel(s.table)).join(', ') });
    }
    return result.arrays !== undefined ? splitSearchArrays(steps, rendered.positions, result.arrays) : splitSearchRows(steps, rendered.slots, result.rows);
  }

  async transaction<T>(fn: (tx: StatementRunner) => Promise<T>): Promise<T> {
    let conn: SqlTransactionConnection;
    try {
      conn = await this.engine.acquire();
    } catch (err) {
      throw this.#mapError(err, { action: 'connection' });
    }
    let broken = false;
    try {
      try {
        await conn.begin();
      } catch (err) {
        throw this.#mapError(err, { action: 'begin' });
      }
      const result = await fn({ run: (statement) => this.#runChunks(conn, chunkStatement(this.engine.dialect, statement)) });
      try {
        await conn.commit();
      } catch (err) {
        throw this.#mapError(err, { action: 'commit' });
      }
      return result;
    } catch (err) {
      broken = isOpendpoError(err) && err.code === 'TARGET_UNAVAILABLE';
      // Nothing of a failed transaction is kept (Art. 17 erasure is all-or-nothing per database);
      // a connection that cannot even roll back is dropped, and the server rolls back on its own.
      await conn.rollback().catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      await conn.release(broken).catch(() => {});
    }
  }

  async introspect(options: IntrospectOptions = {}): Promise<TableShape[]> {
    const isDefault = (schema: string | undefined) => schema === undefined || schema === this.engine.defaultSchema;
    const norm = (schema: string | undefined) => (isDefault(schema) ? undefined : schema);
    const wanted = new Set<string | undefined>();
    if (options.tables !== undefined) {
      for (const t of options.tables) wanted.add(norm(t.schema));
    } else {
      wanted.add(undefined);
      for (const s of options.schemas ?? []) wanted.add(norm(s));
    }
    let shapes: TableShape[];
    try {
      shapes = await this.#introspect([...wanted]);
    } catch (err) {
      throw this.#mapError(err, { action: 'introspection' });
    }
    if (options.tables === undefined) return shapes;
    // Answer each table asked for in the form it was asked (schema written out or not), so the
    // caller can match its own references; foreign keys keep the normalised form.
    const byName = new Map(shapes.map((s) => [`${s.schema ?? ''}\u0000${s.name}`, s]));
    const answer: TableShape[] = [];
    for (const t of options.tables) {
      const shape = byName.get(`${norm(t.schema) ?? ''}\u0000${t.name}`);
      if (shape === undefined) continue;
      const { schema: _ignored, ...rest } = shape;
      answer.push(t.schema === undefined ? rest : { ...rest, schema: t.schema });
    }
    return answer;
  }

  /**
   * The engine's introspection, or the one kept for these schemas when the catalogue has not changed
   * since (a column added, a table renamed, a key dropped: the version changes, and the tables are
   * read again, so a request never runs on a stale picture of the database). The version is read
   * before the tables: a change between the two is seen at the next request.
   */
  /** How many times the tables were read from the catalogue (not from the kept introspection). */
  get catalogueReads(): number {
    return this.#catalogueReads;
  }

  async #introspect(schemas: Array<string | undefined>): Promise<TableShape[]> {
    this.#catalogueReads++;
    if (!this.#keepCatalogues) return this.engine.introspect(schemas);
    const key = JSON.stringify(schemas.map((s) => s ?? null).sort());
    const version = await this.engine.catalogueVersion(schemas);
    const kept = this.#catalogues.get(key);
    if (kept?.version === version) {
      this.#catalogueReads--;
      return structuredClone(kept.shapes);
    }
    const shapes = await this.engine.introspect(schemas);
    this.#catalogues.set(key, { version, shapes: structuredClone(shapes) });
    return shapes;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.engine.close();
  }

  #mapError(err: unknown, context: ErrorContext): unknown {
    if (isOpendpoError(err)) return err;
    const cls = this.engine.classify(err);
    if (cls === undefined) return err;
    return targetError(this.label, cls, this.engine.timeoutMs === undefined ? context : { ...context, timeoutMs: this.engine.timeoutMs }, err);
  }
}
