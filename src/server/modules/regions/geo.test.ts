import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipEtag, loadGeoStore, matchesEtag } from './geo.ts';

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['gzip;q=0', false],
    ['*', true],
    ['identity', false],
    ['*;q=0.5, gzip;q=0', false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('matchesEtag', () => {
  it('matches either representation, a weak form, a list or a star', () => {
    const etag = '"abc"';
    expect(matchesEtag('"abc"', etag)).toBe(true);
    expect(matchesEtag(gzipEtag(etag), etag)).toBe(true);
    expect(matchesEtag('W/"abc"', etag)).toBe(true);
    expect(matchesEtag('"x", "abc"', etag)).toBe(true);
    expect(matchesEtag('*', etag)).toBe(true);
    expect(matchesEtag('"abd"', etag)).toBe(false);
    expect(matchesEtag(undefined, etag)).toBe(false);
  });
});

describe('loadGeoStore', () => {
  const store = loadGeoStore();

  it('serves the provinces and the regencies, all or per province', () => {
    expect(JSON.parse(store.provinces.raw.toString()).features).toHaveLength(38);
    expect(JSON.parse(store.regencies()!.raw.toString()).features).toHaveLength(514);
    const westJava = JSON.parse(store.regencies('32')!.raw.toString());
    expect(westJava.features).toHaveLength(27);
    expect(westJava.features.every((f: { properties: { code: string } }) => f.properties.code.startsWith('32.'))).toBe(true);
    expect(store.regencies('99')).toBeNull();
  });

  it('gzips to the same bytes and remembers the result', () => {
    const gz = store.provinces.gzipped();
    expect(zlib.gunzipSync(gz).equals(store.provinces.raw)).toBe(true);
    expect(gz.length).toBeLessThan(store.provinces.raw.length / 2);
    expect(store.provinces.gzipped()).toBe(gz);
  });
});
