/**
 * One request: its summary, identities and step-up, the decisions its state allows, the dry run,
 * its timeline of transitions and letters, the evidence of its run, the recipients told (Art. 19),
 * where its package is, and — only when asked, each view logged — its originals and the person's
 * data. Each part is in pages/request/.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, must, type RequestView } from '../api.js';
import { PageTitle } from '../components/page-title.js';
import { PlanPanel } from '../components/plan.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/index.js';
import { can, useSession } from '../session.js';
import { Attachments } from './request/attachments.js';
import { Decisions } from './request/decisions.js';
import { Evidence } from './request/evidence.js';
import { Identities } from './request/identity.js';
import { NoticesPanel } from './request/notices.js';
import { PackagePanel } from './request/package-panel.js';
import { PersonalData } from './request/personal-data.js';
import { NO_FACTS, registerFacts, type RegisterFacts } from './request/register-facts.js';
import { OPEN_STATES, PLANNED_TYPES } from './request/states.js';
import { Summary } from './request/summary.js';
import { Timeline } from './request/timeline.js';

export function RequestPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { session } = useSession();
  const { t, lang } = useI18n();
  const path = { org: session.organisation, id };
  const loaded = useLoad(() => must(api.GET('/api/v1/organisations/{org}/desk/requests/{id}', { params: { path } })), [id]);
  const [request, setRequest] = useState<RequestView | undefined>(undefined);
  useEffect(() => setRequest(loaded.data), [loaded.data]);

  const facts = useLoad(async (): Promise<RegisterFacts> => {
    if (!can(session, 'register.read')) return NO_FACTS;
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
  return <RequestParts request={request} onRead={setRequest} facts={facts.data ?? NO_FACTS} />;
}

/** `onRead` takes the request as read again; a decision's answer also says, at the top, what the request is now. */
function RequestParts({ request, onRead, facts }: { request: RequestView; onRead: (r: RequestView) => void; facts: RegisterFacts }) {
  const { t } = useI18n();
  const { session } = useSession();
  // A decision changes the page under the button pressed: the outcome is said, and takes the focus, at the top.
  const [changed, setChanged] = useState<{ text: string } | undefined>(undefined);
  const status = useRef<HTMLParagraphElement>(null);
  const change = useCallback(
    (next: RequestView) => {
      onRead(next);
      setChanged({ text: t.request.changed(t.states[next.state]) });
    },
    [onRead, t],
  );
  useEffect(() => {
    if (changed !== undefined) status.current?.focus();
  }, [changed]);
  const personal = can(session, 'requests.read_personal');

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
        <Summary request={request} />
        <Identities request={request} onChange={change} onRefresh={onRead} />
      </div>
      <Decisions request={request} onChange={change} authority={facts.authority} />
      {personal && PLANNED_TYPES.has(request.type) && OPEN_STATES.has(request.state) ? <PlanPanel request={request} /> : null}
      <div class="panels">
        <Timeline request={request} />
        <Evidence request={request} />
      </div>
      <NoticesPanel request={request} recipients={facts.recipients} />
      <PackagePanel request={request} onChange={change} />
      {personal ? (
        <div class="panels">
          <Attachments request={request} />
          <PersonalData request={request} />
        </div>
      ) : null}
    </>
  );
}
