import { describe, expect, it } from 'vitest';
import { foldSpelling, NAME_NORMALIZER_VERSION, nameKey, nameTokens, normalizePersonName, trigramSimilarity } from './index.ts';

const n = normalizePersonName;

describe('normalizePersonName', () => {
  it('lower-cases, removes accents and punctuation, collapses whitespace', () => {
    expect(n('  BUDI   Santoso ')).toBe('budi santoso');
    expect(n('José Ramos-Horta')).toBe('jose ramos horta');
    expect(n('Çağlar Ñúñez')).toBe('caglar nunez');
    expect(n("Ma'ruf Amin")).toBe('maruf amin');
    expect(n('Ma’ruf\tAmin\n')).toBe('maruf amin');
    expect(n('Budi (Santoso)')).toBe('budi santoso');
    expect(n('')).toBe('');
    expect(n(' ... ')).toBe('');
  });

  it('drops titles before the name', () => {
    expect(n('Hj. Siti Nurhaliza, S.E.')).toBe('siti nurhaliza');
    expect(n('H. Agus Salim')).toBe('agus salim');
    expect(n('Prof. Dr. Ir. H. Budi Santoso')).toBe('budi santoso');
    expect(n('dr. Tirta Mandira')).toBe('tirta mandira');
    expect(n('Drs. Budi')).toBe('budi');
    expect(n('Dra. Siti')).toBe('siti');
    expect(n('Tn. Budi')).toBe('budi');
    expect(n('Ny. Siti')).toBe('siti');
    expect(n('Sdr. Budi')).toBe('budi');
    expect(n('Bpk. Budi')).toBe('budi');
    expect(n('Ibu Ani')).toBe('ani');
    expect(n('Bapak Joko')).toBe('joko');
    expect(n('Dr.Budi')).toBe('budi');
    expect(n('Dr. (H.C.) Ir. Soekarno')).toBe('sukarno');
    expect(n('HJ SITI AMINAH')).toBe('siti aminah');
  });

  it('drops degrees after a comma, and dotted or unmistakable degrees at the end', () => {
    expect(n('Budi Santoso, S.Kom., M.M.')).toBe('budi santoso');
    expect(n('Budi Santoso, S.E.')).toBe('budi santoso');
    expect(n('Budi Santoso, SH, MH')).toBe('budi santoso');
    for (const degree of ['S.H.', 'S.Pd.', 'S.T.', 'S.Sos.', 'M.Si.', 'M.Kom.', 'M.T.', 'A.Md.', 'Ph.D.', 'M.Sc.', 'S.Pd.I', 'A.Md.Kep', 'Sp.OG']) {
      expect(n(`Siti Aminah, ${degree}`), degree).toBe('siti aminah');
    }
    expect(n('Prof. Dr. Ir. H. Budi Santoso, M.Sc., Ph.D.')).toBe('budi santoso');
    expect(n('Budi Santoso S.Kom M.M')).toBe('budi santoso');
    expect(n('Budi Santoso SE')).toBe('budi santoso');
    // short undotted keys that could be names are kept unless dotted or after a comma
    expect(n('Budi Ma')).toBe('budi ma');
    expect(n('Budi, M.A.')).toBe('budi');
    // a comma segment without a degree is part of the name
    expect(n('Santoso, Budi')).toBe('santoso budi');
  });

  it('folds old spellings to today\'s', () => {
    expect(n('Soekarno')).toBe('sukarno');
    expect(n('Soeharto')).toBe(n('Suharto'));
    expect(n('Djoko')).toBe('joko');
    expect(n('Tjipto')).toBe('cipto');
    expect(n('NJOMAN')).toBe('nyoman');
    expect(n('Sjahrir')).toBe('syahrir');
    expect(n('Chairil')).toBe('khairil');
    expect(n('Chairil')).toBe(n('Khairil'));
  });

  it('reads the other j of an old-spelling token as y (Tjahjono → cahyono)', () => {
    expect(n('Tjahjono')).toBe('cahyono');
    expect(n('Tjahjono')).toBe(n('Cahyono'));
    expect(n('Djojohadikoesoemo')).toBe('joyohadikusumo');
    expect(n('Joesoef')).toBe('yusuf');
    expect(n('Moch. Djoko Tjahjono')).toBe('muhammad joko cahyono');
    // today's spellings with j are left alone, and nj alone is not an old-spelling mark
    expect(n('Joko Widodo')).toBe('joko widodo');
    expect(n('Panji Jaya')).toBe('panyi jaya');
    expect(foldSpelling('tjahjono')).toBe('cahyono');
  });

  it('writes Muhammad one way', () => {
    const variants = ['Muhammad', 'Muhamad', 'Mohammad', 'Mohamad', 'Mochammad', 'Mochamad', 'Muchammad', 'Moch.', 'Moh.', 'Mhd.', 'M.', 'M', 'Muh.', 'MOCH'];
    for (const v of variants) expect(n(`${v} Rizki`), v).toBe('muhammad rizki');
    expect(n('Muhamad Rizki')).toBe(n('Mohammad Rizki'));
    expect(n('M. Rizki')).toBe('muhammad rizki');
    expect(n('M.Rizki')).toBe('muhammad rizki');
    expect(n('H. M. Rizki')).toBe('muhammad rizki');
    expect(n('Rizki Mochamad')).toBe('rizki muhammad');
    // an abbreviation later in the name is only an initial
    expect(n('Rizki M. Pratama')).toBe('rizki m pratama');
    expect(n('Achmad Dahlan')).toBe('ahmad dahlan');
  });

  it('handles single-name people', () => {
    expect(n('Sukarno')).toBe('sukarno');
    expect(n('Ir. Soekarno')).toBe('sukarno');
    expect(nameTokens('Soeharto')).toEqual(['suharto']);
    expect(nameKey('Soeharto')).toBe('suharto');
    // never emptied by title rules
    expect(n('Ibu')).toBe('ibu');
    expect(n('M.')).toBe('m');
  });

  it('is stable: normalising twice equals once', () => {
    const samples = [
      'Hj. Siti Nurhaliza, S.E.', 'Moch. Djoko Tjahjono', 'NJOMAN', 'Ibu', 'Ibu Dr', 'H M', 'Ny. Tjoa', 'Nj. Siti', 'Tjhin',
      'ddjo', 'Djojohadikoesoemo', 'Santoso, Budi', 'Dr. (H.C.) Ir. Soekarno', 'Budi Santoso S.Kom M.M', 'SE Budi', 'M',
    ];
    for (const s of samples) expect(n(n(s)), s).toBe(n(s));
    // random strings from a name-ish alphabet
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'aeioudjtnschmyhkrbsl .,-\'ÉéMHDIPSTN';
    for (let k = 0; k < 2000; k++) {
      let s = '';
      const len = 1 + Math.floor(rand() * 20);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      expect(n(n(s)), JSON.stringify(s)).toBe(n(s));
    }
  });

  it('has a version', () => {
    expect(NAME_NORMALIZER_VERSION).toBe(1);
  });
});

describe('nameTokens and nameKey', () => {
  it('gives the normalised tokens', () => {
    expect(nameTokens('Budi Santoso, S.Kom.')).toEqual(['budi', 'santoso']);
    expect(nameTokens('')).toEqual([]);
  });

  it('blocks on sorted distinct tokens without muhammad and initials', () => {
    expect(nameKey('M. Rizki Pratama')).toBe('pratama rizki');
    expect(nameKey('Pratama, Rizki')).toBe('pratama rizki');
    expect(nameKey('Muhammad R. Rizki Pratama')).toBe('pratama rizki');
    expect(nameKey('Muhammad')).toBe('muhammad');
    expect(nameKey('Hj. Siti Nurhaliza, S.E.')).toBe(nameKey('SITI NURHALIZA'));
  });
});

describe('trigramSimilarity', () => {
  it('matches pg_trgm', () => {
    // pg_trgm: similarity('word', 'two words') = 0.363636
    expect(trigramSimilarity('word', 'two words')).toBeCloseTo(4 / 11, 5);
    expect(trigramSimilarity('budi', 'budi')).toBe(1);
    expect(trigramSimilarity('', 'budi')).toBe(0);
  });

  it('forgives typos once names are normalised', () => {
    expect(trigramSimilarity(n('Soekarno'), n('Sukarno'))).toBe(1);
    expect(trigramSimilarity(n('Siti Nurhaliza'), n('Siti Nurhalisa'))).toBeGreaterThan(0.5);
  });
});
