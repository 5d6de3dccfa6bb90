import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { upload, withQuery, type ApiError } from '../../api/client.ts';
import type { ImportBatch, ImportKind } from '../../api/types.ts';
import { ProblemAlert } from '../../components/Problem.tsx';
import { formatNumber } from '../../format.ts';
import { toApiError, useDocumentTitle, useMediaQuery } from '../../hooks.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { RecentImports } from './RecentImports.tsx';
import { downloadText } from '../../files.ts';
import { ACCEPT, checkFile, templateCsv, templateFileName } from './shared.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

type Stage = { kind: 'idle' } | { kind: 'sending'; sent: number; total: number } | { kind: 'processing' };

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 102.4) / 10)} KB`;
  return `${formatNumber(Math.round(bytes / (1024 * 102.4)) / 10)} MB`;
}

/** `/impor`: choose what to import, pick a file, upload it; the preview opens at `/impor/:id`. */
export default function ImportPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('importer.title'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [kind, setKind] = useState<ImportKind>(params.get('jenis') === 'komunitas' ? 'communities' : 'members');
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<ApiError | null>(null);
  const [dragging, setDragging] = useState(false);
  const canDrag = useMediaQuery('(pointer: fine)');
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const fileHintId = useId();
  const fileInputId = useId();
  useEffect(() => () => abortRef.current?.abort(), []);
  // A file dropped beside the drop zone would otherwise open in the tab and lose the page.
  useEffect(() => {
    const keep = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => {
      window.removeEventListener('dragover', keep);
      window.removeEventListener('drop', keep);
    };
  }, []);

  const choose = (f: File | null) => {
    setError(null);
    setFile(f);
    if (!f) return setFileProblem(null);
    const check = checkFile(f);
    setFileProblem(check.ok ? null : t(`importer.fileProblem.${check.reason}`));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files?.[0];
    if (f) choose(f);
  };

  const busy = stage.kind !== 'idle';
  const submit = async () => {
    if (!file) {
      setFileProblem(t('importer.fileProblem.missing'));
      inputRef.current?.focus();
      return;
    }
    const check = checkFile(file);
    if (!check.ok) {
      inputRef.current?.focus();
      return;
    }
    setError(null);
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setStage({ kind: 'sending', sent: 0, total: file.size });
    try {
      const batch = await upload<ImportBatch>(withQuery('/api/registry/imports', { kind, fileName: file.name }), file, check.contentType, {
        signal: ctrl.signal,
        onProgress: (sent, total) => setStage(sent >= total ? { kind: 'processing' } : { kind: 'sending', sent, total }),
      });
      navigate(`/impor/${batch.id}`, { state: { batch } });
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(toApiError(err));
      setStage({ kind: 'idle' });
    } finally {
      abortRef.current = null;
    }
  };

  return (
    <div className="stack importer">
      <div className="page-head">
        <h1>{t('importer.title')}</h1>
      </div>
      <p className="lead">{t('importer.intro')}</p>

      <form
        className="panel"
        aria-labelledby="import-new"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id="import-new">{t('importer.newTitle')}</h2>
        <fieldset className="fieldset choice-row" disabled={busy}>
          <legend>{t('importer.kindLegend')}</legend>
          {(['members', 'communities'] as const).map((k) => (
            <label key={k} className="check">
              <input type="radio" name="import-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`importer.kinds.${k}`)}
            </label>
          ))}
        </fieldset>

        <div className="field">
          <div
            className={`dropzone${dragging ? ' is-dragging' : ''}${fileProblem ? ' is-invalid' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              if (!busy) setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => (busy ? e.preventDefault() : onDrop(e))}
          >
            <label htmlFor={fileInputId} className="dropzone-title">
              {t('importer.fileLabel')}
            </label>
            {canDrag && <span className="dropzone-hint">{t('importer.dropHint')}</span>}
            <input
              id={fileInputId}
              ref={inputRef}
              type="file"
              accept={ACCEPT}
              disabled={busy}
              aria-describedby={fileHintId}
              aria-invalid={fileProblem ? true : undefined}
              onChange={(e) => choose(e.target.files?.[0] ?? null)}
            />
            {file && (
              <span className="dropzone-file break">
                {file.name} · {formatSize(file.size)}
              </span>
            )}
          </div>
          <p className="hint" id={fileHintId}>
            {t('importer.fileHint')}
          </p>
          {fileProblem && (
            <p className="field-error" role="alert">
              {fileProblem}
            </p>
          )}
        </div>

        <p className="template-line">
          <button type="button" className="btn btn-ghost btn-link" onClick={() => downloadText(templateCsv(kind), templateFileName(kind))}>
            {t('importer.template', { kind: t(`importer.kinds.${kind}`).toLowerCase() })}
          </button>
        </p>

        <ProblemAlert error={error} />

        {stage.kind === 'sending' && (
          <ProgressBar
            label={t('importer.uploadingLabel')}
            value={stage.sent}
            max={stage.total}
            text={t('importer.uploading', { sent: formatSize(stage.sent), total: formatSize(stage.total) })}
          />
        )}
        {stage.kind === 'processing' && <ProgressBar label={t('importer.validatingLabel')} value={null} max={null} text={t('importer.processing')} />}

        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('importer.submitting') : t('importer.submit')}
          </button>
          {stage.kind === 'sending' && (
            <button type="button" className="btn" onClick={() => abortRef.current?.abort()}>
              {t('importer.cancelUpload')}
            </button>
          )}
        </div>
      </form>

      <details className="panel import-help">
        <summary>{t('importer.helpTitle')}</summary>
        <ul>
          <li>{t('importer.help.headers')}</li>
          <li>{t('importer.help.nothingWritten')}</li>
          <li>{t('importer.help.regions')}</li>
          <li>{t('importer.help.large')}</li>
        </ul>
      </details>

      <RecentImports />
      <p>
        <Link to={kind === 'communities' ? '/komunitas' : '/anggota'} className="back-link">
          {t(kind === 'communities' ? 'importer.backToCommunities' : 'importer.backToMembers')}
        </Link>
      </p>
    </div>
  );
}
