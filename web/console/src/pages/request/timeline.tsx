/** A request's timeline: its transitions and the letters it sent, in the order they happened. */
import type { RequestView } from '../../api.js';
import { useActorLabel } from '../../components/staff-name.js';
import { formatDateTime, useI18n } from '../../i18n/index.js';
import { Facts } from '../../components/facts.js';

type Transition = RequestView['history'][number];
type Letter = RequestView['letters'][number];

export function Timeline({ request }: { request: RequestView }) {
  const { t } = useI18n();
  const items = [
    ...request.history.map((h) => ({ at: h.at, key: `h${h.seq}`, kind: 'transition' as const, h })),
    ...request.letters.map((l) => ({ at: l.at, key: `l${l.seq}`, kind: 'letter' as const, l })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section class="panel" aria-labelledby="r-timeline">
      <h2 id="r-timeline">{t.request.timeline}</h2>
      <ol class="timeline">{items.map((item) => (item.kind === 'transition' ? <TransitionItem key={item.key} h={item.h} /> : <LetterItem key={item.key} l={item.l} />))}</ol>
      {request.letters.length === 0 ? <p class="hint">{t.request.lettersNone}</p> : null}
    </section>
  );
}

function TransitionItem({ h }: { h: Transition }) {
  const { t, lang } = useI18n();
  const actorLabel = useActorLabel();
  return (
    <li>
      <span class="when">{formatDateTime(lang, h.at)}</span>
      <div>
        <strong>{t.request.transition(t.transitions[h.name] ?? h.name.replace(/_/g, ' '))}</strong>: {t.states[h.from]} → {t.states[h.to]} <span class="hint">{t.request.by(actorLabel(h.actor))}</span>
      </div>
      <Facts input={h.input} />
    </li>
  );
}

/** A letter sent, or one that could not go (for staff to send by post). */
function LetterItem({ l }: { l: Letter }) {
  const { t, lang } = useI18n();
  return (
    <li class="letter">
      <span class="when">{formatDateTime(lang, l.at)}</span>
      <div>
        <strong>{t.request.letter(t.letterKinds[l.kind] ?? l.kind.replace(/_/g, ' '))}</strong> ({t.languages[l.language] ?? l.language}): {t.request.letterStatus[l.status] ?? l.status}
        {l.error ? <span class="hint"> — {l.error}</span> : null}
      </div>
    </li>
  );
}
