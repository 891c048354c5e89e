/**
 * A request's identities and how staff confirm them: a code sent to an email it names, a step-up
 * (a document looked at and not kept, data held matched, known to staff), or the person asked for
 * more information. Identities are confirmed only on reasonable doubt, and the clock waits while
 * the person is asked (Art. 12(6)).
 */
import { useState } from 'preact/hooks';
import { api, must, type RequestView } from '../../api.js';
import { ActionForm, Field, useAction } from '../../components/forms.js';
import { ErrorMessage } from '../../components/status.js';
import { formatDateTime, useI18n } from '../../i18n/index.js';
import { can, useSession } from '../../session.js';
import type { RequestPart } from './states.js';
import { StatusKey } from './status-key.js';

type Method = 'document' | 'match' | 'staff';
const METHODS: readonly Method[] = ['match', 'document', 'staff'];

/** `onRefresh` takes the request read again without announcing a decision (a code sent changes its version, not what staff decided). */
export function Identities({ request, onChange, onRefresh }: RequestPart & { onRefresh: (next: RequestView) => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const mayAct = can(session, 'requests.identity') && (request.state === 'received' || request.state === 'awaiting_identity');
  const unconfirmed = request.identities.filter((i) => i.confirmed_at === null);
  return (
    <section class="panel" aria-labelledby="r-identity">
      <h2 id="r-identity">{t.request.identity}</h2>
      <IdentityTable request={request} />
      {mayAct ? <SendCodes request={request} onRefresh={onRefresh} /> : null}
      {mayAct && unconfirmed.length > 0 ? <ConfirmIdentity request={request} onChange={onChange} /> : null}
      {can(session, 'requests.identity') && (request.state === 'received' || request.state === 'verified') ? <AskIdentity request={request} onChange={onChange} /> : null}
      {/* In any state: a completed request's copy needs the key, and a closed one can still be read. */}
      <StatusKey request={request} onRefresh={onRefresh} />
    </section>
  );
}

function IdentityTable({ request }: { request: RequestView }) {
  const { t, lang } = useI18n();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{t.request.identityKind}</th>
          <th scope="col">{t.request.identityStatus}</th>
          <th scope="col">{t.request.codesSent}</th>
        </tr>
      </thead>
      <tbody>
        {request.identities.map((i) => (
          <tr key={i.identity}>
            <td class="num">{i.identity}</td>
            <td>{i.type}</td>
            <td>{i.confirmed_at !== null ? t.request.confirmedBy(i.confirmed_by === null ? '' : (t.request.methods[i.confirmed_by] ?? i.confirmed_by), formatDateTime(lang, i.confirmed_at)) : t.request.notConfirmed}</td>
            <td class="num">{i.codes_sent}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A code to each unconfirmed email; the request is read again after, its version and codes count having changed. */
function SendCodes({ request, onRefresh }: { request: RequestView; onRefresh: (next: RequestView) => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const code = useAction();
  const [message, setMessage] = useState<string | undefined>(undefined);
  const send = (identity: number) =>
    code.run(async () => {
      // The answer of an earlier send is not left standing over this one's failure.
      setMessage(undefined);
      const r = await must(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/codes', { params: { path }, body: { identity } }));
      setMessage(r.sent ? t.request.codeSent : t.request.codeNotSent(r.reason ?? ''));
      onRefresh(await must(api.GET('/api/v1/organisations/{org}/desk/requests/{id}', { params: { path } })));
    });
  return (
    <>
      {request.identities
        .filter((i) => i.confirmed_at === null && i.type === 'email')
        .map((i) => (
          <p key={i.identity}>
            <button type="button" class="secondary" disabled={code.working} onClick={() => void send(i.identity)}>
              {t.request.sendCode(i.identity)}
            </button>
          </p>
        ))}
      {message ? <p role="status">{message}</p> : <ErrorMessage error={code.error} />}
    </>
  );
}

function ConfirmIdentity({ request, onChange }: RequestPart) {
  const { t } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const unconfirmed = request.identities.filter((i) => i.confirmed_at === null);
  const confirm = useAction();
  const [which, setWhich] = useState(String(unconfirmed[0]?.identity ?? 1));
  // Once the identity chosen is confirmed, the next one still to confirm is offered (never a confirmed one sent again).
  const chosen = unconfirmed.some((i) => String(i.identity) === which) ? which : String(unconfirmed[0]?.identity ?? 1);
  const [method, setMethod] = useState<Method>('match');
  const [note, setNote] = useState('');
  return (
    <ActionForm
      legend={t.request.confirm}
      action={confirm}
      ready={note.trim() !== ''}
      submit={t.request.confirmSubmit}
      run={async () => onChange(await must(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/confirm-identity', { params: { path }, body: { identity: Number(chosen), method, note: note.trim(), version: request.version } })))}
    >
      <div class="row">
        <Field id="c-which" label={t.request.confirmWhich}>
          <select id="c-which" value={chosen} onChange={(e) => setWhich(e.currentTarget.value)}>
            {unconfirmed.map((i) => (
              <option key={i.identity} value={String(i.identity)}>
                {`${i.identity} — ${i.type}`}
              </option>
            ))}
          </select>
        </Field>
        <Field id="c-method" label={t.request.method}>
          <select id="c-method" value={method} onChange={(e) => setMethod(e.currentTarget.value as Method)}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {t.request.methods[m]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id="c-note" label={t.request.note}>
        <textarea id="c-note" required value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
    </ActionForm>
  );
}

/** The person asked for what confirms their identity; the letter gives the reason (Art. 12(6)). */
function AskIdentity({ request, onChange }: RequestPart) {
  const { t } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const ask = useAction();
  const [reason, setReason] = useState('');
  return (
    <ActionForm
      legend={t.request.askIdentity}
      action={ask}
      ready={reason.trim() !== ''}
      submit={t.request.askSubmit}
      submitClass="secondary"
      run={async () => onChange(await must(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/request-identity', { params: { path }, body: { reason: reason.trim(), version: request.version } })))}
    >
      <Field id="c-reason" label={t.request.askReason}>
        <textarea id="c-reason" required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
    </ActionForm>
  );
}
