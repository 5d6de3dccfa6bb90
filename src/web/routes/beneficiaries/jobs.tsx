/** What the beneficiary import and deduplication-run pages share: polling a background job, its bar and its badge. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api/client.ts';
import type { JobProgress, JobStatus } from '../../api/types.ts';
import { formatNumber } from '../../format.ts';
import { toApiError, useApi } from '../../hooks.ts';
import { ProgressBar } from '../import/ProgressBar.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaryRuns.ts';

addStrings(strings);

/** About every 1.5 s while the server works: fresh enough to watch, light on mobile data. */
export const POLL_MS = 1500;
const RETRY_MS = 5000;

export const isActive = (status: JobStatus | 'none' | undefined) => status === 'queued' || status === 'running';

/**
 * GETs `path` (null: nothing) and again every POLL_MS while `busy(data)` says the server still works
 * on it; stops when it is done or failed. A failed poll keeps the last answer on screen and tries
 * again a little later.
 */
export function usePolled<T>(path: string | null, busy: (data: T) => boolean, initial?: T) {
  const [state, setState] = useState<{ path: string | null; data: T | undefined; error: ApiError | null }>({ path, data: initial, error: null });
  const [tick, setTick] = useState(0);
  const data = state.path === path ? state.data : undefined;
  const error = state.path === path ? state.error : null;
  const waiting = data !== undefined && busy(data);

  useEffect(() => {
    if (!path) return;
    const first = data === undefined && !error;
    if (!first && !error && !waiting && tick === 0) return; // settled: nothing more to watch
    const ctrl = new AbortController();
    const delay = first || tick > 0 ? 0 : error ? RETRY_MS : POLL_MS;
    const timer = setTimeout(() => {
      api
        .get<T>(path, { signal: ctrl.signal })
        .then((next) => {
          setState({ path, data: next, error: null });
          setTick(0);
        })
        .catch((err: unknown) => {
          if ((err as Error).name === 'AbortError') return;
          setState((s) => ({ path, data: s.path === path ? s.data : undefined, error: toApiError(err) }));
        });
    }, delay);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
    // `data` changes with every answer, which schedules the next poll while busy.
  }, [path, data, error, waiting, tick]);

  return {
    data,
    error,
    /** Replaces the data (e.g. with the answer of a POST) and resumes polling if it is busy again. */
    set: (next: T) => setState({ path, data: next, error: null }),
    reload: () => setTick((n) => n + 1),
  };
}

const tone: Record<JobStatus | 'none', string> = { queued: 'pending', running: 'pending', done: 'active', failed: 'error', none: 'disabled' };

export function JobStatusBadge({ status }: { status: JobStatus | 'none' }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${tone[status]}`}>{t(`benefRuns.statuses.${status}`)}</span>;
}

/** "Comparing pairs · 1.200 of 5.000 · about 2 minutes left", as a bar; indeterminate before the first report. */
export function JobBar({ label, progress, phaseText, waitingText }: { label: string; progress: JobProgress | null; phaseText: (phase: string) => string; waitingText: string }) {
  const { t } = useTranslation();
  if (!progress) return <ProgressBar label={label} value={null} max={null} text={waitingText} />;
  const parts = [phaseText(progress.phase)];
  parts.push(
    progress.total !== null
      ? t('benefRuns.progressOf', { done: formatNumber(progress.done), total: formatNumber(progress.total) })
      : t('benefRuns.progressCount', { done: formatNumber(progress.done) }),
  );
  if (progress.etaSeconds !== null) {
    parts.push(progress.etaSeconds < 60 ? t('benefRuns.eta.underMinute') : t('benefRuns.eta.minutes', { count: Math.ceil(progress.etaSeconds / 60) }));
  }
  return <ProgressBar label={label} value={progress.done} max={progress.total} text={parts.join(' · ')} />;
}

/** A region's name from its code (reference data: fetched once per visit). */
export function RegionName({ code }: { code: string }) {
  const { data } = useApi<{ name: string }>(`/api/regions/${encodeURIComponent(code)}`, { cacheable: true });
  return <>{data?.name ?? code}</>;
}
