import { useTranslation } from 'react-i18next';
import { formatNumber } from '../format.ts';

/** Previous/next paging for offset-based lists. */
export function Pager({
  offset,
  limit,
  total,
  onChange,
}: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const { t } = useTranslation();
  if (total <= limit && offset === 0) return null;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  return (
    <nav className="pager" aria-label={t('common.showing', { from, to, total })}>
      <button type="button" className="btn" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('common.previous')}
      </button>
      <span className="muted">
        {t('common.showing', { from: formatNumber(from), to: formatNumber(to), total: formatNumber(total) })}
      </span>
      <button type="button" className="btn" disabled={to >= total} onClick={() => onChange(offset + limit)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
