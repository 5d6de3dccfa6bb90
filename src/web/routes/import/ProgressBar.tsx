import { useTranslation } from 'react-i18next';
import type { ImportProgress } from '../../api/types.ts';
import { formatNumber } from '../../format.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

/**
 * A progress bar with its numbers in words next to it. Without a known total it is indeterminate
 * (no aria-valuenow), as ARIA asks.
 */
export function ProgressBar({ label, value, max, text }: { label: string; value: number | null; max: number | null; text?: string }) {
  const known = value !== null && max !== null && max > 0;
  const pct = known ? Math.min(100, Math.max(0, Math.round((value / max) * 100))) : null;
  return (
    <div className="progress">
      <div
        className={`progress-track${pct === null ? ' is-indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? max : undefined}
        aria-valuenow={known ? value : undefined}
        aria-valuetext={text}
      >
        <span className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      {text && (
        <p className="progress-text" aria-hidden="true">
          {text}
        </p>
      )}
    </div>
  );
}

/** "Checking rows: 1.200 of 5.000 · about 2 minutes left" for a batch the server works on. */
export function BatchProgress({ progress, status }: { progress: ImportProgress | null | undefined; status: 'validating' | 'committing' }) {
  const { t } = useTranslation();
  const phase = progress?.phase ?? (status === 'committing' ? 'saving' : 'checking');
  const parts: string[] = [t(`importer.phase.${phase}`)];
  if (progress) {
    parts.push(
      progress.total !== null && progress.total !== undefined
        ? t('importer.progressOf', { done: formatNumber(progress.done), total: formatNumber(progress.total) })
        : t('importer.progressRows', { done: formatNumber(progress.done) }),
    );
    const eta = progress.etaSeconds;
    if (eta !== null && eta !== undefined) {
      parts.push(eta < 60 ? t('importer.etaUnderMinute') : t('importer.etaMinutes', { count: Math.ceil(eta / 60) }));
    }
  }
  return (
    <ProgressBar
      label={t(status === 'committing' ? 'importer.committingLabel' : 'importer.validatingLabel')}
      value={progress ? progress.done : null}
      max={progress?.total ?? null}
      text={parts.join(' · ')}
    />
  );
}
