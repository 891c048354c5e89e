/** Requests as a list of links, grouped by assignee (Today's lists). */
import type { QueueEntry } from '../api.js';
import { formatDate, useI18n } from '../i18n/index.js';
import { useStaffLabel } from './staff-name.js';

export function RequestLink({ entry }: { entry: QueueEntry }) {
  const { t, lang } = useI18n();
  return (
    <>
      <a href={`/console/requests/${entry.id}`}>{entry.reference}</a> — {t.types[entry.type]} — {t.states[entry.state]} — {t.queue.due} {formatDate(lang, entry.due_on)}
      {entry.days_left !== null ? <span class={entry.days_left < 0 ? 'late' : undefined}> ({t.queue.days(entry.days_left)})</span> : null}
    </>
  );
}

export function ByAssignee({ entries, empty, headingLevel = 3, max = 10, more }: { entries: readonly QueueEntry[]; empty: string; headingLevel?: 3 | 4; max?: number; more?: { href: string; text: string } }) {
  const { t } = useI18n();
  const staffLabel = useStaffLabel();
  if (entries.length === 0) return <p>{empty}</p>;
  const groups = new Map<string, QueueEntry[]>();
  for (const e of entries) {
    const key = e.assignee ?? '';
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <>
      {[...groups.entries()].map(([who, list]) => (
        <div class="group" key={who}>
          <Heading>{t.today.byAssignee(staffLabel(who), list.length)}</Heading>
          <ul class="requests">
            {list.slice(0, max).map((e) => (
              <li key={e.id}>
                <RequestLink entry={e} />
              </li>
            ))}
          </ul>
          {list.length > max && more ? (
            <p>
              <a href={more.href}>{more.text}</a>
            </p>
          ) : null}
        </div>
      ))}
    </>
  );
}
