import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, type ApiError } from '../../api/client.ts';
import type { ImportBatch } from '../../api/types.ts';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { formatNumber } from '../../format.ts';
import { toApiError, useDocumentTitle } from '../../hooks.ts';
import { CommitPanel } from './CommitPanel.tsx';
import { MappingPanel } from './MappingPanel.tsx';
import { BatchProgress } from './ProgressBar.tsx';
import { ReportPanel } from './ReportPanel.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { fieldsOf, isBusy, listPathOf } from './shared.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

const POLL_MS = 1000;
const RETRY_MS = 5000;

/** `/impor/:id`: one batch: its progress while the server works, then the preview, the commit and the result. */
export default function ImportBatchPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const passed = (location.state as { batch?: ImportBatch } | null)?.batch;
  return <BatchView key={id} id={id} initial={passed && String(passed.id) === id ? passed : undefined} />;
}

function BatchView({ id, initial }: { id: string; initial: ImportBatch | undefined }) {
  const { t, i18n } = useTranslation();
  const [batch, setBatch] = useState<ImportBatch | undefined>(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  useDocumentTitle(batch ? `${t('importer.title')}: ${batch.fileName}` : t('importer.title'));

  // Fetch when there is nothing yet; poll about every second while the server works on the batch.
  useEffect(() => {
    if (batch && !isBusy(batch.status)) return;
    if (!batch && error) return; // the first load failed: wait for "try again"
    const ctrl = new AbortController();
    const timer = setTimeout(
      () => {
        api
          .get<ImportBatch>(`/api/registry/imports/${encodeURIComponent(id)}`, { signal: ctrl.signal })
          .then((b) => {
            setError(null);
            setBatch(b);
            setAttempt((n) => n + 1);
          })
          .catch((err: unknown) => {
            if ((err as Error).name === 'AbortError') return;
            setError(toApiError(err));
            setAttempt((n) => n + 1);
          });
      },
      !batch ? 0 : error ? RETRY_MS : POLL_MS,
    );
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [id, batch, error, attempt]);

  if (!batch) {
    return (
      <div className="stack importer">
        <BackLink />
        {error ? (
          <ProblemAlert
            error={error}
            onRetry={() => {
              setError(null);
              setAttempt((n) => n + 1);
            }}
          />
        ) : (
          <Loading />
        )}
      </div>
    );
  }

  const fields = fieldsOf(batch, i18n.language);
  const busy = isBusy(batch.status);
  const canRemap = batch.status === 'preview' || batch.status === 'failed';
  const settled = batch.status === 'preview' || batch.status === 'committed';

  return (
    <div className="stack importer">
      <BackLink />
      <div className="page-head">
        <h1 className="break">{batch.fileName}</h1>
        <StatusBadge status={batch.status} />
      </div>
      <p className="muted">
        {t(`importer.kinds.${batch.kind}`)} · {t('importer.batchNumber', { id: batch.id })}
      </p>

      {/* Polling errors keep the last good state on screen; the poll retries by itself. */}
      <ProblemAlert error={error} />

      <div aria-live="polite" className="sr-only">
        {t(`importer.status.${batch.status}`)}
      </div>

      {busy && (
        <section className="panel" aria-labelledby="batch-progress">
          <h2 id="batch-progress">{t(batch.status === 'committing' ? 'importer.committingTitle' : 'importer.validatingTitle')}</h2>
          <BatchProgress progress={batch.progress} status={batch.status as 'validating' | 'committing'} />
          <p className="hint">{t('importer.backgroundHint')}</p>
        </section>
      )}

      {batch.status === 'failed' && (
        <div className="alert alert-error" role="alert">
          <p>
            <strong>{t('importer.failedTitle')}</strong> {batch.error?.message ?? ''}
          </p>
          {canRemap && <p>{t('importer.failedHint')}</p>}
        </div>
      )}

      {settled && <Counts batch={batch} />}

      {batch.status === 'committed' && <ResultPanel batch={batch} />}

      {canRemap && <MappingPanel batch={batch} fields={fields} onChange={setBatch} />}

      {settled && <ReportPanel batch={batch} fields={fields} />}

      {batch.status === 'preview' && <CommitPanel key={`${batch.valid}/${batch.invalid}/${batch.duplicates}`} batch={batch} onChange={setBatch} />}
    </div>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to="/impor" className="back-link">
      {t('importer.backToImports')}
    </Link>
  );
}

function Counts({ batch }: { batch: ImportBatch }) {
  const { t } = useTranslation();
  const items = [
    { key: 'rows', value: batch.rows, label: t('importer.counts.rows') },
    { key: 'valid', value: batch.valid, label: t('importer.counts.valid') },
    { key: 'invalid', value: batch.invalid, label: t('importer.counts.invalid') },
    { key: 'duplicates', value: batch.duplicates, label: t('importer.counts.duplicates') },
  ];
  return (
    <section aria-labelledby="batch-counts">
      <h2 id="batch-counts" className="sr-only">
        {t('importer.countsTitle')}
      </h2>
      <ul className="stat-grid import-counts">
        {items.map((i) => (
          <li key={i.key} className={`stat stat-${i.key}${i.key === 'invalid' && i.value > 0 ? ' has-problem' : ''}`} data-count={i.key}>
            <span className="stat-value">{formatNumber(i.value ?? 0)}</span>
            <span className="stat-label">{i.label}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ResultPanel({ batch }: { batch: ImportBatch }) {
  const { t } = useTranslation();
  const r = batch.result ?? {};
  const inserted = typeof r.inserted === 'number' ? r.inserted : null;
  const skipped = typeof r.skipped === 'number' ? r.skipped : null;
  return (
    <section className="alert alert-ok" aria-labelledby="batch-result">
      <h2 id="batch-result">{t('importer.resultTitle')}</h2>
      {inserted !== null && <p>{t(`importer.resultInserted.${batch.kind}`, { count: inserted, n: formatNumber(inserted) })}</p>}
      {skipped !== null && skipped > 0 && <p>{t('importer.resultSkipped', { count: skipped, n: formatNumber(skipped) })}</p>}
      <div className="actions">
        <Link className="btn btn-primary" to={listPathOf(batch.kind)}>
          {t(`importer.openList.${batch.kind}`)}
        </Link>
        <Link className="btn" to="/impor">
          {t('importer.another')}
        </Link>
      </div>
    </section>
  );
}
