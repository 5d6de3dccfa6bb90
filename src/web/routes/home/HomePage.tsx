import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { coordinatorScopes, hasPermission, hasRole, useSession } from '../../app/session.tsx';
import { ProblemAlert } from '../../components/Problem.tsx';
import { formatNumber, grantLabel, scopeLabel } from '../../format.ts';
import { useApi, useDocumentTitle } from '../../hooks.ts';

interface Card {
  key: string;
  title: string;
  body: string;
  to: string;
  /** A server page outside the app (full page load). */
  external?: boolean;
}

interface PendingItem {
  id: number;
  name: string;
  regency: { code: string; name: string | null };
  createdAt: string;
  dueAt: string;
  overdue: boolean;
}

interface PendingQueue {
  pending: number;
  overdue: number;
  oldest: PendingItem[];
}

/** "lewat 2 hari" / "sisa 5 jam": how far an item is from its 3×24-hour deadline. */
function dueText(t: ReturnType<typeof useTranslation>['t'], dueAt: string): string {
  const hours = Math.round((new Date(dueAt).getTime() - Date.now()) / 3_600_000);
  const abs = Math.abs(hours);
  const span = abs >= 48 ? t('approvals.days', { count: Math.floor(abs / 24) }) : t('approvals.hours', { count: abs });
  return hours < 0 ? t('approvals.overdueBy', { span }) : t('approvals.dueIn', { span });
}

/**
 * Registrations waiting for the coordinator: each must be decided within 3×24 hours. Counts for
 * members and communities in the coordinator's scope, how many are late, and the oldest ones.
 */
function PendingApprovals() {
  const { t } = useTranslation();
  const { data, error, reload } = useApi<{ deadlineHours: number; members: PendingQueue; communities: PendingQueue }>('/api/registry/pending-approvals');
  const kinds = data
    ? ([
        { key: 'members', queue: data.members, list: '/anggota?status=pending', item: (id: number) => `/anggota/${id}` },
        { key: 'communities', queue: data.communities, list: '/komunitas?status=pending', item: (id: number) => `/komunitas/${id}` },
      ] as const)
    : [];
  const late = kinds.flatMap((k) => k.queue.oldest.map((i) => ({ ...i, kind: k.key, to: k.item(i.id) }))).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <section className="panel" aria-labelledby="approvals-title">
      <h2 id="approvals-title">{t('approvals.title')}</h2>
      <ProblemAlert error={error} onRetry={reload} />
      {data && (
        <>
          <p className="muted">{t('approvals.deadline', { hours: data.deadlineHours })}</p>
          <ul className="approval-tiles">
            {kinds.map((k) => (
              <li key={k.key}>
                <Link className={`approval-tile${k.queue.overdue > 0 ? ' is-late' : ''}`} to={k.list}>
                  <span className="approval-count">{formatNumber(k.queue.pending)}</span>
                  <span className="approval-label">{t(`approvals.${k.key}`, { count: k.queue.pending })}</span>
                  <span className="approval-late">
                    {k.queue.overdue > 0 ? t('approvals.overdue', { count: k.queue.overdue, formatted: formatNumber(k.queue.overdue) }) : t('approvals.noneOverdue')}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {late.length > 0 && (
            <>
              <h3 className="approvals-sub">{t('approvals.oldest')}</h3>
              <ul className="approval-list">
                {late.slice(0, 5).map((i) => (
                  <li key={`${i.kind}-${i.id}`}>
                    <Link to={i.to}>
                      <span className="approval-name">{i.name}</span>
                      <span className="muted">
                        {t(i.kind === 'members' ? 'approvals.kindMember' : 'approvals.kindCommunity')} · {i.regency.name ?? i.regency.code}
                      </span>
                      <span className={`badge ${i.overdue ? 'badge-late' : 'badge-pending'}`}>{dueText(t, i.dueAt)}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
          {data.members.pending + data.communities.pending === 0 && <p>{t('approvals.empty')}</p>}
        </>
      )}
    </section>
  );
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
  if (hasPermission(session, 'registry.manage') && (isNational || coordinated.length > 0)) {
    cards.push({ key: 'campaigns', title: t('campaigns.cardTitle'), body: t('campaigns.cardBody'), to: '/kampanye' });
  }
  if (hasPermission(session, 'beneficiaries.read')) {
    cards.push({ key: 'beneficiaries', title: t('navExtra.beneficiariesHomeTitle'), body: t('navExtra.beneficiariesHomeBody'), to: '/penerima/duplikat' });
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

      {hasPermission(session, 'registry.approve') && (isNational || coordinated.length > 0) && <PendingApprovals />}

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
