/** The systems requests run on: each dataset's connection, its tables, the columns left uncategorised, and "test connection". */
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../api.js';
import { useAction } from '../components/forms.js';
import { PageTitle } from '../components/page-title.js';
import { ErrorMessage, Show } from '../components/status.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';

function Check({ check }: { check: Schemas['SystemCheck'] }) {
  const { t } = useI18n();
  return (
    <div class={check.ok ? 'done' : 'error'}>
      <p>
        <strong>{!check.connected ? t.systems.notConnected : check.ok ? t.systems.ok(check.duration_ms) : t.systems.notOk(check.duration_ms)}</strong>
      </p>
      {check.note ? <p>{check.note}</p> : null}
      {check.problems.length > 0 ? (
        <ul>
          {check.problems.map((p, i) => (
            <li key={i}>
              <span class="mono">{p.rule}</span>
              {p.file ? <span class="mono">{` ${p.file}${p.line !== null ? `:${p.line}` : ''}`}</span> : null}: {p.message}
              {p.stops.length > 0 ? ` (${t.systems.stops(p.stops.join(', '))})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {check.undeclared_columns.length > 0 ? (
        <>
          <p>{t.systems.undeclared}</p>
          <ul>
            {check.undeclared_columns.map((u) => (
              <li key={u.collection} class="mono">
                {u.collection}: {u.columns.join(', ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {check.indexes.length > 0 ? (
        <>
          <p>{t.systems.indexes}</p>
          <ul>
            {check.indexes.map((x) => (
              <li key={x.column}>
                <span class="mono">{x.column}</span>: {x.reason}
                {x.statement ? <pre>{x.statement}</pre> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function SystemCard({ system }: { system: Schemas['System'] }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [check, setCheck] = useState<Schemas['SystemCheck'] | undefined>(undefined);
  const action = useAction();
  const name = system.name ?? system.id;
  const headingId = `sys-${system.id}`;
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{name}</h2>
      {system.description ? <p>{system.description}</p> : null}
      <dl class="facts">
        <dt>{t.systems.connection}</dt>
        <dd>{system.connection ? `${system.connection.name} (${system.connection.kind})` : t.systems.noConnection}</dd>
        {system.connection ? (
          <>
            <dt>{t.systems.target}</dt>
            <dd class="mono wrap">{system.connection.target ?? t.systems.secret}</dd>
          </>
        ) : null}
        <dt>{t.systems.registerSystem}</dt>
        <dd>{system.register_system ?? '—'}</dd>
        <dt>{t.systems.datasets}</dt>
        <dd>{t.systems.collections(system.collections.length)}</dd>
      </dl>
      <button
        type="button"
        disabled={action.working}
        onClick={() => void action.run(async () => setCheck(await must(api.POST('/api/v1/organisations/{org}/systems/{system}/check', { params: { path: { org: session.organisation, system: system.id } } }))))}
      >
        {action.working ? t.systems.testing : t.systems.test(name)}
      </button>
      <div aria-live="polite">
        <ErrorMessage error={action.error} />
        {check ? <Check check={check} /> : null}
      </div>
      <h3>{t.systems.uncategorised}</h3>
      {system.uncategorised.length === 0 ? (
        <p>{t.systems.uncategorisedNone}</p>
      ) : (
        <ul class="mono">
          {system.uncategorised.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
      <details>
        <summary>{t.systems.datasets}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.systems.table}</th>
              <th scope="col">{t.systems.fields}</th>
            </tr>
          </thead>
          <tbody>
            {system.collections.map((c) => (
              <tr key={c.name}>
                <th scope="row" class="mono">
                  {c.name}
                </th>
                <td>
                  {c.fields.map((f, i) => (
                    <span key={f.name}>
                      {i > 0 ? ', ' : ''}
                      <span class="mono">{f.name}</span>
                      {f.categories.length > 0 ? ` (${f.categories.join(', ')})` : ''}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

export function SystemsPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const loaded = useLoad(() => must(api.GET('/api/v1/organisations/{org}/systems', { params: { path: { org: session.organisation } } })), [session.organisation]);
  return (
    <>
      <PageTitle>{t.systems.title}</PageTitle>
      <Show loaded={loaded}>{(r) => (r.systems.length === 0 ? <p>{t.systems.none}</p> : r.systems.map((s) => <SystemCard key={s.id} system={s} />))}</Show>
    </>
  );
}
