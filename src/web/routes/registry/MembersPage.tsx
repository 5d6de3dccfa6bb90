import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client.ts';
import { Pager } from '../../components/Pager.tsx';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { formatNumber } from '../../format.ts';
import { useApi, useDebounced, useDocumentTitle } from '../../hooks.ts';
import { ExportLinks } from '../import/ExportLinks.tsx';

const PAGE_SIZE = 50;

interface MemberSummary {
  id: number;
  fullName: string;
  phone: string | null;
  regency: { code: string; name: string | null };
  subsectors: string[];
  status: 'pending' | 'active' | 'rejected';
}

interface CommunitySummary {
  id: number;
  name: string;
  regency: { code: string; name: string | null };
  subsectors: string[];
  status: 'pending' | 'active' | 'rejected' | 'inactive';
  memberCount: number;
}

export function RegistryStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status === 'active' ? 'active' : status === 'pending' ? 'pending' : 'disabled'}`}>{t(`registry.statuses.${status}`)}</span>;
}

/** Search, status and region filters kept in the address (never personal data: a name at most). */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [region, setRegion] = useState<PickedRegion | null>(params.get('wilayah') ? { code: params.get('wilayah')!, name: params.get('wilayah')! } : null);
  const q = useDebounced(text.trim(), 300);
  const status = params.get('status') ?? '';
  const offset = Math.max(0, Number(params.get('dari') ?? 0) || 0);
  const update = (next: { status?: string; offset?: number; region?: PickedRegion | null }) => {
    const p: Record<string, string> = {};
    if (q) p.q = q;
    const st = next.status ?? status;
    if (st) p.status = st;
    const r = next.region === undefined ? region : next.region;
    if (r) p.wilayah = r.code;
    if (next.offset) p.dari = String(next.offset);
    setParams(p, { replace: true });
  };
  return { text, setText, q: q.length >= 1 ? q : '', status, offset, region, setRegion, update };
}

function Filters({ f, statuses }: { f: ReturnType<typeof useFilters>; statuses: string[] }) {
  const { t } = useTranslation();
  return (
    <form className="panel filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="reg-q">{t('registry.searchName')}</label>
        <input id="reg-q" type="search" autoComplete="off" placeholder={t('registry.searchPlaceholder')} value={f.text} onChange={(e) => f.setText(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="reg-status">{t('registry.status')}</label>
        <select id="reg-status" value={f.status} onChange={(e) => f.update({ status: e.target.value, offset: 0 })}>
          <option value="">{t('registry.allStatuses')}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`registry.statuses.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <RegionPicker
        label={t('registry.region')}
        levels={[1, 2, 3]}
        value={f.region}
        onChange={(r) => {
          f.setRegion(r);
          f.update({ region: r, offset: 0 });
        }}
      />
    </form>
  );
}

export default function MembersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('registry.members'));
  const f = useFilters();
  const { data, error, loading, reload } = useApi<{ items: MemberSummary[]; total: number }>(
    withQuery('/api/members', { q: f.q, status: f.status, regionCode: f.region?.code, limit: PAGE_SIZE, offset: f.offset || undefined }),
  );
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('registry.members')}</h1>
        <ExportLinks kind="members" filters={{ q: f.q, status: f.status, regionCode: f.region?.code }} />
      </div>
      <Filters f={f} statuses={['pending', 'active', 'rejected']} />
      <ProblemAlert error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <section aria-labelledby="members-count">
          <p id="members-count" className="muted" aria-live="polite">
            {t('registry.total', { total: formatNumber(data.total) })}
          </p>
          {data.items.length === 0 ? (
            <p className="panel">{t('registry.empty')}</p>
          ) : (
            <ul className="user-cards registry-cards">
              {data.items.map((m) => (
                <li key={m.id}>
                  <Link to={`/anggota/${m.id}`} className="card">
                    <span className="card-title">
                      {m.fullName} <RegistryStatus status={m.status} />
                    </span>
                    <span className="card-body">{m.regency.name ?? m.regency.code}</span>
                    {m.phone && <span className="card-meta">{m.phone}</span>}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Pager offset={f.offset} limit={PAGE_SIZE} total={data.total} onChange={(o) => f.update({ offset: o })} />
        </section>
      )}
    </div>
  );
}

export function CommunitiesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('registry.communities'));
  const f = useFilters();
  const { data, error, loading, reload } = useApi<{ items: CommunitySummary[]; total: number }>(
    withQuery('/api/communities', { q: f.q, status: f.status, regionCode: f.region?.code, limit: PAGE_SIZE, offset: f.offset || undefined }),
  );
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('registry.communities')}</h1>
        <ExportLinks kind="communities" filters={{ q: f.q, status: f.status, regionCode: f.region?.code }} />
      </div>
      <Filters f={f} statuses={['pending', 'active', 'rejected', 'inactive']} />
      <ProblemAlert error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <section aria-labelledby="communities-count">
          <p id="communities-count" className="muted" aria-live="polite">
            {t('registry.total', { total: formatNumber(data.total) })}
          </p>
          {data.items.length === 0 ? (
            <p className="panel">{t('registry.empty')}</p>
          ) : (
            <ul className="user-cards registry-cards">
              {data.items.map((c) => (
                <li key={c.id}>
                  <Link to={`/komunitas/${c.id}`} className="card">
                    <span className="card-title">
                      {c.name} <RegistryStatus status={c.status} />
                    </span>
                    <span className="card-body">{c.regency.name ?? c.regency.code}</span>
                    <span className="card-meta">{t('registry.memberCount', { count: c.memberCount })}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Pager offset={f.offset} limit={PAGE_SIZE} total={data.total} onChange={(o) => f.update({ offset: o })} />
        </section>
      )}
    </div>
  );
}
