import { Suspense, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { coordinatorScopes, hasPermission, hasRole, useSessionApi } from '../app/session.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Loading } from './Problem.tsx';

const ADMIN_ROLES = new Set(['national_admin', 'regional_coordinator', 'community_admin']);

interface NavItem {
  key: string;
  to: string;
  label: string;
  /** Active only on exactly this path (home). */
  end?: boolean;
  /** Active for every path under this prefix, when `to` is one page of it (the regions map). */
  match?: string;
}

/**
 * The main navigation, one line at any width ("priority+"): the items that fit stay in the bar,
 * in order of daily use, and the rest open from a "Lainnya" (More) disclosure, which shows as
 * active when the current page is inside it. What fits is measured, not guessed from the screen
 * width: label lengths differ by language and by the phone's font.
 */
function MainNav({ items }: { items: NavItem[] }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [fit, setFit] = useState(items.length);
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const navRef = useRef<HTMLElement>(null);
  const measureRef = useRef<HTMLDivElement>(null);
  const moreRef = useRef<HTMLDivElement>(null);
  const labels = items.map((i) => i.label).join('|');

  useLayoutEffect(() => {
    const nav = navRef.current;
    const measure = measureRef.current;
    if (!nav || !measure) return;
    const compute = () => {
      const style = getComputedStyle(nav);
      const available = nav.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const widths = [...measure.children].map((el) => el.getBoundingClientRect().width);
      const moreWidth = widths.pop() ?? 0;
      const total = widths.reduce((a, b) => a + b, 0);
      if (total <= available) return setFit(widths.length);
      let used = moreWidth;
      let n = 0;
      while (n < widths.length && used + widths[n] <= available) used += widths[n++];
      setFit(Math.max(1, n));
    };
    compute();
    const observer = new ResizeObserver(compute);
    observer.observe(nav);
    return () => observer.disconnect();
  }, [labels]);

  const bar = items.slice(0, fit);
  const more = items.slice(fit);
  const isActive = (i: NavItem) =>
    i.match ? location.pathname.startsWith(i.match) : i.end ? location.pathname === i.to : location.pathname === i.to || location.pathname.startsWith(`${i.to}/`);
  const moreActive = more.some(isActive);

  // Close on navigation, on Escape and on a tap outside.
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        moreRef.current?.querySelector('button')?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (!moreRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const link = (i: NavItem) =>
    i.match ? (
      <Link key={i.key} to={i.to} className={isActive(i) ? 'active' : undefined} aria-current={isActive(i) ? 'page' : undefined}>
        {i.label}
      </Link>
    ) : (
      <NavLink key={i.key} to={i.to} end={i.end}>
        {i.label}
      </NavLink>
    );

  return (
    <nav className="main-nav" aria-label={t('app.mainNav')} ref={navRef}>
      {bar.map(link)}
      {more.length > 0 && (
        <div className="nav-more" ref={moreRef}>
          <button
            type="button"
            className={`nav-more-button${moreActive ? ' active' : ''}`}
            aria-expanded={open}
            aria-controls={menuId}
            onClick={() => setOpen((o) => !o)}
          >
            {t('navExtra.more')}
            <span className="nav-more-caret" aria-hidden="true" />
          </button>
          <div id={menuId} className="nav-more-menu" hidden={!open}>
            {more.map(link)}
          </div>
        </div>
      )}
      {/* An invisible copy of every label (and the More button) at its widest, for measuring. */}
      <div className="nav-measure" ref={measureRef} aria-hidden="true">
        {items.map((i) => (
          <span key={i.key}>{i.label}</span>
        ))}
        <span>
          {t('navExtra.more')}
          <span className="nav-more-caret" />
        </span>
      </div>
    </nav>
  );
}

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

  // In order of daily use: on a phone the first ones stay in the bar, the rest go under "More".
  const navItems: NavItem[] = [];
  if (session) {
    navItems.push({ key: 'home', to: '/', label: t('nav.home'), end: true });
    if (hasPermission(session, 'registry.read')) {
      navItems.push({ key: 'members', to: '/anggota', label: t('nav.members') });
      navItems.push({ key: 'communities', to: '/komunitas', label: t('nav.communities') });
    }
    navItems.push({ key: 'regions', to: regionsHome, label: t('nav.regions'), match: '/wilayah' });
    // Campaigns and imports are regional: a community admin (registry.manage on one community) runs neither.
    if (hasPermission(session, 'registry.manage') && (hasRole(session, 'national_admin') || coordinatorScopes(session).length > 0)) {
      navItems.push({ key: 'campaigns', to: '/kampanye', label: t('navExtra.campaigns') });
      navItems.push({ key: 'import', to: '/impor', label: t('navExtra.import') });
    }
    if (hasPermission(session, 'beneficiaries.read')) navItems.push({ key: 'beneficiaries', to: '/penerima', label: t('navExtra.beneficiaries') });
    if (hasRole(session, 'member')) navItems.push({ key: 'ownData', to: '/data-saya', label: t('navExtra.ownData') });
    if (hasPermission(session, 'users.read')) navItems.push({ key: 'users', to: '/pengguna', label: t('nav.users') });
    // Last, so the items people use most keep their places in the bar on a phone.
    if (hasPermission(session, 'registry.read')) {
      navItems.push({ key: 'chapters', to: '/chapter', label: t('navExtra.chapters') });
      // Partners are seen over a region: a community admin's grant reaches none.
      if (hasRole(session, 'national_admin') || coordinatorScopes(session).length > 0) navItems.push({ key: 'partners', to: '/mitra', label: t('navExtra.partners') });
    }
  }

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
        {session && <MainNav items={navItems} />}
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
