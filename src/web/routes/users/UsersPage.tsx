import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client.ts';
import type { Page, User } from '../../api/types.ts';
import { coordinatorScopes, hasPermission, hasRole, useSession } from '../../app/session.tsx';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate, formatNumber, grantLabel, scopeLabel } from '../../format.ts';
import { useApi, useDebounced, useDocumentTitle, useMediaQuery } from '../../hooks.ts';
import { Pager } from '../../components/Pager.tsx';

const PAGE_SIZE = 20;

export default function UsersPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const offset = Math.max(0, Number(params.get('dari') ?? 0) || 0);
  const [text, setText] = useState(q);
  const debounced = useDebounced(text.trim(), 300);
  const wide = useMediaQuery('(min-width: 48rem)');

  useEffect(() => {
    if (debounced === q) return;
    setParams(debounced ? { q: debounced } : {}, { replace: true });
  }, [debounced, q, setParams]);

  const { data, error, loading, reload } = useApi<Page<User>>(
    withQuery('/api/users', { q, limit: PAGE_SIZE, offset: offset || undefined }),
  );

  const coordinated = hasRole(session, 'national_admin') ? [] : coordinatorScopes(session);
  const title =
    coordinated.length > 0
      ? t('users.titleRegion', { region: coordinated.map((g) => scopeLabel(t, g)).join(', ') })
      : t('users.title');
  useDocumentTitle(title);

  const goTo = (nextOffset: number) => {
    const next: Record<string, string> = {};
    if (q) next.q = q;
    if (nextOffset > 0) next.dari = String(nextOffset);
    setParams(next);
  };

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{title}</h1>
        {hasPermission(session, 'users.manage') && (
          <Link to="/pengguna/baru" className="btn btn-primary">
            {t('users.create')}
          </Link>
        )}
      </div>

      <form className="panel" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="user-search">{t('users.searchLabel')}</label>
          <input
            id="user-search"
            type="search"
            value={text}
            placeholder={t('users.searchPlaceholder')}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      </form>

      <ProblemAlert error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <section aria-labelledby="users-count">
          <p id="users-count" className="muted" aria-live="polite">
            {t('users.total', { total: formatNumber(data.total) })}
          </p>
          {data.items.length === 0 ? (
            <p className="panel">{t('users.empty')}</p>
          ) : wide ? (
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t('users.name')}</th>
                    <th scope="col">{t('users.email')}</th>
                    <th scope="col">{t('users.region')}</th>
                    <th scope="col">{t('users.roles')}</th>
                    <th scope="col">{t('users.status')}</th>
                    <th scope="col">{t('users.createdAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((u) => (
                    <tr key={u.id}>
                      <td>
                        <Link to={`/pengguna/${u.id}`}>{u.name}</Link>
                      </td>
                      <td className="break">{u.email}</td>
                      <td>{u.regionName ?? u.regionCode ?? t('common.none')}</td>
                      <td>
                        {u.grants.length ? u.grants.map((g) => <div key={g.id}>{grantLabel(t, g)}</div>) : t('users.noRole')}
                      </td>
                      <td>
                        <StatusBadge status={u.status} />
                      </td>
                      <td>{formatDate(u.createdAt, i18n.language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <ul className="user-cards">
              {data.items.map((u) => (
                <li key={u.id}>
                  <Link to={`/pengguna/${u.id}`} className="card user-card">
                    <span className="card-title">
                      {u.name} <StatusBadge status={u.status} />
                    </span>
                    <span className="card-body break">{u.email}</span>
                    <span className="card-body">{u.regionName ?? u.regionCode ?? t('common.none')}</span>
                    <span className="card-meta">
                      {u.grants.length ? u.grants.map((g) => grantLabel(t, g)).join('; ') : t('users.noRole')}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Pager offset={offset} limit={PAGE_SIZE} total={data.total} onChange={goTo} />
        </section>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: User['status'] }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`}>{t(`users.${status}`)}</span>;
}
