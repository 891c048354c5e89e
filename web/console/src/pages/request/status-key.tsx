/**
 * A new status key for the person who lost theirs (Art. 12(2)): without it they can neither follow
 * their request nor download its copy. The server emails the link to a confirmed email address only
 * (Art. 12(6): an unconfirmed one could be anyone's, and the link opens the request); otherwise it
 * gives the link here once, for a postal answer, as the entry of a request does (new-request.tsx).
 * The earlier key stops working. A forwarded request is the controller's to follow (Art. 28(3)(e)).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, must, type RequestView } from '../../api.js';
import { ActionButton, useAction } from '../../components/forms.js';
import { useI18n } from '../../i18n/index.js';
import { can, useSession } from '../../session.js';

/** The desk's own test (src/desk/request-types.ts isEmailType): the kinds of identity an email goes to. */
const isEmail = (type: string) => type === 'email' || type.endsWith('_email');

/** `onRefresh` takes the request as answered: a new key changes its version, not what staff decided. */
export function StatusKey({ request, onRefresh }: { request: RequestView; onRefresh: (next: RequestView) => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const action = useAction();
  const [shown, setShown] = useState<{ followUrl?: string } | undefined>(undefined);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (shown?.followUrl !== undefined) field.current?.focus();
  }, [shown]);
  if (!can(session, 'requests.identity') || request.channel === 'controller') return null;
  const confirmed = request.identities.find((i) => isEmail(i.type) && i.confirmed_at !== null);
  const send = async () => {
    setShown(undefined);
    const path = { org: session.organisation, id: request.id };
    const { follow_url: followUrl, ...next } = await must(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/status-key', { params: { path }, body: { version: request.version } }));
    setShown(followUrl !== undefined ? { followUrl } : {});
    onRefresh(next);
  };
  return (
    <div class="status-key">
      <h3>{t.statusKey.legend}</h3>
      <ActionButton action={action} label={t.statusKey.send} run={send}>
        <p class="hint">{confirmed ? t.statusKey.hintEmail(confirmed.identity) : t.statusKey.hintPost}</p>
      </ActionButton>
      {shown === undefined ? null : shown.followUrl === undefined ? (
        <p role="status">{t.statusKey.emailed}</p>
      ) : (
        <>
          <div class="field shown-once">
            <label for="r-follow">{t.statusKey.link}</label>
            <input id="r-follow" ref={field} readOnly value={shown.followUrl} onFocus={(e) => e.currentTarget.select()} />
          </div>
          <p class="hint">{t.statusKey.once}</p>
        </>
      )}
    </div>
  );
}
