/** The evidence of a request's runs: each completion or failure the engine recorded, with what it counted. */
import type { RequestView } from '../../api.js';
import { formatDateTime, useI18n } from '../../i18n/index.js';
import { Facts } from '../../components/facts.js';

export function Evidence({ request }: { request: RequestView }) {
  const { t, lang } = useI18n();
  const runs = request.history.filter((h) => h.name === 'complete' || h.name === 'fail');
  return (
    <section class="panel" aria-labelledby="r-evidence">
      <h2 id="r-evidence">{t.request.evidence}</h2>
      {runs.length === 0 ? (
        <p>{t.request.evidenceNone}</p>
      ) : (
        runs.map((h) => (
          <div key={h.seq}>
            <h3>
              {t.states[h.to]} — {formatDateTime(lang, h.at)}
            </h3>
            <Facts input={h.input} />
          </div>
        ))
      )}
    </section>
  );
}
