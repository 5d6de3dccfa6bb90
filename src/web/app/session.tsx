import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthenticated, setCsrfToken } from '../api/client.ts';
import type { Grant, SessionPayload, SetupStatus } from '../api/types.ts';
import { setLocale, storedLocale } from '../i18n/index.ts';

export type SessionState =
  | { status: 'loading' }
  | {
      status: 'anonymous';
      setupNeeded: boolean;
      /** Setup needs the code printed in the server console (the browser is not on the server's machine). */
      setupTokenRequired?: boolean;
      expired: boolean;
      /** Left by pressing "Keluar": the next login starts at home, not on the last page (someone else may log in). */
      loggedOut?: boolean;
    }
  | { status: 'authenticated'; session: SessionPayload };

interface SessionApi {
  state: SessionState;
  /** Stores a session returned by login or setup. */
  signedIn: (session: SessionPayload) => void;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

async function probe(): Promise<SessionState> {
  try {
    const session = await api.get<SessionPayload>('/api/auth/session', { quiet401: true });
    return { status: 'authenticated', session };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
  }
  let setupNeeded = false;
  let setupTokenRequired = false;
  try {
    const status = await api.get<SetupStatus>('/api/setup/status');
    setupNeeded = status.needed;
    setupTokenRequired = status.needed && status.tokenRequired === true;
  } catch {
    // A server without the setup endpoint simply has no first-run step.
  }
  return { status: 'anonymous', setupNeeded, setupTokenRequired, expired: false };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const apply = useCallback((next: SessionState) => {
    if (next.status === 'authenticated') {
      setCsrfToken(next.session.csrfToken);
      // The account's language applies until this device has a choice of its own.
      if (!storedLocale() && next.session.user.locale) setLocale(next.session.user.locale, false);
    } else {
      setCsrfToken(null);
    }
    setState(next);
  }, []);

  const refresh = useCallback(async () => {
    try {
      apply(await probe());
    } catch {
      // Server unreachable: let the login page show and report the error when the user acts.
      apply({ status: 'anonymous', setupNeeded: false, expired: false });
    }
  }, [apply]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setCsrfToken(null);
        setState((s) => (s.status === 'authenticated' ? { status: 'anonymous', setupNeeded: false, expired: true } : s));
      }),
    [],
  );

  const value = useMemo<SessionApi>(
    () => ({
      state,
      signedIn: (session) => apply({ status: 'authenticated', session }),
      logout: async () => {
        try {
          await api.post('/api/auth/logout');
        } catch {
          // Even if the server call fails, forget the session here.
        }
        apply({ status: 'anonymous', setupNeeded: false, expired: false, loggedOut: true });
      },
      refresh,
    }),
    [state, apply, refresh],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionApi(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSessionApi outside SessionProvider');
  return ctx;
}

/** The signed-in session; only for pages behind RequireAuth. */
export function useSession(): SessionPayload {
  const { state } = useSessionApi();
  if (state.status !== 'authenticated') throw new Error('useSession without a session');
  return state.session;
}

export function hasPermission(session: SessionPayload, permission: string): boolean {
  return session.permissions.includes(permission);
}

export function hasRole(session: SessionPayload, role: Grant['role']): boolean {
  return session.grants.some((g) => g.role === role);
}

/** The regions a coordinator works in (empty for everyone else). */
export function coordinatorScopes(session: SessionPayload): Grant[] {
  return session.grants.filter(
    (g) => g.role === 'regional_coordinator' && (g.scopeType === 'province' || g.scopeType === 'regency') && g.scopeCode,
  );
}
