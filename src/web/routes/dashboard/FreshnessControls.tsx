import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format.ts';
import { FRESH_MONTHS, formatShare, type DashboardData, type MapMode } from './freshness.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/dashboardExtra.ts';

addStrings(strings);

interface Props {
  /** The figures on screen (their window may still be the previous one while a new one loads). */
  freshness: DashboardData['freshness'];
  /** The chosen window. */
  months: number;
  mode: MapMode;
  onMonths: (months: number) => void;
  onMode: (mode: MapMode) => void;
}

/**
 * Under the coordinators' map: what colours the map (active members or data freshness) and the
 * freshness window (6, 12 or 24 months) used by the map, the region list and the totals.
 */
export function FreshnessControls({ freshness, months, mode, onMonths, onMode }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const modes: { value: MapMode; label: string }[] = [
    { value: 'members', label: t('freshness.byMembers') },
    { value: 'freshness', label: t('freshness.byFreshness') },
  ];
  return (
    <div className="fresh-controls">
      <p className="fresh-summary" data-share={freshness.share ?? ''}>
        {freshness.share === null
          ? t('freshness.statNone')
          : t('freshness.sentence', {
              share: formatShare(freshness.share, i18n.language),
              months: freshness.months,
              fresh: formatNumber(freshness.fresh),
              active: formatNumber(freshness.active),
            })}
      </p>
      <div className="seg-field">
        <span className="label" id={`${id}-mode`}>
          {t('freshness.mapColour')}
        </span>
        <div className="seg" role="group" aria-labelledby={`${id}-mode`}>
          {modes.map((m) => (
            <button key={m.value} type="button" aria-pressed={mode === m.value} data-mode={m.value} onClick={() => onMode(m.value)}>
              {m.label}
            </button>
          ))}
        </div>
      </div>
      <div className="seg-field">
        <span className="label" id={`${id}-months`}>
          {t('freshness.period')}
        </span>
        <div className="seg" role="group" aria-labelledby={`${id}-months`}>
          {FRESH_MONTHS.map((n) => (
            <button
              key={n}
              type="button"
              aria-pressed={months === n}
              data-months={n}
              title={t('freshness.monthsLong', { months: n })}
              onClick={() => onMonths(n)}
            >
              <span aria-hidden="true">{t('freshness.monthsShort', { months: n })}</span>
              <span className="sr-only">{t('freshness.monthsLong', { months: n })}</span>
            </button>
          ))}
        </div>
      </div>
      <p className="hint">{t('freshness.hint', { months })}</p>
    </div>
  );
}
