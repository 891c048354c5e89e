/**
 * The decisions staff take on a request, one component each: approve, refuse (reasons and the
 * complaint information, Art. 12(4)), charge a fee and record it paid (Art. 12(5)(a)), run a failed
 * request again, record what staff did, extend (Art. 12(3)), assign, withdraw. Each posts the
 * version it was decided on, so a decision on a request changed since is refused (409), not applied.
 */
import { useState } from 'preact/hooks';
import { api, must, type RequestView } from '../../api.js';
import { ActionButton, ActionForm, Field, lines, useAction } from '../../components/forms.js';
import { StaffSelect } from '../../components/staff-name.js';
import { formatDate, useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';
import type { RequestPart } from './states.js';

/** One decision's action, the request's path and version, and `post` that hands the changed request on. */
function useDecision({ request, onChange }: RequestPart) {
  const { session } = useSession();
  const action = useAction();
  const post = async (call: Promise<{ data?: RequestView; error?: unknown; response: Response }>) => onChange(await must(call));
  return { action, path: { org: session.organisation, id: request.id }, version: request.version, post };
}

export function Approve(part: RequestPart) {
  const { t } = useI18n();
  const { action, path, version, post } = useDecision(part);
  return (
    <ActionButton action={action} label={t.request.approve} run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/approve', { params: { path }, body: { version } }))}>
      <h3>{t.request.approve}</h3>
      <p class="hint">{t.request.approveHint}</p>
    </ActionButton>
  );
}

/** Art. 12(4): a refusal gives its reasons and tells of the complaint to the authority and the judicial remedy; the DPO ticks that they checked both. */
export function Refuse({ authority, ...part }: RequestPart & { authority: string | undefined }) {
  const { t } = useI18n();
  const { action, path, version, post } = useDecision(part);
  const [text, setText] = useState('');
  const [checked, setChecked] = useState(false);
  return (
    <ActionForm
      legend={t.request.refuse}
      action={action}
      ready={lines(text).length > 0 && checked}
      blocked={{ id: 'refuse-blocked', text: t.request.refuseBlocked }}
      submit={t.request.refuseSubmit}
      submitClass="danger"
      describedBy="refuse-complaint"
      run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/refuse', { params: { path }, body: { reasons: lines(text), version } }))}
    >
      <Field id="refuse-reasons" label={t.request.refuseReasons}>
        <textarea id="refuse-reasons" required value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <p id="refuse-complaint" class="notice">
        {t.request.complaint(authority ?? t.request.complaintUnknown)}
      </p>
      <div class="check">
        <input id="refuse-complaint-check" type="checkbox" required checked={checked} onChange={(e) => setChecked(e.currentTarget.checked)} />
        <label for="refuse-complaint-check">{t.request.complaintCheck}</label>
      </div>
    </ActionForm>
  );
}

const AMOUNT = /^(\d+)(?:[.,](\d{1,2}))?$/;

/** An amount as typed (25, 25.5, 25,50) in cents, counted from its digits (no float rounding); undefined unless positive with at most two decimals. */
export function amountCents(text: string): number | undefined {
  const m = AMOUNT.exec(text);
  if (!m) return undefined;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return cents > 0 ? cents : undefined;
}

/** Art. 12(5)(a): a reasonable fee for a manifestly unfounded or excessive request, with its grounds (the letter gives them). */
export function ChargeFee(part: RequestPart) {
  const { t } = useI18n();
  const { action, path, version, post } = useDecision(part);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [grounds, setGrounds] = useState('');
  const cents = amountCents(amount);
  return (
    <ActionForm
      legend={t.request.fee}
      action={action}
      ready={cents !== undefined && /^[A-Za-z]{3}$/.test(currency) && grounds.trim() !== ''}
      blocked={{ id: 'fee-blocked', text: t.request.feeBlocked }}
      submit={t.request.feeSubmit}
      submitClass="secondary"
      run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/charge-fee', { params: { path }, body: { amount_cents: cents ?? 0, currency: currency.toUpperCase(), grounds: grounds.trim(), version } }))}
    >
      <div class="row">
        <Field id="fee-amount" label={t.request.feeAmount}>
          <input id="fee-amount" inputMode="decimal" required pattern="[0-9]+([.,][0-9]{1,2})?" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        </Field>
        <Field id="fee-currency" label={t.request.feeCurrency}>
          <input id="fee-currency" required pattern="[A-Za-z]{3}" size={4} value={currency} onInput={(e) => setCurrency(e.currentTarget.value)} />
        </Field>
      </div>
      <Field id="fee-grounds" label={t.request.feeGrounds}>
        <textarea id="fee-grounds" required value={grounds} onInput={(e) => setGrounds(e.currentTarget.value)} />
      </Field>
    </ActionForm>
  );
}

/** The fee paid: the request is verified again, for the decision it waited for. */
export function FeeReceived(part: RequestPart) {
  const { t } = useI18n();
  const { action, path, version, post } = useDecision(part);
  return <ActionButton action={action} label={t.request.receiveFee} run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/receive-fee', { params: { path }, body: { version } }))} />;
}

/** A failed run (a database down) is never lost: approved again, for the worker to take. */
export function Retry(part: RequestPart) {
  const { t } = useI18n();
  const { action, path, version, post } = useDecision(part);
  return <ActionButton action={action} label={t.request.retry} run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/retry', { params: { path }, body: { version } }))} />;
}

export function RecordDone(part: RequestPart) {
  const { t } = useI18n();
  const { action, path, version, post } = useDecision(part);
  const [done, setDone] = useState('');
  return (
    <ActionForm
      legend={t.request.recordDone}
      action={action}
      ready={done.trim() !== ''}
      submit={t.request.recordDoneSubmit}
      run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/record-done', { params: { path }, body: { done: done.trim(), version } }))}
    >
      <Field id="done-text" label={t.request.recordDoneText}>
        <textarea id="done-text" required value={done} onInput={(e) => setDone(e.currentTarget.value)} />
      </Field>
    </ActionForm>
  );
}

/** Art. 12(3): one or two further months, with reasons, told within the first month (the server refuses a late one). */
/** Art. 12(3): offered while the server says the period can still be extended, by the months left, told by its last day. */
export function Extend({ window, ...part }: RequestPart & { window: { months_left: number; tell_by: string } }) {
  const { t, lang } = useI18n();
  const { action, path, version, post } = useDecision(part);
  const [months, setMonths] = useState('1');
  const [reasons, setReasons] = useState('');
  return (
    <ActionForm
      legend={t.request.extend}
      action={action}
      ready={lines(reasons).length > 0}
      submit={t.request.extendSubmit}
      submitClass="secondary"
      run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/extend', { params: { path }, body: { months: Number(months), reasons: lines(reasons), version } }))}
    >
      <p class="hint">{t.request.extendTellBy(formatDate(lang, window.tell_by))}</p>
      <Field id="extend-months" label={t.request.extendMonths}>
        <select id="extend-months" value={months} onChange={(e) => setMonths(e.currentTarget.value)}>
          {[1, 2].filter((n) => n <= window.months_left).map((n) => (
            <option key={n} value={String(n)}>
              {t.request.months(n)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="extend-reasons" label={t.request.extendReasons}>
        <textarea id="extend-reasons" required value={reasons} onInput={(e) => setReasons(e.currentTarget.value)} />
      </Field>
    </ActionForm>
  );
}

/** A colleague chosen by name from the staff directory (a staff id typed until it has answered), or nobody. */
export function Assign(part: RequestPart) {
  const { t } = useI18n();
  const { action, path, version, post } = useDecision(part);
  const [assignee, setAssignee] = useState(part.request.assignee ?? '');
  const who = assignee.trim();
  return (
    <ActionForm
      legend={t.request.assign}
      action={action}
      submit={t.request.assignSubmit}
      submitClass="secondary"
      run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/assign', { params: { path }, body: { assignee: who === '' ? null : who, version } }))}
    >
      <Field id="assign-to" label={t.request.assignWho}>
        <StaffSelect id="assign-to" hintId="assign-to-hint" value={assignee} onChange={setAssignee} empty={t.app.unassigned} />
      </Field>
    </ActionForm>
  );
}

/** The person withdrew the request (by letter, by phone): recorded, with a note if staff give one. */
export function Withdraw(part: RequestPart) {
  const { t } = useI18n();
  const { action, path, version, post } = useDecision(part);
  const [note, setNote] = useState('');
  const given = note.trim();
  return (
    <ActionForm
      legend={t.request.withdraw}
      action={action}
      submit={t.request.withdrawSubmit}
      submitClass="secondary"
      run={() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/withdraw', { params: { path }, body: { ...(given === '' ? {} : { note: given }), version } }))}
    >
      <Field id="withdraw-note" label={t.request.withdrawNote}>
        <input id="withdraw-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
    </ActionForm>
  );
}
