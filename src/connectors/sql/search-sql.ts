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
import { compilerFor, tableSql, type SqlDialect } from './statement-sql.js';

export interface RenderedSearch extends RenderedStatement {
  /** For each step, its columns' output names, in the step's column order. */
  slots: string[][];
}

const STEP_COLUMN = '__opendpo_step';

export function renderSearch(dialect: SqlDialect, steps: readonly SearchStep[]): RenderedSearch {
  const bound = (v: Value) => sql.val(dialect.bind(v));
  const slots = steps.map((step, i) => step.columns.map((_, j) => `s${i}_${j}`));
  const ctes = steps.map((step, i) => {
    const conditions: RawBuilder<unknown>[] = [];
    for (const seed of step.seeds) {
      if (seed.values.length === 0) continue;
      // PostgreSQL takes the list as one array parameter typed from the column.
      conditions.push(
        dialect.type === 'postgres'
          ? sql`${sql.id(seed.column)} = any(${sql.val(seed.values.map((v) => dialect.bind(v)))})`
          : sql`${sql.id(seed.column)} in (${sql.join(seed.values.map(bound))})`,
      );
    }
    for (const f of step.from) {
      if (f.step >= i) throw new Error('a search step can only follow an earlier step');
      conditions.push(sql`${sql.id(f.into)} in (select ${sql.id(f.column)} from ${sql.id(`step${f.step}`)})`);
    }
    const where = conditions.length === 0 ? sql`1 = 0` : sql.join(conditions, sql` or `);
    return sql`${sql.id(`step${i}`)} as (select ${sql.join(step.columns.map((c) => sql.id(c)))} from ${tableSql(step.table)} where ${where})`;
  });
  const all = slots.flatMap((names, i) => names.map((slot, j) => ({ slot, step: i, column: steps[i]!.columns[j]! })));
  const branches = steps.map((_, i) => {
    const outputs = all.map(({ slot, step, column }) => {
      if (step === i) return sql`${sql.id(`step${i}`, column)} as ${sql.id(slot)}`;
      // PostgreSQL types a UNION pairwise, and a bare NULL there becomes text: an empty scalar
      // subquery gives a NULL of the column's own type instead.
      if (dialect.type === 'postgres') return sql`(select ${sql.id(column)} from ${sql.id(`step${step}`)} where false) as ${sql.id(slot)}`;
      return sql`null as ${sql.id(slot)}`;
    });
    return sql`select ${sql.lit(i)} as ${sql.id(STEP_COLUMN)}, ${sql.join(outputs)} from ${sql.id(`step${i}`)}`;
  });
  const query = sql`with ${sql.join(ctes)} ${sql.join(branches, sql` union all `)}`;
  const compiled = query.compile(compilerFor(dialect.type));
  return { sql: compiled.sql, parameters: compiled.parameters, slots };
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
