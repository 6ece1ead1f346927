// Who is signed in. The token lives in sessionStorage: it goes when the tab closes, and is never
// written anywhere else. In development the hub offers a demo sign-in (pick a role and district);
// in production a person pastes an API key or token from the bureau's identity provider.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Role = 'ADMIN' | 'MANAGER' | 'CASEWORKER' | 'AGENCY' | 'AUDITOR' | 'ALERT_CONSUMER';

export interface Caller {
  id: string;
  role: Role;
  /** null: every district */
  districts: string[] | null;
}

export interface Session {
  token: string;
  caller: Caller;
}

interface SessionState {
  session: Session | null;
  signIn(session: Session): void;
  signOut(): void;
}

const KEY = 'hub.session';
const SessionContext = createContext<SessionState | null>(null);

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(load);
  const signIn = useCallback((next: Session) => {
    sessionStorage.setItem(KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    setSession(null);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** the signed-in caller (screens behind sign-in only) */
export function useCaller(): Caller {
  const { session } = useSession();
  if (!session) throw new Error('useCaller before sign-in');
  return session.caller;
}

/** whether the caller's role is one of `roles` — screens and actions show only what the API would allow */
export function useMay(...roles: Role[]): boolean {
  const { session } = useSession();
  return !!session && roles.includes(session.caller.role);
}
