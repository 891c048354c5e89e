/**
 * The request queue by due day: filters kept in the URL, pages by the server's keyset (after /
 * next_after). The server pages forward only; the way back is kept in the URL too: `back` lists the
 * cursors of the pages before this one, so Previous works after a reload or from a shared link.
 * No total count: counting a filtered queue scans the table (40-55 ms at 100,000 requests, against
 * under 1 ms for a page), so the pages are numbered instead.
 */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, CHANNELS, must, REQUEST_STATES, REQUEST_TYPES } from '../api.js';
import { Show } from '../components/status.js';
import { useLoad } from '../components/use-load.js';
import { formatDate, useI18n } from '../i18n/index.js';
import { can, useSession } from '../session.js';
import { StaffSelect, useStaffLabel } from '../components/staff-name.js';
import { PageTitle } from '../components/page-title.js';

const FILTERS = ['type', 'state', 'assignee', 'channel', 'overdue'] as const;
type Filter = (typeof FILTERS)[number];

/** The cursors kept for Previous: enough for any real use, and a URL that stays short. */
const MAX_BACK = 50;
const CURSOR = /^\d{4}-\d{2}-\d{2}~[0-9a-f-]{36}$/;

/** Where Next and Previous lead from the page at `after` (undefined: the first page), with the cursors before it. */
export function pageLinks(after: string | undefined, back: readonly string[], nextAfter: string | null): { next?: { after: string; back: string[] }; previous?: { after?: string; back: string[] } } {
  return {
    ...(nextAfter !== null ? { next: { after: nextAfter, back: after === undefined ? [] : [...back, after].slice(-MAX_BACK) } } : {}),
    ...(after !== undefined ? { previous: back.length === 0 ? { back: [] } : { after: back.at(-1)!, back: back.slice(0, -1) } } : {}),
  };
}

function queueUrl(values: Partial<Record<Filter | 'after' | 'back', string>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') params.set(k, v);
  const q = params.toString();
  return `/console/requests${q === '' ? '' : `?${q}`}`;
}

export function QueuePage() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const staffLabel = useStaffLabel();
  const { query, route } = useLocation();
  const current: Partial<Record<Filter, string>> = {};
  for (const f of FILTERS) if (query[f]) current[f] = query[f];
  const after = query.after;
  // Only well-formed cursors, and only beside a page's own cursor: a hand-edited URL cannot break Previous.
  const back = after ? (query.back ?? '').split(',').filter((c) => CURSOR.test(c)) : [];
  const key = JSON.stringify([current, after]);

  const page = useLoad(
    () =>
      must(
        api.GET('/api/v1/organisations/{org}/desk/requests', {
          params: {
            path: { org: session.organisation },
            query: {
              limit: 25,
              ...(current.type ? { type: current.type } : {}),
              ...(current.state ? { state: current.state } : {}),
              ...(current.assignee ? { assignee: current.assignee } : {}),
              ...(current.channel ? { channel: current.channel } : {}),
              ...(current.overdue === 'true' ? { overdue: 'true' as const } : {}),
              ...(after ? { after } : {}),
            },
          },
        }),
      ),
    [session.organisation, key],
  );

  const [draft, setDraft] = useState<Partial<Record<Filter, string>>>(current);
  const [draftKey, setDraftKey] = useState(key);
  if (draftKey !== key) {
    setDraftKey(key);
    setDraft(current);
  }
  const set = (f: Filter, v: string) => setDraft((d) => ({ ...d, [f]: v }));

  return (
    <>
      <PageTitle>{t.queue.title}</PageTitle>
      <p class="row">
        {can(session, 'requests.create') ? (
          <a class="button-link" href="/console/requests/new">
            {t.queue.newRequest}
          </a>
        ) : null}
        {session.user ? <a href={queueUrl({ assignee: session.user.id })}>{t.queue.mine}</a> : null}
      </p>
      <form
        class="filters"
        aria-label={t.queue.filters}
        onSubmit={(e) => {
          e.preventDefault();
          route(queueUrl(draft));
        }}
      >
        <div class="field">
          <label for="f-type">{t.queue.type}</label>
          <select id="f-type" value={draft.type ?? ''} onChange={(e) => set('type', e.currentTarget.value)}>
            <option value="">{t.queue.any}</option>
            {REQUEST_TYPES.map((type) => (
              <option key={type} value={type}>
                {t.types[type]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-state">{t.queue.state}</label>
          <select id="f-state" value={draft.state ?? ''} onChange={(e) => set('state', e.currentTarget.value)}>
            <option value="">{t.queue.any}</option>
            {REQUEST_STATES.map((s) => (
              <option key={s} value={s}>
                {t.states[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-assignee">{t.queue.assignee}</label>
          <StaffSelect id="f-assignee" hintId="f-assignee-hint" value={draft.assignee ?? ''} onChange={(v) => set('assignee', v)} empty={t.queue.any} />
        </div>
        <div class="field">
          <label for="f-channel">{t.queue.channel}</label>
          <select id="f-channel" value={draft.channel ?? ''} onChange={(e) => set('channel', e.currentTarget.value)}>
            <option value="">{t.queue.any}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t.channels[c] ?? c}
              </option>
            ))}
          </select>
        </div>
        <div class="field check">
          <input id="f-overdue" type="checkbox" checked={draft.overdue === 'true'} onChange={(e) => set('overdue', e.currentTarget.checked ? 'true' : '')} />
          <label for="f-overdue">{t.queue.overdue}</label>
        </div>
        <div class="field actions">
          <button type="submit">{t.queue.apply}</button>
          <a href="/console/requests">{t.queue.clear}</a>
        </div>
      </form>
      <Show loaded={page}>
        {(p) =>
          p.requests.length === 0 ? (
            <p role="status">{t.queue.empty}</p>
          ) : (
            <>
              <div class="table-wrap" tabIndex={0}>
                <table class="queue">
                  <caption>{t.queue.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.queue.reference}</th>
                      <th scope="col">{t.queue.type}</th>
                      <th scope="col">{t.queue.state}</th>
                      <th scope="col">{t.queue.received}</th>
                      <th scope="col">{t.queue.due}</th>
                      <th scope="col">{t.queue.daysLeft}</th>
                      <th scope="col">{t.queue.assignee}</th>
                      <th scope="col">{t.queue.channel}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.requests.map((r) => (
                      <tr key={r.id}>
                        <th scope="row">
                          <a href={`/console/requests/${r.id}`}>{r.reference}</a>
                        </th>
                        <td>{t.types[r.type]}</td>
                        <td>
                          <span class={`state state-${r.state}`}>{t.states[r.state]}</span>
                        </td>
                        <td class="nowrap">{formatDate(lang, r.received_on)}</td>
                        <td class="nowrap">{formatDate(lang, r.due_on)}</td>
                        <td class={r.days_left !== null && r.days_left < 0 ? 'late' : undefined}>{t.queue.days(r.days_left)}</td>
                        <td>{staffLabel(r.assignee)}</td>
                        <td>{t.channels[r.channel] ?? r.channel}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager current={current} after={after} back={back} nextAfter={p.next_after} />
            </>
          )
        }
      </Show>
    </>
  );
}

function Pager({ current, after, back, nextAfter }: { current: Partial<Record<Filter, string>>; after: string | undefined; back: readonly string[]; nextAfter: string | null }) {
  const { t } = useI18n();
  const links = pageLinks(after, back, nextAfter);
  const at = (page: { after?: string; back: string[] }) => queueUrl({ ...current, ...(page.after ? { after: page.after } : {}), ...(page.back.length > 0 ? { back: page.back.join(',') } : {}) });
  // The page's number, from the cursors kept before it; unknown once they were cut at MAX_BACK.
  const number = after === undefined ? 1 : back.length < MAX_BACK ? back.length + 2 : undefined;
  return (
    <nav class="pager" aria-label={t.queue.paging}>
      {after ? <a href={queueUrl(current)}>{t.queue.first}</a> : null}
      {links.previous ? (
        <a href={at(links.previous)} rel="prev">
          {t.queue.previous}
        </a>
      ) : null}
      {number !== undefined ? <span aria-current="page">{t.queue.pageNumber(number)}</span> : null}
      {links.next ? (
        <a href={at(links.next)} rel="next">
          {t.queue.next}
        </a>
      ) : null}
    </nav>
  );
}
