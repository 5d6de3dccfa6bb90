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
import { FreshnessControls } from '../dashboard/FreshnessControls.tsx';
import {
  DEFAULT_MONTHS,
  formatShare,
  freshnessScale,
  parseMapMode,
  parseMonths,
  rowsForMap,
  type DashboardData,
  type MapMode,
  type MapRow,
} from '../dashboard/freshness.ts';
import { isHighlighted, RegionMap, type RegionCollection } from './RegionMap.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/dashboardExtra.ts';

addStrings(strings);

const PAGE_SIZE = 50;

/** The region browser: map (provinces, or one province's regencies), breadcrumb, children list and search. */
export default function RegionsPage() {
  const { t, i18n } = useTranslation();
  const { code } = useParams();
  const [params, setParams] = useSearchParams();
  const offset = Math.max(0, Number(params.get('dari') ?? 0) || 0);
  // The dashboard's view (?bulan=6|12|24, ?peta=kesegaran) stays the same when opening another region.
  const months = parseMonths(params.get('bulan'));
  const mapMode = parseMapMode(params.get('peta'));
  const keep = withQuery('', {
    bulan: months === DEFAULT_MONTHS ? undefined : months,
    peta: mapMode === 'freshness' ? 'kesegaran' : undefined,
  });
  const setParam = (key: string, value: string | undefined, replace = true) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace });
  };
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
  // Coordinators and admins: the map is coloured by active members or data freshness (one row per shape on the map).
  const dashboard = useApi<DashboardData>(
    hasPermission(session, 'registry.read')
      ? withQuery('/api/registry/dashboard', { region: province ?? undefined, months: months === DEFAULT_MONTHS ? undefined : months })
      : null,
  );
  // While another freshness window loads, keep showing the last figures of the same map (no flicker).
  const [kept, setKept] = useState<{ province: string | null; data: DashboardData } | null>(null);
  if (dashboard.data && kept?.data !== dashboard.data) setKept({ province, data: dashboard.data });
  const dash = dashboard.data ?? (dashboard.loading && kept?.province === province ? kept.data : undefined);
  // Rows at the level of the map drawn here: on the national map a single-province coordinator's
  // regency rows (the API starts them at their province) become their province's total.
  const rows = new Map<string, MapRow>(
    (dash ? rowsForMap(dash, province ? 'regency' : 'province', !dash.region || mine.includes(dash.region.code)) : []).map((r) => [r.code, r]),
  );
  const scale = dash ? countScale([...rows.values()].map((r) => r.members)) : null;
  const freshScale = freshnessScale();
  const freshMonths = dash?.freshness.months ?? months;
  const fill = (mode: MapMode) => (c: string) =>
    mode === 'freshness' ? freshScale.colour(rows.get(c)?.freshShare) : scale?.colour(rows.get(c)?.members);
  const figures = (r: MapRow) => `${r.partial ? t('freshness.partial') : t('dashboard.legend')}: ${formatNumber(r.members)}`;
  const describe = (c: string) => {
    const r = rows.get(c);
    if (!r) return undefined;
    const fresh =
      r.freshShare === null
        ? ''
        : ` · ${t('freshness.mapShare', { share: formatShare(r.freshShare, i18n.language), months: freshMonths })}`;
    return figures(r) + fresh;
  };
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
          <li>{code ? <Link to={`/wilayah${keep}`}>{t('regions.indonesia')}</Link> : <span aria-current="page">{t('regions.indonesia')}</span>}</li>
          {region?.ancestors
            .slice()
            .sort((a, b) => a.level - b.level)
            .map((a) => (
              <li key={a.code}>
                <Link to={`/wilayah/${a.code}${keep}`}>{a.name}</Link>
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
              fill={dash ? fill(mapMode) : undefined}
              describe={dash ? describe : undefined}
              linkTo={(c) => `/wilayah/${c}${keep}`}
            />
          ) : geo.error ? (
            <p className="muted">{t('regions.mapError')}</p>
          ) : (
            <div className="map-placeholder">
              <Loading />
            </div>
          )}
          <figcaption>
            {dashboard.error &&
              (dashboard.error.status === 403 ? (
                <p className="note">{t('freshness.outOfScope')}</p>
              ) : (
                <ProblemAlert error={dashboard.error} onRetry={dashboard.reload} />
              ))}
            {dash && (
              <FreshnessControls
                freshness={dash.freshness}
                months={months}
                mode={mapMode}
                onMonths={(n) => setParam('bulan', n === DEFAULT_MONTHS ? undefined : String(n))}
                onMode={(m) => setParam('peta', m === 'freshness' ? 'kesegaran' : undefined)}
              />
            )}
            {dash && mapMode === 'freshness' ? (
              <ScaleLegend
                scale={freshScale}
                title={t('freshness.legend', { months: freshMonths })}
                noneLabel={t('freshness.legendNone')}
              />
            ) : (
              scale && <ScaleLegend scale={scale} />
            )}
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
                        {children.data.items.map((c) => {
                          const row = rows.get(c.code);
                          return (
                            <li key={c.code} className={isHighlighted(c.code, mine) ? 'is-mine' : undefined}>
                              <Link to={`/wilayah/${c.code}${keep}`}>
                                <span>
                                  {c.name}
                                  {row && (
                                    <span className="sub" data-members={row.members} data-fresh-share={row.freshShare ?? undefined}>
                                      {figures(row)}
                                      {row.freshShare !== null && (
                                        <>
                                          {' · '}
                                          <span className="fresh-share">
                                            {t('freshness.rowShare', { share: formatShare(row.freshShare, i18n.language) })}
                                          </span>
                                        </>
                                      )}
                                    </span>
                                  )}
                                </span>
                                <span className="code">{c.code}</span>
                              </Link>
                            </li>
                          );
                        })}
                      </ul>
                      <Pager
                        offset={offset}
                        limit={PAGE_SIZE}
                        total={children.data.total}
                        onChange={(next) => setParam('dari', next ? String(next) : undefined, false)}
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
            freshness: dash.freshness,
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
