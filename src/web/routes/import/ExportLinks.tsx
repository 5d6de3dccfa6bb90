import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { withQuery } from '../../api/client.ts';
import { hasPermission, useSessionApi } from '../../app/session.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

/**
 * "Download CSV / XLSX" of a registry list with the filters on screen, and the way to the import
 * page for those who may manage the registry. Plain links: the session cookie goes along and the
 * browser streams the file to disk instead of holding it in memory.
 */
const EXPORTS = {
  members: '/api/members/export',
  communities: '/api/communities/export',
  chapters: '/api/chapters/export',
  partners: '/api/partners/export',
} as const;

export function ExportLinks({ kind, filters }: { kind: keyof typeof EXPORTS; filters: Record<string, string | undefined> }) {
  const { t, i18n } = useTranslation();
  const { state } = useSessionApi();
  const importable = kind === 'members' || kind === 'communities';
  const mayImport = importable && state.status === 'authenticated' && hasPermission(state.session, 'registry.manage');
  const base = EXPORTS[kind];
  // A link cannot set Accept-Language: name the language on screen, so the headers match it.
  const query = { ...filters, lang: i18n.language === 'en' ? 'en' : 'id' };
  return (
    <div className="export-links" role="group" aria-label={t('exporter.label')}>
      <a className="btn btn-small" href={withQuery(base, { ...query, format: 'csv' })} download>
        {t('exporter.csv')}
      </a>
      <a className="btn btn-small" href={withQuery(base, { ...query, format: 'xlsx' })} download>
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
