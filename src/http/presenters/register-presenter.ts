/**
 * What leaves the server about published registers. Never a database row: each presenter picks
 * the fields the public may see. The author's name stays in the store (data minimisation: the
 * API is public and the author is a person).
 */
import { z } from 'zod';
import type { Finding } from '../../register/finding.js';
import type { OrganisationSummary, RegisterVersion, RegisterVersionSummary } from '../../store/register-versions-repository.js';

export const OrganisationView = z
  .object({
    id: z.string(),
    name: z.string(),
    latest_version: z.number().int().nullable(),
    links: z.object({ register: z.string(), privacy_notice: z.string() }),
  })
  .meta({ id: 'Organisation' });

export const VersionSummaryView = z
  .object({
    organisation: z.string(),
    version: z.number().int().positive(),
    content_hash: z.string().describe('sha256 of the canonical JSON of the register'),
    published_at: z.string().describe('ISO 8601, UTC'),
    message: z.string().nullable(),
    errors: z.number().int().describe('lint errors at publish time'),
    warnings: z.number().int().describe('lint warnings at publish time'),
  })
  .meta({ id: 'RegisterVersionSummary' });

export const FindingView = z
  .object({
    rule: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    article: z.string().optional(),
    file: z.string().describe('relative to the register folder'),
    line: z.number().int(),
    column: z.number().int(),
    endLine: z.number().int().optional(),
    endColumn: z.number().int().optional(),
    suggestion: z.string().optional(),
  })
  .meta({ id: 'Finding' });

const RegisterJson = z
  .record(z.string(), z.unknown())
  .describe('The register (organisation, activities, recipients, systems), as the JSON Schemas in schema/ describe its files');

export const RegisterChangeView = z.object({
  kind: z.string(),
  material: z.boolean().describe('people must be told before the change applies (Art. 13(3), 14(4))'),
  activity: z.string().optional(),
  summary: z.string(),
  article: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

export const RegisterDiffView = z
  .object({ material_changes: z.number().int(), changes: z.array(RegisterChangeView) })
  .nullable()
  .describe('changes from the previous version; null for the first version');

export const LatestRegisterView = VersionSummaryView.extend({ register: RegisterJson }).meta({ id: 'PublishedRegister' });
export const VersionDetailView = VersionSummaryView.extend({ register: RegisterJson, diff: RegisterDiffView }).meta({ id: 'RegisterVersion' });
export const FindingsView = z
  .object({
    organisation: z.string(),
    version: z.number().int(),
    summary: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }),
    findings: z.array(FindingView),
  })
  .meta({ id: 'RegisterFindings' });

export function presentOrganisation(o: OrganisationSummary): z.infer<typeof OrganisationView> {
  const id = encodeURIComponent(o.id);
  return {
    id: o.id,
    name: o.name,
    latest_version: o.latestVersion,
    links: { register: `/api/v1/organisations/${id}/register`, privacy_notice: `/privacy-notice?org=${id}` },
  };
}

export function presentVersionSummary(v: RegisterVersionSummary): z.infer<typeof VersionSummaryView> {
  return {
    organisation: v.organisationId,
    version: v.version,
    content_hash: v.contentHash,
    published_at: v.publishedAt,
    message: v.message,
    errors: v.errorCount,
    warnings: v.warningCount,
  };
}

export function presentLatestRegister(v: RegisterVersion): z.infer<typeof LatestRegisterView> {
  return { ...presentVersionSummary(v), register: v.register as unknown as Record<string, unknown> };
}

export function presentVersionDetail(v: RegisterVersion): z.infer<typeof VersionDetailView> {
  const diff = v.diff as { materialCount?: number; changes?: z.infer<typeof RegisterChangeView>[] } | null;
  return {
    ...presentLatestRegister(v),
    diff: diff === null ? null : { material_changes: diff.materialCount ?? 0, changes: (diff.changes ?? []).map(presentChange) },
  };
}

function presentChange(c: z.infer<typeof RegisterChangeView>): z.infer<typeof RegisterChangeView> {
  return {
    kind: c.kind,
    material: c.material,
    ...(c.activity === undefined ? {} : { activity: c.activity }),
    summary: c.summary,
    article: c.article,
    ...(c.before === undefined ? {} : { before: c.before }),
    ...(c.after === undefined ? {} : { after: c.after }),
  };
}

export function presentFindings(v: RegisterVersion): z.infer<typeof FindingsView> {
  const count = (s: Finding['severity']) => v.findings.filter((f) => f.severity === s).length;
  return {
    organisation: v.organisationId,
    version: v.version,
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info') },
    findings: v.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      ...(f.article === undefined ? {} : { article: f.article }),
      file: f.file,
      line: f.line,
      column: f.column,
      ...(f.endLine === undefined ? {} : { endLine: f.endLine }),
      ...(f.endColumn === undefined ? {} : { endColumn: f.endColumn }),
      ...(f.suggestion === undefined ? {} : { suggestion: f.suggestion }),
    })),
  };
}
