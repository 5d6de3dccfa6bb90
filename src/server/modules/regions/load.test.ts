import { describe, expect, it } from 'vitest';
import { countByLevel, parseCsv, readCentroids, readRegionRows } from './load.ts';
import { normalizeName } from './normalize.ts';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    const text = 'code,district_code,name\n12.07.28.1007,12.07.28,"Lubuk Pakam I,II"\r\n35.29.22,35.29,"Ra""as"\n1,2,"two\nlines"\n';
    expect(parseCsv(text)).toEqual([
      ['code', 'district_code', 'name'],
      ['12.07.28.1007', '12.07.28', 'Lubuk Pakam I,II'],
      ['35.29.22', '35.29', 'Ra"as'],
      ['1', '2', 'two\nlines'],
    ]);
  });

  it('reads a last line without a newline, empty fields and a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,,c\nd,e,')).toEqual([
      ['a', '', 'c'],
      ['d', 'e', ''],
    ]);
  });

  it('rejects a quote that never closes', () => {
    expect(() => parseCsv('a,"b\nc')).toThrow(/Malformed CSV/);
  });
});

describe('the shipped region data', () => {
  const rows = readRegionRows();

  it('has every province, regency, district and village of idn-area-data 4.0.1', () => {
    expect(countByLevel(rows)).toEqual({ 1: 38, 2: 514, 3: 7285, 4: 83762 });
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
  });

  it('lists parents before children, each child under an existing parent with the matching code prefix', () => {
    const seen = new Set<string>();
    const misplaced: string[] = [];
    for (const r of rows) {
      if (r.parentCode && (!seen.has(r.parentCode) || !r.code.startsWith(`${r.parentCode}.`))) misplaced.push(r.code);
      seen.add(r.code);
    }
    expect(misplaced).toEqual([]);
  });

  it('keeps quoted names whole', () => {
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect(byCode.get('12.07.28.1007')?.name).toBe('Lubuk Pakam I,II');
    expect(byCode.get('35.29.22')?.name).toBe('Ra"as');
  });

  it('has a centroid for every province and regency, from the boundary files', () => {
    const centroids = readCentroids();
    expect(centroids.size).toBe(38 + 514);
    for (const r of rows.filter((x) => x.level <= 2)) {
      expect(r.lat, r.code).toBeTypeOf('number');
      expect(r.lat!).toBeGreaterThan(-12);
      expect(r.lat!).toBeLessThan(7);
      expect(r.lng!).toBeGreaterThan(94);
      expect(r.lng!).toBeLessThan(142);
    }
  });

  it('stores search names that are already normalised', () => {
    expect(rows.filter((r) => normalizeName(r.searchName) !== r.searchName).map((r) => r.name)).toEqual([]);
  });
});
