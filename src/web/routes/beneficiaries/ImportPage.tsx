import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { upload, withQuery, type ApiError } from '../../api/client.ts';
import type { BeneficiaryImportBatch, BeneficiaryImportSummary, ConsentText } from '../../api/types.ts';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { toApiError, useApi, useDocumentTitle } from '../../hooks.ts';
import { ProgressBar } from '../import/ProgressBar.tsx';
import { ACCEPT, checkFile } from '../import/shared.ts';
import { isActive, JobBar, JobStatusBadge, usePolled } from './jobs.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaryRuns.ts';

addStrings(strings);

const COUNT_KEYS = ['rows', 'new', 'linked', 'queued', 'invalid', 'replayed'] as const;
const MAX_PROBLEMS = 100;

/**
 * /penerima/impor: upload a CSV or XLSX of beneficiaries under a consent the uploader confirms, then
 * watch the batch (?batch=id, so a reload or a later visit finds it again) until its counts are in.
 */
export default function BeneficiaryImportPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('benefRuns.import.title'));
  const [params, setParams] = useSearchParams();
  const batchId = Number(params.get('batch')) || null;
  const [uploaded, setUploaded] = useState<BeneficiaryImportBatch | undefined>();
  const [recentKey, setRecentKey] = useState(0);
  const open = (b: BeneficiaryImportBatch | null) => {
    setUploaded(b ?? undefined);
    setParams(b ? { batch: String(b.id) } : {});
    setRecentKey((n) => n + 1);
  };

  return (
    <div className="stack importer">
      <p>
        <Link to="/penerima">← {t('benefRuns.backToBeneficiaries')}</Link>
      </p>
      <div className="page-head">
        <h1>{t('benefRuns.import.title')}</h1>
      </div>
      {batchId ? (
        <BatchView key={batchId} id={batchId} initial={uploaded?.id === batchId ? uploaded : undefined} onAnother={() => open(null)} />
      ) : (
        <>
          <p className="lead">{t('benefRuns.import.lead')}</p>
          <UploadForm onUploaded={open} />
        </>
      )}
      <RecentImports key={recentKey} current={batchId} />
    </div>
  );
}

type Stage = { kind: 'idle' } | { kind: 'sending'; sent: number; total: number };

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} KB`;
  return `${formatNumber(Math.round(bytes / (1024 * 102.4)) / 10)} MB`;
}

function UploadForm({ onUploaded }: { onUploaded: (b: BeneficiaryImportBatch) => void }) {
  const { t, i18n } = useTranslation();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [purpose, setPurpose] = useState('programmes');
  const [confirmed, setConfirmed] = useState(false);
  const [consentProblem, setConsentProblem] = useState<string | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<ApiError | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  useEffect(() => () => abortRef.current?.abort(), []);
  // The texts follow the page's language: the uploader confirms what they read.
  const texts = useApi<{ items: ConsentText[] }>(`/api/public/consent-texts?lang=${i18n.language}`);
  const text = texts.data?.items.find((c) => c.purpose === purpose);
  // Consent to be registered at all is the registry's own; beneficiaries are imported for the others.
  const purposes = (texts.data?.items ?? []).filter((c) => c.purpose !== 'registry');

  const choose = (f: File | null) => {
    setError(null);
    setFile(f);
    const check = f ? checkFile(f) : null;
    setFileProblem(check && !check.ok ? t(`benefRuns.import.fileProblem.${check.reason}`) : null);
  };

  const busy = stage.kind !== 'idle';
  const submit = async () => {
    const check = file ? checkFile(file) : null;
    if (!file || !check?.ok) {
      if (!file) setFileProblem(t('benefRuns.import.fileProblem.missing'));
      inputRef.current?.focus();
      return;
    }
    if (!text || !confirmed) {
      setConsentProblem(t('benefRuns.import.consentRequired'));
      return;
    }
    setError(null);
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setStage({ kind: 'sending', sent: 0, total: file.size });
    try {
      const path = withQuery('/api/beneficiaries/imports', { fileName: file.name, consentPurpose: text.purpose, consentVersion: text.version });
      const batch = await upload<BeneficiaryImportBatch>(path, file, check.contentType, {
        signal: ctrl.signal,
        onProgress: (sent, total) => setStage({ kind: 'sending', sent, total }),
      });
      onUploaded(batch);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(toApiError(err));
      setStage({ kind: 'idle' });
    } finally {
      abortRef.current = null;
    }
  };

  return (
    <form
      className="panel stack"
      aria-labelledby="benef-import-new"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="benef-import-new">{t('benefRuns.import.newTitle')}</h2>
      <div className="field">
        <div className={`dropzone${fileProblem ? ' is-invalid' : ''}`}>
          <label htmlFor={fileId} className="dropzone-title">
            {t('benefRuns.import.file')}
          </label>
          <input
            id={fileId}
            ref={inputRef}
            type="file"
            accept={ACCEPT}
            disabled={busy}
            aria-describedby={`${fileId}-hint`}
            aria-invalid={fileProblem ? true : undefined}
            onChange={(e) => choose(e.target.files?.[0] ?? null)}
          />
          {file && (
            <span className="dropzone-file break">
              {file.name} · {formatSize(file.size)}
            </span>
          )}
        </div>
        <p className="hint" id={`${fileId}-hint`}>
          {t('benefRuns.import.fileHint')}
        </p>
        {fileProblem && (
          <p className="field-error" role="alert">
            {fileProblem}
          </p>
        )}
      </div>
      <p className="template-line">
        <a href="/api/beneficiaries/imports/template" download="templat-impor-penerima.csv">
          {t('benefRuns.import.template')}
        </a>
      </p>

      <fieldset className="fieldset" disabled={busy}>
        <legend>{t('benefRuns.import.consentTitle')}</legend>
        <ProblemAlert error={texts.error} onRetry={texts.reload} />
        {texts.loading && <p className="muted">{t('benefRuns.import.consentLoading')}</p>}
        {purposes.length > 1 && (
          <div className="field">
            <label htmlFor={`${fileId}-purpose`}>{t('benefRuns.import.consentPurpose')}</label>
            <select
              id={`${fileId}-purpose`}
              value={purpose}
              onChange={(e) => {
                setPurpose(e.target.value);
                setConfirmed(false);
              }}
            >
              {purposes.map((c) => (
                <option key={c.purpose} value={c.purpose}>
                  {t(`benefRuns.import.purposes.${c.purpose}`, { defaultValue: c.purpose })}
                </option>
              ))}
            </select>
          </div>
        )}
        {text && (
          <>
            <div className="alert alert-info">
              <p>
                <strong>{t('benefRuns.import.consentVersion', { version: text.version })}</strong>
              </p>
              <p lang={i18n.language}>{text.text}</p>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={confirmed}
                aria-invalid={consentProblem && !confirmed ? true : undefined}
                onChange={(e) => {
                  setConfirmed(e.target.checked);
                  setConsentProblem(null);
                }}
              />
              {t('benefRuns.import.consentConfirm', { version: text.version })}
            </label>
          </>
        )}
        {consentProblem && (
          <p className="field-error" role="alert">
            {consentProblem}
          </p>
        )}
      </fieldset>

      <ProblemAlert error={error} />
      {stage.kind === 'sending' && (
        <ProgressBar
          label={t('benefRuns.import.uploadingLabel')}
          value={stage.sent}
          max={stage.total}
          text={t('benefRuns.import.uploading', { sent: formatSize(stage.sent), total: formatSize(stage.total) })}
        />
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('benefRuns.import.submitting') : t('benefRuns.import.submit')}
        </button>
      </div>
    </form>
  );
}

function BatchView({ id, initial, onAnother }: { id: number; initial: BeneficiaryImportBatch | undefined; onAnother: () => void }) {
  const { t, i18n } = useTranslation();
  // The problems' messages come in the page's language: ask again when it changes.
  const path = `/api/beneficiaries/imports/${id}?lang=${i18n.language}`;
  const { data: batch, error, reload } = usePolled<BeneficiaryImportBatch>(path, (b) => isActive(b.status), initial);
  if (!batch) return error ? <ProblemAlert error={error} onRetry={reload} /> : <Loading />;
  const counts = batch.counts;
  return (
    <section className="stack" aria-labelledby="benef-batch">
      <div className="page-head">
        <h2 id="benef-batch" className="break">
          {t('benefRuns.import.batchTitle', { id: batch.id, file: batch.fileName })}
        </h2>
        <JobStatusBadge status={batch.status} />
      </div>
      <p className="muted">
        {formatDate(batch.createdAt, i18n.language)} · {t('benefRuns.import.consentVersion', { version: batch.consent.version })} (
        {t(`benefRuns.import.purposes.${batch.consent.purpose}`, { defaultValue: batch.consent.purpose })})
      </p>
      <ProblemAlert error={error} />
      <div aria-live="polite" className="sr-only">
        {t(`benefRuns.statuses.${batch.status}`)}
      </div>
      {isActive(batch.status) && (
        <div className="panel">
          <JobBar
            label={t('benefRuns.import.progressLabel')}
            progress={batch.progress}
            phaseText={(p) => t(`benefRuns.import.phases.${p}`, { defaultValue: p })}
            waitingText={t('benefRuns.import.waiting')}
          />
          <p className="hint">{t('benefRuns.backgroundHint')}</p>
        </div>
      )}
      {batch.status === 'failed' && (
        <div className="alert alert-error" role="alert">
          <p>{t('benefRuns.import.failed', { error: batch.error ?? '' })}</p>
        </div>
      )}
      {counts && (
        <section aria-labelledby="benef-batch-counts">
          <h3 id="benef-batch-counts">{t('benefRuns.import.countsTitle')}</h3>
          <ul className="stat-grid import-counts">
            {COUNT_KEYS.map((k) => (
              <li key={k} className={`stat stat-${k}${k === 'invalid' && (counts[k] ?? 0) > 0 ? ' has-problem' : ''}`} data-count={k}>
                <span className="stat-value">{formatNumber(counts[k] ?? 0)}</span>
                <span className="stat-label">{t(`benefRuns.import.counts.${k}`)}</span>
              </li>
            ))}
          </ul>
          {(counts.queued ?? 0) > 0 && <p>{t('benefRuns.import.reviewHint', { count: counts.queued })}</p>}
          <div className="actions">
            <Link className="btn btn-primary" to="/penerima/duplikat">
              {t('benefRuns.toQueue')}
            </Link>
            <button type="button" className="btn" onClick={onAnother}>
              {t('benefRuns.import.another')}
            </button>
          </div>
        </section>
      )}
      {batch.problems.length > 0 && <Problems batch={batch} />}
    </section>
  );
}

function Problems({ batch }: { batch: BeneficiaryImportBatch }) {
  const { t } = useTranslation();
  const field = (path: string) => {
    const key = path.split('.')[0];
    return t(`benefRuns.import.fields.${key}`, { defaultValue: path });
  };
  return (
    <section className="panel" aria-labelledby="benef-problems">
      <h3 id="benef-problems">{t('benefRuns.import.problemsTitle')}</h3>
      <p className="hint">{t('benefRuns.import.problemsNote')}</p>
      <div className="table-wrap">
        <table className="data-table report-table">
          <thead>
            <tr>
              <th scope="col">{t('benefRuns.import.line')}</th>
              <th scope="col">{t('benefRuns.import.field')}</th>
              <th scope="col">{t('benefRuns.import.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {batch.problems.flatMap((p) =>
              p.errors.map((e, i) => (
                <tr key={`${p.row}-${i}`}>
                  <td>{i === 0 ? formatNumber(p.line) : ''}</td>
                  <td>{field(e.path)}</td>
                  <td>{e.message}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
      {(batch.counts?.invalid ?? 0) > MAX_PROBLEMS && <p className="hint">{t('benefRuns.import.problemsLimited')}</p>}
    </section>
  );
}

function RecentImports({ current }: { current: number | null }) {
  const { t, i18n } = useTranslation();
  const { data, error, reload } = useApi<{ items: BeneficiaryImportSummary[] }>('/api/beneficiaries/imports');
  const items = (data?.items ?? []).filter((b) => b.id !== current);
  if (data && items.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="benef-recent-imports">
      <h2 id="benef-recent-imports">{t('benefRuns.import.recentTitle')}</h2>
      <ProblemAlert error={error} onRetry={reload} />
      {items.length > 0 && (
        <ul className="recent-imports">
          {items.map((b) => (
            <li key={b.id}>
              <Link to={`/penerima/impor?batch=${b.id}`} className="recent-link">
                <span className="recent-title break">
                  {b.fileName} <JobStatusBadge status={b.status} />
                </span>
                <span className="card-meta">
                  #{b.id} · {t('benefRuns.import.recentLine', { date: formatDate(b.createdAt, i18n.language), rows: formatNumber(b.counts?.rows ?? 0) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
