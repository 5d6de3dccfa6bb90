import { describe, expect, it } from 'vitest';
import { checkNikAgainstDeclared, cleanIdNumber, parseKk, parseNik, PROVINCE_CODES, resolveTwoDigitYear } from './nik.ts';

const referenceDate = '2026-11-22';

describe('parseNik', () => {
  it('parses region codes, birth date, sex and serial', () => {
    expect(parseNik('3273014507900001', { referenceDate })).toEqual({
      ok: true,
      value: {
        nik: '3273014507900001',
        provinceCode: '32',
        regencyCode: '32.73',
        districtCode: '32.73.01',
        birthDate: '1990-07-05',
        sex: 'P',
        serial: '0001',
      },
      warnings: [],
    });
    const man = parseNik('3573021203850123', { referenceDate });
    expect(man.ok && man.value).toMatchObject({ regencyCode: '35.73', districtCode: '35.73.02', birthDate: '1985-03-12', sex: 'L', serial: '0123' });
  });

  it('accepts spaces, dots and dashes typed inside the number', () => {
    const parsed = parseNik('3273 0145 0790 0001', { referenceDate });
    expect(parsed.ok && parsed.value.nik).toBe('3273014507900001');
    expect(parseNik('32.73.01-450790-0001', { referenceDate }).ok).toBe(true);
    expect(cleanIdNumber(' 32.73-01 ')).toBe('327301');
  });

  it('rejects anything that is not 16 digits, and checks nothing else then', () => {
    for (const bad of ['', '327301450790000', '32730145079000011', '32730145079000a1', '3273014507900001x']) {
      expect(parseNik(bad, { referenceDate }), bad).toEqual({ ok: false, errors: ['nik_format'], warnings: [] });
    }
  });

  it('rejects an unknown province, an impossible date and a 0000 serial, all at once', () => {
    expect(parseNik('9973013202900000', { referenceDate })).toEqual({
      ok: false,
      errors: ['nik_province', 'nik_birth_date', 'nik_serial'],
      warnings: [],
    });
    expect(parseNik('3273013202900001', { referenceDate })).toMatchObject({ errors: ['nik_birth_date'] }); // 32 February
    expect(parseNik('3273013502900001', { referenceDate })).toMatchObject({ errors: ['nik_birth_date'] }); // day 35: neither a man's nor a woman's
    expect(parseNik('3273017202900001', { referenceDate })).toMatchObject({ errors: ['nik_birth_date'] }); // 72 - 40 = 32
    expect(parseNik('3273010013900001', { referenceDate })).toMatchObject({ errors: ['nik_birth_date'] }); // day 0, month 13
    expect(parseNik('3273010101900000', { referenceDate })).toMatchObject({ errors: ['nik_serial'] });
    expect(parseNik('2073010101900001', { referenceDate })).toMatchObject({ errors: ['nik_province'] });
  });

  it('reads the +40 on the day as female, including the 1st and the 31st', () => {
    const first = parseNik('3273014101000001', { referenceDate });
    expect(first.ok && first.value).toMatchObject({ birthDate: '2000-01-01', sex: 'P' });
    const last = parseNik('3273017112990001', { referenceDate });
    expect(last.ok && last.value).toMatchObject({ birthDate: '1999-12-31', sex: 'P' });
    const man = parseNik('3273013112990001', { referenceDate });
    expect(man.ok && man.value).toMatchObject({ birthDate: '1999-12-31', sex: 'L' });
  });

  it('resolves the century against the reference date, never into the future', () => {
    const child = parseNik('3273010101200001', { referenceDate });
    expect(child.ok && child.value.birthDate).toBe('2020-01-01');
    const elder = parseNik('3273010101300001', { referenceDate });
    expect(elder.ok && elder.value.birthDate).toBe('1930-01-01');
    // Born earlier this year: 2026.
    const baby = parseNik('3273010101260001', { referenceDate });
    expect(baby.ok && baby.value.birthDate).toBe('2026-01-01');
    // Born later in the day-month of "26" than today: cannot be 2026, so 1926 (a centenarian).
    const centenarian = parseNik('3273012512260001', { referenceDate });
    expect(centenarian.ok && centenarian.value.birthDate).toBe('1926-12-25');
    // The same NIK read on a different day.
    const earlier = parseNik('3273010101200001', { referenceDate: '2019-06-01' });
    expect(earlier.ok && earlier.value.birthDate).toBe('1920-01-01');
    // A Date works as well as a string.
    const withDate = parseNik('3273010101200001', { referenceDate: new Date(Date.UTC(2026, 10, 22)) });
    expect(withDate.ok && withDate.value.birthDate).toBe('2020-01-01');
  });

  it('checks 29 February per century', () => {
    // 2000 was a leap year, 1900 was not.
    const leap = parseNik('3273012902000001', { referenceDate });
    expect(leap.ok && leap.value.birthDate).toBe('2000-02-29');
    expect(parseNik('3273012902000001', { referenceDate: '1999-12-31' })).toMatchObject({ errors: ['nik_birth_date'] });
    expect(parseNik('3273012902010001', { referenceDate })).toMatchObject({ errors: ['nik_birth_date'] });
  });

  it('rejects an invalid reference date loudly', () => {
    expect(() => parseNik('3273010101900001', { referenceDate: 'yesterday' })).toThrow(RangeError);
  });

  it('warns about unknown regencies and districts through the callback, without failing', () => {
    const known = new Set(['32.73', '32.73.01']);
    const knownRegion = (code: string) => known.has(code);
    expect(parseNik('3273010101900001', { referenceDate, knownRegion })).toMatchObject({ ok: true, warnings: [] });
    expect(parseNik('3273990101900001', { referenceDate, knownRegion })).toMatchObject({ ok: true, warnings: ['nik_district_unknown'] });
    expect(parseNik('3299010101900001', { referenceDate, knownRegion })).toMatchObject({ ok: true, warnings: ['nik_regency_unknown'] });
    // An unknown province is already an error: no region warning on top.
    expect(parseNik('9999010101900001', { referenceDate, knownRegion })).toMatchObject({ ok: false, warnings: [] });
    // Without the callback nothing is looked up.
    expect(parseNik('3299010101900001', { referenceDate })).toMatchObject({ ok: true, warnings: [] });
  });

  it('knows the 38 provinces', () => {
    expect(PROVINCE_CODES.size).toBe(38);
    expect(PROVINCE_CODES.has('32')).toBe(true);
    expect(PROVINCE_CODES.has('96')).toBe(true);
    expect(PROVINCE_CODES.has('54')).toBe(false);
  });
});

describe('resolveTwoDigitYear', () => {
  it('picks the most recent real date not after the reference day', () => {
    expect(resolveTwoDigitYear(22, 11, 26, referenceDate)).toBe('2026-11-22'); // today itself
    expect(resolveTwoDigitYear(23, 11, 26, referenceDate)).toBe('1926-11-23');
    expect(resolveTwoDigitYear(1, 1, 0, referenceDate)).toBe('2000-01-01');
    expect(resolveTwoDigitYear(1, 1, 99, referenceDate)).toBe('1999-01-01');
    expect(resolveTwoDigitYear(31, 4, 90, referenceDate)).toBeNull();
    expect(resolveTwoDigitYear(1, 0, 90, referenceDate)).toBeNull();
  });
});

describe('parseKk', () => {
  it('parses region, issue date and serial', () => {
    expect(parseKk('3273012003150007', { referenceDate })).toEqual({
      ok: true,
      value: {
        kk: '3273012003150007',
        provinceCode: '32',
        regencyCode: '32.73',
        districtCode: '32.73.01',
        issueDate: '2015-03-20',
        serial: '0007',
      },
      warnings: [],
    });
  });

  it('does not read +40 on a KK day: it is an issue date, not a birth date', () => {
    expect(parseKk('3273014507150007', { referenceDate })).toMatchObject({ ok: false, errors: ['kk_issue_date'] });
  });

  it('rejects format, province and date; warns about a 0000 serial and unknown regions', () => {
    expect(parseKk('12345', { referenceDate })).toEqual({ ok: false, errors: ['kk_format'], warnings: [] });
    expect(parseKk('9973012003150007', { referenceDate })).toMatchObject({ ok: false, errors: ['kk_province'] });
    expect(parseKk('3273013102150007', { referenceDate })).toMatchObject({ ok: false, errors: ['kk_issue_date'] });
    expect(parseKk('3273012003150000', { referenceDate })).toMatchObject({ ok: true, warnings: ['kk_serial_zero'] });
    const knownRegion = (code: string) => code === '32.73';
    expect(parseKk('3273012003150007', { referenceDate, knownRegion })).toMatchObject({ ok: true, warnings: ['kk_district_unknown'] });
  });
});

describe('checkNikAgainstDeclared', () => {
  const parsed = parseNik('3273014507900001', { referenceDate });
  if (!parsed.ok) throw new Error('fixture');
  it('compares sex and birth date with what was declared', () => {
    expect(checkNikAgainstDeclared(parsed.value, { sex: 'P', birthDate: '1990-07-05' })).toEqual({ sex: 'match', birthDate: 'exact' });
    expect(checkNikAgainstDeclared(parsed.value, { sex: 'L', birthDate: '1990-05-07' })).toEqual({ sex: 'mismatch', birthDate: 'day_month_swapped' });
    expect(checkNikAgainstDeclared(parsed.value, {})).toEqual({ sex: 'unknown', birthDate: 'unknown' });
    expect(checkNikAgainstDeclared(parsed.value, { sex: null, birthDate: '1991-07-05' })).toEqual({ sex: 'unknown', birthDate: 'year_off_by_one_digit' });
  });
});
