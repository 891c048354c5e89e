/**
 * A whole search as one statement: one common table expression per step, each selecting the rows
 * whose seed column holds a given value or whose column holds a value an earlier step found, and
 * one result set carrying every step's rows. Each step's columns get their own output slots, so
 * every value comes back with its column's real type, exactly as a select of that table would
 * return it (the other steps' slots are NULL on that row).
 *
 * Identifiers go through the dialect's quoting and values through placeholders, as for every
 * other statement (statement-sql.ts).
 */
import { sql, type RawBuilder } from 'kysely';
import type { RenderedStatement, Row, SearchStep, Value } from '../connector.js';
import { boundList, compilerFor, tableSql, type SqlDialect } from './statement-sql.js';

export interface RenderedSearch extends RenderedStatement {
  /** For each step, its columns' output names, in the step's column order. */
  slots: string[][];
  /** For each step, its columns' positions in a result row (the step's number comes first, at 0). */
  positions: number[][];
}

const STEP_COLUMN = '__opendpo_step';

/**
 * A type name as pg_catalog.format_type writes it (integer, character varying, timestamp with time
 * zone, text[], public.mood): it goes into the SQL text, so anything else is refused. Quoted names
 * are refused too: the catalogue's names are kept lower-cased, which would change a quoted one.
 */
const SAFE_TYPE = /^[a-z_][a-z0-9_ $]*(?:\.[a-z_][a-z0-9_$]*)?(?:\[\])*$/;

/** The search as one statement, or undefined when it cannot be written as one here. */
export function renderSearch(dialect: SqlDialect, steps: readonly SearchStep[]): RenderedSearch | undefined {
  const bound = (v: Value) => sql.val(dialect.bind(v));
  // PostgreSQL types a UNION pairwise, and two bare NULLs become text (then clash with an integer
  // column): there every output slot has one type, a slot is shared by the steps' columns of that
  // type (so rows stay narrow), and a step leaves the slots it does not use as NULLs cast to the
  // type, as the catalogue names it. Without usable types the search cannot be one statement there.
  // Elsewhere each step's columns get slots of their own.
  const typed = dialect.type === 'postgres';
  if (typed && !steps.every((s) => s.types !== undefined && s.types.length === s.columns.length && s.types.every((t) => SAFE_TYPE.test(t)))) return undefined;
  const slotTypes: string[] = [];
  const slots = steps.map((step, i) => {
    if (!typed) return step.columns.map((_, j) => `s${i}_${j}`);
    const used = new Map<string, number>();
    return step.types!.map((type) => {
      const n = used.get(type) ?? 0;
      used.set(type, n + 1);
      // The n-th column of this type in the step takes the n-th slot of this type.
      let seen = 0;
      let index = slotTypes.findIndex((t) => t === type && seen++ === n);
      if (index === -1) {
        slotTypes.push(type);
        index = slotTypes.length - 1;
      }
      return `s${index}`;
    });
  });
  const ctes = steps.map((step, i) => {
    const conditions: RawBuilder<unknown>[] = [];
    for (const seed of step.seeds) {
      if (seed.values.length === 0) continue;
      // One value is an equality (the plan PostgreSQL keeps for a prepared statement is then the
      // index lookup); PostgreSQL takes several as one array parameter typed from the column.
      // An identity compared without letter case reads lower(column) (identity-lookup.ts).
      const column = seed.lowerCase ? sql`lower(${sql.id(seed.column)})` : sql.id(seed.column);
      conditions.push(
        seed.values.length === 1
          ? sql`${column} = ${bound(seed.values[0]!)}`
          : dialect.type === 'postgres'
            ? sql`${column} = any(${sql.val(boundList(dialect, seed.values))})`
            : sql`${column} in (${sql.join(seed.values.map(bound))})`,
      );
    }
    for (const f of step.from) {
      if (f.step >= i) throw new Error('a search step can only follow an earlier step');
      conditions.push(sql`${sql.id(f.into)} in (select ${sql.id(f.column)} from ${sql.id(`step${f.step}`)})`);
    }
    // One select per way in, joined by UNION ALL rather than OR: PostgreSQL plans
    // `a = any($1) or b in (subquery)` as a sequential scan of the whole table, each branch alone
    // as an index scan. A row found twice is dropped by the engine (by primary key).
    const select = (where: RawBuilder<unknown>) => sql`select ${sql.join(step.columns.map((c) => sql.id(c)))} from ${tableSql(step.table)} where ${where}`;
    const body = conditions.length === 0 ? select(sql`1 = 0`) : sql.join(conditions.map(select), sql` union all `);
    return sql`${sql.id(`step${i}`)} as (${body})`;
  });
  const outputNames = typed ? slotTypes.map((_, k) => `s${k}`) : slots.flat();
  const branches = steps.map((step, i) => {
    const mine = new Map(slots[i]!.map((slot, j) => [slot, step.columns[j]!]));
    const outputs = outputNames.map((slot, k) => {
      const column = mine.get(slot);
      if (column !== undefined) return sql`${sql.id(`step${i}`, column)} as ${sql.id(slot)}`;
      return typed ? sql`null::${sql.raw(slotTypes[k]!)} as ${sql.id(slot)}` : sql`null as ${sql.id(slot)}`;
    });
    return sql`select ${sql.lit(i)} as ${sql.id(STEP_COLUMN)}, ${sql.join(outputs)} from ${sql.id(`step${i}`)}`;
  });
  const query = sql`with ${sql.join(ctes)} ${sql.join(branches, sql` union all `)}`;
  const compiled = query.compile(compilerFor(dialect.type));
  const position = new Map(outputNames.map((name, k) => [name, k + 1]));
  return { sql: compiled.sql, parameters: compiled.parameters, slots, positions: slots.map((names) => names.map((name) => position.get(name)!)) };
}

/** Splits the single result set, read as arrays (the step's number first), back into each step's rows. */
export function splitSearchArrays(steps: readonly SearchStep[], positions: readonly (readonly number[])[], rows: readonly (readonly Value[])[]): Row[][] {
  const out: Row[][] = steps.map(() => []);
  for (const row of rows) {
    const i = Number(row[0]);
    const columns = steps[i]!.columns;
    const at = positions[i]!;
    const own: Row = {};
    for (let j = 0; j < columns.length; j++) own[columns[j]!] = row[at[j]!] ?? null;
    out[i]!.push(own);
  }
  return out;
}

/** Splits the single result set back into each step's rows. */
export function splitSearchRows(steps: readonly SearchStep[], slots: string[][], rows: readonly Row[]): Row[][] {
  const out: Row[][] = steps.map(() => []);
  for (const row of rows) {
    const i = Number(row[STEP_COLUMN]);
    const step = steps[i]!;
    const own: Row = {};
    step.columns.forEach((c, j) => (own[c] = row[slots[i]![j]!] ?? null));
    out[i]!.push(own);
  }
  return out;
}

/**
 * What the SQL text of a search depends on: everything but the seed values themselves (only how
 * many there are). Searches of the same datasets share it, so their text is written once.
 */
export function searchShape(steps: readonly SearchStep[]): string {
  return JSON.stringify(steps.map((s) => [s.table, s.columns, s.types, s.seeds.map((x) => [x.column, x.values.length === 1 ? 1 : x.values.length, x.lowerCase === true]), s.from]));
}

/** The parameters of a search of a known shape, in the order renderSearch binds them. */
export function searchParameters(dialect: SqlDialect, steps: readonly SearchStep[]): unknown[] {
  const out: unknown[] = [];
  for (const step of steps) {
    for (const seed of step.seeds) {
      if (seed.values.length === 0) continue;
      if (seed.values.length === 1) out.push(dialect.bind(seed.values[0]!));
      else if (dialect.type === 'postgres') out.push(boundList(dialect, seed.values));
      else for (const v of seed.values) out.push(dialect.bind(v));
    }
  }
  return out;
}
