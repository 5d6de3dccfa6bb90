/**
 * The coordinators' dashboard as the region browser reads it: the API's response, the rows that
 * match the map the page draws, and the data-freshness scale ("share of active members whose data
 * was confirmed in the last N months"). Pure functions, so they are tested without a browser.
 */
import { NONE_COLOUR } from './DashboardPanels.tsx';

/** `GET /api/registry/dashboard` (src/server/modules/registry/dashboard.schemas.ts), the parts the web app uses. */
export interface DashboardData {
  generatedAt: string;
  level: 'province' | 'regency';
  region: { code: string; name: string } | null;
  totals: { members: { active: number; pending: number }; communities: { active: number; pending: number }; chapters: number };
  coverage: { regenciesWithChapter: number; regencies: number; share: number };
  freshness: { months: number; fresh: number; active: number; share: number | null };
  rows: { code: string; name: string; members: number; pendingMembers: number; freshShare: number | null }[];
  subsectors: { code: string; name: string; nameEn: string; members: number }[];
}

/** One shape's figures on the map and in the region list. */
export interface MapRow {
  code: string;
  name: string;
  members: number;
  freshShare: number | null;
  /**
   * The figures cover only part of the shape: a regency coordinator's own regencies, summed into
   * their province on the national map.
   */
  partial: boolean;
}

/** The freshness windows a coordinator can choose; the API's default is 12. */
export const FRESH_MONTHS = [6, 12, 24] as const;
export const DEFAULT_MONTHS = 12;

/** `?bulan=6`: a window from FRESH_MONTHS, anything else the default. */
export function parseMonths(raw: string | null): number {
  const n = Number(raw);
  return (FRESH_MONTHS as readonly number[]).includes(n) ? n : DEFAULT_MONTHS;
}

export type MapMode = 'members' | 'freshness';

/** `?peta=kesegaran`: colour the map by data freshness instead of by members. */
export function parseMapMode(raw: string | null): MapMode {
  return raw === 'kesegaran' ? 'freshness' : 'members';
}

/**
 * The dashboard's rows at the level of the map the page draws: provinces on the national page,
 * one province's regencies on a province (or regency, district…) page.
 *
 * Without `region`, the API starts a coordinator whose area lies in one province at that province
 * (regency rows). On the national map those rows match no shape, so they are summed into their
 * province: the dashboard's totals are exactly that sum. `ownsProvince` says whether the viewer's
 * area is the whole province; if not (a regency coordinator) the province's figure is marked partial.
 * Rows of another level than the map's are never returned (they would match no shape).
 */
export function rowsForMap(dash: DashboardData, mapLevel: 'province' | 'regency', ownsProvince: boolean): MapRow[] {
  if (dash.level === mapLevel) return dash.rows.map((r) => ({ code: r.code, name: r.name, members: r.members, freshShare: r.freshShare, partial: false }));
  if (mapLevel === 'province' && dash.region) {
    return [
      {
        code: dash.region.code,
        name: dash.region.name,
        members: dash.totals.members.active,
        freshShare: dash.freshness.share,
        partial: !ownsProvince,
      },
    ];
  }
  return [];
}

const FRESH_COLOURS = ['#c8651b', '#f0b77a', '#9fd0c4', '#2f8f7e'];
const FRESH_BOUNDS = [0, 25, 50, 75, 100];

export interface FreshnessScale {
  /** undefined: no figure (outside the viewer's area); null: no active members to be fresh (NONE_COLOUR). */
  colour: (share: number | null | undefined) => string | undefined;
  steps: { label: string; colour: string }[];
}

/** Four fixed steps of a quarter each, from stale (orange) to fresh (teal), the same on every map. */
export function freshnessScale(): FreshnessScale {
  return {
    colour: (share) => {
      if (share === undefined) return undefined;
      if (share === null) return NONE_COLOUR;
      return FRESH_COLOURS[Math.min(FRESH_COLOURS.length - 1, Math.max(0, Math.floor(share * 4)))];
    },
    steps: FRESH_COLOURS.map((colour, i) => ({ label: `${FRESH_BOUNDS[i]}–${FRESH_BOUNDS[i + 1]}%`, colour })),
  };
}

/** A share (0..1) as a whole percentage in the UI's language, e.g. "72%"; "–" without one. */
export function formatShare(share: number | null | undefined, lang: string): string {
  if (share === null || share === undefined) return '–';
  return new Intl.NumberFormat(lang === 'en' ? 'en' : 'id', { style: 'percent', maximumFractionDigits: 0 }).format(share);
}
