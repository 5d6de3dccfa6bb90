import { describe, expect, it } from 'vitest';
import { normalizeName, parseRegionQuery, wordSimilarityThreshold } from './normalize.ts';

describe('normalizeName', () => {
  it('lower-cases, strips accents and punctuation, and collapses spaces', () => {
    expect(normalizeName('  KOTA   Bandung ')).toBe('kota bandung');
    expect(normalizeName('Lubuk Pakam I,II')).toBe('lubuk pakam i ii');
    expect(normalizeName('Bénoa—Kuta')).toBe('benoa kuta');
    expect(normalizeName('Ra"as')).toBe('ra as');
  });

  it('joins a word split by an apostrophe, whichever apostrophe was typed', () => {
    expect(normalizeName('Regapu’u')).toBe('regapuu');
    expect(normalizeName("Regapu'u")).toBe('regapuu');
  });

  it('expands administrative abbreviations, with or without a dot', () => {
    expect(normalizeName('Kab. Bandung')).toBe('kabupaten bandung');
    expect(normalizeName('kab bandung')).toBe(normalizeName('Kabupaten Bandung'));
    expect(normalizeName('Kec. Coblong')).toBe('kecamatan coblong');
    expect(normalizeName('kel cempaka putih')).toBe('kelurahan cempaka putih');
    expect(normalizeName('Prov. Jawa Barat')).toBe('provinsi jawa barat');
    expect(normalizeName('Kab. Kep. Meranti')).toBe('kabupaten kepulauan meranti');
  });

  it('expands province abbreviations people use', () => {
    expect(normalizeName('DKI Jakarta')).toBe(normalizeName('Daerah Khusus Ibukota Jakarta'));
    expect(normalizeName('DI Yogyakarta')).toBe(normalizeName('Daerah Istimewa Yogyakarta'));
    expect(normalizeName('DIY')).toBe(normalizeName('Daerah Istimewa Yogyakarta'));
    expect(normalizeName('Jabar')).toBe('jawa barat');
    expect(normalizeName('NTT')).toBe('nusa tenggara timur');
    expect(normalizeName('Sumatra Utara')).toBe('sumatera utara');
  });

  it('keeps "di" as a word unless it starts a longer name', () => {
    expect(normalizeName('di')).toBe('di');
    expect(normalizeName('Pulau di Laut')).toBe('pulau di laut');
  });

  it('does not treat names of Object.prototype members as abbreviations', () => {
    expect(normalizeName('constructor')).toBe('constructor');
    expect(normalizeName('toString')).toBe('tostring');
  });

  it.each([
    ['Djakarta', 'Jakarta'],
    ['Tjilatjap', 'Cilacap'],
    ['Soerabaja', 'Surabaya'],
    ['Bandoeng', 'Bandung'],
    ['Djogjakarta', 'Yogyakarta'],
    ['Jogjakarta', 'Yogyakarta'],
    ['Tjiandjur', 'Cianjur'],
    ['Atjeh', 'Aceh'],
    ['Njalindung', 'Nyalindung'],
    ['Sjamsudin', 'Syamsudin'],
    ['Chairul', 'Khairul'],
    ['Bandjarmasin', 'Banjarmasin'],
  ])('folds the old spelling %s and today’s %s together', (old, modern) => {
    expect(normalizeName(old)).toBe(normalizeName(modern));
  });

  it('makes "Jogja" a prefix of Yogyakarta', () => {
    expect(normalizeName('Yogyakarta').startsWith(normalizeName('Jogja'))).toBe(true);
  });

  it('gives the same result when applied twice', () => {
    for (const name of ['Djogjakarta', 'Kab. Kep. Seribu', 'DIY', 'Tdjitdjoe', 'Tyoe', 'Regapu’u', 'Daerah Istimewa Yogyakarta']) {
      expect(normalizeName(normalizeName(name))).toBe(normalizeName(name));
    }
  });
});

describe('parseRegionQuery', () => {
  it('reads a level from a leading administrative word that stored names do not carry', () => {
    expect(parseRegionQuery('Kec. Coblong')).toEqual({ text: 'coblong', levelHint: 3 });
    expect(parseRegionQuery('kelurahan cempaka putih')).toEqual({ text: 'cempaka putih', levelHint: 4 });
    expect(parseRegionQuery('desa sukamaju')).toEqual({ text: 'sukamaju', levelHint: 4 });
    expect(parseRegionQuery('provinsi jawa barat')).toEqual({ text: 'jawa barat', levelHint: 1 });
  });

  it('keeps "kabupaten" and "kota" in the text, since regency names are stored with them', () => {
    expect(parseRegionQuery('kab bandung')).toEqual({ text: 'kabupaten bandung', levelHint: 2 });
    expect(parseRegionQuery('KOTA BANDUNG')).toEqual({ text: 'kota bandung' });
  });

  it('leaves a lone administrative word as the text', () => {
    expect(parseRegionQuery('desa')).toEqual({ text: 'desa' });
  });
});

describe('wordSimilarityThreshold', () => {
  it('is low for short queries, so one typo still matches, and higher for long ones', () => {
    expect(wordSimilarityThreshold('bandng')).toBe(0.5);
    expect(wordSimilarityThreshold('surabja')).toBe(0.56);
    expect(wordSimilarityThreshold('bandung barat')).toBe(0.7);
    expect(wordSimilarityThreshold('daerah khusus ibukota jakarta')).toBe(0.7);
  });
});
