import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { formatNumber } from '../../format.ts';
import { useApi, useDebounced, useDocumentTitle, useMediaQuery } from '../../hooks.ts';
import { ExportLinks } from '../import/ExportLinks.tsx';
import { useUrlRegion, worksOverRegion } from '../chapters/listRegion.ts';
import { PARTNER_TYPES, type Partner } from './partner.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/registryLists.ts';

addStrings(strings);

const PAGE_SIZE = 50;

/** Name, type and region filters kept in the address, like the member and community lists. */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const code = params.get('wilayah');
  const [region, setRegion] = useUrlRegion(code);
  const q = useDebounced(text.trim(), 300);
  const type = params.get('jenis') ?? '';
  const offset = Math.max(0, Number(params.get('dari') ?? 0) || 0);
  const update = (next: { type?: string; offset?: number; region?: PickedRegion | null }) => {
    const p: Record<string, string> = {};
    if (q) p.q = q;
    const ty = next.type ?? type;
    if (ty) p.jenis = ty;
    const r = next.region === undefined ? region : next.region;
    if (r) p.wilayah = r.code;
    if (next.offset) p.dari = String(next.offset);
    setParams(p, { replace: true });
  };
  // A new name search starts at the first page and is kept in the address like the other filters.
  const inUrl = params.get('q') ?? '';
  useEffect(() => {
    if (q !== inUrl) update({ offset: 0 });
  }, [q, inUrl]);
  return { text, setText, q, type, offset, region, setRegion, update };
}

export function PartnerType({ type }: { type: Partner['type'] }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`partnerPages.types.${type}`)}</span>;
}

export default function PartnersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('partnerPages.title'));
  const session = useSession();
  const wide = useMediaQuery('(min-width: 48rem)');
  const f = useFilters();
  const filters = { q: f.q || undefined, type: f.type || undefined, regionCode: f.region?.code };
  const { data, error, loading, reload } = useApi<{ items: Partner[]; total: number }>(
    withQuery('/api/partners', { ...filters, limit: PAGE_SIZE, offset: f.offset || undefined }),
  );
  const region = (p: Partner) => (p.region ? (p.region.name ?? p.region.code) : t('partnerPages.national'));
  const active = (p: Partner) => p.agreements.filter((a) => a.active);
  const activeText = (p: Partner) => {
    const n = active(p).length;
    return n ? t('partnerPages.activeCount', { count: n }) : t('partnerPages.noActive');
  };
  const personal = (p: Partner) =>
    active(p).some((a) => a.allowsPersonalData) ? <span className="badge badge-pending">{t('partnerPages.personalData')}</span> : null;

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('partnerPages.title')}</h1>
        {hasPermission(session, 'partners.manage') && (
          <Link to="/mitra/baru" className="btn btn-primary">
            {t('partnerPages.create')}
          </Link>
        )}
      </div>
      <p className="muted">{t('partnerPages.intro')}</p>
      {worksOverRegion(session, 'registry.read') && <ExportLinks kind="partners" filters={filters} />}
      <form className="panel filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="partner-q">{t('partnerPages.searchName')}</label>
          <input
            id="partner-q"
            type="search"
            autoComplete="off"
            placeholder={t('partnerPages.searchPlaceholder')}
            value={f.text}
            onChange={(e) => f.setText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="partner-type">{t('partnerPages.type')}</label>
          <select id="partner-type" value={f.type} onChange={(e) => f.update({ type: e.target.value, offset: 0 })}>
            <option value="">{t('partnerPages.allTypes')}</option>
            {PARTNER_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`partnerPages.types.${ty}`)}
              </option>
            ))}
          </select>
        </div>
        <RegionPicker
          label={t('partnerPages.region')}
          levels={[1, 2]}
          value={f.region}
          onChange={(r) => {
            f.setRegion(r);
            f.update({ region: r, offset: 0 });
          }}
        />
      </form>
      <ProblemAlert error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <section aria-labelledby="partners-count">
          <p id="partners-count" className="muted" aria-live="polite">
            {t('partnerPages.total', { total: formatNumber(data.total) })}
          </p>
          {data.items.length === 0 ? (
            <p className="panel">{t('partnerPages.empty')}</p>
          ) : wide ? (
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t('partnerPages.name')}</th>
                    <th scope="col">{t('partnerPages.type')}</th>
                    <th scope="col">{t('partnerPages.region')}</th>
                    <th scope="col">{t('partnerPages.activeAgreements')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/mitra/${p.id}`}>{p.name}</Link>
                      </td>
                      <td>{t(`partnerPages.types.${p.type}`)}</td>
                      <td>{region(p)}</td>
                      <td>
                        {active(p).length
                          ? active(p).map((a) => (
                              <div key={a.id}>
                                {a.title} {a.allowsPersonalData && <span className="badge badge-pending">{t('partnerPages.personalData')}</span>}
                              </div>
                            ))
                          : t('partnerPages.noActive')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <ul className="user-cards registry-cards">
              {data.items.map((p) => (
                <li key={p.id}>
                  <Link to={`/mitra/${p.id}`} className="card">
                    <span className="card-title">
                      {p.name} <PartnerType type={p.type} />
                    </span>
                    <span className="card-body">{region(p)}</span>
                    <span className="card-meta">
                      {activeText(p)} {personal(p)}
                    </span>
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
