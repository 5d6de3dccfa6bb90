import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportBatch } from '../../api/types.ts';
import { ProblemAlert } from '../../components/Problem.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { useApi } from '../../hooks.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

/** The caller's recent batches, so an import that runs in the background can be reopened. */
export function RecentImports() {
  const { t, i18n } = useTranslation();
  const { data, error, reload } = useApi<{ items: ImportBatch[] }>('/api/registry/imports');
  // A server without the list yet answers 404/405: then there is simply no list to show.
  if (error && (error.status === 404 || error.status === 405)) return null;
  const items = data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="recent-imports">
      <h2 id="recent-imports">{t('importer.recentTitle')}</h2>
      <ProblemAlert error={error} onRetry={reload} />
      {data && items.length === 0 && <p className="muted">{t('importer.recentEmpty')}</p>}
      {items.length > 0 && (
        <ul className="recent-imports">
          {items.map((b) => (
            <li key={b.id}>
              <Link to={`/impor/${b.id}`} className="recent-link">
                <span className="recent-title break">
                  {b.fileName} <StatusBadge status={b.status} />
                </span>
                <span className="card-meta">
                  {[
                    t(`importer.kinds.${b.kind}`),
                    t('importer.rowsCount', { count: b.rows, n: formatNumber(b.rows) }),
                    b.createdAt ? formatDate(b.createdAt, i18n.language) : null,
                    `#${b.id}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
