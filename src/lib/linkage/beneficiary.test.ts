import { describe, expect, it } from 'vitest';
import {
  BENEFICIARY_BLOCKING_RULES,
  beneficiaryComparisons,
  beneficiaryHouseholdComparison,
  beneficiaryNameComparison,
  beneficiaryNikComparison,
  countNames,
  prepareBeneficiary,
  type PreparedBeneficiary,
} from './beneficiary.ts';
import { blockDedup } from './blocking.ts';
import { NULL_LEVEL } from './model.ts';
import { normalizeName } from './normalize.ts';
import { phoneticKeyOfNormalized } from './phonetic.ts';

const person = (over: Partial<Parameters<typeof prepareBeneficiary>[0]> & { fullName?: string } = {}): PreparedBeneficiary => {
  const name = normalizeName(over.fullName ?? 'Siti Rahmawati');
  return prepareBeneficiary({
    name,
    phonetic: phoneticKeyOfNormalized(name),
    nik: '3273015205900002',
    kk: '3273012003150007',
    birthDate: '1990-05-12',
    sex: 'P',
    regency: '32.73',
    district: '32.73.01',
    address: 'jalan merdeka 12|3|5',
    phone: '+6281234567890',
    ...over,
  });
};
const labelOf = (c: { labels: readonly string[]; level: (a: PreparedBeneficiary, b: PreparedBeneficiary) => number }, a: PreparedBeneficiary, b: PreparedBeneficiary) => {
  const level = c.level(a, b);
  return level === NULL_LEVEL ? 'null' : c.labels[level - 1];
};

describe('prepareBeneficiary and countNames', () => {
  it('derives the sorted name key, the first name and the birth year', () => {
    const r = person({ fullName: 'Rahmawati, Siti' });
    expect(r).toMatchObject({ name: 'rahmawati siti', nameKey: 'rahmawati siti', first: 'rahmawati', birthYear: '1990', nameCount: 0 });
    expect(person().nameKey).toBe('rahmawati siti');
    expect(person({ fullName: '', birthDate: null })).toMatchObject({ nameKey: '', first: '', birthYear: null });
  });

  it('counts how many records carry each normalised name', () => {
    const records = [person(), person({ fullName: 'SITI RAHMAWATI' }), person({ fullName: 'Joko Susilo' }), person({ fullName: '' })];
    countNames(records);
    expect(records.map((r) => r.nameCount)).toEqual([2, 2, 1, 0]);
  });
});

describe('name comparison', () => {
  it('grades an exact name by how common it is in the registry (per million records)', () => {
    const name = beneficiaryNameComparison(1_000_000);
    const withCount = (n: number) => ({ ...person(), nameCount: n });
    expect(labelOf(name, withCount(30), withCount(1))).toBe('exact, rare name');
    expect(labelOf(name, withCount(31), withCount(1))).toBe('exact, uncommon name');
    expect(labelOf(name, withCount(300), withCount(1))).toBe('exact, uncommon name');
    expect(labelOf(name, withCount(301), withCount(1))).toBe('exact, common name');
  });

  it('in a small registry a pair of namesakes is still rare and a handful uncommon', () => {
    const name = beneficiaryNameComparison(2_000);
    const withCount = (n: number) => ({ ...person(), nameCount: n });
    expect(labelOf(name, withCount(2), withCount(2))).toBe('exact, rare name');
    expect(labelOf(name, withCount(5), withCount(5))).toBe('exact, uncommon name');
    expect(labelOf(name, withCount(6), withCount(6))).toBe('exact, common name');
  });

  it('forgives old spellings, typos and shortened names, in that order', () => {
    const name = beneficiaryNameComparison(100_000);
    expect(labelOf(name, person({ fullName: 'Joko Susilo' }), person({ fullName: 'Djoko Soesilo' }))).toBe('exact, rare name');
    expect(labelOf(name, person({ fullName: 'Siti Rahmawati' }), person({ fullName: 'Siti Rachmawati' }))).toBe('same phonetic key');
    expect(labelOf(name, person({ fullName: 'Siti Rahmawati' }), person({ fullName: 'Siti Rahmawato' }))).toBe('jaro-winkler ≥ 0.92');
    expect(labelOf(name, person({ fullName: 'Siti Rahmawati Putri' }), person({ fullName: 'Rahmawati' }))).toBe('shortened (token subset)');
    expect(labelOf(name, person({ fullName: 'Siti Rahmawati' }), person({ fullName: 'Bambang Pamungkas' }))).toBe('else');
    expect(labelOf(name, person({ fullName: '' }), person())).toBe('null');
  });
});

describe('NIK comparison', () => {
  const nik = (value: string | null) => person({ nik: value });
  it('says where a single wrong digit sits: region, birth date or serial', () => {
    const c = beneficiaryNikComparison;
    expect(labelOf(c, nik('3273015205900002'), nik('3273015205900002'))).toBe('exact');
    expect(labelOf(c, nik('3273015205900002'), nik('3273015205900020'))).toBe('transposed');
    expect(labelOf(c, nik('3273015205900002'), nik('3273045205900002'))).toBe('one digit (region)');
    expect(labelOf(c, nik('3273015205900002'), nik('3273015206900002'))).toBe('one digit (birth date)');
    // Two people born the same day in one district: neighbours, not a typo.
    expect(labelOf(c, nik('3273015205900002'), nik('3273015205900003'))).toBe('else (incl. one serial digit)');
    expect(labelOf(c, nik('3273015205900002'), nik('3578016107850001'))).toBe('else (incl. one serial digit)');
    expect(labelOf(c, nik(null), nik('3273015205900002'))).toBe('null');
  });
});

describe('household comparison', () => {
  it('counts KK, address and phone once, as one kind of evidence', () => {
    const c = beneficiaryHouseholdComparison;
    expect(labelOf(c, person(), person({ phone: null, address: null }))).toBe('same KK');
    expect(labelOf(c, person({ kk: null }), person({ kk: '3273012003150099' }))).toBe('same address or phone');
    expect(labelOf(c, person({ kk: '3273012003150001', address: null }), person({ kk: '3273012003150099', phone: '+628111' }))).toBe('else');
    expect(labelOf(c, person({ kk: null, address: null, phone: null }), person())).toBe('null');
  });
});

describe('the comparison set and blocking rules', () => {
  it('compares name, birth date, NIK, sex and household', () => {
    expect(beneficiaryComparisons(1000).map((c) => c.field)).toEqual(['name', 'birth_date', 'nik', 'sex', 'household']);
  });

  it('blocks a wrong-digit NIK with an old spelling by name key + birth date, and a swapped name order too', () => {
    const records = [
      person({ fullName: 'Joko Susilo', nik: '3273011708500001', kk: null, address: null, phone: null, birthDate: '1950-08-17', sex: 'L' }),
      person({ fullName: 'Djoko Soesilo', nik: '3273011708500071', kk: null, address: null, phone: null, birthDate: '1950-08-17', sex: 'L' }),
      person({ fullName: 'Susilo Joko', nik: null, kk: null, address: null, phone: null, birthDate: '1950-08-17', sex: 'L', district: '32.73.05' }),
      person({ fullName: 'Siti Rahmawati', nik: '3578015205900002', kk: null, address: null, phone: null, regency: '35.78', district: '35.78.01' }),
    ];
    const pairs = blockDedup(records, BENEFICIARY_BLOCKING_RULES);
    const found = new Set(Array.from({ length: pairs.count }, (_, p) => `${pairs.left[p]}-${pairs.right[p]}`));
    expect(found).toEqual(new Set(['0-1', '0-2', '1-2']));
  });
});
