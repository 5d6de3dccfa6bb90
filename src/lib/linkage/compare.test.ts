import { describe, expect, it } from 'vitest';
import {
  compareDates,
  compareNik,
  damerauLevenshtein,
  damerauLevenshteinSimilarity,
  exact,
  jaro,
  jaroWinkler,
  levenshtein,
  levenshteinSimilarity,
  mongeElkan,
  tokenJaccard,
  tokenSortJaroWinkler,
  tokenSortSimilarity,
  tokenSubset,
} from './compare.ts';

// Straightforward reference implementations (allocating, textbook) to check the buffer-reusing ones.
function referenceJaro(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const usedA = new Array<boolean>(a.length).fill(false);
  const usedB = new Array<boolean>(b.length).fill(false);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (!usedB[j] && a[i] === b[j]) {
        usedA[i] = usedB[j] = true;
        m++;
        break;
      }
    }
  }
  if (!m) return 0;
  const sa = [...a].filter((_, i) => usedA[i]);
  const sb = [...b].filter((_, i) => usedB[i]);
  const t = sa.filter((c, i) => c !== sb[i]).length / 2;
  return (m / a.length + m / b.length + (m - Math.floor(t)) / m) / 3;
}

function referenceOsa(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push(new Array<number>(b.length + 1).fill(0));
  for (let i = 0; i <= a.length; i++) d[i][0] = i;
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function referenceLevenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

// Deterministic pseudo-random strings over a small alphabet (so matches and transpositions happen).
function randomStrings(count: number, seed = 42, minLength = 0, maxLength = 13): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const length = minLength + (next() % (maxLength - minLength + 1));
    let s = '';
    for (let i = 0; i < length; i++) s += 'abcde'[next() % 5];
    out.push(s);
  }
  return out;
}

describe('jaro / jaroWinkler', () => {
  it('matches the published reference values', () => {
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaro('DWAYNE', 'DUANE')).toBeCloseTo(0.822, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaro('DIXON', 'DICKSONX')).toBeCloseTo(0.767, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('JELLYFISH', 'SMELLYFISH')).toBeCloseTo(0.896, 3);
  });

  it('is 1 for identical strings, 0 for nothing in common, and handles empty strings', () => {
    expect(jaroWinkler('siti', 'siti')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('', 'budi')).toBe(0);
    expect(jaroWinkler('budi', '')).toBe(0);
    expect(jaro('a', 'a')).toBe(1);
    expect(jaro('a', 'b')).toBe(0);
  });

  it('gives the same answer on both sides of the 32-character bit-parallel limit', () => {
    // Lengths 28..36 mix the bit-parallel path (both ≤ 32) and the scanning path (either > 32).
    const strings = [...randomStrings(60, 11, 28, 36), 'a'.repeat(32), 'a'.repeat(31) + 'b', 'b' + 'a'.repeat(31), 'ab'.repeat(16)];
    for (const a of strings) for (const b of strings) expect(jaro(a, b)).toBeCloseTo(referenceJaro(a, b), 12);
    // Characters outside ASCII index the position table too.
    expect(jaro('čaj ąę 日本', '日本 čaj ąę')).toBeCloseTo(referenceJaro('čaj ąę 日本', '日本 čaj ąę'), 12);
  });

  it('is symmetric and stays within 0..1', () => {
    const strings = randomStrings(60);
    for (const a of strings) {
      for (const b of strings) {
        const forward = jaroWinkler(a, b);
        expect(forward).toBeGreaterThanOrEqual(0);
        expect(forward).toBeLessThanOrEqual(1);
        expect(forward).toBeCloseTo(jaroWinkler(b, a), 12);
      }
    }
  });

  it('agrees with a textbook implementation on random strings, long ones included (buffer growth)', () => {
    const strings = [...randomStrings(80, 7), 'a'.repeat(100) + 'bc', 'b' + 'a'.repeat(150), 'x'.repeat(300)];
    for (const a of strings) for (const b of strings) expect(jaro(a, b)).toBeCloseTo(referenceJaro(a, b), 12);
  });

  it('gives the prefix bonus only above the boost threshold (0.7) and only for up to 4 characters', () => {
    // "muhammad" vs "mursidi": shared "mu" but Jaro below 0.7: no bonus.
    const low = jaro('muhammad', 'mursidi');
    expect(low).toBeLessThan(0.7);
    expect(jaroWinkler('muhammad', 'mursidi')).toBe(low);
    // A prefix longer than 4 counts as 4.
    const j = jaro('santosoa', 'santosob');
    expect(jaroWinkler('santosoa', 'santosob')).toBeCloseTo(j + 4 * 0.1 * (1 - j), 12);
    // prefixScale and boostThreshold are parameters.
    expect(jaroWinkler('MARTHA', 'MARHTA', 0)).toBeCloseTo(jaro('MARTHA', 'MARHTA'), 12);
    expect(jaroWinkler('muhammad', 'mursidi', 0.1, 0)).toBeGreaterThan(low);
  });

  it('scores Indonesian spelling variants high and different names lower', () => {
    expect(jaroWinkler('agus', 'agoes')).toBeGreaterThan(0.8);
    expect(jaroWinkler('suharto', 'soeharto')).toBeGreaterThan(0.85); // normalisation (oe→u) makes them equal
    expect(jaroWinkler('dewi', 'dewa')).toBeLessThan(jaroWinkler('dewi', 'dewi'));
    expect(jaroWinkler('sri', 'siti')).toBeLessThan(0.8);
  });
});

describe('levenshtein / damerauLevenshtein', () => {
  it('computes known distances', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('siti', 'stii')).toBe(2);
    expect(damerauLevenshtein('siti', 'stii')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('budi', 'budi')).toBe(0);
    expect(damerauLevenshtein('', 'budi')).toBe(4);
  });

  it('is the optimal string alignment variant (CA → ABC is 3, not 2)', () => {
    expect(damerauLevenshtein('CA', 'ABC')).toBe(3);
  });

  it('agrees with textbook implementations on random strings, long ones included', () => {
    const strings = [...randomStrings(70, 3), 'ab'.repeat(70), 'ba'.repeat(70) + 'c'];
    for (const a of strings) {
      for (const b of strings) {
        expect(levenshtein(a, b)).toBe(referenceLevenshtein(a, b));
        expect(damerauLevenshtein(a, b)).toBe(referenceOsa(a, b));
      }
    }
  });

  it('gives the same answer on both sides of the 32-character bit-parallel limit', () => {
    const strings = [...randomStrings(50, 5, 28, 36), ...randomStrings(20, 9, 0, 6), 'a'.repeat(32), 'b' + 'a'.repeat(31), 'ab'.repeat(16), 'ba'.repeat(16)];
    for (const a of strings) {
      for (const b of strings) {
        expect(levenshtein(a, b)).toBe(referenceLevenshtein(a, b));
        expect(damerauLevenshtein(a, b)).toBe(referenceOsa(a, b));
      }
    }
    expect(damerauLevenshtein('čaj ąę 日本', 'čja ąę 本日')).toBe(referenceOsa('čaj ąę 日本', 'čja ąę 本日'));
  });

  it('turns distances into similarities in 0..1', () => {
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 12);
    expect(levenshteinSimilarity('', '')).toBe(1);
    expect(levenshteinSimilarity('abc', '')).toBe(0);
    expect(damerauLevenshteinSimilarity('siti', 'stii')).toBe(0.75);
    expect(damerauLevenshteinSimilarity('', '')).toBe(1);
  });
});

describe('exact', () => {
  it('is strict equality of normalised values', () => {
    expect(exact('budi', 'budi')).toBe(true);
    expect(exact('budi', 'Budi')).toBe(false);
    expect(exact('', '')).toBe(true);
  });
});

describe('compareDates', () => {
  it('classifies the usual birth-date errors', () => {
    expect(compareDates('1985-03-04', '1985-03-04')).toBe('exact');
    expect(compareDates('1985-03-04', '1985-04-03')).toBe('day_month_swapped');
    expect(compareDates('1985-03-04', '1986-03-04')).toBe('year_off_by_one_digit');
    expect(compareDates('1985-03-04', '1995-03-04')).toBe('year_off_by_one_digit');
    expect(compareDates('1985-03-04', '1958-03-04')).toBe('one_part_differs'); // two year digits differ
    expect(compareDates('1985-03-04', '1985-03-05')).toBe('one_part_differs');
    expect(compareDates('1985-03-04', '1985-11-04')).toBe('one_part_differs');
    expect(compareDates('1985-03-04', '1986-04-03')).toBe('different');
    expect(compareDates('1985-03-04', '1990-07-21')).toBe('different');
  });

  it('does not call a date whose day equals its month "swapped"', () => {
    expect(compareDates('1985-03-03', '1985-03-03')).toBe('exact');
  });

  it('answers "different" for values that are not ISO dates', () => {
    expect(compareDates('', '')).toBe('different');
    expect(compareDates('04/03/1985', '04/03/1985')).toBe('different');
    expect(compareDates('1985-03-04', '')).toBe('different');
  });
});

describe('compareNik', () => {
  const nik = '3273014507900001';
  it('classifies one substituted digit and an adjacent transposition', () => {
    expect(compareNik(nik, nik)).toBe('exact');
    expect(compareNik(nik, '3273014507900002')).toBe('one_digit');
    expect(compareNik(nik, '8273014507900001')).toBe('one_digit');
    expect(compareNik(nik, '3273104507900001')).toBe('transposed');
    expect(compareNik(nik, '3273014507900010')).toBe('transposed');
  });

  it('answers "different" otherwise', () => {
    expect(compareNik(nik, '3273014507900012')).toBe('different'); // two substitutions, adjacent but not a swap
    expect(compareNik(nik, '3273014507910011')).toBe('different'); // two substitutions apart
    expect(compareNik(nik, '327301450790001')).toBe('different'); // length
    expect(compareNik('', '')).toBe('different');
    expect(compareNik(nik, '1111111111111111')).toBe('different');
  });

  it('does not count a swap of two equal digits (which changes nothing) as anything but exact', () => {
    expect(compareNik('3273000000000001', '3273000000000001')).toBe('exact');
  });
});

describe('name token comparators', () => {
  it('token-sort ignores word order', () => {
    expect(tokenSortJaroWinkler('siti aminah', 'aminah siti')).toBe(1);
    expect(tokenSortJaroWinkler('siti aminah', 'aminah sity')).toBeGreaterThan(0.9);
    expect(tokenSortSimilarity('siti aminah', 'aminah siti', levenshteinSimilarity)).toBe(1);
    expect(jaroWinkler('siti aminah', 'aminah siti')).toBeLessThan(0.7);
  });

  it('Monge-Elkan tolerates an added token and a typo in each token', () => {
    expect(mongeElkan('siti nur aminah', 'siti aminah')).toBeCloseTo(5 / 6, 12);
    expect(mongeElkan('aminah sity', 'siti aminah')).toBeGreaterThan(0.9);
    expect(mongeElkan('budi santoso', 'budi santoso')).toBe(1);
    expect(mongeElkan('', '')).toBe(1);
    expect(mongeElkan('budi', '')).toBe(0);
    expect(mongeElkan('budi santoso', 'dewi lestari')).toBeLessThan(0.7);
  });

  it('Jaccard counts shared tokens', () => {
    expect(tokenJaccard('budi santoso', 'santoso budi')).toBe(1);
    expect(tokenJaccard('budi santoso', 'budi')).toBe(0.5);
    expect(tokenJaccard('budi', 'dewi')).toBe(0);
    expect(tokenJaccard('', '')).toBe(1);
    expect(tokenJaccard('  budi   santoso ', 'budi santoso')).toBe(1);
  });

  it('tokenSubset finds a single name inside a longer one', () => {
    expect(tokenSubset('budi', 'budi santoso')).toBe(true);
    expect(tokenSubset('budi santoso', 'budi')).toBe(true);
    expect(tokenSubset('santoso', 'budi santoso')).toBe(true);
    expect(tokenSubset('budi', 'budiman santoso')).toBe(false);
    expect(tokenSubset('', 'budi')).toBe(false);
  });
});

describe('library boundary', () => {
  it('imports nothing from the rest of the product: only files inside src/lib/linkage and node: built-ins', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const root = path.dirname(fileURLToPath(import.meta.url));
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !/\.test\./.test(entry.name)) sources.push(full);
      }
    };
    walk(root);
    expect(sources.length).toBeGreaterThan(0);
    const offending: string[] = [];
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const specifier = match[1] ?? match[2];
        if (specifier.startsWith('node:')) continue;
        const inside = specifier.startsWith('.') && path.resolve(path.dirname(file), specifier).startsWith(root + path.sep);
        if (!inside) offending.push(`${path.relative(root, file)} → ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
