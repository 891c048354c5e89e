/** Who is signed in: the session's answer (organisation, role, permissions), shared by the pages. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Schemas, Session } from './api.js';

export interface SessionState {
  session: Session;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | undefined>(undefined);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a signed-in page');
  return state;
}

/** What GET /api/v1/session answers: the session, or signed_in false when nobody is signed in (not a 401). */
export type SessionAnswer = Session | Schemas['SignedOut'];

/** The session a person signed in to the console holds, or undefined (signed out, or an API token's, which has no user). */
export function consoleSession(answer: SessionAnswer | undefined): Session | undefined {
  return answer?.signed_in === true && answer.user !== null ? answer : undefined;
}

export const can = (session: Session, permission: string): boolean => session.permissions.includes(permission);
