/** The person's identities and what they asked, and their earlier requests of the same type: only on demand, the view in the audit log. */
import { useState } from 'preact/hooks';
import { api, must, type RequestView, type Schemas } from '../../api.js';
import { useAction } from '../../components/forms.js';
import { ErrorMessage } from '../../components/status.js';
import { formatDate, useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import { Facts } from '../../components/facts.js';

export function PersonalData({ request }: { request: RequestView }) {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const [data, setData] = useState<Schemas['RequestPersonalData'] | undefined>(undefined);
  const action = useAction();
  return (
    <section class="panel" aria-labelledby="r-personal">
      <h2 id="r-personal">{t.request.personal}</h2>
      {data === undefined ? (
        <button type="button" class="secondary" disabled={action.working} onClick={() => void action.run(async () => setData(await must(api.GET('/api/v1/organisations/{org}/desk/requests/{id}/personal-data', { params: { path } }))))}>
          {t.request.personalShow}
        </button>
      ) : (
        <>
          <h3>{t.request.personalIdentities}</h3>
          <ul>
            {data.identities.map((i) => (
              <li key={i.identity}>
                {i.identity}. {i.type}: <span class="mono">{i.value}</span>
              </li>
            ))}
          </ul>
          <h3>{t.request.personalDetails}</h3>
          <Facts input={data.details} />
          <h3>{t.request.repetitions}</h3>
          {data.repetitions.length === 0 ? (
            <p>{t.request.repetitionsNone}</p>
          ) : (
            <ul>
              {data.repetitions.map((r) => (
                <li key={r.id}>
                  <a href={`/console/requests/${r.id}`}>{r.reference}</a> — {formatDate(lang, r.received_on)} — {t.states[r.state]}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <ErrorMessage error={action.error} />
    </section>
  );
}
