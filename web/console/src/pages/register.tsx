/**
 * The register: its activities as the eight columns of a published policy's table (source, its
 * explanation, activity, purpose, data categories, legal ground, persons concerned, recipients), the
 * lint findings with article and file:line, the versions with their material changes, and publishing.
 */
import { useState } from 'preact/hooks';
import { api, ApiFailure, must, type Schemas } from '../api.js';
import { Field, useAction } from '../components/forms.js';
import { PageTitle } from '../components/page-title.js';
import { Done, ErrorMessage, Show } from '../components/status.js';
import { useLoad } from '../components/use-load.js';
import { formatDateTime, useI18n, type Lang } from '../i18n/index.js';
import { can, useSession } from '../session.js';

type Json = Record<string, unknown>;
const record = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A register text: a string, or one per language. */
function text(v: unknown, lang: Lang): string {
  if (typeof v === 'string') return v;
  const r = record(v);
  if (!r) return '';
  const mine = r[lang] ?? r.en ?? Object.values(r)[0];
  return typeof mine === 'string' ? mine : '';
}
const words = (code: unknown) => (typeof code === 'string' ? code.replace(/_/g, ' ') : '');

function Cell({ items }: { items: string[] }) {
  const shown = items.filter((i) => i !== '');
  if (shown.length === 0) return <>—</>;
  if (shown.length === 1) return <>{shown[0]}</>;
  return (
    <ul class="cell-list">
      {shown.map((i, n) => (
        <li key={n}>{i}</li>
      ))}
    </ul>
  );
}

function Activities({ register }: { register: Json }) {
  const { t, lang } = useI18n();
  const recipients = new Map<string, string>();
  for (const r of list(register.recipients)) {
    const rec = record(r);
    if (rec && typeof rec.id === 'string') recipients.set(rec.id, text(rec.name, lang) || rec.id);
  }
  const activities = list(register.activities).map(record).filter((a): a is Json => a !== undefined);
  return (
    <div class="table-wrap" tabIndex={0}>
      <table class="register">
        <caption class="visually-hidden">{t.register.activities}</caption>
        <thead>
          <tr>
            <th scope="col">{t.register.source}</th>
            <th scope="col">{t.register.sourceExplanation}</th>
            <th scope="col">{t.register.activity}</th>
            <th scope="col">{t.register.purpose}</th>
            <th scope="col">{t.register.categories}</th>
            <th scope="col">{t.register.legalBasis}</th>
            <th scope="col">{t.register.subjects}</th>
            <th scope="col">{t.register.recipients}</th>
          </tr>
        </thead>
        <tbody>
          {activities.map((a) => {
            const sources = list(a.sources).map(record);
            return (
              <tr key={String(a.id)}>
                <td>
                  <Cell items={sources.map((s) => (s ? (t.register.sourceKinds[String(s.kind)] ?? words(s.kind)) : ''))} />
                </td>
                <td>
                  <Cell items={sources.map((s) => (s ? text(s.explanation, lang) : ''))} />
                </td>
                <th scope="row">{text(a.name, lang) || String(a.id)}</th>
                <td>
                  <Cell items={list(a.purposes).map((p) => text(record(p)?.description, lang))} />
                </td>
                <td>
                  <Cell items={list(a.data_categories).map((c) => text(record(c)?.label, lang) || words(record(c)?.category))} />
                </td>
                <td>
                  <Cell items={list(a.legal_bases).map((b) => words(record(b)?.basis))} />
                </td>
                <td>
                  <Cell items={list(a.data_subjects).map((d) => text(record(d)?.label, lang) || words(record(d)?.category))} />
                </td>
                <td>
                  <Cell items={list(a.recipients).map((r) => (typeof r === 'string' ? (recipients.get(r) ?? r) : text(record(r)?.name, lang)))} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Findings({ findings }: { findings: Schemas['RegisterFindings'] }) {
  const { t } = useI18n();
  if (findings.findings.length === 0) return <p>{t.register.findingsNone}</p>;
  return (
    <div class="table-wrap" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.register.severity}</th>
            <th scope="col">{t.register.rule}</th>
            <th scope="col">{t.register.article}</th>
            <th scope="col">{t.register.place}</th>
            <th scope="col">{t.register.message}</th>
          </tr>
        </thead>
        <tbody>
          {findings.findings.map((f, i) => (
            <tr key={i}>
              <td class={`sev-${f.severity}`}>{t.severities[f.severity]}</td>
              <td class="mono">{f.rule}</td>
              <td>{f.article ?? '—'}</td>
              <td class="mono">{`${f.file}:${f.line}:${f.column}`}</td>
              <td>
                {f.message}
                {f.suggestion ? <div class="hint">{f.suggestion}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Diff = Schemas['RegisterVersion']['diff'];

function DiffView({ diff }: { diff: Diff }) {
  const { t } = useI18n();
  if (diff === null) return <p>{t.register.firstVersion}</p>;
  if (diff.changes.length === 0) return <p>{t.register.noChange}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t.register.change}</th>
          <th scope="col">{t.register.activityCol}</th>
          <th scope="col">{t.register.article}</th>
          <th scope="col">{t.register.material}</th>
        </tr>
      </thead>
      <tbody>
        {diff.changes.map((c, i) => (
          <tr key={i}>
            <td>{c.summary}</td>
            <td class="mono">{c.activity ?? '—'}</td>
            <td>{c.article}</td>
            <td>{c.material ? <strong class="late">{t.app.yes}</strong> : t.app.no}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Version({ summary }: { summary: Schemas['RegisterVersionSummary'] }) {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const [diff, setDiff] = useState<{ diff: Diff } | undefined>(undefined);
  const action = useAction();
  return (
    <li>
      <strong>{t.register.version(summary.version, formatDateTime(lang, summary.published_at))}</strong>
      {summary.message ? ` — ${summary.message}` : ''} ({t.register.errors}: {summary.errors}, {t.register.warnings}: {summary.warnings})
      <div>
        {diff === undefined ? (
          <button
            type="button"
            class="link-button"
            disabled={action.working}
            onClick={() =>
              void action.run(async () => {
                const v = await must(api.GET('/api/v1/organisations/{org}/register/versions/{version}', { params: { path: { org: session.organisation, version: summary.version } } }));
                setDiff({ diff: v.diff });
              })
            }
          >
            {t.register.showDiff(summary.version)}
          </button>
        ) : (
          <DiffView diff={diff.diff} />
        )}
        <ErrorMessage error={action.error} />
      </div>
    </li>
  );
}

function Publish({ onPublished }: { onPublished: () => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [message, setMessage] = useState('');
  const [allowErrors, setAllowErrors] = useState(false);
  const [result, setResult] = useState<Schemas['RegisterPublication'] | undefined>(undefined);
  const action = useAction();
  return (
    <section class="panel" aria-labelledby="publish-heading">
      <h2 id="publish-heading">{t.register.publish}</h2>
      <p>{t.register.publishIntro}</p>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const m = message.trim();
            setResult(await must(api.POST('/api/v1/organisations/{org}/register/versions', { params: { path: { org: session.organisation } }, body: { ...(m === '' ? {} : { message: m }), allow_errors: allowErrors } })));
            onPublished();
          });
        }}
      >
        <Field id="publish-message" label={t.register.publishMessage}>
          <input id="publish-message" value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
        </Field>
        <div class="check">
          <input id="publish-errors" type="checkbox" checked={allowErrors} onChange={(e) => setAllowErrors(e.currentTarget.checked)} />
          <label for="publish-errors">{t.register.publishAllowErrors}</label>
        </div>
        <button type="submit" disabled={action.working}>
          {t.register.publishSubmit}
        </button>
      </form>
      <div aria-live="polite">
        <ErrorMessage error={action.error} />
        {result ? (
          <>
            <Done>{result.unchanged ? t.register.unchanged : t.register.published_(result.version.version)}</Done>
            {result.unchanged ? null : <DiffView diff={result.diff} />}
          </>
        ) : null}
      </div>
    </section>
  );
}

export function RegisterPage() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation };
  const loaded = useLoad(async () => {
    const { data, response } = await api.GET('/api/v1/organisations/{org}/register', { params: { path } });
    if (response.status === 404) return null;
    if (!data) throw new ApiFailure(response.status, `HTTP ${response.status}`);
    const [findings, versions] = await Promise.all([
      must(api.GET('/api/v1/organisations/{org}/register/findings', { params: { path } })),
      must(api.GET('/api/v1/organisations/{org}/register/versions', { params: { path } })),
    ]);
    return { register: data, findings, versions: versions.versions };
  }, [session.organisation]);

  return (
    <>
      <PageTitle>{t.register.title}</PageTitle>
      <Show loaded={loaded}>
        {(r) =>
          r === null ? (
            <>
              <p>{t.register.none}</p>
              {can(session, 'register.publish') ? <Publish onPublished={loaded.reload} /> : null}
            </>
          ) : (
            <>
              <p>{t.register.version(r.register.version, formatDateTime(lang, r.register.published_at))}</p>
              <section aria-labelledby="activities-heading">
                <h2 id="activities-heading">{t.register.activities}</h2>
                <Activities register={r.register.register} />
              </section>
              <section aria-labelledby="findings">
                <h2 id="findings" tabIndex={-1}>
                  {t.register.findings} ({r.findings.summary.errors} / {r.findings.summary.warnings} / {r.findings.summary.infos})
                </h2>
                <Findings findings={r.findings} />
              </section>
              <section aria-labelledby="versions-heading">
                <h2 id="versions-heading">{t.register.versions}</h2>
                <ul class="versions">
                  {r.versions.map((v) => (
                    <Version key={v.version} summary={v} />
                  ))}
                </ul>
              </section>
              {can(session, 'register.publish') ? <Publish onPublished={loaded.reload} /> : null}
            </>
          )
        }
      </Show>
    </>
  );
}
