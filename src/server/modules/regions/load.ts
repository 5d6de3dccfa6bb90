/**
 * Reads the shipped region data (idn-area-data CSV files and the boundary GeoJSON) into rows
 * ready for the `regions` table. No database access here: see repository.ts.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeName } from './normalize.ts';

export const GEO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../data/geo');

const packageJsonPath = createRequire(import.meta.url).resolve('idn-area-data/package.json');
export const IDN_AREA_DATA_DIR = path.join(path.dirname(packageJsonPath), 'data');

/** The installed idn-area-data version: a different one means different data to load. */
export function idnAreaDataVersion(): string {
  return (JSON.parse(fs.readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
}

export type RegionLevel = 1 | 2 | 3 | 4;

export interface RegionRow {
  code: string;
  parentCode: string | null;
  level: RegionLevel;
  name: string;
  searchName: string;
  lat: number | null;
  lng: number | null;
}

/** One field and what ends it; sticky, so each match starts where the previous one ended. */
const CSV_FIELD = /(?:"((?:[^"]|"")*)"|([^",\r\n]*))(,|\r?\n|$)/y;

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes ("Ra""as"). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let end = '';
  CSV_FIELD.lastIndex = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (CSV_FIELD.lastIndex < text.length) {
    const at = CSV_FIELD.lastIndex;
    const m = CSV_FIELD.exec(text);
    if (!m || (m[0] === '' && at < text.length)) {
      throw new Error(`Malformed CSV near character ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
    }
    row.push(m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]);
    end = m[3];
    if (end !== ',') {
      rows.push(row);
      row = [];
    }
  }
  // "a,b," at the very end: the comma opened one more, empty, field.
  if (end === ',') row.push('');
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Reads one idn-area-data file as records keyed by its header, checking the expected columns. */
function readCsvFile(file: string, columns: string[]): Record<string, string>[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(path.join(IDN_AREA_DATA_DIR, file), 'utf8'));
  const index = columns.map((c) => header.indexOf(c));
  if (index.some((i) => i < 0)) {
    throw new Error(`${file}: expected columns ${columns.join(', ')}, found ${header.join(', ')}`);
  }
  return rows
    .filter((r) => r.length > 1 || r[0] !== '')
    .map((r) => Object.fromEntries(columns.map((c, k) => [c, r[index[k]].trim()])));
}

/** Centroids keyed by region code, from the boundary files' `properties.lat/lng`. */
export function readCentroids(geoDir = GEO_DIR): Map<string, { lat: number; lng: number }> {
  const centroids = new Map<string, { lat: number; lng: number }>();
  for (const file of ['provinces.geojson', 'regencies.geojson']) {
    const collection = JSON.parse(fs.readFileSync(path.join(geoDir, file), 'utf8')) as {
      features: { properties: { code: string; lat?: number; lng?: number } }[];
    };
    for (const { properties: p } of collection.features) {
      if (typeof p.lat === 'number' && typeof p.lng === 'number') centroids.set(p.code, { lat: p.lat, lng: p.lng });
    }
  }
  return centroids;
}

const LEVEL_FILES: { level: RegionLevel; file: string; parentColumn: string | null }[] = [
  { level: 1, file: 'provinces.csv', parentColumn: null },
  { level: 2, file: 'regencies.csv', parentColumn: 'province_code' },
  { level: 3, file: 'districts.csv', parentColumn: 'regency_code' },
  { level: 4, file: 'villages.csv', parentColumn: 'district_code' },
];

/** Every region, parents before children (the order the foreign key on parent_code needs). */
export function readRegionRows(geoDir = GEO_DIR): RegionRow[] {
  const centroids = readCentroids(geoDir);
  const rows: RegionRow[] = [];
  for (const { level, file, parentColumn } of LEVEL_FILES) {
    const columns = parentColumn ? ['code', parentColumn, 'name'] : ['code', 'name'];
    for (const r of readCsvFile(file, columns)) {
      const centroid = centroids.get(r.code);
      rows.push({
        code: r.code,
        parentCode: parentColumn ? r[parentColumn] : null,
        level,
        name: r.name,
        searchName: normalizeName(r.name),
        lat: centroid?.lat ?? null,
        lng: centroid?.lng ?? null,
      });
    }
  }
  return rows;
}

export function countByLevel(rows: { level: number }[]): Record<RegionLevel, number> {
  const counts: Record<RegionLevel, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const r of rows) counts[r.level as RegionLevel]++;
  return counts;
}
