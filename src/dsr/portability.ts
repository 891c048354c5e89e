/**
 * The portability export (Art. 20): the part of what an access request collected that the person
 * may take to another controller. Pure and deterministic.
 *
 * Art. 20(1) limits the right to data that
 *   - the person provided: data they gave (provided) and data observed from their use of the
 *     service (observed), but not data derived or inferred from it (WP29 Guidelines on the right to
 *     data portability, WP242 rev.01, endorsed by the EDPB); a field whose provenance the dataset
 *     does not declare is left out rather than guessed;
 *   - processed on the basis of consent (Art. 6(1)(a) or 9(2)(a)) or of a contract (Art. 6(1)(b)):
 *     only systems used by at least one register activity with such a basis qualify, and where those
 *     activities list their data categories, only fields of a category they cover (a category covers
 *     its sub-categories: user.contact covers user.contact.email).
 * Everything found but not exported is listed with the reason, so the person and the DPO can see
 * what was left out and why. Without a register no legal basis is known, so nothing qualifies.
 */
import { z } from 'zod';
import type { Dataset, Provenance } from '../dataset/model.js';
import { term } from '../reference/vocabulary.js';
import { LANGUAGES, type Activity, type Language, type LegalBasisCode, type Register } from '../register/schema.js';
import type { CollectedCollection, CollectedData } from './collected.js';
import { fill, PACKAGE_STRINGS } from './package/i18n.js';
import { CellValue, rowOf } from './package/values.js';

export const LEFT_OUT_REASONS = [
  'no_register',
  'no_system',
  'no_consent_or_contract',
  'provenance_derived',
  'provenance_inferred',
  'provenance_undeclared',
  'category_not_covered',
] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

export const PORTABILITY_KIND = 'opendpo-portability-export';
export const PORTABILITY_VERSION = 1;

/** The JSON shape of the export (ADR 0002: the zod schema is the single source of truth). */
export const PortabilityExport = z.strictObject({
  kind: z.literal(PORTABILITY_KIND),
  version: z.literal(PORTABILITY_VERSION),
  lang: z.enum(LANGUAGES),
  requestId: z.string(),
  collectedAt: z.string().describe('ISO 8601 instant the data was collected.'),
  statement: z.string().describe('What the export holds (Art. 20(1)), or why it holds nothing.'),
  activities: z
    .array(
      z.strictObject({
        id: z.string(),
        legalBases: z.array(z.strictObject({ code: z.string(), label: z.string(), article: z.string().optional() })),
        systems: z.array(z.string()),
      }),
    )
    .describe('The register activities based on consent or contract that use a system the exported data comes from.'),
  datasets: z.array(
    z.strictObject({
      dataset: z.string(),
      name: z.string().optional(),
      system: z.string().optional().describe('The register system the dataset describes.'),
      collections: z.array(
        z.strictObject({
          collection: z.string(),
          fields: z.array(z.strictObject({ name: z.string(), categories: z.array(z.string()), provenance: z.enum(['provided', 'observed']) })),
          rows: z.array(z.record(z.string(), CellValue)).describe('One object per record, keyed by field name; only the exported fields.'),
        }),
      ),
    }),
  ),
  leftOut: z
    .array(
      z.strictObject({
        dataset: z.string(),
        collection: z.string(),
        field: z.string().optional().describe('Absent: the whole table is left out.'),
        reason: z.enum(LEFT_OUT_REASONS),
        explanation: z.string(),
      }),
    )
    .describe('Data found but not exported, with the reason.'),
});
export type PortabilityExport = z.infer<typeof PortabilityExport>;
type LeftOut = PortabilityExport['leftOut'][number];
type ExportedDataset = PortabilityExport['datasets'][number];

export interface PortabilityContext {
  datasets: readonly Dataset[];
  register?: Register;
  lang: Language;
}

const PORTABLE_BASES: readonly LegalBasisCode[] = ['consent', 'contract'];

/** Art. 20(1)(a): consent under Art. 6(1)(a) or 9(2)(a), or a contract under Art. 6(1)(b). */
export function isPortabilityBasis(a: Activity): boolean {
  return (
    (a.legal_bases ?? []).some((b) => PORTABLE_BASES.includes(b.basis)) ||
    (a.purposes ?? []).some((p) => p.legal_basis !== undefined && PORTABLE_BASES.includes(p.legal_basis)) ||
    (a.special_category_conditions ?? []).some((c) => c.condition === 'explicit_consent')
  );
}

/** A category covers itself and its sub-categories (fideslang keys are dotted paths). */
export const categoryCovers = (covering: string, category: string): boolean => category === covering || category.startsWith(`${covering}.`);

export function buildPortabilityExport(collected: CollectedData, context: PortabilityContext): PortabilityExport {
  const s = PACKAGE_STRINGS[context.lang];
  const datasets = new Map(context.datasets.map((d) => [d.key, d]));
  const register = context.register;
  const qualifying = (register?.activities ?? []).filter(isPortabilityBasis);
  const leftOut: LeftOut[] = [];
  const exported = new Map<string, ExportedDataset>();
  const usedActivities = new Set<string>();

  const leave = (c: CollectedCollection, reason: LeftOutReason, vars: Record<string, string> = {}, field?: string) =>
    leftOut.push({ dataset: c.dataset, collection: c.collection, ...(field === undefined ? {} : { field }), reason, explanation: fill(s[`reason_${reason}`], vars) });

  for (const c of collected.collections) {
    if (c.rows.length === 0) continue;
    if (!register) {
      leave(c, 'no_register');
      continue;
    }
    const system = c.system ?? datasets.get(c.dataset)?.system;
    if (!system) {
      leave(c, 'no_system');
      continue;
    }
    const activities = qualifying.filter((a) => a.systems?.includes(system));
    if (activities.length === 0) {
      leave(c, 'no_consent_or_contract', { system });
      continue;
    }
    // An activity that lists no categories does not narrow what it covers.
    const coverage = activities.some((a) => (a.data_categories ?? []).length === 0)
      ? undefined
      : activities.flatMap((a) => (a.data_categories ?? []).map((dc) => dc.category));

    const fields: ExportedDataset['collections'][number]['fields'] = [];
    for (const f of c.fields) {
      const reason = provenanceReason(f.provenance);
      if (reason) {
        leave(c, reason, { system }, f.name);
        continue;
      }
      if (coverage && !f.categories.some((fc) => coverage.some((cc) => categoryCovers(cc, fc)))) {
        leave(c, 'category_not_covered', { system }, f.name);
        continue;
      }
      fields.push({ name: f.name, categories: [...f.categories], provenance: f.provenance as 'provided' | 'observed' });
    }
    if (fields.length === 0) continue;
    for (const a of activities) usedActivities.add(a.id);

    let entry = exported.get(c.dataset);
    if (!entry) {
      const d = datasets.get(c.dataset);
      entry = { dataset: c.dataset, ...(d?.name ? { name: d.name } : {}), system, collections: [] };
      exported.set(c.dataset, entry);
    }
    const names = fields.map((f) => f.name);
    entry.collections.push({ collection: c.collection, fields, rows: c.rows.map((r) => rowOf(names, r)) });
  }

  const statement = !register ? s.port_none_no_register : exported.size === 0 ? s.port_none : s.port_statement;
  const exportedSystems = new Set([...exported.values()].map((d) => d.system));
  return {
    kind: PORTABILITY_KIND,
    version: PORTABILITY_VERSION,
    lang: context.lang,
    requestId: collected.requestId,
    collectedAt: collected.collectedAt,
    statement,
    activities: qualifying
      .filter((a) => usedActivities.has(a.id))
      .map((a) => ({
        id: a.id,
        legalBases: (a.legal_bases ?? []).map((b) => {
          const t = term('legal_basis', b.basis);
          return t.article ? { code: b.basis, label: t.label[context.lang], article: t.article } : { code: b.basis, label: t.label[context.lang] };
        }),
        systems: (a.systems ?? []).filter((id) => exportedSystems.has(id)),
      })),
    datasets: [...exported.values()],
    leftOut,
  };
}

/** Art. 20(1): provided and observed data are the person's to take; derived and inferred data are not. */
function provenanceReason(p: Provenance | undefined): LeftOutReason | undefined {
  switch (p) {
    case 'provided':
    case 'observed':
      return undefined;
    case 'derived':
      return 'provenance_derived';
    case 'inferred':
      return 'provenance_inferred';
    default:
      return 'provenance_undeclared';
  }
}
