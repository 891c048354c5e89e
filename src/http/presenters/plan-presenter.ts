/**
 * What leaves the server of a request's dry run (src/desk/plan-request.ts): names of systems,
 * tables and fields, and counts — never a value of the person's rows, nor the SQL (which the CLI's
 * `dsr plan` shows to whoever runs it on the server), nor a date read from the rows.
 */
import { z } from 'zod';
import type { DeskRequestPlan } from '../../desk/plan-request.js';
import { flagText } from '../../dsr/processing-review.js';

const Hold = z.object({ article: z.string().describe('the Art. 17(3) exception relied on'), reason: z.string(), period: z.string().nullable().describe('ISO 8601 duration, when known') });

export const RequestPlanView = z
  .object({
    request: z.object({ id: z.string(), reference: z.string(), type: z.string(), state: z.string() }),
    kind: z.enum(['access', 'portability', 'rectification', 'restriction', 'erasure']).describe('what the engine runs the request as'),
    systems: z
      .array(z.object({ id: z.string(), connection: z.string().nullable(), kind: z.string().nullable(), how: z.enum(['searched', 'asked']).describe('searched: a database the engine reads and writes itself; asked: sent the whole request (HTTP, or a person)') }))
      .describe('the systems the request runs on (for a request a controller forwarded, only those processed for it)'),
    starts_from: z.array(z.object({ collection: z.string(), field: z.string(), identity: z.string() })).describe('the identity fields the search starts from'),
    follows: z.array(z.object({ from: z.string(), from_field: z.string(), to: z.string(), to_field: z.string() })),
    not_followed: z
      .array(z.object({ from: z.string(), from_field: z.string(), to: z.string(), to_field: z.string(), reason: z.enum(['other-subject', 'subject-collection', 'skipped', 'context']) }))
      .describe('references not followed: another data subject\'s records, skipped collections, catalogues'),
    found: z
      .array(z.object({ collection: z.string(), rows: z.number().int().describe('the person\'s own rows'), withheld: z.number().int().describe('rows found that are not the person\'s alone: withheld from a copy, kept by an erasure') }))
      .describe('rows found, counted'),
    context: z.array(z.object({ collection: z.string(), rows: z.number().int().nullable() })).describe('catalogues shown beside the person\'s rows, never counted, followed or written'),
    writes: z
      .array(z.object({ collection: z.string(), operation: z.enum(['update', 'delete']), fields: z.array(z.string()).describe('the fields set (an update): names only'), rows: z.number().int() }))
      .describe('what would be erased (masked or deleted) or flagged, by table'),
    kept: z
      .array(
        z.object({
          collection: z.string(),
          rows: z.number().int(),
          reason: z.enum(['legal-hold', 'shared', 'referenced']).describe('legal-hold: Art. 17(3); shared: not the person\'s alone; referenced: other rows still point at it'),
          hold: Hold.nullable(),
          fields: z.array(z.string()).nullable().describe('for a field-level legal hold, the fields kept'),
        }),
      )
      .describe('what an erasure would keep, and why'),
    changes: z
      .array(z.object({ collection: z.string(), fields: z.array(z.string()), rows: z.number().int(), note: z.string() }))
      .nullable()
      .describe('a restriction\'s flags to set, per table; null for other kinds'),
    review: z.array(z.object({ collection: z.string(), undeclared: z.array(z.string()), not_personal: z.array(z.string()) })).describe('columns a copy shows and an erasure leaves: not declared, or declared without a user.* category'),
    not_searched: z.array(z.string()).nullable().describe('register systems no dataset describes (null: no register at hand)'),
    flags: z.array(z.object({ kind: z.enum(['undeclared-category', 'past-retention']), collection: z.string(), text: z.string() })).describe('for the DPO: data no activity declares, rows past their retention (Art. 5(1)(e), 30(1)(c))'),
    indexes: z.array(z.object({ column: z.string(), reason: z.string(), statement: z.string().nullable() })).describe('identity lookups no index serves, and the index to create'),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'RequestPlan' });

export function presentPlan(plan: DeskRequestPlan): z.infer<typeof RequestPlanView> {
  const { stored, report } = plan;
  return {
    request: { id: stored.request.id, reference: stored.request.reference, type: stored.request.type, state: stored.request.state },
    kind: plan.kind,
    systems: plan.systems.map((s) => ({ id: s.id, connection: s.connection ?? null, kind: s.kind ?? null, how: s.how })),
    starts_from: report.seeds.map((s) => ({ collection: s.node, field: s.field, identity: s.identity })),
    follows: report.edges.map((e) => ({ from: e.from, from_field: e.fromField, to: e.to, to_field: e.toField })),
    not_followed: report.blocked.map((e) => ({ from: e.from, from_field: e.fromField, to: e.to, to_field: e.toField, reason: e.reason })),
    found: report.reached.map((r) => ({ collection: r.collection, rows: r.rows, withheld: r.withheld })),
    context: report.context.map((c) => ({ collection: c.collection, rows: c.rows ?? null })),
    writes: report.statements.flatMap((s) => (s.phase === 'write' && s.write ? [{ collection: s.write.collection, operation: s.write.operation, fields: s.write.fields, rows: s.rows ?? 0 }] : [])),
    kept: report.kept.map((k) => ({
      collection: k.node,
      rows: k.rows,
      reason: k.reason,
      hold: k.hold ? { article: k.hold.article, reason: k.hold.reason, period: k.hold.period ?? null } : null,
      fields: k.fields ?? null,
    })),
    changes: report.changes ?? null,
    review: report.review.map((r) => ({ collection: r.collection, undeclared: r.undeclared, not_personal: r.notPersonal })),
    not_searched: report.processing ? report.processing.notSearched : null,
    flags: (report.processing?.flags ?? []).map((f) => ({ kind: f.kind, collection: f.collection, text: flagText(f) })),
    indexes: report.indexes.map((a) => ({ column: a.column, reason: a.reason, statement: a.statement ?? null })),
    warnings: report.warnings,
  };
}
