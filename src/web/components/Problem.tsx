import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client.ts';

/** Shows a server problem's `detail` (already in the user's language) or a local fallback. */
export function ProblemAlert({
  error,
  onRetry,
  inlineFields = [],
}: {
  error: ApiError | null | undefined;
  onRetry?: () => void;
  /** Fields whose errors the form shows next to the input: not repeated here. */
  inlineFields?: string[];
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const message =
    error.status === 0 && error.code === 'network_error'
      ? t('common.networkError')
      : error.problem.detail || t('common.unknownError', { status: error.status });
  const fieldErrors = (error.problem.errors ?? []).filter((e) => !inlineFields.includes(e.path.replace(/^body\.?/, '')));
  return (
    <div className="alert alert-error" role="alert">
      <p>{message}</p>
      {fieldErrors.length > 0 && (
        <ul>
          {fieldErrors.map((e, i) => (
            <li key={i}>
              <code>{e.path.replace(/^body\.?/, '')}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Notice({ children }: { children: string | null }) {
  if (!children) return null;
  return (
    <div className="alert alert-ok" role="status">
      <p>{children}</p>
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}
