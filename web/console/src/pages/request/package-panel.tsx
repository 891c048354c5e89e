/**
 * The copy that answers an access or portability request (Art. 15(3), 20): until when the person can
 * download it, and — for a person who lost the completion letter — a new link sent to their email
 * (the earlier one stops working). Staff never open the copy: it is the person's, behind their key.
 */
import { api, must } from '../../api.js';
import { ActionButton, useAction } from '../../components/forms.js';
import { formatDateTime, useI18n } from '../../i18n/index.js';
import { can, useSession } from '../../session.js';
import type { RequestPart } from './states.js';

export function PackagePanel({ request, onChange }: RequestPart) {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const action = useAction();
  const expiresAt = request.package_expires_at;
  const expired = expiresAt !== null && Date.parse(expiresAt) <= Date.now();
  const forController = request.channel === 'controller';
  const renew = async () => {
    const path = { org: session.organisation, id: request.id };
    onChange(await must(api.POST('/api/v1/organisations/{org}/desk/requests/{id}/download-link', { params: { path }, body: { version: request.version } })));
  };
  return (
    <section class="panel" aria-labelledby="r-package">
      <h2 id="r-package">{t.request.package}</h2>
      {expiresAt === null ? (
        <p>{t.request.packageNone}</p>
      ) : forController ? (
        <p>{t.request.packageController}</p>
      ) : expired ? (
        <p>{t.request.packageExpired(formatDateTime(lang, expiresAt))}</p>
      ) : (
        <>
          <p>{t.request.packageReady(formatDateTime(lang, expiresAt))}</p>
          {can(session, 'requests.decide') ? (
            <ActionButton action={action} label={t.request.packageRenew} run={renew}>
              <p class="hint">{t.request.packageRenewHint}</p>
            </ActionButton>
          ) : null}
        </>
      )}
    </section>
  );
}
