import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/dashboardExtra.ts';

addStrings(strings);

/** A public count of people may be "<5" so that no small group can be singled out. */
export type Count = number | '<5';

const COLOURS = ['#d7ece8', '#a3d3c9', '#6bb5a6', '#2f8f7e', '#0b5f52'];
export const NONE_COLOUR = '#f1f3f2';

export interface Scale {
  /**
   * The fill for a region's count: NONE_COLOUR for zero ("none yet"). A region without a count at
   * all is not zero: it lies outside the caller's area (the coordinators' dashboard leaves those
   * out), so it gets no colour and the map draws it as outside (RegionMap).
   */
  colour: (v: Count | undefined) => string | undefined;
  steps: { label: string; colour: string }[];
}

const asNumber = (v: Count | undefined): number => (v === '<5' ? 1 : (v ?? 0));
const show = (v: Count): string => (typeof v === 'number' ? formatNumber(v) : v);

/** A simple sequential scale: "none" plus up to five equal steps from 1 to the largest count. */
export function countScale(values: Count[]): Scale {
  const max = Math.max(0, ...values.map(asNumber));
  const n = Math.min(COLOURS.length, Math.max(1, max));
  const size = Math.max(1, Math.ceil(max / n));
  const colours = n === 1 ? [COLOURS[3]] : COLOURS.slice(COLOURS.length - n);
  const steps = colours.map((colour, i) => {
    const from = i * size + 1;
    const to = i === n - 1 ? Math.max(max, from) : (i + 1) * size;
    return { label: from === to ? formatNumber(from) : `${formatNumber(from)}–${formatNumber(to)}`, colour };
  });
  return {
    colour: (v) => {
      if (v === undefined) return undefined;
      const x = asNumber(v);
      if (x <= 0) return NONE_COLOUR;
      return colours[Math.min(n - 1, Math.floor((x - 1) / size))];
    },
    steps,
  };
}

/** The legend of a choropleth: "none" plus the scale's steps (members by default; `title` and `noneLabel` for other measures). */
export function ScaleLegend({ scale, title, noneLabel }: { scale: Pick<Scale, 'steps'>; title?: string; noneLabel?: string }) {
  const { t } = useTranslation();
  return (
    <div className="count-legend">
      <p className="label">{title ?? t('dashboard.legend')}</p>
      <ul className="legend">
        <li>
          <span className="swatch" style={{ background: NONE_COLOUR }} aria-hidden="true" />
          {noneLabel ?? t('dashboard.legendNone')}
        </li>
        {scale.steps.map((s) => (
          <li key={s.label}>
            <span className="swatch" style={{ background: s.colour }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface Summary {
  generatedAt: string;
  totals: { members: Count; communities: number; chapters: number; pending?: number };
  coverage: { regenciesWithChapter: number; regencies: number; share: number };
  subsectors: { code: string; name: string; nameEn: string; members: Count }[];
  /** Data freshness: coordinators only (the public summary has none). */
  freshness?: { months: number; fresh: number; active: number; share: number | null };
}

/**
 * Totals, chapter coverage and members per subsector: the same for coordinators and the public
 * page; data freshness too when the summary has it (coordinators).
 */
export function DashboardPanels({ summary }: { summary: Summary }) {
  const { t, i18n } = useTranslation();
  const percent = (share: number, digits: number) =>
    new Intl.NumberFormat(i18n.language === 'en' ? 'en' : 'id', { style: 'percent', maximumFractionDigits: digits }).format(share);
  const pct = percent(summary.coverage.share, 1);
  const fresh = summary.freshness;
  const subs = [...summary.subsectors].sort((a, b) => asNumber(b.members) - asNumber(a.members));
  const max = Math.max(1, ...subs.map((s) => asNumber(s.members)));
  return (
    <>
      <ul className="stat-grid" aria-label={t('dashboard.title')}>
        <li className="stat" data-stat="members">
          <span className="stat-value">{show(summary.totals.members)}</span>
          <span className="stat-label">{t('dashboard.members')}</span>
          {summary.totals.pending ? <span className="stat-note">{t('dashboard.pending', { count: summary.totals.pending })}</span> : null}
        </li>
        <li className="stat">
          <span className="stat-value">{formatNumber(summary.totals.communities)}</span>
          <span className="stat-label">{t('dashboard.communities')}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{formatNumber(summary.totals.chapters)}</span>
          <span className="stat-label">{t('dashboard.chapters')}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{pct}</span>
          <span className="stat-label">{t('dashboard.coverage')}</span>
          <span className="stat-note">
            {t('dashboard.coverageBody', {
              with: formatNumber(summary.coverage.regenciesWithChapter),
              total: formatNumber(summary.coverage.regencies),
            })}
          </span>
        </li>
        {fresh && (
          <li className="stat stat-wide" data-stat="freshness">
            <span className="stat-label">{t('freshness.title')}</span>
            {fresh.share === null ? (
              <span className="stat-note">{t('freshness.statNone')}</span>
            ) : (
              <>
                <span>
                  <span className="stat-value">{percent(fresh.share, 0)}</span>{' '}
                  <span className="stat-text">{t('freshness.statLabel', { months: fresh.months })}</span>
                </span>
                <span className="meter" aria-hidden="true">
                  <span style={{ width: `${fresh.share * 100}%` }} />
                </span>
                <span className="stat-note">
                  {t('freshness.statCounts', { fresh: formatNumber(fresh.fresh), active: formatNumber(fresh.active) })}
                </span>
              </>
            )}
          </li>
        )}
      </ul>
      <section className="panel" aria-labelledby="subsector-title">
        <h2 id="subsector-title">{t('dashboard.bySubsector')}</h2>
        <ul className="bar-list">
          {subs.map((s) => (
            <li key={s.code}>
              <span className="bar-name">{i18n.language === 'en' ? s.nameEn : s.name}</span>
              <span className="bar-value">{show(s.members)}</span>
              <span className="meter" aria-hidden="true">
                <span style={{ width: `${(asNumber(s.members) / max) * 100}%` }} />
              </span>
            </li>
          ))}
        </ul>
        <p className="hint">{t('dashboard.updated', { time: new Date(summary.generatedAt).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'id-ID') })}</p>
      </section>
    </>
  );
}
