/** A request's summary: type, state, days, channel, assignee (by name, from the staff directory), extension, who entered it. */
import type { RequestView } from '../../api.js';
import { ActorName, StaffName } from '../../components/staff-name.js';
import { formatDate, formatDateTime, useI18n } from '../../i18n/index.js';

export function Summary({ request }: { request: RequestView }) {
  const { t, lang } = useI18n();
  return (
    <section class="panel" aria-labelledby="r-summary">
      <h2 id="r-summary">{t.request.summary}</h2>
      <dl class="facts">
        <dt>{t.request.type}</dt>
        <dd>{t.types[request.type]}</dd>
        <dt>{t.request.state}</dt>
        <dd>
          <span class={`state state-${request.state}`}>{t.states[request.state]}</span>
        </dd>
        <dt>{t.request.received}</dt>
        <dd>{formatDateTime(lang, request.received_at)}</dd>
        <dt>{t.request.due}</dt>
        <dd>{formatDate(lang, request.due_on)}</dd>
        <dt>{t.request.channel}</dt>
        <dd>{t.channels[request.channel] ?? request.channel}</dd>
        <dt>{t.request.assignee}</dt>
        <dd>
          <StaffName id={request.assignee} />
        </dd>
        {request.extension_months > 0 ? (
          <>
            <dt>{t.request.extended}</dt>
            <dd>{t.request.months(request.extension_months)}</dd>
          </>
        ) : null}
        <dt>{t.request.createdBy}</dt>
        <dd>
          <ActorName actor={request.created_by} />
        </dd>
      </dl>
    </section>
  );
}
