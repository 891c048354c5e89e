/** The dry run of a request (GET …/desk/requests/{id}/plan): what the engine would search, find, write and keep, in counts. */
import { useState } from 'preact/hooks';
import { api, must, type RequestView, type Schemas } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';
import { useAction } from './forms.js';
import { ErrorMessage } from './status.js';

export function PlanPanel({ request }: { request: RequestView }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [plan, setPlan] = useState<Schemas['RequestPlan'] | undefined>(undefined);
  const action = useAction();
  const path = { org: session.organisation, id: request.id };
  return (
    <section class="panel" aria-labelledby="r-plan">
      <h2 id="r-plan">{t.request.plan}</h2>
      {plan === undefined ? (
        <button type="button" class="secondary" disabled={action.working} onClick={() => void action.run(async () => setPlan(await must(api.GET('/api/v1/organisations/{org}/desk/requests/{id}/plan', { params: { path } }))))}>
          {action.working ? t.app.loading : t.request.planShow}
        </button>
      ) : (
        <Plan plan={plan} />
      )}
      <ErrorMessage error={action.error} />
    </section>
  );
}

function Plan({ plan }: { plan: Schemas['RequestPlan'] }) {
  const { t } = useI18n();
  return (
    <>
      <dl class="facts">
        <dt>{t.request.planKind}</dt>
        <dd>{plan.kind}</dd>
        <dt>{t.request.planSystems}</dt>
        <dd>{plan.systems.length === 0 ? t.app.none : plan.systems.map((s) => `${s.id} (${s.kind ?? '—'}, ${t.request.planHow[s.how] ?? s.how})`).join(' · ')}</dd>
        {plan.not_searched && plan.not_searched.length > 0 ? (
          <>
            <dt>{t.request.planNotSearched}</dt>
            <dd>{plan.not_searched.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <h3>{t.request.planFound}</h3>
      {plan.found.length === 0 ? (
        <p>{t.request.planNothing}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.request.planTable}</th>
              <th scope="col">{t.request.planRows}</th>
              <th scope="col">{t.request.planWithheld}</th>
            </tr>
          </thead>
          <tbody>
            {plan.found.map((f) => (
              <tr key={f.collection}>
                <th scope="row" class="mono">
                  {f.collection}
                </th>
                <td class="num">{f.rows}</td>
                <td class="num">{f.withheld}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan.writes.length > 0 ? (
        <>
          <h3>{t.request.planWrites}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.request.planTable}</th>
                <th scope="col">{t.request.planOperation}</th>
                <th scope="col">{t.request.planRows}</th>
                <th scope="col">{t.request.planFields}</th>
              </tr>
            </thead>
            <tbody>
              {plan.writes.map((w) => (
                <tr key={`${w.collection}-${w.operation}`}>
                  <th scope="row" class="mono">
                    {w.collection}
                  </th>
                  <td>{w.operation}</td>
                  <td class="num">{w.rows}</td>
                  <td class="mono">{w.fields.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {plan.kept.length > 0 ? (
        <>
          <h3>{t.request.planKept}</h3>
          <ul>
            {plan.kept.map((k) => (
              <li key={`${k.collection}-${k.reason}`}>
                <span class="mono">{k.collection}</span>: {k.rows} — {k.reason}
                {k.hold ? ` (${k.hold.article}: ${k.hold.reason})` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {plan.flags.length > 0 ? (
        <>
          <h3>{t.request.planFlags}</h3>
          <ul>
            {plan.flags.map((f) => (
              <li key={`${f.collection}-${f.kind}-${f.text}`}>
                <span class="mono">{f.collection}</span>: {f.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {plan.warnings.length > 0 ? (
        <>
          <h3>{t.request.planWarnings}</h3>
          <ul>
            {plan.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
