import { describe, expect, it } from 'vitest';
import {
  bloomEncode,
  comparePair,
  deserializeEncodings,
  dice,
  encodeRecords,
  hmacNik,
  keyFingerprint,
  matchEncodings,
  normaliseBirthDate,
  popcount,
  popcount32,
  qgrams,
  serializeEncodings,
  simpleNormalise,
  type PprlRecord,
} from './pprl.ts';
import { generateDataset, type SyntheticRecord } from './synthetic/index.ts';

const KEY = 'a fresh secret for this exchange';

/** Score of two single records as the protocol computes it (default options: fields mode, threshold 0.8). */
function similarity(a: PprlRecord, b: PprlRecord, key = KEY): number {
  return comparePair(encodeRecords(key, [a]), 0, encodeRecords(key, [b]), 0).score;
}

describe('building blocks', () => {
  it('counts bits', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
    expect(popcount(new Uint32Array([1, 3, 0xf0]))).toBe(7);
  });

  it('computes Dice: 1 for equal filters, 0 for disjoint or empty ones', () => {
    const a = new Uint32Array([0b1111, 0]);
    expect(dice(a, a)).toBe(1);
    expect(dice(a, new Uint32Array([0b110000, 0]))).toBe(0);
    expect(dice(a, new Uint32Array([0b0011, 0]))).toBeCloseTo((2 * 2) / 6);
    expect(dice(new Uint32Array(2), new Uint32Array(2))).toBe(0);
  });

  it('normalises names, dates and q-grams', () => {
    expect(simpleNormalise('  Siti NURHALIZA, S.Pd. ')).toBe('siti nurhaliza s pd');
    expect(simpleNormalise('José')).toBe('jose');
    expect(normaliseBirthDate('1985-03-12')).toBe('19850312');
    expect(normaliseBirthDate('12/3/1985')).toBe('19850312');
    expect(normaliseBirthDate('12-03-1985')).toBe('19850312');
    expect(normaliseBirthDate('unknown')).toBeNull();
    expect(qgrams('joko')).toEqual(['_j', 'jo', 'ok', 'ko', 'o_']);
    expect(qgrams('aa a')).toEqual(['_a', 'aa', 'a_', '_a'].filter((v, i, all) => all.indexOf(v) === i));
    expect(qgrams('')).toEqual([]);
  });

  it('HMACs the normalised NIK: stable, keyed, and no trace of the digits', () => {
    const nik = '3273014503850001';
    const code = hmacNik(KEY, nik)!;
    expect(hmacNik(KEY, '3273 0145 0385 0001')).toBe(code);
    expect(hmacNik(KEY, '3273.0145.0385.0001')).toBe(code);
    expect(hmacNik('another key', nik)).not.toBe(code);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hmacNik(KEY, nik, 'hex')).toMatch(/^[0-9a-f]{64}$/);
    expect(code).not.toContain('3273');
    expect(hmacNik(KEY, 'n/a')).toBeNull();
    // encodeRecords sends the same code, so a partner can also HMAC a single NIK to look it up.
    expect(encodeRecords(KEY, [{ nik }]).nik[0]).toBe(code);
  });

  it('salts Bloom filters with the field name and the key', () => {
    const asName = bloomEncode(KEY, 'name', '12');
    const asDate = bloomEncode(KEY, 'birthDate', '19851203');
    expect(dice(bloomEncode(KEY, 'name', 'Joko'), bloomEncode(KEY, 'name', 'Joko'))).toBe(1);
    expect(dice(bloomEncode(KEY, 'name', 'Joko'), bloomEncode('other', 'name', 'Joko'))).toBeLessThan(0.3);
    // The bigram "12" sets other bits as part of a date than as part of a name.
    expect(dice(asName, asDate)).toBeLessThan(0.5);
    for (const hashing of ['double', 'random'] as const) {
      const f = bloomEncode(KEY, 'name', 'Siti Nurhaliza', { hashing, bits: 1000 });
      expect(f.length).toBe(32);
      expect(popcount(f)).toBeGreaterThan(150);
    }
  });
});

describe('typo tolerance', () => {
  it('finds typo\'d and old-spelling names with the same birth date', () => {
    expect(similarity({ name: 'Siti Nurhaliza', birthDate: '1985-03-12' }, { name: 'Siti Nurhalisa', birthDate: '1985-03-12' })).toBeGreaterThan(0.85);
    expect(similarity({ name: 'Djoko', birthDate: '1950-08-17' }, { name: 'Joko', birthDate: '1950-08-17' })).toBeGreaterThan(0.8);
    expect(similarity({ name: 'Djoko Soesilo', birthDate: '1950-08-17' }, { name: 'JOKO SUSILO', birthDate: '17/08/1950' })).toBeGreaterThan(0.8);
    // Day and month swapped still scores high when the name agrees.
    expect(similarity({ name: 'Agus Setiawan', birthDate: '1979-04-11' }, { name: 'Agus Setiawan', birthDate: '1979-11-04' })).toBeGreaterThan(0.8);
  });

  it('keeps different people apart, also namesakes and people born the same day', () => {
    // Born the same day and sharing a first name is the hard case: the mean of the two fields sits
    // near the threshold (about 0.8); the name floor (0.7) keeps them apart, and with two different
    // NIKs the pair would need 0.9 anyway.
    const sitiA = { nik: '3273015503700001', name: 'Siti Aminah', birthDate: '1970-03-15' };
    const sitiR = { nik: '3273015503700002', name: 'Siti Rahayu', birthDate: '1970-03-15' };
    expect(comparePair(encodeRecords(KEY, [sitiA]), 0, encodeRecords(KEY, [sitiR]), 0)).toMatchObject({ nik: false, match: false });
    const withoutNik = comparePair(encodeRecords(KEY, [{ ...sitiA, nik: null }]), 0, encodeRecords(KEY, [{ ...sitiR, nik: null }]), 0);
    expect(withoutNik).toMatchObject({ nik: null, match: false });
    expect(withoutNik.fields!.name).toBeLessThan(0.7);
    expect(similarity({ name: 'Sri', birthDate: '1950-01-01' }, { name: 'Siti', birthDate: '1950-01-01' })).toBeLessThan(0.8);
    expect(similarity({ name: 'Budi Santoso', birthDate: '1980-01-01' }, { name: 'Budi Santoso', birthDate: '1992-07-23' })).toBeLessThan(0.8);
    // A namesake without a birth date is "don't know", not a match…
    expect(similarity({ name: 'Budi Santoso', birthDate: '1980-01-01' }, { name: 'Budi Santoso' })).toBeLessThan(0.8);
    expect(similarity({ name: 'Joko', birthDate: '1950-08-17' }, { name: 'Yoko', birthDate: '1961-02-03' })).toBeLessThan(0.7);
    // …unless the NIK agrees.
    const withNik = comparePair(
      encodeRecords(KEY, [{ nik: '3578100101800003', name: 'Budi Santoso', birthDate: '1980-01-01' }]),
      0,
      encodeRecords(KEY, [{ nik: '3578100101800003', name: 'Budi Santoso' }]),
      0,
    );
    expect(withNik).toMatchObject({ nik: true, match: true });
  });

  it('takes an injected normaliser (e.g. one that knows old spellings)', () => {
    const oldSpelling = (s: string): string => simpleNormalise(s).replace(/dj/g, 'j').replace(/oe/g, 'u');
    const a = encodeRecords(KEY, [{ name: 'Djoko Soesilo', birthDate: '1950-08-17' }], { normalise: oldSpelling });
    const b = encodeRecords(KEY, [{ name: 'Joko Susilo', birthDate: '1950-08-17' }], { normalise: oldSpelling });
    expect(comparePair(a, 0, b, 0).score).toBe(1);
  });
});

describe('the exchange', () => {
  const mine: PprlRecord[] = [
    { nik: '3273014503850001', name: 'Siti Nurhaliza', birthDate: '1985-03-05' },
    { nik: '3374121708500002', name: 'Djoko Susilo', birthDate: '1950-08-17' },
    { nik: '3578100101800003', name: 'Budi Santoso', birthDate: '1980-01-01' },
    { nik: null, name: 'Ni Made Ariani', birthDate: '1992-11-02' },
    { nik: '1271044404900001', name: 'Rosmawati Siregar', birthDate: '1990-04-04' },
  ];
  const theirs: PprlRecord[] = [
    { nik: null, name: 'Siti Nurhalisa', birthDate: '1985-03-05' },
    { nik: '3374121708500002', name: 'Joko Susilo', birthDate: '17-08-1950' },
    { nik: '3578100101920004', name: 'Budi Santoso', birthDate: '1992-07-23' },
    { nik: null, name: 'NI MADE ARIANI', birthDate: '1992-02-11' },
    { nik: '3201015506880001', name: 'Euis Komalasari', birthDate: '1988-06-15' },
  ];

  it('learns the overlap and the matched pairs from encodings only', () => {
    const result = matchEncodings(encodeRecords(KEY, mine), encodeRecords(KEY, theirs));
    expect(result.pairs.map((p) => [p.mine, p.theirs])).toEqual([
      [0, 0],
      [1, 1],
      [3, 3],
    ]);
    expect(result.overlap).toBe(3);
    expect(result.theirsMatched).toBe(3);
    expect(result.pairs[1].nik).toBe(true);
    expect(result.pairs[0].nik).toBeNull();
  });

  it('explains each field (fields mode) and also works with one record-level filter (clk mode)', () => {
    const clk = matchEncodings(encodeRecords(KEY, mine, { mode: 'clk' }), encodeRecords(KEY, theirs, { mode: 'clk' }));
    expect(clk.pairs.map((p) => [p.mine, p.theirs])).toEqual([
      [0, 0],
      [1, 1],
      [3, 3],
    ]);
    expect(clk.pairs[0].fields).toBeUndefined();
    const result = matchEncodings(encodeRecords(KEY, mine), encodeRecords(KEY, theirs));
    expect(result.pairs.map((p) => [p.mine, p.theirs])).toEqual([
      [0, 0],
      [1, 1],
      [3, 3],
    ]);
    const siti = result.pairs[0].fields!;
    expect(siti.birthDate).toBe(1);
    expect(siti.name).toBeGreaterThan(0.8);
    expect(siti.name).toBeLessThan(1);
  });

  it('sends no raw values, survives serialisation, and changes completely under another key', () => {
    const encoded = encodeRecords(KEY, mine);
    const wire = JSON.stringify(serializeEncodings(encoded));
    for (const r of mine) {
      if (r.nik) expect(wire).not.toContain(r.nik);
      expect(wire.toLowerCase()).not.toContain(r.name!.toLowerCase().split(' ')[1]);
      expect(wire).not.toContain(r.birthDate!);
      expect(wire).not.toContain(r.birthDate!.replace(/-/g, ''));
    }
    const back = deserializeEncodings(JSON.parse(wire));
    expect(back.filters.name).toEqual(encoded.filters.name);
    expect(back.filters.birthDate).toEqual(encoded.filters.birthDate);
    expect(matchEncodings(back, encodeRecords(KEY, theirs)).overlap).toBe(3);

    const other = encodeRecords('another key', mine);
    expect(other.keyId).not.toBe(encoded.keyId);
    expect(other.nik[0]).not.toBe(encoded.nik[0]);
    expect(dice(other.filters.name.subarray(0, encoded.words), encoded.filters.name.subarray(0, encoded.words))).toBeLessThan(0.5);
    expect(() => matchEncodings(encoded, encodeRecords('another key', theirs))).toThrow(/different keys/);
    expect(() => matchEncodings(encoded, encodeRecords(KEY, theirs, { bits: 1024 }))).toThrow(/different options/);
    expect(keyFingerprint(KEY)).toBe(encoded.keyId);
  });

  it('scales by blocking: a synthetic exchange finds most true pairs without comparing every pair', () => {
    // Two partners' lists from the generator: people registered twice are split across the lists.
    const records = generateDataset({ records: 30_000, seed: 21, duplicateRate: 0.5 });
    const byPerson = new Map<number, SyntheticRecord[]>();
    for (const r of records) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
    const left: SyntheticRecord[] = [];
    const right: SyntheticRecord[] = [];
    let alternate = 0;
    for (const list of byPerson.values()) {
      if (list.length >= 2) {
        left.push(list[0]);
        right.push(list[1]);
      } else (alternate++ % 2 ? left : right).push(list[0]);
    }
    const rightIndex = new Map(right.map((r, j) => [r.personId, j]));
    const truth = new Set<string>();
    left.forEach((r, i) => {
      const j = rightIndex.get(r.personId);
      if (j !== undefined) truth.add(`${i}:${j}`);
    });

    const result = matchEncodings(encodeRecords(KEY, left), encodeRecords(KEY, right), { oneToOne: true });
    const truePositives = result.pairs.filter((p) => truth.has(`${p.mine}:${p.theirs}`)).length;
    const precision = truePositives / result.pairs.length;
    const recall = truePositives / truth.size;
    expect(precision).toBeGreaterThan(0.98);
    expect(recall).toBeGreaterThan(0.93);
    expect(result.comparisons).toBeLessThan(0.01 * left.length * right.length);

    // LSH on the filters proposes more pairs (a mistyped birth date with no common NIK), still far from n×m.
    const withLsh = matchEncodings(encodeRecords(KEY, left), encodeRecords(KEY, right), { oneToOne: true, lsh: {} });
    expect(withLsh.comparisons).toBeGreaterThan(result.comparisons);
    expect(withLsh.comparisons).toBeLessThan(0.05 * left.length * right.length);
    expect(withLsh.pairs.filter((p) => truth.has(`${p.mine}:${p.theirs}`)).length).toBeGreaterThanOrEqual(truePositives);
  });
});
