/**
 * Boundary GeoJSON for maps, held in memory: the provinces, all regencies, and the regencies of
 * each province. Each variant is serialised once, and gzipped once on first request, with an
 * ETag, so a phone on slow data downloads ~25 KB instead of 89 KB and nothing on a revisit.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { MAP_ATTRIBUTION } from './attribution.ts';
import { GEO_DIR } from './load.ts';

interface Feature {
  type: 'Feature';
  properties: { code: string; name: string; lat?: number; lng?: number };
  geometry: unknown;
}

export interface GeoBody {
  raw: Buffer;
  etag: string;
  /** Computed on first use: most clients ask for gzip, but not every variant is ever asked for. */
  gzipped(): Buffer;
}

function body(features: Feature[]): GeoBody {
  // A foreign member (RFC 7946 §6.1): map libraries ignore it, our map shows it.
  const raw = Buffer.from(JSON.stringify({ type: 'FeatureCollection', attribution: MAP_ATTRIBUTION, features }));
  const etag = `"${crypto.createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
  let gz: Buffer | undefined;
  return {
    raw,
    etag,
    gzipped: () => (gz ??= zlib.gzipSync(raw, { level: 9 })),
  };
}

export interface GeoStore {
  provinces: GeoBody;
  /** Regencies of one province ("32"), or all of them (undefined); null for an unknown province. */
  regencies(province?: string): GeoBody | null;
}

function readFeatures(geoDir: string, file: string): Feature[] {
  return (JSON.parse(fs.readFileSync(path.join(geoDir, file), 'utf8')) as { features: Feature[] }).features;
}

export function loadGeoStore(geoDir = GEO_DIR): GeoStore {
  const provinces = readFeatures(geoDir, 'provinces.geojson');
  const regencies = readFeatures(geoDir, 'regencies.geojson');
  const byProvince = new Map<string, Feature[]>(provinces.map((p) => [p.properties.code, []]));
  for (const f of regencies) byProvince.get(f.properties.code.slice(0, 2))?.push(f);
  const perProvince = new Map<string, GeoBody>();
  let all: GeoBody | undefined;
  return {
    provinces: body(provinces),
    regencies(province) {
      if (province === undefined) return (all ??= body(regencies));
      const features = byProvince.get(province);
      if (!features) return null;
      let b = perProvince.get(province);
      if (!b) perProvince.set(province, (b = body(features)));
      return b;
    },
  };
}

/** Whether an Accept-Encoding header allows gzip (explicitly, or through "*", and not with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (coding.trim() === 'gzip') return q > 0;
    if (coding.trim() === '*') star = q > 0;
  }
  return star;
}

/** Whether an If-None-Match header names this ETag (either representation's, or "*"). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || tag === gzipEtag(etag);
  });
}

/** A different ETag for the gzipped bytes: a strong ETag names exact bytes (RFC 9110 §8.8.3). */
export function gzipEtag(etag: string): string {
  return `${etag.slice(0, -1)}-gz"`;
}
