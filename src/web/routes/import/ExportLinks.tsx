import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { withQuery } from '../../api/client.ts';
import type { ImportKind } from '../../api/types.ts';
import { hasPermission, useSessionApi } from '../../app/session.tsx';

/**
 * "Download CSV / XLSX" of a registry list with the filters on screen, and the way to the import
 * page for those who may manage the registry. Plain links: the session cookie goes along and the
 * browser streams the file to disk instead of holding it in memory.
 */
export function ExportLinks({ kind, filters }: { kind: ImportKind; filters: Record<string, string | undefined> }) {
  const { t } = useTranslation();
  const { state } = useSessionApi();
  const mayImport = state.status === 'authenticated' && hasPermission(state.session, 'registry.manage');
  const base = kind === 'communities' ? '/api/communities/export' : '/api/members/export';
  return (
    <div className="export-links" role="group" aria-label={t('exporter.label')}>
      <a className="btn btn-small" href={withQuery(base, { ...filters, format: 'csv' })} download>
        {t('exporter.csv')}
      </a>
      <a className="btn btn-small" href={withQuery(base, { ...filters, format: 'xlsx' })} download>
        {t('exporter.xlsx')}
      </a>
      {mayImport && (
        <Link className="btn btn-small" to={kind === 'communities' ? '/impor?jenis=komunitas' : '/impor'}>
          {t('exporter.importLink')}
        </Link>
      )}
    </div>
  );
}
