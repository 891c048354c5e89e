/** The decisions a request's state allows, each for the role that may take it (the server checks both again). */
import { useI18n } from '../../i18n/index.js';
import { can, useSession } from '../../session.js';
import { Approve, Assign, ChargeFee, Extend, FeeReceived, RecordDone, Refuse, Retry, Withdraw } from './decision-forms.js';
import { ENGINE_TYPES, OPEN_STATES, REFUSABLE, type RequestPart } from './states.js';

export function Decisions({ request, onChange, authority }: RequestPart & { authority: string | undefined }) {
  const { t } = useI18n();
  const { session } = useSession();
  const decide = can(session, 'requests.decide');
  const identity = can(session, 'requests.identity');
  const open = OPEN_STATES.has(request.state);
  const part = { request, onChange };

  const forms = [];
  if (decide && request.state === 'verified') forms.push(<Approve key="approve" {...part} />);
  if (decide && REFUSABLE.has(request.state)) forms.push(<Refuse key="refuse" {...part} authority={authority} />);
  if (decide && request.state === 'verified') forms.push(<ChargeFee key="fee" {...part} />);
  if (decide && request.state === 'awaiting_fee') forms.push(<FeeReceived key="receive" {...part} />);
  if (decide && request.state === 'failed') forms.push(<Retry key="retry" {...part} />);
  // The engine's types are answered by its run; the others are carried out by staff and recorded.
  if (decide && request.state === 'approved' && !ENGINE_TYPES.has(request.type)) forms.push(<RecordDone key="done" {...part} />);
  // A forwarded request is due on its contract's day: the extension is the controller's to tell (Art. 28(3)(e)).
  // The server says whether the first month (Art. 12(3)) still allows it, and by how much.
  if (identity && request.extension !== null) forms.push(<Extend key="extend" {...part} window={request.extension} />);
  if (identity && open) forms.push(<Assign key="assign" {...part} />);
  // Not while the engine writes: its run ends first.
  if (identity && open && request.state !== 'in_progress') forms.push(<Withdraw key="withdraw" {...part} />);

  return (
    <section class="panel" aria-labelledby="r-decide">
      <h2 id="r-decide">{t.request.decide}</h2>
      {forms.length === 0 ? <p>{t.request.nothingToDecide}</p> : <div class="panels">{forms}</div>}
      {identity && open && request.channel !== 'controller' && request.extension === null ? <p class="hint">{t.request.extendClosed}</p> : null}
    </section>
  );
}
