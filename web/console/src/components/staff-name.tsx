/**
 * Colleagues by name: the staff directory (GET /api/v1/staff/directory: id, name, role, active; no
 * login), asked once per session and shared by every page, to show and choose assignees. Until it
 * has answered, or if it cannot, an assignee shows as their staff id, as before.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, must, type Schemas, type Session } from '../api.js';
import { useI18n, type I18n } from '../i18n/index.js';
import { useSession } from '../session.js';

export type StaffEntry = Schemas['StaffDirectoryEntry'];
/** Active accounts first, then disabled ones, each by name (the server's order). */
export type StaffDirectory = readonly StaffEntry[];

// Keyed by the session object: a new sign-in is a new object, so a new directory (another account,
// or another organisation); a failed answer is forgotten, and the next page asks again.
const asked = new WeakMap<Session, Promise<StaffDirectory>>();
const answered = new WeakMap<Session, StaffDirectory>();

/** The directory of the session's organisation, asked at most once per session. */
export function staffDirectory(session: Session): Promise<StaffDirectory> {
  let pending = asked.get(session);
  if (pending === undefined) {
    pending = must(api.GET('/api/v1/staff/directory')).then(({ staff }) => {
      answered.set(session, staff);
      return staff;
    });
    pending.catch(() => asked.delete(session));
    asked.set(session, pending);
  }
  return pending;
}

/** The directory is asked again by the next page that needs it (an account was added, renamed or disabled). */
export function forgetStaffDirectory(session: Session): void {
  asked.delete(session);
  answered.delete(session);
}

/** The directory once it has answered (undefined before, or if it cannot be read). */
export function useStaffDirectory(): StaffDirectory | undefined {
  const { session } = useSession();
  const [directory, setDirectory] = useState<StaffDirectory | undefined>(() => answered.get(session));
  useEffect(() => {
    let live = true;
    staffDirectory(session).then(
      (d) => {
        if (live) setDirectory(d);
      },
      () => undefined, // names stay ids: the page still works
    );
    return () => {
      live = false;
    };
  }, [session]);
  return directory;
}

/** Who an assignee is: nobody, you, a colleague by name (a disabled account said so), or the staff id the directory does not know. */
export function staffLabel(session: Session, directory: StaffDirectory | undefined, assignee: string | null, t: I18n['t']): string {
  if (assignee === null || assignee === '') return t.app.unassigned;
  if (session.user && assignee === session.user.id) return t.app.you(session.user.display_name);
  const entry = directory?.find((s) => s.id === assignee);
  if (entry === undefined) return assignee;
  return entry.active ? entry.display_name : t.app.formerStaff(entry.display_name);
}

export function useStaffLabel(): (assignee: string | null) => string {
  const { session } = useSession();
  const { t } = useI18n();
  const directory = useStaffDirectory();
  return (assignee) => staffLabel(session, directory, assignee, t);
}

/**
 * Who did something, as the history and the audit log record it (`staff:<id>`, `token:<id>`,
 * `worker:<process>`, `person`, `controller:<id>`): a colleague by name, the others said in words
 * with their id kept for the audit trail.
 */
export function actorLabel(session: Session, directory: StaffDirectory | undefined, actor: string, t: I18n['t']): string {
  const [kind, ...rest] = actor.split(':');
  const id = rest.join(':');
  switch (kind) {
    case 'staff':
      return staffLabel(session, directory, id, t);
    case 'person':
      return t.app.actorPerson;
    case 'worker':
      return t.app.actorWorker(id);
    case 'token':
      return t.app.actorToken(id);
    case 'controller':
      return t.app.actorController(id);
    default:
      return actor;
  }
}

export function useActorLabel(): (actor: string) => string {
  const { session } = useSession();
  const { t } = useI18n();
  const directory = useStaffDirectory();
  return (actor) => actorLabel(session, directory, actor, t);
}

/** An actor of the history or the audit log, as text. */
export function ActorName({ actor }: { actor: string }) {
  return <>{useActorLabel()(actor)}</>;
}

/** An assignee's name, as text. */
export function StaffName({ id }: { id: string | null }) {
  return <>{useStaffLabel()(id)}</>;
}

/**
 * Choosing a staff member: a list of names once the directory has answered (the current value kept
 * even if the directory does not know it), a field for a staff id until then. `empty` names the
 * choice of nobody ("Any" for a filter, "Unassigned" to assign to nobody).
 */
export function StaffSelect({ id, value, onChange, empty, hintId }: { id: string; value: string; onChange: (value: string) => void; empty: string; hintId?: string }) {
  const { session } = useSession();
  const { t } = useI18n();
  const directory = useStaffDirectory();
  if (directory === undefined) {
    return (
      <>
        <input id={id} value={value} aria-describedby={hintId} onInput={(e) => onChange(e.currentTarget.value)} />
        {hintId !== undefined ? (
          <span id={hintId} class="hint">
            {t.queue.assigneeHint}
          </span>
        ) : null}
      </>
    );
  }
  const known = value === '' || directory.some((s) => s.id === value);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{empty}</option>
      {directory.map((s) => (
        <option key={s.id} value={s.id}>
          {staffLabel(session, directory, s.id, t)}
        </option>
      ))}
      {known ? null : <option value={value}>{value}</option>}
    </select>
  );
}
