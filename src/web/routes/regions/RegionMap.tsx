import { geoMercator, geoPath } from 'd3-geo';
import { useMemo, type MouseEvent } from 'react';
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
  /** Choropleth: a fill colour and an extra line for each shape's tooltip, by code. */
  fill?: (code: string) => string | undefined;
  describe?: (code: string) => string | undefined;
  /** Where a shape leads (default: the region browser). */
  linkTo?: (code: string) => string;
}

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

  // Draw the selected and highlighted shapes last so their outlines are not covered by neighbours.
  const rank = (code: string) => (code === selectedCode ? 2 : isHighlighted(code, highlightCodes) ? 1 : 0);
  const ordered = [...drawn.shapes].sort((a, b) => rank(a.code) - rank(b.code));

  return (
    <svg className="region-map" viewBox={drawn.viewBox} role="group" aria-label={label} preserveAspectRatio="xMidYMid meet">
      {ordered.map((s) => {
        const cls = ['shape', isHighlighted(s.code, highlightCodes) && 'is-mine', s.code === selectedCode && 'is-selected']
          .filter(Boolean)
          .join(' ');
        const colour = fill?.(s.code);
        const extra = describe?.(s.code);
        const title = extra ? `${s.name}: ${extra}` : s.name;
        return (
          <a key={s.code} href={linkTo(s.code)} aria-label={title} onClick={(e) => open(e, s.code)}>
            <path className={colour ? `${cls} is-filled` : cls} d={s.d} data-code={s.code} style={colour ? { fill: colour } : undefined}>
              <title>{title}</title>
            </path>
          </a>
        );
      })}
    </svg>
  );
}
