/**
 * The seam between the request engine and the systems that hold personal data.
 *
 * Two contracts:
 * - DatabaseConnector: a SQL database (PostgreSQL, MySQL/MariaDB, SQLite) that opendpo queries and
 *   writes itself, statement by statement. One folder per implementation, one shared test suite.
 * - SystemConnector: a system that answers for itself (HTTP endpoints close to the Data Rights
 *   Protocol) or a person who does the work and confirms it (manual). They receive the whole
 *   request for their system, not statements.
 *
 * Values are always bound as parameters and identifiers always quoted by the SQL builder;
 * credentials never appear in an error message or a log line.
 */

export interface TableRef {
  /** PostgreSQL schema or MySQL database; absent means the connection's default. */
  schema?: string;
  name: string;
}

export type Value = string | number | bigint | boolean | null | Date | Uint8Array;
export type Row = Record<string, Value>;

/** WHERE (columns) IN (values): each entry of `values` is one tuple, in the order of `columns`. */
export interface KeyFilter {
  columns: string[];
  values: Value[][];
  /**
   * Selects only, one column: WHERE lower(column) IN (values), an identity lookup that ignores
   * letter case (src/dsr/identity-lookup.ts), which an index on lower(column) serves.
   */
  lowerCase?: boolean;
}

export type Statement =
  | {
      kind: 'select';
      table: TableRef;
      columns: string[];
      where: KeyFilter;
      /**
       * Also tell where each row lies (StatementResult.locations), for a later write of the same
       * rows (`locations` below). A database without such an address answers without them.
       */
      locate?: boolean;
    }
  | {
      kind: 'update';
      table: TableRef;
      set: Record<string, Value>;
      where: KeyFilter;
      /**
       * Only the rows whose columns still hold these values (null: IS NULL), in the same statement:
       * a row another writer changed meanwhile is left as it is (lifting a restriction flag).
       */
      onlyIf?: Record<string, Value>;
      locations?: RowLocations;
    }
  | { kind: 'delete'; table: TableRef; where: KeyFilter; locations?: RowLocations };

/**
 * Where the rows of a write were read (a select with `locate`), one entry per key tuple of its
 * `where`, in the same order. A hint, never a filter of its own: the write still addresses
 * exactly the rows of its keys. PostgreSQL finds a row at its ctid without reading the primary
 * key's index, which a person's rows, spread over the table, would read one page per row; a row
 * that moved since (updated, or the table rewritten) is found by its key.
 */
export type RowLocations = readonly string[];

export interface RenderedStatement {
  /** SQL text with the dialect's placeholders ($1, ?). */
  sql: string;
  parameters: readonly unknown[];
}

export interface StatementResult {
  rows: Row[];
  /** Rows changed by an update or delete (0 for a select). */
  affected: number;
  /** A select with `locate`, on a database that has row addresses: each row's, in `rows` order. */
  locations?: string[];
}

export interface StatementRunner {
  run(statement: Statement): Promise<StatementResult>;
}

export interface ColumnShape {
  name: string;
  /** The database's own type name, lower case (e.g. "character varying", "int", "text"). */
  type: string;
  nullable: boolean;
  /** For a column holding text: how the database compares it. Absent: not text (numbers, dates, bytes). */
  text?: TextComparison;
}

/** How a database compares a text column: what an identity lookup in it must ask (src/dsr/identity-lookup.ts). */
export interface TextComparison {
  /** The collation, as the database names it (utf8mb4_general_ci, C.UTF-8, BINARY). */
  collation: string;
  /** `=` ignores the case of every letter (MariaDB's *_ci collations, PostgreSQL citext). */
  caseInsensitive: boolean;
  /** lower() changes ASCII letters only (SQLite without ICU; PostgreSQL under the C or POSIX collation). */
  lowerAsciiOnly: boolean;
}

/** An index: its key parts in order, each a column or lower(column) (other expressions left out). */
export interface IndexShape {
  name: string;
  keys: Array<{ column: string } | { lowerOf: string } | { expression: string }>;
}

export interface ForeignKeyShape {
  columns: string[];
  references: TableRef & { columns: string[] };
}

export interface TableShape extends TableRef {
  columns: ColumnShape[];
  primaryKey: string[];
  foreignKeys: ForeignKeyShape[];
  /**
   * PostgreSQL table inheritance: the table this one inherits from. A statement on the parent
   * reads and changes the child's rows too, so the child is part of its parent, not a table of
   * its own (declarative partitions are not listed at all: they are reached through their parent).
   */
  inherits?: TableRef;
  /**
   * Unique constraints and indexes other than the primary key, each as its columns (partial and
   * expression indexes left out): one whose columns are all NOT NULL addresses one row, as a
   * primary key does, for a table that has none.
   */
  uniqueKeys?: string[][];
  /** Every index (the primary key's too), for telling whether a lookup can use one. */
  indexes?: IndexShape[];
}

export type DatabaseType = 'postgres' | 'mysql' | 'sqlite';

/**
 * One step of a search run as a single statement: the rows of `table` whose `seeds` column holds
 * one of the given values, or whose `into` column holds a value the `column` of an earlier step's
 * rows holds.
 */
export interface SearchStep {
  table: TableRef;
  columns: string[];
  /** The columns' types as the database's catalogue names them (TableShape), in `columns` order. */
  types?: string[];
  /** `lowerCase`: lower(column) IN (values), as KeyFilter's. */
  seeds: { column: string; values: Value[]; lowerCase?: boolean }[];
  from: { step: number; column: string; into: string }[];
}

export interface DatabaseConnector extends StatementRunner {
  readonly type: DatabaseType;
  /** A name safe to show (connection name and host, never credentials). */
  readonly label: string;
  /**
   * Tables, columns, primary and foreign keys. With `tables`, only those (missing ones are
   * simply absent from the answer); without, every table of the default schema and of `schemas`.
   */
  introspect(options?: { tables?: TableRef[]; schemas?: string[] }): Promise<TableShape[]>;
  /** The exact SQL a statement runs as, for dry runs and the evidence (placeholders, never values). */
  render(statement: Statement): RenderedStatement;
  /**
   * Optional: runs a whole search (steps in an order where every `from.step` comes first) as one
   * statement, one round trip instead of one per step; returns each step's rows, in step order.
   * The request engine uses it when every collection of a search lives on this connection and the
   * references do not loop; otherwise it runs the steps one by one. Undefined: too large for one
   * statement on this database (too many values to bind); run the steps one by one.
   */
  search?(steps: readonly SearchStep[]): Promise<Row[][] | undefined>;
  /** All statements run by `fn` commit together or not at all. */
  transaction<T>(fn: (tx: StatementRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Systems that act for themselves (HTTP) or through a person (manual)
// ---------------------------------------------------------------------------

export type SystemAction = 'access' | 'erasure' | 'rectification' | 'restriction';

export interface SystemRequest {
  /** opendpo's request id: the same id on every retry, so the system can deduplicate. */
  requestId: string;
  action: SystemAction;
  /** Identity type -> value, as verified by the controller. */
  identities: Record<string, string>;
  /** Rectification only: "collection.field" -> new value. */
  changes?: Record<string, string>;
}

export type SystemOutcome =
  /** Done: for access, the person's rows by collection. */
  | { status: 'done'; rows?: Record<string, Row[]>; affected?: number }
  /** Accepted but not finished (a person must act, or the system works asynchronously). */
  | { status: 'pending'; reference?: string; message?: string }
  /** The system refuses (e.g. nothing it can identify); a reason safe to show. */
  | { status: 'refused'; reason: string };

export interface SystemConnector {
  readonly type: 'http' | 'manual';
  readonly label: string;
  submit(request: SystemRequest): Promise<SystemOutcome>;
  /** Ask again about a pending request. */
  poll(request: SystemRequest): Promise<SystemOutcome>;
  close(): Promise<void>;
}
