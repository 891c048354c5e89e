/**
 * The desk report's figures drawn as SVG, each with its title and description for screen readers and
 * the same figures as a table beside it. Colours come from the style sheet (dark mode follows).
 */
import type { RequestType } from '../api.js';
import { formatDate, useI18n } from '../i18n/index.js';

export interface WeekFigures {
  from: string;
  byType: Partial<Record<RequestType, number>>;
  received: number;
  median: number | null;
  p90: number | null;
}

const W = 640;
const H = 240;
const PAD = { left: 40, right: 12, top: 12, bottom: 36 };

function niceMax(value: number): number {
  if (value <= 5) return 5;
  const step = Math.pow(10, Math.floor(Math.log10(value)));
  return Math.ceil(value / step) * step;
}

export function WeeklyByType({ weeks, types }: { weeks: readonly WeekFigures[]; types: readonly RequestType[] }) {
  const { t, lang } = useI18n();
  const shown = types.filter((type) => weeks.some((w) => (w.byType[type] ?? 0) > 0));
  const max = niceMax(Math.max(0, ...weeks.map((w) => w.received)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const band = plotW / Math.max(1, weeks.length);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const total = weeks.reduce((n, w) => n + w.received, 0);
  const ticks = [0, max / 2, max];
  return (
    <figure class="chart">
      <figcaption id="chart-weeks-title">
        <h3>{t.today.weeks}</h3>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-weeks-svg-title chart-weeks-svg-desc" class="chart-svg">
        <title id="chart-weeks-svg-title">{t.today.weeks}</title>
        <desc id="chart-weeks-svg-desc">{t.today.weeksSummary(weeks.length, total)}</desc>
        {ticks.map((v) => (
          <g key={v}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text class="axis" x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
        {weeks.map((w, i) => {
          let base = 0;
          const x = PAD.left + i * band + band * 0.2;
          return (
            <g key={w.from}>
              {shown.map((type) => {
                const n = w.byType[type] ?? 0;
                if (n === 0) return null;
                const top = y(base + n);
                const rect = <rect key={type} class={`series-${types.indexOf(type)}`} x={x} width={band * 0.6} y={top} height={y(base) - top} />;
                base += n;
                return rect;
              })}
              <text class="axis" x={x + band * 0.3} y={H - PAD.bottom + 16} text-anchor="middle">
                {formatDate(lang, w.from).replace(/ \d{4}$/, '')}
              </text>
            </g>
          );
        })}
      </svg>
      <ul class="legend">
        {shown.map((type) => (
          <li key={type}>
            <span class={`swatch series-${types.indexOf(type)}`} aria-hidden="true" />
            {t.types[type]}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t.today.tableOf(t.today.weeks)}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.today.week}</th>
              {shown.map((type) => (
                <th scope="col" key={type}>
                  {t.types[type]}
                </th>
              ))}
              <th scope="col">{t.today.total}</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.from}>
                <th scope="row">{formatDate(lang, w.from)}</th>
                {shown.map((type) => (
                  <td key={type} class="num">
                    {w.byType[type] ?? 0}
                  </td>
                ))}
                <td class="num">{w.received}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function DaysToAnswer({ weeks, limit = 30 }: { weeks: readonly WeekFigures[]; limit?: number }) {
  const { t, lang } = useI18n();
  const max = niceMax(Math.max(limit + 5, ...weeks.map((w) => w.p90 ?? 0)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const band = plotW / Math.max(1, weeks.length);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [0, Math.round(max / 2), max];
  return (
    <figure class="chart">
      <figcaption>
        <h3>{t.today.answer}</h3>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-answer-svg-title chart-answer-svg-desc" class="chart-svg">
        <title id="chart-answer-svg-title">{t.today.answer}</title>
        <desc id="chart-answer-svg-desc">{t.today.answerSummary}</desc>
        {ticks.map((v) => (
          <g key={v}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text class="axis" x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
        {weeks.map((w, i) => {
          const x = PAD.left + i * band + band * 0.15;
          const barW = band * 0.32;
          return (
            <g key={w.from}>
              {w.median !== null ? <rect class="median" x={x} width={barW} y={y(w.median)} height={y(0) - y(w.median)} /> : null}
              {w.p90 !== null ? <rect class="p90" x={x + barW} width={barW} y={y(w.p90)} height={y(0) - y(w.p90)} /> : null}
              <text class="axis" x={x + barW} y={H - PAD.bottom + 16} text-anchor="middle">
                {formatDate(lang, w.from).replace(/ \d{4}$/, '')}
              </text>
            </g>
          );
        })}
        <line class="limit" x1={PAD.left} x2={W - PAD.right} y1={y(limit)} y2={y(limit)} />
        <text class="limit-label" x={W - PAD.right} y={y(limit) - 6} text-anchor="end">
          {t.today.oneMonth}
        </text>
      </svg>
      <ul class="legend">
        <li>
          <span class="swatch median" aria-hidden="true" />
          {t.today.median}
        </li>
        <li>
          <span class="swatch p90" aria-hidden="true" />
          {t.today.p90}
        </li>
        <li>
          <span class="swatch limit" aria-hidden="true" />
          {t.today.oneMonth}
        </li>
      </ul>
      <details>
        <summary>{t.today.tableOf(t.today.answer)}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.today.week}</th>
              <th scope="col">{t.today.median}</th>
              <th scope="col">{t.today.p90}</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.from}>
                <th scope="row">{formatDate(lang, w.from)}</th>
                <td class="num">{w.median ?? t.today.noAnswer}</td>
                <td class="num">{w.p90 ?? t.today.noAnswer}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
