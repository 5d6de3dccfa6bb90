import { geoMercator, geoPath } from 'd3-geo';
import { useId, useMemo, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

type Position = number[];
type Ring = Position[];

export interface RegionFeature {
  type: 'Feature';
  properties: { code: string; name: string; lat?: number; lng?: number };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

export interface RegionCollection {
  type: 'FeatureCollection';
  features: RegionFeature[];
}

interface Props {
  collection: RegionCollection;
  label: string;
  selectedCode?: string | null;
  /** Codes of the viewer's own regions: a shape is highlighted if it is one of them or contains one. */
  highlightCodes: string[];
  /**
   * Choropleth: a fill colour and an extra line for each shape's tooltip, by code. A shape the
   * fill gives no colour has no figures for this viewer (outside their area): it is drawn hatched
   * grey, its tooltip says so instead of `describe`, and a legend line explains the hatching.
   */
  fill?: (code: string) => string | undefined;
  describe?: (code: string) => string | undefined;
  /** Where a shape leads (default: the region browser). */
  linkTo?: (code: string) => string;
}

/** Outside the viewer's area: neutral grey, hatched, so it reads as "not counted" and never as "none yet". */
const OUTSIDE_FILL = '#e3e5e4';
const OUTSIDE_LINE = '#c5cac8';
const OUTSIDE_STROKE = '#a9b0ad';
const OUTSIDE_SWATCH = `repeating-linear-gradient(45deg, ${OUTSIDE_LINE} 0 2px, ${OUTSIDE_FILL} 2px 5px)`;

const WIDTH = 1000;
const MAX_HEIGHT = 900;

/** Planar signed area in lng/lat: negative means clockwise, the exterior winding d3-geo expects. */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return sum / 2;
}

function windPolygon(rings: Ring[]): Ring[] {
  return rings.map((ring, i) => {
    const clockwise = signedArea(ring) < 0;
    // Exterior clockwise, holes counter-clockwise; GeoJSON files often use the opposite (RFC 7946).
    return (i === 0) === clockwise ? ring : [...ring].reverse();
  });
}

/** d3-geo reads rings in spherical winding order; normalise so no shape turns into "the whole globe minus it". */
export function rewind(fc: RegionCollection): RegionCollection {
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({
      ...f,
      geometry:
        f.geometry.type === 'Polygon'
          ? { type: 'Polygon', coordinates: windPolygon(f.geometry.coordinates) }
          : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map(windPolygon) },
    })),
  };
}

export function isHighlighted(code: string, highlightCodes: string[]): boolean {
  return highlightCodes.some((h) => h === code || h.startsWith(`${code}.`));
}

/** An SVG map drawn with d3-geo (Mercator fitted to the shapes); each shape links to its region. */
export function RegionMap({ collection, label, selectedCode, highlightCodes, fill, describe, linkTo = (c) => `/wilayah/${c}` }: Props) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  const hatchId = `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  const drawn = useMemo(() => {
    const fc = rewind(collection);
    const projection = geoMercator().fitSize([WIDTH, MAX_HEIGHT], fc as never);
    const path = geoPath(projection);
    const [[x0, y0], [x1, y1]] = path.bounds(fc as never);
    const pad = 8;
    return {
      viewBox: `${(x0 - pad).toFixed(1)} ${(y0 - pad).toFixed(1)} ${(x1 - x0 + 2 * pad).toFixed(1)} ${(y1 - y0 + 2 * pad).toFixed(1)}`,
      shapes: fc.features
        .map((f) => ({ code: f.properties.code, name: f.properties.name, d: path(f as never) ?? '' }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    };
  }, [collection]);

  const open = (e: MouseEvent, code: string) => {
    e.preventDefault();
    navigate(linkTo(code));
  };

  // A shape holding one of the viewer's own regions is never "outside", even without a figure of its own.
  const colours = new Map(drawn.shapes.map((s) => [s.code, fill?.(s.code)]));
  const isOutside = (code: string) => !!fill && colours.get(code) === undefined && !isHighlighted(code, highlightCodes);
  const anyOutside = drawn.shapes.some((s) => isOutside(s.code));

  // Draw outside shapes first and the selected and highlighted ones last, so outlines that matter are not covered.
  const rank = (code: string) => (code === selectedCode ? 2 : isHighlighted(code, highlightCodes) ? 1 : isOutside(code) ? -1 : 0);
  const ordered = [...drawn.shapes].sort((a, b) => rank(a.code) - rank(b.code));

  return (
    <>
      <svg className="region-map" viewBox={drawn.viewBox} role="group" aria-label={label} preserveAspectRatio="xMidYMid meet">
        {anyOutside && (
          <defs>
            <pattern id={hatchId} patternUnits="userSpaceOnUse" width="12" height="12" patternTransform="rotate(45)">
              <rect width="12" height="12" fill={OUTSIDE_FILL} />
              <line x1="0" y1="0" x2="0" y2="12" stroke={OUTSIDE_LINE} strokeWidth="5" />
            </pattern>
          </defs>
        )}
        {ordered.map((s) => {
          const outside = isOutside(s.code);
          const cls = ['shape', isHighlighted(s.code, highlightCodes) && 'is-mine', s.code === selectedCode && 'is-selected', outside && 'is-outside']
            .filter(Boolean)
            .join(' ');
          const colour = colours.get(s.code);
          // No colour, no figure: `describe` would only say 0 about a shape it has no count for.
          const extra = fill && colour === undefined ? undefined : describe?.(s.code);
          const title = outside ? t('mapScope.outsideTitle', { name: s.name }) : extra ? `${s.name}: ${extra}` : s.name;
          const style = outside ? { fill: `url(#${hatchId})`, stroke: OUTSIDE_STROKE } : colour ? { fill: colour } : undefined;
          return (
            <a key={s.code} href={linkTo(s.code)} aria-label={title} onClick={(e) => open(e, s.code)}>
              <path className={colour ? `${cls} is-filled` : cls} d={s.d} data-code={s.code} style={style}>
                <title>{title}</title>
              </path>
            </a>
          );
        })}
      </svg>
      {anyOutside && (
        <ul className="legend map-outside-legend">
          <li>
            <span className="swatch" style={{ background: OUTSIDE_SWATCH }} aria-hidden="true" />
            {t('mapScope.outside')}
          </li>
        </ul>
      )}
    </>
  );
}
