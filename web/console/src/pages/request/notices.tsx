/**
 * The recipients told of a rectification, an erasure or a restriction (Art. 19): each notice's
 * state, and — for one that failed or is for a person to give — how it was told, or why it was not
 * (impossible, or disproportionate effort, as Art. 19 allows), or a new delivery.
 */
import { useState } from 'preact/hooks';
import { api, must, type RequestView } from '../../api.js';
import { Field, Outcome, useAction } from '../../components/forms.js';
import { Show } from '../../components/status.js';
import { useLoad } from '../../components/use-load.js';
import { useI18n } from '../../i18n/index.js';
import { can, useSession } from '../../session.js';

type Notice = { id: string; recipient_id: string; action: string; channel: string; state: string; note: string | null; categories: string[]; deliveries: number; told_at: string | null };
type NoticeOutcome = 'told' | 'impossible' | 'disproportionate';
const OUTCOMES: readonly NoticeOutcome[] = ['told', 'impossible', 'disproportionate'];

export function NoticesPanel({ request, recipients }: { request: RequestView; recipients: ReadonlyMap<string, string> }) {
  const { t } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  // Read again with each new version of the request: a completion adds the notices.
  const notices = useLoad(() => must(api.GET('/api/v1/organisations/{org}/desk/requests/{id}/recipient-notices', { params: { path } })).then((r) => r.notices as Notice[]), [request.id, request.version]);
  return (
    <section class="panel" aria-labelledby="r-notices">
      <h2 id="r-notices">{t.request.notices}</h2>
      <Show loaded={notices}>{(list) => <Notices request={request} notices={list} reload={notices.reload} recipients={recipients} />}</Show>
    </section>
  );
}

function Notices({ request, notices, reload, recipients }: { request: RequestView; notices: readonly Notice[]; reload: () => void; recipients: ReadonlyMap<string, string> }) {
  const { t } = useI18n();
  const { session } = useSession();
  if (notices.length === 0) return <p>{t.request.noticesNone}</p>;
  return (
    <div class="table-wrap" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.request.recipient}</th>
            <th scope="col">{t.request.noticeAction}</th>
            <th scope="col">{t.request.noticeChannel}</th>
            <th scope="col">{t.request.noticeState}</th>
            <th scope="col">{t.request.noticeDecide}</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((n) => (
            <tr key={n.id}>
              <th scope="row">{recipients.get(n.recipient_id) ?? n.recipient_id}</th>
              <td>{t.request.noticeActions[n.action] ?? n.action}</td>
              <td>{t.request.noticeChannels[n.channel] ?? n.channel}</td>
              <td>
                {t.request.noticeStates[n.state] ?? n.state}
                {n.note ? <div class="hint">{n.note}</div> : null}
              </td>
              <td>
                {can(session, 'requests.decide') && (n.state === 'failed' || n.state === 'by_hand') ? (
                  <details>
                    <summary>{t.request.noticeDecideFor(recipients.get(n.recipient_id) ?? n.recipient_id)}</summary>
                    <NoticeDecision request={request} notice={n} reload={reload} />
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NoticeDecision({ request, notice, reload }: { request: RequestView; notice: Notice; reload: () => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id, notice: notice.id };
  const [outcome, setOutcome] = useState<NoticeOutcome>('told');
  const [note, setNote] = useState('');
  const action = useAction();
  const url = '/api/v1/organisations/{org}/desk/requests/{id}/recipient-notices/{notice}/decision' as const;
  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await must(api.POST(url, { params: { path }, body: { outcome, note: note.trim() } }));
          reload();
        });
      }}
    >
      <Field id={`n-${notice.id}-outcome`} label={t.request.noticeOutcome}>
        <select id={`n-${notice.id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as NoticeOutcome)}>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t.request.noticeOutcomes[o]}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`n-${notice.id}-note`} label={t.request.noticeNote}>
        <input id={`n-${notice.id}-note`} required value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <div class="row">
        <button type="submit" disabled={action.working || note.trim() === ''}>
          {t.request.noticeSubmit}
        </button>
        {notice.state === 'failed' ? (
          <button
            type="button"
            class="secondary"
            disabled={action.working}
            onClick={() =>
              void action.run(async () => {
                await must(api.POST(url, { params: { path }, body: { outcome: 'retry' } }));
                reload();
              })
            }
          >
            {t.request.noticeRetry}
          </button>
        ) : null}
      </div>
      <Outcome action={action} />
    </form>
  );
}
