import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client.ts';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { formatNumber } from '../../format.ts';
import { useApi, useDocumentTitle } from '../../hooks.ts';
import { RegionMap, type RegionCollection } from '../regions/RegionMap.tsx';
import { countScale, DashboardPanels, ScaleLegend, type Count } from './DashboardPanels.tsx';

interface PublicSummary {
  generatedAt: string;
  level: 'province' | 'regency';
  region: { code: string; name: string } | null;
  totals: { members: number; communities: number; chapters: number };
  coverage: { regenciesWithChapter: number; regencies: number; share: number };
  rows: { code: string; name: string; members: Count; communities: number; chapters: number; chapter: boolean }[];
  subsectors: { code: string; name: string; nameEn: string; members: Count; communities: number }[];
}

/** Public network statistics: aggregates only, nationally or for one province (?wilayah=32). */
export default function StatsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const raw = params.get('wilayah');
  const province = raw && /^\d{2}$/.test(raw) ? raw : null;
  const summary = useApi<PublicSummary>(withQuery('/api/public/registry/summary', { region: province ?? undefined }));
  const geo = useApi<RegionCollection>(province ? `/api/geo/regencies?province=${province}` : '/api/geo/provinces', { cacheable: true });
  const data = summary.data;
  const name = data?.region?.name ?? t('regions.indonesia');
  useDocumentTitle(t('dashboard.publicTitle'));

  const counts = new Map<string, Count>((data?.rows ?? []).map((r) => [r.code, r.members]));
  const scale = data ? countScale(data.rows.map((r) => r.members)) : null;
  const show = (v: Count | undefined) => (v === undefined ? '0' : typeof v === 'number' ? formatNumber(v) : v);

  return (
    <div className="stack">
      {province && (
        <p>
          <Link to="/statistik">← {t('regions.indonesia')}</Link>
        </p>
      )}
      <header className="page-head">
        <div>
          <h1>
            {t('dashboard.publicTitle')}
            {province ? ` · ${name}` : ''}
          </h1>
          <p className="muted">{t('dashboard.publicIntro')}</p>
        </div>
      </header>
      <ProblemAlert error={summary.error} onRetry={summary.reload} />
      {summary.loading && !data && <Loading />}
      {data && (
        <>
          <div className="region-layout">
            <figure className="panel map-panel">
              {geo.data ? (
                <RegionMap
                  collection={geo.data}
                  label={t('regions.mapLabel', { name })}
                  highlightCodes={[]}
                  // The public figures cover every region: nothing here is "outside the viewer's area".
                  fill={(c) => scale?.colour(counts.get(c) ?? 0)}
                  describe={(c) => `${t('dashboard.legend')}: ${show(counts.get(c))}`}
                  linkTo={(c) => (province ? `/statistik?wilayah=${province}` : `/statistik?wilayah=${c}`)}
                />
              ) : geo.error ? (
                <p className="muted">{t('regions.mapError')}</p>
              ) : (
                <div className="map-placeholder">
                  <Loading />
                </div>
              )}
              <figcaption>{scale && <ScaleLegend scale={scale} />}</figcaption>
            </figure>
            <section className="panel" aria-labelledby="by-region-title">
              <h2 id="by-region-title">{t('dashboard.byRegion')}</h2>
              <ul className="link-list count-list">
                {[...data.rows]
                  .sort((a, b) => a.name.localeCompare(b.name))
                  .map((r) => (
                    <li key={r.code} data-code={r.code}>
                      {province ? (
                        <span className="row">
                          <span>{r.name}</span>
                          <span className="count">{show(r.members)}</span>
                        </span>
                      ) : (
                        <Link to={`/statistik?wilayah=${r.code}`}>
                          <span>{r.name}</span>
                          <span className="count">{show(r.members)}</span>
                        </Link>
                      )}
                    </li>
                  ))}
              </ul>
            </section>
          </div>
          <DashboardPanels summary={data} />
        </>
      )}
    </div>
  );
}
