import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '../components/Problem.tsx';
import { hasPermission, useSessionApi } from './session.tsx';

/** Pages behind login: sends the visitor to setup or login, remembering where they wanted to go. */
export function RequireAuth() {
  const { state } = useSessionApi();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'anonymous') {
    return (
      <Navigate
        to={state.setupNeeded ? '/siapkan' : '/masuk'}
        replace
        state={state.loggedOut ? null : { from: location.pathname + location.search, expired: state.expired }}
      />
    );
  }
  return <Outlet />;
}

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { state } = useSessionApi();
  const { t } = useTranslation();
  if (state.status !== 'authenticated' || !hasPermission(state.session, permission)) {
    return (
      <section className="panel">
        <h1>{t('errors.forbiddenTitle')}</h1>
        <p>{t('errors.forbiddenBody')}</p>
      </section>
    );
  }
  return <>{children}</>;
}
