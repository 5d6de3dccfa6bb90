import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client.ts';
import type { Page, Region, RegionDetail, RegionSearchHit } from '../../api/types.ts';
import { coordinatorScopes, hasPermission, useSession } from '../../app/session.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { pathText } from '../../components/RegionPicker.tsx';
import { formatNumber, scopeLabel } from '../../format.ts';
import { useApi, useDebounced, useDocumentTitle } from '../../hooks.ts';
import { countScale, DashboardPanels, ScaleLegend } from '../dashboard/DashboardPanels.tsx';
import { isHighlighted, RegionMap, type RegionCollection } from './RegionMap.tsx';

interface DashboardData {
  generatedAt: string;
  totals: { members: { active: number; pending: number }; communities: { active: number; pending: number }; chapters: number };
  coverage: { regenciesWithChapter: number; regencies: number; share: number };
  rows: { code: string; name: string; members: number; pendingMembers: number }[];
  subsectors: { code: string; name: string; nameEn: string; members: number }[];
}

const PAGE_SIZE = 50;

/** The region browser: map (provinces, or one province's regencies), breadcrumb, children list and search. */
export default function RegionsPage() {
  const { t } = useTranslation();
  const { code } = useParams();
  const [params, setParams] = useSearchParams();
  const offset = Math.max(0, Number(params.get('dari') ?? 0) || 0);
  const session = useSession();
  const scopes = coordinatorScopes(session);
  const mine = scopes.map((g) => g.scopeCode).filter(Boolean);

  const detail = useApi<RegionDetail>(code ? `/api/regions/${encodeURIComponent(code)}` : null);
  const region = detail.data;
  const level = code ? (region?.level ?? code.split('.').length) : 0;
  const name = code ? (region?.name ?? code) : t('regions.indonesia');
  useDocumentTitle(code ? name : t('regions.title'));

  // Regions of work that lie inside the page's region (all of them on the national page).
  const mineInside = scopes.filter((g) => !code || g.scopeCode.startsWith(`${code}.`));
  const province = code ? code.split('.')[0] : null;
  const regency = code && code.split('.').length >= 2 ? code.split('.').slice(0, 2).join('.') : null;
  const geo = useApi<RegionCollection>(province ? `/api/geo/regencies?province=${province}` : '/api/geo/provinces', {
    cacheable: true,
  });
  // Coordinators and admins: the map is coloured by active members (one row per shape on the map).
  const dashboard = useApi<DashboardData>(
    hasPermission(session, 'registry.read') ? withQuery('/api/registry/dashboard', { region: province ?? undefined }) : null,
  );
  const dash = dashboard.data;
  const counts = new Map((dash?.rows ?? []).map((r) => [r.code, r.members]));
  const scale = dash ? countScale(dash.rows.map((r) => r.members)) : null;
  const provinceName = region?.ancestors.find((a) => a.level === 1)?.name ?? (level === 1 ? name : province);

  const children = useApi<Page<Region>>(
    level >= 4
      ? null
      : code
        ? withQuery('/api/regions', { parent: code, limit: PAGE_SIZE, offset: offset || undefined })
        : withQuery('/api/regions', { level: 1, limit: PAGE_SIZE, offset: offset || undefined }),
  );

  const mapName = province ? provinceName ?? province : t('regions.indonesia');
  const childHeading = code
    ? t('regions.childrenOf', { level: t(`levelsPlural.${Math.min(4, level + 1)}`), name })
    : t('regions.provinces');

  return (
    <div className="stack">
      <nav aria-label={t('regions.breadcrumb')} className="breadcrumb">
        <ol>
          <li>{code ? <Link to="/wilayah">{t('regions.indonesia')}</Link> : <span aria-current="page">{t('regions.indonesia')}</span>}</li>
          {region?.ancestors
            .slice()
            .sort((a, b) => a.level - b.level)
            .map((a) => (
              <li key={a.code}>
                <Link to={`/wilayah/${a.code}`}>{a.name}</Link>
              </li>
            ))}
          {code && (
            <li>
              <span aria-current="page">{name}</span>
            </li>
          )}
        </ol>
      </nav>

      <header className="page-head region-head">
        <div>
          <h1>{name}</h1>
          {code && (
            <p className="muted">
              {region ? t(`levels.${region.level}`) : ''} · {t('regions.code')} {code}
              {region && region.childCount > 0 ? ` · ${t('regions.childCount', { total: formatNumber(region.childCount) })}` : ''}
            </p>
          )}
          {code && mine.some((m) => m === code || code.startsWith(`${m}.`)) ? (
            <p className="work-region">
              <span className="pin" aria-hidden="true" />
              {t('regions.yourRegion')}
            </p>
          ) : (
            mineInside.length > 0 && (
              <p className="work-region">
                <span className="pin" aria-hidden="true" />
                {t('regions.containsYours', { regions: mineInside.map((g) => scopeLabel(t, g)).join(', ') })}
              </p>
            )
          )}
        </div>
      </header>
      <ProblemAlert error={detail.error} onRetry={detail.reload} />

      <div className="region-layout">
        <figure className="panel map-panel">
          {geo.data ? (
            <RegionMap
              collection={geo.data}
              label={t('regions.mapLabel', { name: mapName })}
              selectedCode={regency}
              highlightCodes={mine}
              fill={scale ? (c) => scale.colour(counts.get(c)) : undefined}
              describe={dash ? (c) => `${t('dashboard.legend')}: ${formatNumber(counts.get(c) ?? 0)}` : undefined}
            />
          ) : geo.error ? (
            <p className="muted">{t('regions.mapError')}</p>
          ) : (
            <div className="map-placeholder">
              <Loading />
            </div>
          )}
          <figcaption>
            {scale && <ScaleLegend scale={scale} />}
            {(mine.length > 0 || regency) && (
              <ul className="legend">
                {mine.some((m) => geo.data?.features.some((f) => isHighlighted(f.properties.code, [m]))) && (
                  <li>
                    <span className="swatch swatch-mine" aria-hidden="true" />
                    {t('regions.legendYours')}
                  </li>
                )}
                {regency && (
                  <li>
                    <span className="swatch swatch-selected" aria-hidden="true" />
                    {t('regions.legendSelected')}
                  </li>
                )}
              </ul>
            )}
            <p className="hint">{t('regions.mapHint')}</p>
            <p className="attribution">{t('regions.attribution')}</p>
          </figcaption>
        </figure>

        <div className="stack">
          <RegionSearch key={code ?? ''} />
          <section className="panel" aria-labelledby="children-title">
            <h2 id="children-title">{childHeading}</h2>
            {level >= 4 ? (
              <p className="muted">{t('regions.noChildren', { name })}</p>
            ) : (
              <>
                <ProblemAlert error={children.error} onRetry={children.reload} />
                {children.loading && !children.data && <Loading />}
                {children.data &&
                  (children.data.items.length === 0 ? (
                    <p className="muted">{t('regions.noChildren', { name })}</p>
                  ) : (
                    <>
                      <ul className="link-list">
                        {children.data.items.map((c) => (
                          <li key={c.code} className={isHighlighted(c.code, mine) ? 'is-mine' : undefined}>
                            <Link to={`/wilayah/${c.code}`}>
                              <span>
                                {c.name}
                                {counts.has(c.code) && (
                                  <span className="sub" data-members={counts.get(c.code)}>
                                    {t('dashboard.legend')}: {formatNumber(counts.get(c.code) ?? 0)}
                                  </span>
                                )}
                              </span>
                              <span className="code">{c.code}</span>
                            </Link>
                          </li>
                        ))}
                      </ul>
                      <Pager
                        offset={offset}
                        limit={PAGE_SIZE}
                        total={children.data.total}
                        onChange={(next) => setParams(next ? { dari: String(next) } : {})}
                      />
                    </>
                  ))}
              </>
            )}
          </section>
        </div>
      </div>
      {dash && (
        <DashboardPanels
          summary={{
            generatedAt: dash.generatedAt,
            totals: {
              members: dash.totals.members.active,
              pending: dash.totals.members.pending,
              communities: dash.totals.communities.active,
              chapters: dash.totals.chapters,
            },
            coverage: dash.coverage,
            subsectors: dash.subsectors,
          }}
        />
      )}
    </div>
  );
}

function RegionSearch() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const results = useApi<{ items: RegionSearchHit[] }>(q.length >= 2 ? withQuery('/api/regions/search', { q, limit: 10 }) : null);

  return (
    <form className="panel" role="search" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="region-search">{t('regions.searchLabel')}</label>
        <input
          id="region-search"
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('regions.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div aria-live="polite">
        <ProblemAlert error={results.error} />
        {results.data &&
          q.length >= 2 &&
          (results.data.items.length === 0 ? (
            <p className="muted">{t('common.noResults')}</p>
          ) : (
            <ul className="link-list">
              {results.data.items.map((h) => (
                <li key={h.code}>
                  <Link to={`/wilayah/${h.code}`}>
                    <span>
                      {h.name}
                      <span className="sub">
                        {t(`levels.${h.level}`)}
                        {pathText(h.path, h.name) ? ` · ${pathText(h.path, h.name)}` : ''}
                      </span>
                    </span>
                    <span className="code">{h.code}</span>
                  </Link>
                </li>
              ))}
            </ul>
          ))}
      </div>
    </form>
  );
}
