import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { coordinatorScopes, hasPermission, hasRole, useSession } from '../../app/session.tsx';
import { grantLabel, scopeLabel } from '../../format.ts';
import { useDocumentTitle } from '../../hooks.ts';

interface Card {
  key: string;
  title: string;
  body: string;
  to: string;
  /** A server page outside the app (full page load). */
  external?: boolean;
}

export default function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const { user, grants } = session;
  useDocumentTitle(t('nav.home'));

  const isNational = hasRole(session, 'national_admin');
  const coordinated = coordinatorScopes(session);
  const regionNames = coordinated.map((g) => scopeLabel(t, g)).join(', ');

  const cards: Card[] = [];
  if (hasPermission(session, 'users.read')) {
    cards.push(
      isNational || coordinated.length === 0
        ? { key: 'users', title: t('home.cardUsersTitle'), body: t('home.cardUsersBody'), to: '/pengguna' }
        : {
            key: 'users',
            title: t('home.cardUsersRegionTitle'),
            body: t('home.cardUsersRegionBody', { region: regionNames }),
            to: '/pengguna',
          },
    );
  }
  if (isNational) {
    cards.push({ key: 'regions', title: t('home.cardRegionsTitle'), body: t('home.cardRegionsBody'), to: '/wilayah' });
  }
  for (const g of coordinated) {
    if (isNational) break;
    cards.push({
      key: `region-${g.id}`,
      title: t('home.cardMyRegionTitle'),
      body: t('home.cardMyRegionBody', { region: scopeLabel(t, g) }),
      to: `/wilayah/${g.scopeCode}`,
    });
  }
  if (isNational) {
    cards.push({ key: 'api', title: t('home.cardApiTitle'), body: t('home.cardApiBody'), to: '/api/docs', external: true });
  }
  if (!isNational && coordinated.length === 0) {
    if (user.regionCode) {
      cards.push({
        key: 'home-region',
        title: t('home.cardHomeRegionTitle'),
        body: user.regionName ?? user.regionCode,
        to: `/wilayah/${user.regionCode}`,
      });
    } else {
      cards.push({ key: 'regions', title: t('home.cardRegionsTitle'), body: t('home.cardRegionsBody'), to: '/wilayah' });
    }
  }

  return (
    <div className="stack">
      <section className="panel hero" aria-labelledby="greeting">
        <h1 id="greeting">{t('home.greeting', { name: user.name })}</h1>
        {coordinated.length > 0 && (
          <p className="work-region">
            <span className="pin" aria-hidden="true" />
            {t('home.workRegion', { regions: regionNames })}
          </p>
        )}
        <p className="muted">
          {user.email}
          {' · '}
          {user.regionName || user.regionCode
            ? t('home.homeRegion', { region: user.regionName ?? user.regionCode })
            : t('home.noHomeRegion')}
        </p>
      </section>

      <section className="panel" aria-labelledby="roles-title">
        <h2 id="roles-title">{t('home.yourRoles')}</h2>
        {grants.length === 0 ? (
          <p>{t('home.noRoles')}</p>
        ) : (
          <ul className="chip-list">
            {grants.map((g) => (
              <li key={g.id} className="chip">
                {grantLabel(t, g)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="cards-title">
        <h2 id="cards-title" className="section-title">
          {t('home.whatYouCanDo')}
        </h2>
        <ul className="card-grid">
          {cards.map((c) => (
            <li key={c.key}>
              {c.external ? (
                <a className="card" href={c.to}>
                  <span className="card-title">{c.title}</span>
                  <span className="card-body">{c.body}</span>
                </a>
              ) : (
                <Link className="card" to={c.to}>
                  <span className="card-title">{c.title}</span>
                  <span className="card-body">{c.body}</span>
                </Link>
              )}
            </li>
          ))}
        </ul>
        {!isNational && <p className="note">{t('home.comingSoon')}</p>}
      </section>
    </div>
  );
}
