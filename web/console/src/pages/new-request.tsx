/**
 * Manual entry of a request received by email or post, with its original attached: the multipart
 * route (…/desk/requests/with-attachments) when files are given, the JSON route otherwise. Once
 * entered, the person's link to follow it is shown, this once (only its key's hash is kept): an
 * email request's code email carries it already; a postal answer must (Art. 12(3)).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, must, REQUEST_TYPES, type RequestType } from '../api.js';
import type { paths } from '../../../client/generated/api.js';
import { Field, useAction } from '../components/forms.js';
import { ErrorMessage } from '../components/status.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';
import { PageTitle } from '../components/page-title.js';

type Entry = paths['/api/v1/organisations/{org}/desk/requests']['post']['requestBody']['content']['application/json'];
type Details = Entry['details'];
const IDENTITY_KINDS = ['email', 'customer_number', 'phone', 'name'] as const;
const RESTRICTION_GROUNDS = ['accuracy_contested', 'unlawful_processing', 'needed_for_legal_claims', 'objection_pending'] as const;
const ERASURE_GROUNDS = ['no_longer_necessary', 'consent_withdrawn', 'objection', 'unlawful', 'legal_obligation', 'child_information_society'] as const;

/** The local date and time of a datetime-local field as ISO 8601 with the browser's offset. */
export function withOffset(local: string, at = new Date(local)): string {
  const minutes = -at.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  const seconds = local.length === 16 ? `${local}:00` : local;
  return `${seconds}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function nowLocal(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function NewRequestPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const { route } = useLocation();
  const [channel, setChannel] = useState<'email' | 'post'>('post');
  const [receivedAt, setReceivedAt] = useState(nowLocal);
  const [language, setLanguage] = useState<'en' | 'fr'>('fr');
  const [type, setType] = useState<RequestType>('access');
  const [grounds, setGrounds] = useState('');
  const [directMarketing, setDirectMarketing] = useState(true);
  const [what, setWhat] = useState('');
  const [corrected, setCorrected] = useState('');
  const [decision, setDecision] = useState('');
  const [pmAction, setPmAction] = useState<'record_directives' | 'notify_death'>('record_directives');
  const [identities, setIdentities] = useState<{ type: string; value: string }[]>([{ type: 'email', value: '' }]);
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const action = useAction();
  const [entered, setEntered] = useState<{ id: string; reference: string; followUrl: string } | undefined>(undefined);

  const details = (): Details => {
    switch (type) {
      case 'erasure':
        return grounds === '' ? { type } : { type, grounds: grounds as (typeof ERASURE_GROUNDS)[number] };
      case 'restriction':
        return { type, grounds: (grounds === '' ? 'accuracy_contested' : grounds) as (typeof RESTRICTION_GROUNDS)[number] };
      case 'objection':
        return { type, direct_marketing: directMarketing };
      case 'rectification':
        return { type, corrections: [{ what: what.trim(), corrected: corrected.trim() }] };
      case 'automated_decision_review':
        return { type, decision: decision.trim() };
      case 'post_mortem':
        return { type, action: pmAction };
      case 'access':
      case 'portability':
      case 'lift_restriction':
      case 'withdraw_consent':
        return { type };
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const entry: Entry = {
        channel,
        received_at: withOffset(receivedAt),
        language,
        identities: identities.map((i) => ({ type: i.type, value: i.value.trim() })).filter((i) => i.value !== ''),
        details: details(),
        ...(message.trim() === '' ? {} : { message: message.trim() }),
      };
      const path = { org: session.organisation };
      const created =
        files.length === 0
          ? await must(api.POST('/api/v1/organisations/{org}/desk/requests', { params: { path }, body: entry }))
          : await must(
              api.POST('/api/v1/organisations/{org}/desk/requests/with-attachments', {
                params: { path },
                body: { request: entry, attachment: files.map((f) => f.name) },
                bodySerializer: (body) => {
                  const form = new FormData();
                  form.append('request', new Blob([JSON.stringify(body.request)], { type: 'application/json' }));
                  for (const file of files) form.append('attachment', file, file.name);
                  return form;
                },
              }),
            );
      setEntered({ id: created.id, reference: created.reference, followUrl: created.follow_url });
    });
  };

  const setIdentity = (i: number, change: Partial<{ type: string; value: string }>) => setIdentities((list) => list.map((x, j) => (j === i ? { ...x, ...change } : x)));

  if (entered) return <Entered {...entered} channel={channel} onOpen={() => route(`/console/requests/${entered.id}`)} />;
  return (
    <>
      <p>
        <a href="/console/requests">{t.request.back}</a>
      </p>
      <PageTitle>{t.entry.title}</PageTitle>
      <p>{t.entry.intro}</p>
      <form class="stack entry" onSubmit={submit}>
        <div class="row">
          <Field id="e-channel" label={t.entry.channel}>
            <select id="e-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value === 'email' ? 'email' : 'post')}>
              <option value="post">{t.channels.post}</option>
              <option value="email">{t.channels.email}</option>
            </select>
          </Field>
          <Field id="e-received" label={t.entry.receivedAt}>
            <input id="e-received" type="datetime-local" required value={receivedAt} onInput={(e) => setReceivedAt(e.currentTarget.value)} />
          </Field>
          <Field id="e-language" label={t.entry.language}>
            <select id="e-language" value={language} onChange={(e) => setLanguage(e.currentTarget.value === 'en' ? 'en' : 'fr')}>
              <option value="fr">{t.entry.fr}</option>
              <option value="en">{t.entry.en}</option>
            </select>
          </Field>
        </div>
        <fieldset>
          <legend>{t.entry.type}</legend>
          <div class="row">
            <Field id="e-type" label={t.entry.type}>
              <select
                id="e-type"
                value={type}
                onChange={(e) => {
                  setType(e.currentTarget.value as RequestType);
                  setGrounds('');
                }}
              >
                {REQUEST_TYPES.map((k) => (
                  <option key={k} value={k}>
                    {t.types[k]}
                  </option>
                ))}
              </select>
            </Field>
            {type === 'erasure' || type === 'restriction' ? (
              <Field id="e-grounds" label={t.entry.grounds}>
                <select id="e-grounds" value={grounds} onChange={(e) => setGrounds(e.currentTarget.value)}>
                  {type === 'erasure' ? <option value="">{t.entry.groundsNone}</option> : null}
                  {(type === 'erasure' ? ERASURE_GROUNDS : RESTRICTION_GROUNDS).map((g) => (
                    <option key={g} value={g}>
                      {(type === 'erasure' ? t.entry.erasureGrounds : t.entry.restrictionGrounds)[g]}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            {type === 'post_mortem' ? (
              <Field id="e-pm" label={t.entry.action}>
                <select id="e-pm" value={pmAction} onChange={(e) => setPmAction(e.currentTarget.value === 'notify_death' ? 'notify_death' : 'record_directives')}>
                  <option value="record_directives">{t.entry.postMortem.record_directives}</option>
                  <option value="notify_death">{t.entry.postMortem.notify_death}</option>
                </select>
              </Field>
            ) : null}
          </div>
          {type === 'objection' ? (
            <div class="check">
              <input id="e-dm" type="checkbox" checked={directMarketing} onChange={(e) => setDirectMarketing(e.currentTarget.checked)} />
              <label for="e-dm">{t.entry.directMarketing}</label>
            </div>
          ) : null}
          {type === 'rectification' ? (
            <>
              <Field id="e-what" label={t.entry.what}>
                <input id="e-what" required value={what} onInput={(e) => setWhat(e.currentTarget.value)} />
              </Field>
              <Field id="e-corrected" label={t.entry.corrected}>
                <input id="e-corrected" required value={corrected} onInput={(e) => setCorrected(e.currentTarget.value)} />
              </Field>
            </>
          ) : null}
          {type === 'automated_decision_review' ? (
            <Field id="e-decision" label={t.entry.decision}>
              <textarea id="e-decision" required value={decision} onInput={(e) => setDecision(e.currentTarget.value)} />
            </Field>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>{t.entry.identities}</legend>
          {identities.map((identity, i) => (
            <div class="row" key={i}>
              <Field id={`e-id-${i}-type`} label={t.entry.identityType(i + 1)}>
                <select id={`e-id-${i}-type`} value={identity.type} onChange={(e) => setIdentity(i, { type: e.currentTarget.value })}>
                  {IDENTITY_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t.entry.identityKinds[k]}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`e-id-${i}-value`} label={t.entry.identityValue(i + 1)}>
                <input id={`e-id-${i}-value`} required type={identity.type === 'email' ? 'email' : 'text'} value={identity.value} onInput={(e) => setIdentity(i, { value: e.currentTarget.value })} />
              </Field>
              {identities.length > 1 ? (
                <button type="button" class="secondary" onClick={() => setIdentities((list) => list.filter((_, j) => j !== i))}>
                  {t.entry.removeIdentity(i + 1)}
                </button>
              ) : null}
            </div>
          ))}
          {identities.length < 5 ? (
            <button type="button" class="secondary" onClick={() => setIdentities((list) => [...list, { type: 'customer_number', value: '' }])}>
              {t.entry.addIdentity}
            </button>
          ) : null}
        </fieldset>
        <Field id="e-message" label={t.entry.message}>
          <textarea id="e-message" value={message} onInput={(e) => setMessage(e.currentTarget.value)} />
        </Field>
        <Field id="e-files" label={t.entry.attachments}>
          <input id="e-files" type="file" multiple accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,.eml,.txt,application/pdf,image/png,image/jpeg,image/tiff,message/rfc822,text/plain" onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []).slice(0, 5))} />
        </Field>
        <button type="submit" disabled={action.working}>
          {action.working ? t.entry.working : t.entry.submit}
        </button>
        <div aria-live="polite">
          <ErrorMessage error={action.error} />
        </div>
      </form>
    </>
  );
}

/** The request entered: its reference, and the person's link to follow it, shown this once. */
function Entered({ reference, followUrl, channel, onOpen }: { reference: string; followUrl: string; channel: 'email' | 'post'; onOpen: () => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <PageTitle>{t.entry.title}</PageTitle>
      <section class="panel" aria-labelledby="entered">
        <h2 id="entered" ref={heading} tabIndex={-1}>
          {t.entry.done(reference)}
        </h2>
        <p>{channel === 'email' ? t.entry.followEmail : t.entry.followPost}</p>
        <div class="field shown-once">
          <label for="e-follow">{t.entry.followLink}</label>
          <input id="e-follow" readOnly value={followUrl} onFocus={(e) => e.currentTarget.select()} />
        </div>
        <p class="hint">{t.entry.followOnce}</p>
        <button type="button" onClick={onOpen}>
          {t.entry.open}
        </button>
      </section>
    </>
  );
}
