/** Today: what is overdue and due this week by assignee, new requests waiting for identity, the register's findings, the report's charts. */
import { api, ApiFailure, must, REQUEST_TYPES, type QueueEntry, type RequestType } from '../api.js';
import { DaysToAnswer, WeeklyByType, type WeekFigures } from '../components/charts.js';
import { ByAssignee } from '../components/request-list.js';
import { Show } from '../components/status.js';
import { useLoad } from '../components/use-load.js';
import { useI18n } from '../i18n/index.js';
import { can, useSession } from '../session.js';
import { PageTitle } from '../components/page-title.js';

const WEEKS = 8;

const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The Mondays of the last `n` weeks, this one last, with their Sundays (the report's period: from the first Monday to the last Sunday). */
export function lastWeeks(n: number, today = new Date()): { from: string; to: string }[] {
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7));
  return Array.from({ length: n }, (_, i) => {
    const from = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() - 7 * (n - 1 - i));
    const to = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 6);
    return { from: isoDay(from), to: isoDay(to) };
  });
}

export function TodayPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const org = session.organisation;
  const path = { org };

  const queues = useLoad(async () => {
    const queue = (query: { overdue?: 'true'; due_within?: number; state?: string }) =>
      must(api.GET('/api/v1/organisations/{org}/desk/requests', { params: { path, query: { ...query, limit: 100 } } })).then((page) => page.requests);
    const [overdue, dueWeek, received, awaiting] = await Promise.all([queue({ overdue: 'true' }), queue({ due_within: 7 }), queue({ state: 'received' }), queue({ state: 'awaiting_identity' })]);
    const identity: QueueEntry[] = [...received, ...awaiting].sort((a, b) => a.received_on.localeCompare(b.received_on));
    return { overdue, dueWeek, identity };
  }, [org]);

  const findings = useLoad(async () => {
    if (!can(session, 'register.read')) return null;
    const { data, response } = await api.GET('/api/v1/organisations/{org}/register/findings', { params: { path } });
    if (response.status === 404) return null;
    if (!data) throw new ApiFailure(response.status, `HTTP ${response.status}`);
    return data.summary;
  }, [org]);

  // One call: the report grouped by ISO week (the server's weeks, in the organisation's calendar).
  const report = useLoad(async () => {
    const weeks = lastWeeks(WEEKS);
    const r = await must(api.GET('/api/v1/organisations/{org}/desk/report', { params: { path, query: { from: weeks[0]!.from, to: weeks.at(-1)!.to, format: 'json', group: 'week' } } }));
    if (typeof r === 'string') throw new ApiFailure(200, 'the report came as CSV');
    return (r.weeks ?? []).map((w): WeekFigures => {
      const byType: Partial<Record<RequestType, number>> = {};
      for (const type of REQUEST_TYPES) if (w.by_type[type] !== undefined) byType[type] = w.by_type[type];
      return { from: w.from, byType, received: w.received, median: w.days_to_answer.median, p90: w.days_to_answer.p90 };
    });
  }, [org]);

  return (
    <>
      <PageTitle>{t.today.title}</PageTitle>
      <Show loaded={queues}>
        {(q) => (
          <div class="columns">
            <section aria-labelledby="today-overdue">
              <h2 id="today-overdue">
                {t.today.overdue} <span class="count">({q.overdue.length})</span>
              </h2>
              <ByAssignee entries={q.overdue} empty={t.today.overdueNone} more={{ href: '/console/requests?overdue=true', text: t.today.seeAll }} />
            </section>
            <section aria-labelledby="today-week">
              <h2 id="today-week">
                {t.today.dueWeek} <span class="count">({q.dueWeek.length})</span>
              </h2>
              <ByAssignee entries={q.dueWeek} empty={t.today.dueWeekNone} more={{ href: '/console/requests', text: t.today.seeAll }} />
            </section>
            <section aria-labelledby="today-identity">
              <h2 id="today-identity">
                {t.today.identity} <span class="count">({q.identity.length})</span>
              </h2>
              <ByAssignee entries={q.identity} empty={t.today.identityNone} more={{ href: '/console/requests?state=received', text: t.today.seeAll }} />
            </section>
          </div>
        )}
      </Show>
      {can(session, 'register.read') ? (
        <section aria-labelledby="today-findings">
          <h2 id="today-findings">{t.today.findings}</h2>
          <Show loaded={findings}>
            {(summary) =>
              summary === null ? (
                <p>{t.today.findingsNone}</p>
              ) : (
                <>
                  <ul class="severities">
                    <li class="sev-error">
                      <strong>{summary.errors}</strong> {t.severities.error}
                    </li>
                    <li class="sev-warning">
                      <strong>{summary.warnings}</strong> {t.severities.warning}
                    </li>
                    <li class="sev-info">
                      <strong>{summary.infos}</strong> {t.severities.info}
                    </li>
                  </ul>
                  <p>
                    <a href="/console/register#findings">{t.today.findingsLink}</a>
                  </p>
                </>
              )
            }
          </Show>
        </section>
      ) : null}
      <section aria-labelledby="today-charts" class="charts">
        <h2 id="today-charts">{t.today.report}</h2>
        <Show loaded={report}>
          {(weeks) => (
            <>
              <WeeklyByType weeks={weeks} types={REQUEST_TYPES} />
              <DaysToAnswer weeks={weeks} />
            </>
          )}
        </Show>
      </section>
    </>
  );
}
