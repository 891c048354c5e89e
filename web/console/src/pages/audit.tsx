/** The audit log, oldest first, with its filters and keyset pages, and "verify the chain". */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, must } from '../api.js';
import { ErrorMessage, Show } from '../components/status.js';
import { useLoad } from '../components/use-load.js';
import { formatDateTime, useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';
import { Facts } from '../components/facts.js';
import { PageTitle } from '../components/page-title.js';
import { useActorLabel } from '../components/staff-name.js';

const FILTERS = ['action', 'subject_kind', 'subject_id'] as const;
type Filter = (typeof FILTERS)[number];
type Verification = { intact: boolean; entries: number; head: { seq: number; hash: string } | null; problems: { seq: number; problem: string }[] };

function auditUrl(values: Partial<Record<Filter | 'after', string>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
  const q = params.toString();
  return `/console/audit${q === '' ? '' : `?${q}`}`;
}

export function AuditPage() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const actorLabel = useActorLabel();
  const { query, route } = useLocation();
  const current: Partial<Record<Filter, string>> = {};
  for (const f of FILTERS) if (query[f]) current[f] = query[f];
  const after = query.after;
  const key = JSON.stringify([current, after]);
  const path = { org: session.organisation };

  const page = useLoad(() => must(api.GET('/api/v1/organisations/{org}/audit', { params: { path, query: { limit: 50, ...current, ...(after ? { after } : {}) } } })), [session.organisation, key]);
  const [draft, setDraft] = useState(current);
  const [draftKey, setDraftKey] = useState(key);
  if (draftKey !== key) {
    setDraftKey(key);
    setDraft(current);
  }
  const [verification, setVerification] = useState<Verification | undefined>(undefined);
  const [verifying, setVerifying] = useState(false);
  const [verifyError, setVerifyError] = useState<Error | undefined>(undefined);
  const verify = async () => {
    setVerifying(true);
    setVerifyError(undefined);
    try {
      setVerification(await must(api.GET('/api/v1/organisations/{org}/audit/verification', { params: { path } })));
    } catch (error) {
      setVerifyError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setVerifying(false);
    }
  };
  const labels: Record<Filter, string> = { action: t.audit.action, subject_kind: t.audit.subjectKind, subject_id: t.audit.subjectId };

  return (
    <>
      <PageTitle>{t.audit.title}</PageTitle>
      <section class="verify" aria-labelledby="verify-heading">
        <h2 id="verify-heading">{t.audit.verify}</h2>
        <button type="button" onClick={() => void verify()} disabled={verifying}>
          {verifying ? t.audit.verifying : t.audit.verify}
        </button>
        <div aria-live="polite">
          <ErrorMessage error={verifyError} />
          {verification ? (
            <div class={verification.intact ? 'done' : 'error'}>
              <p>
                <strong>{verification.intact ? t.audit.intact(verification.entries) : t.audit.broken(verification.problems.length)}</strong>
              </p>
              {verification.head ? <p class="mono wrap">{t.audit.head(verification.head.seq, verification.head.hash)}</p> : null}
              {verification.problems.length > 0 ? (
                <ul>
                  {verification.problems.map((p) => (
                    <li key={`${p.seq}-${p.problem}`}>
                      {p.seq}: {p.problem}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
      </section>
      <form
        class="filters"
        aria-label={t.queue.filters}
        onSubmit={(e) => {
          e.preventDefault();
          route(auditUrl(draft));
        }}
      >
        {FILTERS.map((f) => (
          <div class="field" key={f}>
            <label for={`a-${f}`}>{labels[f]}</label>
            <input id={`a-${f}`} value={draft[f] ?? ''} onInput={(e) => setDraft((d) => ({ ...d, [f]: e.currentTarget.value }))} />
          </div>
        ))}
        <div class="field actions">
          <button type="submit">{t.audit.apply}</button>
          <a href="/console/audit">{t.queue.clear}</a>
        </div>
      </form>
      <Show loaded={page}>
        {(p) =>
          p.entries.length === 0 ? (
            <p role="status">{t.audit.empty}</p>
          ) : (
            <>
              <div class="table-wrap" tabIndex={0}>
                <table class="audit">
                  <caption>{t.audit.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.audit.seq}</th>
                      <th scope="col">{t.audit.at}</th>
                      <th scope="col">{t.audit.actor}</th>
                      <th scope="col">{t.audit.action}</th>
                      <th scope="col">{t.audit.subject}</th>
                      <th scope="col">{t.audit.detail}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.entries.map((e) => (
                      <tr key={e.seq}>
                        <td class="num">{e.seq}</td>
                        <td>{formatDateTime(lang, e.at)}</td>
                        <td>{actorLabel(e.actor)}</td>
                        <td class="mono">{e.action}</td>
                        <td class="mono">
                          {e.subject.kind === 'request' ? <a href={`/console/requests/${e.subject.id}`}>{`${e.subject.kind}:${e.subject.id}`}</a> : `${e.subject.kind}:${e.subject.id}`}
                        </td>
                        <td>
                          <Facts input={e.detail} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <nav class="pager" aria-label={t.queue.paging}>
                {after ? <a href={auditUrl(current)}>{t.audit.first}</a> : null}
                {p.next_after !== null ? (
                  <a href={auditUrl({ ...current, after: String(p.next_after) })} rel="next">
                    {t.audit.next}
                  </a>
                ) : null}
              </nav>
            </>
          )
        }
      </Show>
    </>
  );
}
