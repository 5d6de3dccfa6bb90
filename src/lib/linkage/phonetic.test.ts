import { describe, expect, it } from 'vitest';
import { normalizeName } from './normalize.ts';
import { phoneticKey, phoneticKeyOfNormalized, phoneticToken, soundsAlike } from './phonetic.ts';

describe('phoneticKey: names it unites', () => {
  const same: Array<[string, string, string]> = [
    // [a, b, why]
    ['Joko', 'Djoko', 'old spelling dj'],
    ['Sukarno', 'Soekarno', 'old spelling oe'],
    ['Cahyo', 'Tjahjo', 'old spelling tj, j as y'],
    ['Wahyu', 'Wahju', 'hj is old spelling'],
    ['Syahrir', 'Sjahrir', 'old spelling sj'],
    ['Nyoman', 'Njoman', 'old spelling nj'],
    ['Khairul', 'Chairul', 'ch as kh'],
    ['Khairul', 'Hairul', 'kh / h'],
    ['Chairul', 'Khaerul', 'ae / ai'],
    ['Rahmat', 'Rachmat', 'ch → kh → h'],
    ['Ahmad', 'Achmad', 'Ahmad variants'],
    ['Muhammad Yusuf', 'Moch. Yusup', 'Muhammad variants, f / p'],
    ['Muhammad', 'Muhamad', 'doubled letters'],
    ['Annisa', 'Anisa', 'doubled letters'],
    ['Hasanuddin', 'Hasanudin', 'doubled letters'],
    ['Hendry', 'Hendri', 'y / i ending'],
    ['Rizky', 'Rizki', 'y / i ending'],
    ['Sofie', 'Sofi', 'ie ending'],
    ['Bayu', 'Bayuw', 'w / u ending'],
    ['Fatimah', 'Fatima', 'final h after a vowel'],
    ['Aisyah', 'Aisya', 'final h, sy / s'],
    ['Fitri', 'Pitri', 'f / p'],
    ['Vina', 'Fina', 'v / f'],
    ['Stephanie', 'Stefani', 'ph / f, ie ending'],
    ['Zainal', 'Jainal', 'z / j'],
    ['Dzikri', 'Zikri', 'dz / z'],
    ['Ramadhan', 'Ramadan', 'dh / d'],
    ['Fathur', 'Fatur', 'th / t'],
    ['Qomar', 'Komar', 'q / k'],
    ['Taufiq', 'Taufik', 'q / k'],
    ['Syarif', 'Sarif', 'sy / s'],
    ['Shinta', 'Sinta', 'sh / s'],
    ['Tsabit', 'Sabit', 'ts / s'],
    ['Ghani', 'Gani', 'gh / g'],
    ['Jackie', 'Jaki', 'ck / k, ie ending'],
    ['Rasyid', 'Rasyit', 'd / t ending'],
    ['Hj. Siti Khodijah, S.Pd.', 'Siti Chodijah', 'titles, ch / kh'],
    ['Chandra', 'Candra', 'non-Arabic ch'],
  ];
  for (const [a, b, why] of same) {
    it(`${a} = ${b} (${why})`, () => {
      expect(phoneticKey(a)).toBe(phoneticKey(b));
      expect(soundsAlike(a, b)).toBe(true);
    });
  }
});

describe('phoneticKey: names it keeps apart', () => {
  const different: Array<[string, string, string]> = [
    ['Dewi', 'Dewa', 'vowels are kept'],
    ['Sri', 'Siti', 'different consonants'],
    ['Budi', 'Bada', 'vowels are kept'],
    ['Joko', 'Juku', 'o / u are kept'],
    ['Dedi', 'Didi', 'e / i are kept'],
    ['Candra', 'Kandra', 'c / k are kept'],
    ['Rina', 'Rini', 'final vowel'],
    ['Agus', 'Bagus', 'an added letter'],
    ['Nurjaman', 'Nuryaman', 'rj is ambiguous'],
    ['Raja', 'Raya', 'j between vowels is kept'],
    ['Siti Aminah', 'Aminah Siti', 'token order is kept (sort for blocking if needed)'],
  ];
  for (const [a, b, why] of different) {
    it(`${a} ≠ ${b} (${why})`, () => {
      expect(phoneticKey(a)).not.toBe(phoneticKey(b));
      expect(soundsAlike(a, b)).toBe(false);
    });
  }
});

describe('phoneticToken', () => {
  it('produces the documented keys', () => {
    expect(phoneticToken('djoko')).toBe('joko');
    expect(phoneticToken('chairul')).toBe('hairul');
    expect(phoneticToken('muhammad')).toBe('muhamat');
    expect(phoneticToken('xaverius')).toBe('ksaperius');
    expect(phoneticToken('Fatimah')).toBe('patima');
  });

  it('leaves initials and very short tokens alone', () => {
    expect(phoneticToken('y')).toBe('y');
    expect(phoneticToken('ah')).toBe('ah');
    expect(phoneticToken('')).toBe('');
  });

  it('is stable: keying a key changes nothing', () => {
    for (const token of ['djoko', 'chairul', 'muhammad', 'stephanie', 'hendry', 'fatimah', 'zainal', 'wahju', 'qomar']) {
      const key = phoneticToken(token);
      expect(phoneticToken(key), token).toBe(key);
    }
  });
});

describe('phoneticKey', () => {
  it('keys every token of the normalised name, in order', () => {
    expect(phoneticKey('Moch. Yusuf')).toBe('muhamat yusup');
    expect(phoneticKey('Prof. Dr. Hj. Siti Fatimah, M.Si.')).toBe('siti patima');
  });

  it('equals phoneticKeyOfNormalized of the normalised name', () => {
    for (const name of ['Moch. Yusuf', 'Hj. Siti Khodijah, S.Pd.', 'Djoko Tjahjono', 'Soekarno', '', 'Abdurrahman Wahid']) {
      expect(phoneticKeyOfNormalized(normalizeName(name)), name).toBe(phoneticKey(name));
    }
    expect(phoneticKeyOfNormalized('muhammad yusuf')).toBe('muhamat yusup');
  });

  it('is empty for a name without letters, and soundsAlike is then false', () => {
    expect(phoneticKey('')).toBe('');
    expect(phoneticKey('123')).toBe('');
    expect(soundsAlike('', '')).toBe(false);
  });
});
