import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client.ts';
import type { BeneficiaryRecord } from '../../api/types.ts';
import { Pager } from '../../components/Pager.tsx';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { useApi, useDebounced, useDocumentTitle } from '../../hooks.ts';
import { sourceText } from './shared.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaries.ts';
import * as runStrings from '../../i18n/parts/beneficiaryRuns.ts';
import * as distributionStrings from '../../i18n/parts/distributionNav.ts';

addStrings(strings);
addStrings(runStrings);
addStrings(distributionStrings);

const PAGE_SIZE = 50;

/** /penerima: beneficiary records by name and region (never by NIK or phone: those stay out of URLs). */
export default function BeneficiariesPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('beneficiaries.title'));
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [region, setRegion] = useState<PickedRegion | null>(params.get('wilayah') ? { code: params.get('wilayah')!, name: params.get('wilayah')! } : null);
  const q = useDebounced(text.trim(), 300);
  const offset = Math.max(0, Number(params.get('dari') ?? 0) || 0);
  const update = (next: { offset?: number; region?: PickedRegion | null; q?: string }) => {
    const p: Record<string, string> = {};
    const qq = next.q ?? q;
    if (qq) p.q = qq;
    const r = next.region === undefined ? region : next.region;
    if (r) p.wilayah = r.code;
    if (next.offset) p.dari = String(next.offset);
    setParams(p, { replace: true });
  };
  const list = useApi<{ items: (BeneficiaryRecord & { score: number | null })[]; total: number }>(
    withQuery('/api/beneficiaries/records', { q, regionCode: region?.code, limit: PAGE_SIZE, offset: offset || undefined }),
  );
  const data = list.data;
  const pending = useApi<{ total: number }>('/api/beneficiaries/duplicates?status=pending&limit=1');

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('beneficiaries.title')}</h1>
      </div>
      <p className="lead">{t('beneficiaries.lead')}</p>
      <p>
        <Link className="card benef-queue-link" to="/penerima/duplikat">
          <span className="card-title">
            {t('beneficiaries.reviewLink')}
            {pending.data && <span className="badge badge-pending">{t('beneficiaries.pendingCount', { count: formatNumber(pending.data.total) })}</span>}
          </span>
          <span className="card-body">{t('beneficiaries.reviewLinkBody')}</span>
        </Link>
      </p>
      <p className="button-row">
        <Link className="btn" to="/penerima/impor">
          {t('benefRuns.links.import')}
        </Link>
        <Link className="btn" to="/penerima/proses">
          {t('benefRuns.links.runs')}
        </Link>
        <Link className="btn" to="/penerima/penyaluran">
          {t('distribution.navLink')}
        </Link>
        <Link className="btn" to="/penerima/tumpang-tindih">
          {t('overlap.navLink')}
        </Link>
      </p>
      <form className="panel filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="benef-q">{t('beneficiaries.searchName')}</label>
          <input
            id="benef-q"
            type="search"
            autoComplete="off"
            maxLength={100}
            aria-describedby="benef-q-hint"
            placeholder={t('beneficiaries.searchPlaceholder')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (offset) update({ offset: 0, q: e.target.value.trim() });
            }}
          />
          <p className="hint" id="benef-q-hint">
            {t('beneficiaries.searchHint')}
          </p>
        </div>
        <RegionPicker
          label={t('beneficiaries.region')}
          levels={[1, 2, 3]}
          value={region}
          onChange={(r) => {
            setRegion(r);
            update({ region: r, offset: 0 });
          }}
        />
      </form>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading && !data && <Loading />}
      {data && (
        <section aria-labelledby="benef-count">
          <p id="benef-count" className="muted" aria-live="polite">
            {t('beneficiaries.total', { total: formatNumber(data.total) })}
          </p>
          {data.items.length === 0 ? (
            <p className="panel">{t('beneficiaries.empty')}</p>
          ) : (
            <ul className="user-cards registry-cards">
              {data.items.map((r) => (
                <li key={r.id}>
                  <Link to={`/penerima/orang/${r.personId}`} className="card">
                    <span className="card-title">
                      {r.fullName} <span className="badge badge-info">{t('beneficiaries.personLink', { id: r.personId })}</span>
                    </span>
                    <span className="card-body">
                      {r.regency.name ?? r.regency.code}
                      {r.birthDate && ` · ${t('beneficiaries.born', { date: formatDate(r.birthDate, i18n.language) })}`}
                    </span>
                    <span className="card-meta">
                      {sourceText(t, r)}
                      {r.nik && ` · NIK ${r.nik}`}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Pager offset={offset} limit={PAGE_SIZE} total={data.total} onChange={(o) => update({ offset: o })} />
        </section>
      )}
    </div>
  );
}
