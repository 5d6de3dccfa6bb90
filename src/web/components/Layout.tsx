import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { coordinatorScopes, hasPermission, hasRole, useSessionApi } from '../app/session.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Loading } from './Problem.tsx';

const ADMIN_ROLES = new Set(['national_admin', 'regional_coordinator', 'community_admin']);

/** The page frame: skip link, header with language switch and logout, main landmark, footer. */
export function Layout() {
  const { t } = useTranslation();
  const { state, logout } = useSessionApi();
  const navigate = useNavigate();
  const location = useLocation();
  const session = state.status === 'authenticated' ? state.session : null;
  const isAdmin = !!session?.grants.some((g) => ADMIN_ROLES.has(g.role));
  // A coordinator's map opens on the province they work in.
  const myScope = session && !hasRole(session, 'national_admin') ? coordinatorScopes(session)[0]?.scopeCode : undefined;
  const regionsHome = myScope ? `/wilayah/${myScope.split('.')[0]}` : '/wilayah';

  // A new page starts at the top, and screen readers land on it rather than on the old link.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="site-header">
        <div className="bar">
          <Link className="brand" to="/">
            <span className="brand-mark" aria-hidden="true" />
            {t('app.name')}
          </Link>
          <div className="bar-actions">
            <LanguageSwitch />
            {session && (
              <button
                type="button"
                className="btn btn-ghost"
                title={t('app.loggedInAs', { name: session.user.name })}
                onClick={async () => {
                  await logout();
                  navigate('/masuk', { replace: true });
                }}
              >
                {t('app.logout')}
              </button>
            )}
          </div>
        </div>
        {session && (
          <nav className="main-nav" aria-label={t('app.mainNav')}>
            <NavLink to="/" end>
              {t('nav.home')}
            </NavLink>
            {hasPermission(session, 'users.read') && <NavLink to="/pengguna">{t('nav.users')}</NavLink>}
            <Link
              to={regionsHome}
              className={location.pathname.startsWith('/wilayah') ? 'active' : undefined}
              aria-current={location.pathname.startsWith('/wilayah') ? 'page' : undefined}
            >
              {t('nav.regions')}
            </Link>
            {hasPermission(session, 'registry.read') && <NavLink to="/anggota">{t('nav.members')}</NavLink>}
            {hasPermission(session, 'registry.read') && <NavLink to="/komunitas">{t('nav.communities')}</NavLink>}
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<Loading />}>{state.status === 'loading' ? <Loading /> : <Outlet />}</Suspense>
        </ErrorBoundary>
      </main>
      <footer className="site-footer">
        <p>{t('app.footer')}</p>
        <p>
          <Link to="/statistik">{t('dashboard.publicLink')}</Link>
          {!session && (
            <>
              {' · '}
              <Link to="/daftar">{t('nav.register')}</Link>
            </>
          )}
        </p>
        {isAdmin && (
          <p>
            <a href="/api/docs">{t('app.apiDocs')}</a>
          </p>
        )}
      </footer>
    </>
  );
}
