/** The original of a request entered by post or email: listed, then downloaded, only on demand (each view in the audit log). */
import { useState } from 'preact/hooks';
import { api, ApiFailure, must, type RequestView, type Schemas } from '../../api.js';
import { useAction } from '../../components/forms.js';
import { ErrorMessage } from '../../components/status.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.js';

type Attachment = Schemas['RequestAttachment'];

export function Attachments({ request }: { request: RequestView }) {
  const { t } = useI18n();
  const { session } = useSession();
  const path = { org: session.organisation, id: request.id };
  const [list, setList] = useState<Attachment[] | undefined>(undefined);
  const action = useAction();
  const download = async (a: Attachment) => {
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
