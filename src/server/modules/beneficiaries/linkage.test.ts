import { describe, expect, it } from 'vitest';
import { normalizeName, phoneticKeyOfNormalized } from '../../../lib/linkage/index.ts';
import { DEFAULT_THRESHOLDS, explain, type LinkRecord } from './linkage.ts';

const record = (name: string, over: Partial<LinkRecord> = {}): LinkRecord => {
  const searchName = normalizeName(name);
  return { searchName, phoneticKey: phoneticKeyOfNormalized(searchName), nik: null, kk: null, birthDate: null, sex: null, regencyCode: '32.73', phone: null, address: null, ...over };
};

const siti = record('Siti Rahmawati', { nik: '3273015205900002', birthDate: '1990-05-12', sex: 'P' });
const { autoLink, review } = DEFAULT_THRESHOLDS;

describe('the on-entry linkage model (hand-set m/u)', () => {
  it('links a typo’d or old-spelled name with the same NIK automatically', () => {
    for (const name of ['Siti Rachmawaty', 'Hj. Siti Rahmawatti, S.Pd.', 'Siti Ramawati']) {
      expect(explain(siti, record(name, { nik: siti.nik, birthDate: siti.birthDate, sex: 'P' })).matchProbability).toBeGreaterThanOrEqual(autoLink);
    }
  });

  it('links a NIK with one wrong digit when name and birth date agree', () => {
    expect(explain(siti, record('Siti Rahmawati', { nik: '3273015205900003', birthDate: '1990-05-12', sex: 'P' })).matchProbability).toBeGreaterThanOrEqual(autoLink);
  });

  it('sends the same name and birth date with another NIK to review, never links it', () => {
    const p = explain(siti, record('Siti Rahmawati', { nik: '3273025205900123', birthDate: '1990-05-12', sex: 'P' })).matchProbability;
    expect(p).toBeGreaterThanOrEqual(review);
    expect(p).toBeLessThan(autoLink);
  });

  it('sends namesakes born the same day without any NIK to review, not to an automatic link', () => {
    const p = explain(record('Budi Santoso', { birthDate: '1980-01-01' }), record('Budi Santoso', { birthDate: '1980-01-01' })).matchProbability;
    expect(p).toBeGreaterThanOrEqual(review);
    expect(p).toBeLessThan(autoLink);
  });

  it('keeps members of one household (same KK) apart', () => {
    const head = record('Budi Santoso', { nik: '3273011003850001', kk: '3273012003150007', birthDate: '1985-03-10', sex: 'L' });
    const wife = record('Siti Rahmawati', { nik: '3273015205900002', kk: '3273012003150007', birthDate: '1990-05-12', sex: 'P' });
    expect(explain(head, wife).matchProbability).toBeLessThan(0.001);
  });

  it('explains every pair: the contributions add up to the match weight', () => {
    const e = explain(siti, record('Siti Rachmawaty', { nik: siti.nik, birthDate: '1990-12-05' }));
    expect(e.contributions.map((c) => c.field)).toEqual(['name', 'birth_date', 'nik', 'sex', 'regency', 'household']);
    expect(e.contributions.find((c) => c.field === 'birth_date')!.label).toBe('day-month swapped');
    expect(e.contributions.find((c) => c.field === 'sex')!.label).toBe('null (missing)');
    expect(e.priorWeight + e.contributions.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(e.matchWeight, 9);
  });
});
