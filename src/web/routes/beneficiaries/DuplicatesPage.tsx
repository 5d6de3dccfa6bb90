import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../api/client.ts';
import type { DuplicateCandidate, DuplicateStatus } from '../../api/types.ts';
import { Pager } from '../../components/Pager.tsx';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { formatNumber } from '../../format.ts';
import { useApi, useDocumentTitle } from '../../hooks.ts';
import { DuplicateStatusBadge, formatPercent, sourceText } from './shared.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaries.ts';

addStrings(strings);

const PAGE_SIZE = 50;
const STATUSES: DuplicateStatus[] = ['pending', 'later', 'merged', 'not_same'];

/** /penerima/duplikat — the review queue of possible duplicates, by status (pending first). */
export default function DuplicatesPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('beneficiaries.queueTitle'));
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: DuplicateStatus = STATUSES.includes(raw as DuplicateStatus) ? (raw as DuplicateStatus) : 'pending';
  const offset = Math.max(0, Number(params.get('dari') ?? 0) || 0);
  const list = useApi<{ items: DuplicateCandidate[]; total: number }>(
    withQuery('/api/beneficiaries/duplicates', { status, limit: PAGE_SIZE, offset: offset || undefined }),
  );
  const data = list.data;
  const go = (next: { status?: DuplicateStatus; offset?: number }) => {
    const p: Record<string, string> = {};
    const st = next.status ?? status;
    if (st !== 'pending') p.status = st;
    if (next.offset) p.dari = String(next.offset);
    setParams(p, { replace: true });
  };

  return (
    <div className="stack">
      <p>
        <Link to="/penerima">← {t('beneficiaries.backToSearch')}</Link>
      </p>
      <div className="page-head">
        <h1>{t('beneficiaries.queueTitle')}</h1>
      </div>
      <p className="lead">{t('beneficiaries.queueLead')}</p>
      <form className="panel filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="dup-status">{t('beneficiaries.status')}</label>
          <select id="dup-status" value={status} onChange={(e) => go({ status: e.target.value as DuplicateStatus, offset: 0 })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`beneficiaries.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {list.loading && !data && <Loading />}
      {data && (
        <section aria-labelledby="dup-count">
          <p id="dup-count" className="muted" aria-live="polite">
            {t('beneficiaries.total', { total: formatNumber(data.total) })}
          </p>
          {data.items.length === 0 ? (
            <p className="panel">{t('beneficiaries.queueEmpty')}</p>
          ) : (
            <ul className="user-cards registry-cards">
              {data.items.map((c) => (
                <li key={c.id}>
                  <Link to={`/penerima/duplikat/${c.id}`} className="card">
                    <span className="card-title">
                      <span className="break">{t('beneficiaries.pairCard', { a: c.recordA.fullName, b: c.recordB.fullName })}</span>
                      <DuplicateStatusBadge status={c.status} />
                    </span>
                    <span className="card-body">
                      {t('beneficiaries.probability')}: <strong>{formatPercent(c.probability, i18n.language)}</strong>
                    </span>
                    <span className="card-meta">
                      {t('beneficiaries.pairTitle', { id: c.id })} · {sourceText(t, c.recordA)} · {sourceText(t, c.recordB)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Pager offset={offset} limit={PAGE_SIZE} total={data.total} onChange={(o) => go({ offset: o })} />
        </section>
      )}
    </div>
  );
}
