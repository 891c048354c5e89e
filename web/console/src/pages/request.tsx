/**
 * One request: its summary, identities and step-up, the decisions its state allows (approve, refuse
 * with reasons and the complaint information, extend, fee, withdraw, retry, record done, assign), its
 * timeline of transitions and letters, the evidence of its run, the recipients told (Art. 19), and
 * — only when asked, each view logged — its originals and the person's data.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiFailure, must, type RequestView, type Schemas } from '../api.js';
import { Field, lines, Outcome, useAction } from '../components/forms.js';
import { PlanPanel } from '../components/plan.js';
import { ErrorMessage, Loading, Show } from '../components/status.js';
import { useLoad } from '../components/use-load.js';
import { formatDate, formatDateTime, useI18n } from '../i18n/index.js';
import { assigneeLabel, can, useSession } from '../session.js';
import { PageTitle } from '../components/page-title.js';

type Notice = { id: string; recipient_id: string; action: string; channel: string; state: string; note: string | null; categories: string[]; deliveries: number; told_at: string | null };

interface RegisterFacts {
  /** The supervisory authority the refusal letter names (Art. 12(4)). */
  authority: string | undefined;
  /** Recipients' names by id (Art. 19 notices). */
  recipients: ReadonlyMap<string, string>;
}

function registerFacts(register: Record<string, unknown> | undefined, lang: string): RegisterFacts {
  const named = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (typeof v !== 'object' || v === null) return undefined;
    const r = v as Record<string, unknown>;
    const mine = r[lang] ?? r.en;
    return typeof mine === 'string' ? mine : undefined;
  };
  const organisation = register?.organisation;
  const sa = typeof organisation === 'object' && organisation !== null ? (organisation as Record<string, unknown>).supervisory_authority : undefined;
  const authority = typeof sa === 'object' && sa !== null ? named((sa as Record<string, unknown>).name) : undefined;
  const recipients = new Map<string, string>();
  const list = register?.recipients;
  if (Array.isArray(list)) {
    for (const r of list) {
      if (typeof r !== 'object' || r === null) continue;
      const { id, name } = r as Record<string, unknown>;
      if (typeof id === 'string') recipients.set(id, named(name) ?? id);
    }
  }
  return { authority, recipients };
}

const OPEN_STATES = new Set(['received', 'awaiting_identity', 'verified', 'awaiting_fee', 'approved', 'in_progress', 'failed']);
const REFUSABLE = new Set(['received', 'awaiting_identity', 'verified', 'awaiting_fee']);
const ENGINE_TYPES = new Set(['access', 'portability', 'erasure', 'restriction']);
const PLANNED_TYPES = new Set(['access', 'portability', 'erasure', 'restriction', 'rectification']);

export function RequestPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { session } = useSession();
  const { t } = useI18n();
  const path = { org: session.organisation, id };
  const loaded = useLoad(() => must(api.GET('/api/v1/organisations/{org}/desk/requests/{id}', { params: { path } })), [id]);
  const [request, setRequest] = useState<RequestView | undefined>(undefined);
  useEffect(() => setRequest(loaded.data), [loaded.data]);

  const { lang } = useI18n();
  const facts = useLoad(async (): Promise<RegisterFacts> => {
    if (!can(session, 'register.read')) return { authority: undefined, recipients: new Map() };
    const { data } = await api.GET('/api/v1/organisations/{org}/register', { params: { path: { org: session.organisation } } });
    return registerFacts(data?.register, lang);
  }, [session.organisation, lang]);

  if (loaded.error) {
    return (
      <>
        <PageTitle>{t.request.title('')}</PageTitle>
        <ErrorMessage error={loaded.error} />
      </>
    );
  }
  if (!request) return <Loading />;
  return <RequestView request={request} onChange={setRequest} facts={facts.data ?? { authority: undefined, recipients: new Map() }} />;
}

function RequestView({ request, onChange, facts }: { request: RequestView; onChange: (r: RequestView) => void; facts: RegisterFacts }) {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const notices = useLoad(() => must(api.GET('/api/v1/organisations/{org}/desk/requests/{id}/recipient-notices', { params: { path } })).then((r) => r.notices as Notice[]), [request.id, request.version]);
  // A decision changes the page under the button pressed: the outcome is said, and takes the focus, at the top.
  const [changed, setChanged] = useState<{ text: string } | undefined>(undefined);
  const status = useRef<HTMLParagraphElement>(null);
  const change = useCallback(
    (next: RequestView) => {
      onChange(next);
      setChanged({ text: t.request.changed(t.states[next.state]) });
    },
    [onChange, t],
  );
  useEffect(() => {
    if (changed !== undefined) status.current?.focus();
  }, [changed]);

  return (
    <>
      <p>
        <a href="/console/requests">{t.request.back}</a>
      </p>
      <PageTitle>{t.request.title(request.reference)}</PageTitle>
      <p ref={status} tabIndex={-1} role="status" class={changed ? 'done' : 'visually-hidden'}>
        {changed?.text ?? ''}
      </p>
      <div class="panels">
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
            <dd>{assigneeLabel(session, request.assignee, t.app)}</dd>
            {request.extension_months > 0 ? (
              <>
                <dt>{t.request.extended}</dt>
                <dd>{t.request.months(request.extension_months)}</dd>
              </>
            ) : null}
            <dt>{t.request.createdBy}</dt>
            <dd class="mono">{request.created_by}</dd>
          </dl>
        </section>
        <Identities request={request} onChange={change} />
      </div>
      <Decisions request={request} onChange={change} authority={facts.authority} />
      {can(session, 'requests.read_personal') && PLANNED_TYPES.has(request.type) && OPEN_STATES.has(request.state) ? <PlanPanel request={request} /> : null}
      <div class="panels">
        <Timeline request={request} />
        <Evidence request={request} />
      </div>
      <section class="panel" aria-labelledby="r-notices">
        <h2 id="r-notices">{t.request.notices}</h2>
        <Show loaded={notices}>{(list) => <Notices request={request} notices={list} reload={notices.reload} recipients={facts.recipients} />}</Show>
      </section>
      <section class="panel" aria-labelledby="r-package">
        <h2 id="r-package">{t.request.package}</h2>
        <p>{t.request.packageNone}</p>
      </section>
      {can(session, 'requests.read_personal') ? (
        <div class="panels">
          <Attachments request={request} />
          <PersonalData request={request} />
        </div>
      ) : null}
    </>
  );
}

function Identities({ request, onChange }: { request: RequestView; onChange: (r: RequestView) => void }) {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const mayAct = can(session, 'requests.identity') && (request.state === 'received' || request.state === 'awaiting_identity');
  const unconfirmed = request.identities.filter((i) => i.confirmed_at === null);
  const [codeMessage, setCodeMessage] = useState<string | undefined>(undefined);
  const code = useAction();
  const confirm = useAction();
  const ask = useAction();
  const [which, setWhich] = useState(String(unconfirmed[0]?.identity ?? 1));
  const [method, setMethod] = useState<'document' | 'match' | 'staff'>('match');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');

  return (
    <section class="panel" aria-labelledby="r-identity">
      <h2 id="r-identity">{t.request.identity}</h2>
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
      {mayAct
        ? unconfirmed
            .filter((i) => i.type === 'email')
            .map((i) => (
              <p key={i.identity}>
                <button
                  type="button"
                  class="secondary"
                  disabled={code.working}
                  onClick={() =>
                    void code.run(async () => {
                      const r = await must(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/codes', { params: { path }, body: { identity: i.identity } }));
                      setCodeMessage(r.sent ? t.request.codeSent : t.request.codeNotSent(r.reason ?? ''));
                    })
                  }
                >
                  {t.request.sendCode(i.identity)}
                </button>
              </p>
            ))
        : null}
      {codeMessage ? <p role="status">{codeMessage}</p> : <ErrorMessage error={code.error} />}
      {mayAct && unconfirmed.length > 0 ? (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void confirm.run(async () => onChange(await must(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/confirm-identity', { params: { path }, body: { identity: Number(which), method, note: note.trim(), version: request.version } }))));
          }}
        >
          <fieldset>
            <legend>{t.request.confirm}</legend>
            <div class="row">
              <Field id="c-which" label={t.request.confirmWhich}>
                <select id="c-which" value={which} onChange={(e) => setWhich(e.currentTarget.value)}>
                  {unconfirmed.map((i) => (
                    <option key={i.identity} value={String(i.identity)}>
                      {`${i.identity} — ${i.type}`}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="c-method" label={t.request.method}>
                <select id="c-method" value={method} onChange={(e) => setMethod(e.currentTarget.value as 'document' | 'match' | 'staff')}>
                  {(['match', 'document', 'staff'] as const).map((m) => (
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
            <button type="submit" disabled={confirm.working || note.trim() === ''}>
              {t.request.confirmSubmit}
            </button>
            <Outcome action={confirm} />
          </fieldset>
        </form>
      ) : null}
      {can(session, 'requests.identity') && (request.state === 'received' || request.state === 'verified') ? (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void ask.run(async () => onChange(await must(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/request-identity', { params: { path }, body: { reason: reason.trim(), version: request.version } }))));
          }}
        >
          <fieldset>
            <legend>{t.request.askIdentity}</legend>
            <Field id="c-reason" label={t.request.askReason}>
              <textarea id="c-reason" required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </Field>
            <button type="submit" class="secondary" disabled={ask.working || reason.trim() === ''}>
              {t.request.askSubmit}
            </button>
            <Outcome action={ask} />
          </fieldset>
        </form>
      ) : null}
    </section>
  );
}

function Decisions({ request, onChange, authority }: { request: RequestView; onChange: (r: RequestView) => void; authority: string | undefined }) {
  const { t } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const version = request.version;
  const decide = can(session, 'requests.decide');
  const identity = can(session, 'requests.identity');
  const open = OPEN_STATES.has(request.state);

  const approve = useAction();
  const refuse = useAction();
  const extend = useAction();
  const fee = useAction();
  const receive = useAction();
  const withdraw = useAction();
  const retry = useAction();
  const recordDone = useAction();
  const assign = useAction();

  const [refuseText, setRefuseText] = useState('');
  const [complaintChecked, setComplaintChecked] = useState(false);
  const [extendMonths, setExtendMonths] = useState('1');
  const [extendText, setExtendText] = useState('');
  const [feeAmount, setFeeAmount] = useState('');
  const [feeCurrency, setFeeCurrency] = useState('EUR');
  const [feeGrounds, setFeeGrounds] = useState('');
  const [withdrawNote, setWithdrawNote] = useState('');
  const [doneText, setDoneText] = useState('');
  const [assignee, setAssignee] = useState(request.assignee ?? '');

  const post = async (call: Promise<{ data?: RequestView; error?: unknown; response: Response }>) => onChange(await must(call));
  const refuseReady = lines(refuseText).length > 0 && complaintChecked;

  const forms = [];
  if (decide && request.state === 'verified') {
    forms.push(
      <div class="decision" key="approve">
        <h3>{t.request.approve}</h3>
        <p class="hint">{t.request.approveHint}</p>
        <button type="button" disabled={approve.working} onClick={() => void approve.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/approve', { params: { path }, body: { version } })))}>
          {t.request.approve}
        </button>
        <Outcome action={approve} />
      </div>,
    );
  }
  if (decide && REFUSABLE.has(request.state)) {
    forms.push(
      <form
        key="refuse"
        class="stack"
        aria-describedby="refuse-complaint"
        onSubmit={(e) => {
          e.preventDefault();
          if (!refuseReady) return;
          void refuse.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/refuse', { params: { path }, body: { reasons: lines(refuseText), version } })));
        }}
      >
        <fieldset>
          <legend>{t.request.refuse}</legend>
          <Field id="refuse-reasons" label={t.request.refuseReasons}>
            <textarea id="refuse-reasons" required value={refuseText} onInput={(e) => setRefuseText(e.currentTarget.value)} />
          </Field>
          <p id="refuse-complaint" class="notice">
            {t.request.complaint(authority ?? t.request.complaintUnknown)}
          </p>
          <div class="check">
            <input id="refuse-complaint-check" type="checkbox" required checked={complaintChecked} onChange={(e) => setComplaintChecked(e.currentTarget.checked)} />
            <label for="refuse-complaint-check">{t.request.complaintCheck}</label>
          </div>
          {!refuseReady ? (
            <p class="hint" id="refuse-blocked">
              {t.request.refuseBlocked}
            </p>
          ) : null}
          <button type="submit" class="danger" disabled={!refuseReady || refuse.working} aria-describedby={!refuseReady ? 'refuse-blocked' : undefined}>
            {t.request.refuseSubmit}
          </button>
          <Outcome action={refuse} />
        </fieldset>
      </form>,
    );
  }
  if (decide && request.state === 'verified') {
    forms.push(
      <form
        key="fee"
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void fee.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/charge-fee', { params: { path }, body: { amount_cents: Math.round(Number(feeAmount.replace(',', '.')) * 100), currency: feeCurrency.trim().toUpperCase(), grounds: feeGrounds.trim(), version } })));
        }}
      >
        <fieldset>
          <legend>{t.request.fee}</legend>
          <div class="row">
            <Field id="fee-amount" label={t.request.feeAmount}>
              <input id="fee-amount" inputMode="decimal" required pattern="[0-9]+([.,][0-9]{1,2})?" value={feeAmount} onInput={(e) => setFeeAmount(e.currentTarget.value)} />
            </Field>
            <Field id="fee-currency" label={t.request.feeCurrency}>
              <input id="fee-currency" required pattern="[A-Za-z]{3}" size={4} value={feeCurrency} onInput={(e) => setFeeCurrency(e.currentTarget.value)} />
            </Field>
          </div>
          <Field id="fee-grounds" label={t.request.feeGrounds}>
            <textarea id="fee-grounds" required value={feeGrounds} onInput={(e) => setFeeGrounds(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="secondary" disabled={fee.working || feeGrounds.trim() === '' || !(Number(feeAmount.replace(',', '.')) > 0)}>
            {t.request.feeSubmit}
          </button>
          <Outcome action={fee} />
        </fieldset>
      </form>,
    );
  }
  if (decide && request.state === 'awaiting_fee') {
    forms.push(
      <div class="decision" key="receive">
        <button type="button" onClick={() => void receive.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/receive-fee', { params: { path }, body: { version } })))} disabled={receive.working}>
          {t.request.receiveFee}
        </button>
        <Outcome action={receive} />
      </div>,
    );
  }
  if (decide && request.state === 'failed') {
    forms.push(
      <div class="decision" key="retry">
        <button type="button" onClick={() => void retry.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/retry', { params: { path }, body: { version } })))} disabled={retry.working}>
          {t.request.retry}
        </button>
        <Outcome action={retry} />
      </div>,
    );
  }
  if (decide && request.state === 'approved' && !ENGINE_TYPES.has(request.type)) {
    forms.push(
      <form
        key="done"
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void recordDone.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/record-done', { params: { path }, body: { done: doneText.trim(), version } })));
        }}
      >
        <fieldset>
          <legend>{t.request.recordDone}</legend>
          <Field id="done-text" label={t.request.recordDoneText}>
            <textarea id="done-text" required value={doneText} onInput={(e) => setDoneText(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={recordDone.working || doneText.trim() === ''}>
            {t.request.recordDoneSubmit}
          </button>
          <Outcome action={recordDone} />
        </fieldset>
      </form>,
    );
  }
  if (identity && open && request.channel !== 'controller') {
    forms.push(
      <form
        key="extend"
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void extend.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/extend', { params: { path }, body: { months: Number(extendMonths), reasons: lines(extendText), version } })));
        }}
      >
        <fieldset>
          <legend>{t.request.extend}</legend>
          <Field id="extend-months" label={t.request.extendMonths}>
            <select id="extend-months" value={extendMonths} onChange={(e) => setExtendMonths(e.currentTarget.value)}>
              <option value="1">{t.request.months(1)}</option>
              <option value="2">{t.request.months(2)}</option>
            </select>
          </Field>
          <Field id="extend-reasons" label={t.request.extendReasons}>
            <textarea id="extend-reasons" required value={extendText} onInput={(e) => setExtendText(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="secondary" disabled={extend.working || lines(extendText).length === 0}>
            {t.request.extendSubmit}
          </button>
          <Outcome action={extend} />
        </fieldset>
      </form>,
    );
  }
  if (identity && open) {
    forms.push(
      <form
        key="assign"
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          const who = assignee.trim();
          void assign.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/assign', { params: { path }, body: { assignee: who === '' ? null : who, version } })));
        }}
      >
        <fieldset>
          <legend>{t.request.assign}</legend>
          <Field id="assign-to" label={t.request.assignTo}>
            <input id="assign-to" value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="secondary" disabled={assign.working}>
            {t.request.assignSubmit}
          </button>
          <Outcome action={assign} />
        </fieldset>
      </form>,
    );
  }
  if (identity && open && request.state !== 'in_progress') {
    forms.push(
      <form
        key="withdraw"
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          const note = withdrawNote.trim();
          void withdraw.run(() => post(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/withdraw', { params: { path }, body: { ...(note === '' ? {} : { note }), version } })));
        }}
      >
        <fieldset>
          <legend>{t.request.withdraw}</legend>
          <Field id="withdraw-note" label={t.request.withdrawNote}>
            <input id="withdraw-note" value={withdrawNote} onInput={(e) => setWithdrawNote(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="secondary" disabled={withdraw.working}>
            {t.request.withdrawSubmit}
          </button>
          <Outcome action={withdraw} />
        </fieldset>
      </form>,
    );
  }

  return (
    <section class="panel" aria-labelledby="r-decide">
      <h2 id="r-decide">{t.request.decide}</h2>
      {forms.length === 0 ? <p>{t.request.nothingToDecide}</p> : <div class="panels">{forms}</div>}
    </section>
  );
}

function InputFacts({ input }: { input: Record<string, unknown> }) {
  const pairs = Object.entries(input);
  if (pairs.length === 0) return null;
  return (
    <dl class="inline">
      {pairs.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(' · ') : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Timeline({ request }: { request: RequestView }) {
  const { t, lang } = useI18n();
  const items = [
    ...request.history.map((h) => ({ at: h.at, key: `h${h.seq}`, kind: 'transition' as const, h })),
    ...request.letters.map((l) => ({ at: l.at, key: `l${l.seq}`, kind: 'letter' as const, l })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section class="panel" aria-labelledby="r-timeline">
      <h2 id="r-timeline">{t.request.timeline}</h2>
      <ol class="timeline">
        {items.map((item) =>
          item.kind === 'transition' ? (
            <li key={item.key}>
              <span class="when">{formatDateTime(lang, item.at)}</span>
              <div>
                <strong>{t.request.transition(t.transitions[item.h.name] ?? item.h.name.replace(/_/g, ' '))}</strong>: {t.states[item.h.from]} → {t.states[item.h.to]} <span class="hint">{t.request.by(item.h.actor)}</span>
              </div>
              <InputFacts input={item.h.input} />
            </li>
          ) : (
            <li key={item.key} class="letter">
              <span class="when">{formatDateTime(lang, item.at)}</span>
              <div>
                <strong>{t.request.letter(t.letterKinds[item.l.kind] ?? item.l.kind.replace(/_/g, ' '))}</strong> ({t.languages[item.l.language] ?? item.l.language}): {t.request.letterStatus[item.l.status] ?? item.l.status}
                {item.l.error ? <span class="hint"> — {item.l.error}</span> : null}
              </div>
            </li>
          ),
        )}
      </ol>
      {request.letters.length === 0 ? <p class="hint">{t.request.lettersNone}</p> : null}
    </section>
  );
}

function Evidence({ request }: { request: RequestView }) {
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
            <InputFacts input={h.input} />
          </div>
        ))
      )}
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
  const [outcome, setOutcome] = useState<'told' | 'impossible' | 'disproportionate'>('told');
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
        <select id={`n-${notice.id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as 'told' | 'impossible' | 'disproportionate')}>
          {(['told', 'impossible', 'disproportionate'] as const).map((o) => (
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

function Attachments({ request }: { request: RequestView }) {
  const { t } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const [list, setList] = useState<Schemas['RequestAttachment'][] | undefined>(undefined);
  const action = useAction();
  const download = async (a: Schemas['RequestAttachment']) => {
    const { data, response } = await api.GET('/api/v1/organisations/{org}/desk/requests/{id}/attachments/{seq}', { params: { path: { ...path, seq: a.seq } }, parseAs: 'blob' });
    if (!data) throw new ApiFailure(response.status, `HTTP ${response.status}`);
    const url = URL.createObjectURL(data);
    const link = document.createElement('a');
    link.href = url;
    link.download = a.filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <section class="panel" aria-labelledby="r-attachments">
      <h2 id="r-attachments">{t.request.attachments}</h2>
      {list === undefined ? (
        <button type="button" class="secondary" disabled={action.working} onClick={() => void action.run(async () => setList((await must(api.GET('/api/v1/organisations/{org}/desk/requests/{id}/attachments', { params: { path } }))).attachments))}>
          {t.request.attachmentsShow}
        </button>
      ) : list.length === 0 ? (
        <p>{t.request.attachmentsNone}</p>
      ) : (
        <ul>
          {list.map((a) => (
            <li key={a.seq}>
              <button type="button" class="link-button" onClick={() => void action.run(() => download(a))}>
                {t.request.download(a.filename)}
              </button>{' '}
              <span class="hint">
                {a.content_type}, {Math.ceil(a.size_bytes / 1024)} KiB, SHA-256 <span class="mono wrap">{a.sha256}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={action.error} />
    </section>
  );
}

function PersonalData({ request }: { request: RequestView }) {
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
          <InputFacts input={data.details} />
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
