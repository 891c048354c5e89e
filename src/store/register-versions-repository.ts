/**
 * The only code that reads and writes published register versions. Every method is scoped to
 * one organisation; the SQL it runs is committed in `src/store/queries/register-versions.{sqlite,postgres}.sql`
 * for review, and a test keeps those files true.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Finding } from '../register/finding.js';
import type { Register } from '../register/schema.js';
import { appendAuditEntry } from './audit-log.js';
import { canonicalJson, contentHash } from './canonical-json.js';
import type { Database, RegisterVersionsTable } from './database.js';

export interface NewRegisterVersion {
  organisationName: string;
  register: Register;
  findings: readonly Finding[];
  author: string;
  message?: string | undefined;
  /**
   * Computes the diff from the version this one follows, inside the transaction, so the diff
   * stored is always against the version actually preceding it (even when publishers race).
   */
  diffFrom(previous: Register | undefined): unknown;
  /** For tests and imports; default now. */
  publishedAt?: Date;
}

export interface RegisterVersionSummary {
  organisationId: string;
  version: number;
  contentHash: string;
  publishedAt: string;
  author: string;
  message: string | null;
  errorCount: number;
  warningCount: number;
}

export interface RegisterVersion extends RegisterVersionSummary {
  register: Register;
  findings: Finding[];
  /** Null for the first version. */
  diff: unknown;
}

export type PublishOutcome =
  | { unchanged: false; version: RegisterVersion }
  | { unchanged: true; version: RegisterVersion };

export interface OrganisationSummary {
  id: string;
  name: string;
  createdAt: string;
  latestVersion: number | null;
}

export class RegisterVersionsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly isConflict: (err: unknown) => boolean,
  ) {}

  /**
   * Publishes a register as the organisation's next version, in one transaction: either the
   * organisation, the version and its findings are all written, or nothing is.
   * Concurrent publishers may compute the same next number; the primary key refuses the second,
   * which retries once against the new latest version.
   */
  async publish(organisationId: string, input: NewRegisterVersion): Promise<PublishOutcome> {
    try {
      return await this.publishOnce(organisationId, input);
    } catch (err) {
      if (!this.isConflict(err)) throw err;
      return this.publishOnce(organisationId, input);
    }
  }

  private publishOnce(organisationId: string, input: NewRegisterVersion): Promise<PublishOutcome> {
    const registerJson = canonicalJson(input.register);
    const hash = contentHash(input.register);
    const now = (input.publishedAt ?? new Date()).toISOString();
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('organisations')
        .values({ id: organisationId, name: input.organisationName, created_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: input.organisationName }))
        .execute();
      const previous = await latestRow(trx, organisationId);
      if (previous && previous.content_hash === hash) return { unchanged: true, version: toVersion(previous) };
      const previousRegister = previous ? (JSON.parse(previous.register_json) as Register) : undefined;
      const diff = previous ? input.diffFrom(previousRegister) : null;
      const row = {
        organisation_id: organisationId,
        version: (previous?.version ?? 0) + 1,
        content_hash: hash,
        published_at: now,
        author: input.author,
        message: input.message ?? null,
        register_json: registerJson,
        findings_json: JSON.stringify(input.findings),
        diff_json: diff === null || diff === undefined ? null : JSON.stringify(diff),
        error_count: input.findings.filter((f) => f.severity === 'error').length,
        warning_count: input.findings.filter((f) => f.severity === 'warning').length,
      };
      await trx.insertInto('register_versions').values(row).execute();
      // In the same transaction: a version is published with its audit entry, or not at all.
      await appendAuditEntry(trx, organisationId, {
        actor: input.author,
        action: 'register.published',
        subject: { kind: 'register-version', id: String(row.version) },
        detail: { contentHash: hash, errors: row.error_count, warnings: row.warning_count },
        at: new Date(now),
      });
      return { unchanged: false, version: toVersion(row) };
    });
  }

  async latest(organisationId: string): Promise<RegisterVersion | undefined> {
    const row = await latestRow(this.db, organisationId);
    return row && toVersion(row);
  }

  async get(organisationId: string, version: number): Promise<RegisterVersion | undefined> {
    const row = await this.db
      .selectFrom('register_versions')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  /** The versions, newest first, without the register, findings and diff. */
  async list(organisationId: string): Promise<RegisterVersionSummary[]> {
    const rows = await this.db
      .selectFrom('register_versions')
      .select(['organisation_id', 'version', 'content_hash', 'published_at', 'author', 'message', 'error_count', 'warning_count'])
      .where('organisation_id', '=', organisationId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map(toSummary);
  }

  /** Every organisation with its latest version number, oldest first (the first is the default). */
  async organisations(): Promise<OrganisationSummary[]> {
    const rows = await this.organisationsQuery().orderBy('organisations.created_at').orderBy('organisations.id').execute();
    return rows.map(toOrganisation);
  }

  async organisation(organisationId: string): Promise<OrganisationSummary | undefined> {
    const row = await this.organisationsQuery().where('organisations.id', '=', organisationId).executeTakeFirst();
    return row && toOrganisation(row);
  }

  private organisationsQuery() {
    return this.db
      .selectFrom('organisations')
      .leftJoin('register_versions', 'register_versions.organisation_id', 'organisations.id')
      .select((eb) => ['organisations.id', 'organisations.name', 'organisations.created_at', eb.fn.max('register_versions.version').as('latest_version')])
      .groupBy(['organisations.id', 'organisations.name', 'organisations.created_at']);
  }
}

function toOrganisation(r: { id: string; name: string; created_at: string; latest_version: number | string | bigint | null }): OrganisationSummary {
  return { id: r.id, name: r.name, createdAt: r.created_at, latestVersion: r.latest_version === null ? null : Number(r.latest_version) };
}

type Row = Selectable<RegisterVersionsTable>;

function latestRow(db: Kysely<Database> | Transaction<Database>, organisationId: string): Promise<Row | undefined> {
  return db
    .selectFrom('register_versions')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

function toSummary(row: Omit<Row, 'register_json' | 'findings_json' | 'diff_json'>): RegisterVersionSummary {
  return {
    organisationId: row.organisation_id,
    // PostgreSQL returns integers as numbers; keep it explicit for drivers that return strings.
    version: Number(row.version),
    contentHash: row.content_hash,
    publishedAt: row.published_at,
    author: row.author,
    message: row.message,
    errorCount: Number(row.error_count),
    warningCount: Number(row.warning_count),
  };
}

function toVersion(row: Row): RegisterVersion {
  return {
    ...toSummary(row),
    register: JSON.parse(row.register_json) as Register,
    findings: JSON.parse(row.findings_json) as Finding[],
    diff: row.diff_json === null ? null : (JSON.parse(row.diff_json) as unknown),
  };
}
