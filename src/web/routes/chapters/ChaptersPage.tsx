import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { useApi, useDocumentTitle, useMediaQuery } from '../../hooks.ts';
import { ExportLinks } from '../import/ExportLinks.tsx';
import { useUrlRegion, worksOverRegion } from './listRegion.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/registryLists.ts';

addStrings(strings);

const PAGE_SIZE = 50;
const STATUSES = ['active', 'inactive'] as const;

export interface Chapter {
  id: number;
  name: string;
  regency: { code: string; name: string | null };
  provinceCode: string;
  status: 'active' | 'inactive';
  joinedOn: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  /** Not served yet by /api/chapters: the column appears once the API sends it. */
  coordinators?: { id: number; name: string }[];
}

export function ChapterStatus({ status }: { status: Chapter['status'] }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status === 'active' ? 'active' : 'disabled'}`}>{t(`chapterPages.statuses.${status}`)}</span>;
}

/** Region and status filters kept in the address, like the member and community lists. */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const code = params.get('wilayah');
  const [region, setRegion] = useUrlRegion(code);
  const status = params.get('status') ?? '';
  const offset = Math.max(0, Number(params.get('dari') ?? 0) || 0);
  const update = (next: { status?: string; offset?: number; region?: PickedRegion | null }) => {
    const p: Record<string, string> = {};
    const st = next.status ?? status;
    if (st) p.status = st;
    const r = next.region === undefined ? region : next.region;
    if (r) p.wilayah = r.code;
    if (next.offset) p.dari = String(next.offset);
    setParams(p, { replace: true });
  };
  return { region, setRegion, status, offset, update };
}

export default function ChaptersPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('chapterPages.title'));
  const session = useSession();
  const location = useLocation();
  const created = (location.state as { created?: string } | null)?.created;
  const wide = useMediaQuery('(min-width: 48rem)');
  const f = useFilters();
  const filters = { regionCode: f.region?.code, status: f.status || undefined };
  const { data, error, loading, reload } = useApi<{ items: Chapter[]; total: number }>(
    withQuery('/api/chapters', { ...filters, limit: PAGE_SIZE, offset: f.offset || undefined }),
  );
  const mayManage = worksOverRegion(session, 'registry.manage');
  const showCoordinators = !!data?.items.some((c) => Array.isArray(c.coordinators));
  const none = t('common.none');
  const coordinators = (c: Chapter) => (c.coordinators?.length ? c.coordinators.map((p) => p.name).join(', ') : t('chapterPages.noCoordinator'));
  const joined = (c: Chapter) => (c.joinedOn ? formatDate(c.joinedOn, i18n.language) : none);

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('chapterPages.title')}</h1>
        {mayManage && (
          <Link to="/chapter/baru" className="btn btn-primary">
            {t('chapterPages.create')}
          </Link>
        )}
      </div>
      <p className="muted">{t('chapterPages.intro')}</p>
      <Notice>{created ? t('chapterPages.created', { name: created }) : null}</Notice>
      {worksOverRegion(session, 'registry.read') && <ExportLinks kind="chapters" filters={filters} />}
      <form className="panel filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <RegionPicker
          label={t('chapterPages.region')}
          levels={[1, 2]}
          value={f.region}
          onChange={(r) => {
            f.setRegion(r);
            f.update({ region: r, offset: 0 });
          }}
        />
        <div className="field">
          <label htmlFor="chapter-status">{t('chapterPages.status')}</label>
          <select id="chapter-status" value={f.status} onChange={(e) => f.update({ status: e.target.value, offset: 0 })}>
            <option value="">{t('chapterPages.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`chapterPages.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ProblemAlert error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <section aria-labelledby="chapters-count">
          <p id="chapters-count" className="muted" aria-live="polite">
            {t('chapterPages.total', { total: formatNumber(data.total) })}
          </p>
          {data.items.length === 0 ? (
            <p className="panel">{t('chapterPages.empty')}</p>
          ) : wide ? (
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t('chapterPages.regency')}</th>
                    <th scope="col">{t('chapterPages.name')}</th>
                    <th scope="col">{t('chapterPages.status')}</th>
                    {showCoordinators && <th scope="col">{t('chapterPages.coordinators')}</th>}
                    <th scope="col">{t('chapterPages.joinedOn')}</th>
                    <th scope="col">{t('chapterPages.contact')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/wilayah/${c.regency.code}`}>{c.regency.name ?? c.regency.code}</Link>
                      </td>
                      <td>{c.name}</td>
                      <td>
                        <ChapterStatus status={c.status} />
                      </td>
                      {showCoordinators && <td>{coordinators(c)}</td>}
                      <td>{joined(c)}</td>
                      <td className="break">
                        {c.contactEmail || c.contactPhone ? [c.contactEmail, c.contactPhone].filter(Boolean).join(' · ') : none}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <ul className="user-cards registry-cards">
              {data.items.map((c) => (
                <li key={c.id}>
                  <Link to={`/wilayah/${c.regency.code}`} className="card">
                    <span className="card-title">
                      {c.regency.name ?? c.regency.code} <ChapterStatus status={c.status} />
                    </span>
                    <span className="card-body">{c.name}</span>
                    {showCoordinators && (
                      <span className="card-body">
                        {t('chapterPages.coordinators')}: {coordinators(c)}
                      </span>
                    )}
                    <span className="card-meta">
                      {t('chapterPages.joinedOn')}: {joined(c)}
                    </span>
                    {c.contactEmail && <span className="card-meta break">{c.contactEmail}</span>}
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
