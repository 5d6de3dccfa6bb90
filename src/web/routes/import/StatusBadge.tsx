import { useTranslation } from 'react-i18next';
import type { ImportStatus } from '../../api/types.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

const tone: Record<ImportStatus, string> = {
  validating: 'pending',
  preview: 'info',
  committing: 'pending',
  committed: 'active',
  failed: 'error',
};

export function StatusBadge({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${tone[status] ?? 'disabled'}`}>{t(`importer.status.${status}`, { defaultValue: status })}</span>;
}
