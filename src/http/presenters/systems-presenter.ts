/**
 * What leaves the server about the systems requests run on (src/desk/systems/): datasets, tables,
 * fields and their data categories, the kind of each connection and where a URL written in
 * connections.yaml points (never a password, never a URL kept as a secret), and a check's problems
 * at their place in the datasets folder.
 */
import { z } from 'zod';
import type { SystemCheck } from '../../desk/systems/check-system.js';
import type { SystemDescription } from '../../desk/systems/describe-systems.js';

const ConnectionKind = z.enum(['sqlite', 'postgres', 'mysql', 'http', 'manual']);
const Hold = z.object({ article: z.string(), reason: z.string(), period: z.string().nullable() });

export const SystemView = z
  .object({
    id: z.string().describe('the dataset\'s key: POST …/systems/{id}/check checks it'),
    name: z.string().nullable(),
    description: z.string().nullable(),
    format: z.enum(['opendpo', 'fides']),
    register_system: z.string().nullable().describe('the register\'s system (systems.yaml) the dataset describes'),
    connection: z
      .object({
        name: z.string(),
        kind: ConnectionKind,
        target: z.string().nullable().describe('where a URL written in connections.yaml points (host, port, database or file; never a password); null when the URL is kept as a secret'),
        url_from: z.enum(['connections.yaml', 'environment', 'file']).nullable(),
      })
      .nullable(),
    collections: z.array(
      z.object({
        name: z.string(),
        schema: z.string().nullable(),
        system: z.string().nullable(),
        subject: z.string().nullable().describe('the kind of data subject each row describes, when it has its own'),
        catalogue: z.boolean().describe('reference data: no row is a person\'s record'),
        erasure: z.enum(['mask', 'delete']),
        legal_hold: Hold.nullable(),
        skipped: z.boolean(),
        fields: z.array(
          z.object({
            name: z.string(),
            categories: z.array(z.string()).describe('fideslang data categories; empty: uncategorised'),
            identity: z.string().nullable(),
            primary_key: z.boolean(),
            personal: z.boolean().describe('a user.* category or an identity: personal data (Art. 4(1))'),
            legal_hold: Hold.nullable(),
            excluded_from_copy: z.boolean(),
            references: z.array(z.string()).describe('dataset.collection.field of each field it references'),
          }),
        ),
      }),
    ),
    uncategorised: z.array(z.string()).describe('collection.field of each field no data category describes: to review (an erasure leaves it, a copy cannot say what it is)'),
  })
  .meta({ id: 'System' });

export const SystemCheckView = z
  .object({
    system: z.string(),
    connection: z.object({ name: z.string(), kind: ConnectionKind }).nullable(),
    ok: z.boolean().describe('the database answered and nothing stops a request; a system that acts for itself: its settings could be read'),
    connected: z.boolean().describe('the database answered and its catalogue was read'),
    duration_ms: z.number().int(),
    problems: z.array(
      z.object({
        rule: z.string().describe('connection/unavailable, dataset/table-missing, dataset/column-missing, dataset/no-primary-key, dataset/masking-not-null, …'),
        severity: z.enum(['error', 'warning']),
        message: z.string(),
        file: z.string().nullable().describe('the dataset file, in the datasets folder'),
        line: z.number().int().nullable(),
        column: z.number().int().nullable(),
        stops: z.array(z.enum(['access', 'portability', 'rectification', 'restriction', 'erasure'])).describe('the requests it stops (empty for a warning)'),
      }),
    ),
    indexes: z.array(z.object({ column: z.string(), reason: z.string(), statement: z.string().nullable() })).describe('identity lookups no index serves, and the index to create'),
    undeclared_columns: z.array(z.object({ collection: z.string(), columns: z.array(z.string()) })).describe('columns of the tables the dataset does not declare: to review'),
    note: z.string().nullable(),
  })
  .meta({ id: 'SystemCheck' });

export function presentSystem(s: SystemDescription): z.infer<typeof SystemView> {
  const hold = (h: { article: string; reason: string; period?: string | undefined } | undefined) => (h ? { article: h.article, reason: h.reason, period: h.period ?? null } : null);
  return {
    id: s.id,
    name: s.name ?? null,
    description: s.description ?? null,
    format: s.format,
    register_system: s.registerSystem ?? null,
    connection: s.connection ? { name: s.connection.name, kind: s.connection.kind, target: s.connection.target ?? null, url_from: s.connection.urlFrom ?? null } : null,
    collections: s.collections.map((c) => ({
      name: c.name,
      schema: c.schema ?? null,
      system: c.system ?? null,
      subject: c.subject ?? null,
      catalogue: c.catalogue,
      erasure: c.erasure,
      legal_hold: hold(c.legalHold),
      skipped: c.skipped,
      fields: c.fields.map((f) => ({
        name: f.name,
        categories: f.categories,
        identity: f.identity ?? null,
        primary_key: f.primaryKey,
        personal: f.personal,
        legal_hold: hold(f.legalHold),
        excluded_from_copy: f.excludedFromCopy,
        references: f.references,
      })),
    })),
    uncategorised: s.uncategorised,
  };
}

export function presentSystemCheck(c: SystemCheck): z.infer<typeof SystemCheckView> {
  return {
    system: c.system,
    connection: c.connection ?? null,
    ok: c.ok,
    connected: c.connected,
    duration_ms: c.durationMs,
    problems: c.problems.map((p) => ({ rule: p.rule, severity: p.severity, message: p.message, file: p.file ?? null, line: p.line ?? null, column: p.column ?? null, stops: p.stops })),
    indexes: c.indexes.map((a) => ({ column: a.column, reason: a.reason, statement: a.statement ?? null })),
    undeclared_columns: c.undeclared,
    note: c.note ?? null,
  };
}
