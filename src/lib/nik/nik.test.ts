import { describe, expect, it } from 'vitest';
import { cleanNik, maskNik, parseNik } from './index.ts';

const today = new Date('2026-11-22T00:00:00Z');

describe('parseNik', () => {
  it('reads region, birth date and sex', () => {
    const r = parseNik('3273011201900001', { today });
    expect(r).toMatchObject({ ok: true, value: { provinceCode: '32', regencyCode: '32.73', districtCode: '32.73.01', birthDate: '1990-01-12', sex: 'L', serial: '0001' } });
  });

  it('adds 40 to the day for women', () => {
    const r = parseNik('3273015201900002', { today });
    expect(r.ok && r.value).toMatchObject({ birthDate: '1990-01-12', sex: 'P' });
  });

  it('puts two-digit years in the right century', () => {
    const young = parseNik('3273010103050003', { today });
    expect(young.ok && young.value.birthDate).toBe('2005-03-01');
    const old = parseNik('3273010103450003', { today });
    expect(old.ok && old.value.birthDate).toBe('1945-03-01');
  });

  it('refuses bad structure, unknown provinces, impossible dates and serial 0000', () => {
    expect(parseNik('327301120190', { today })).toEqual({ ok: false, errors: ['nik_format'], warnings: [] });
    expect(parseNik('3273O11201900001', { today })).toMatchObject({ ok: false, errors: ['nik_format'] });
    expect(parseNik('9973011201900001', { today })).toMatchObject({ ok: false, errors: ['nik_province'] });
    expect(parseNik('3273013002900001', { today })).toMatchObject({ ok: false, errors: ['nik_birth_date'] }); // 30 February
    expect(parseNik('3273017201900001', { today })).toMatchObject({ ok: false, errors: ['nik_birth_date'] }); // day 32 for a woman
    expect(parseNik('3273011213900001', { today })).toMatchObject({ ok: false, errors: ['nik_birth_date'] }); // month 13
    expect(parseNik('3273011201900000', { today })).toMatchObject({ ok: false, errors: ['nik_serial'] });
    expect(parseNik('3273012902010001', { today })).toMatchObject({ ok: false, errors: ['nik_birth_date'] }); // 2001 not a leap year
    expect(parseNik('3273012902000001', { today }).ok).toBe(true); // 2000 is
  });

  it('warns, without refusing, about an unknown regency or district', () => {
    const known = new Set(['32.73', '32.73.01']);
    const r = parseNik('3299011201900001', { today, knownRegion: (c) => known.has(c) });
    expect(r).toMatchObject({ ok: true, warnings: ['nik_regency_unknown'] });
    const d = parseNik('3273991201900001', { today, knownRegion: (c) => known.has(c) });
    expect(d).toMatchObject({ ok: true, warnings: ['nik_district_unknown'] });
  });

  it('accepts the separators people type', () => {
    expect(cleanNik('3273 0112 0190 0001')).toBe('3273011201900001');
    expect(parseNik('3273.0112.0190.0001', { today }).ok).toBe(true);
  });

  it('masks all but the first and last four digits', () => {
    expect(maskNik('3273011201900001')).toBe('3273********0001');
  });
});
