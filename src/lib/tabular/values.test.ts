import { describe, expect, it } from 'vitest';
import {
  cleanCell, excelSerialToIso, guessDateOrder, isBlank, parseDate, parseDigits, parseEmail, parseGender, parseInteger, parseList, parseText,
} from './values.ts';

const today = new Date('2026-11-22T00:00:00Z');
const date = (v: string, opts = {}) => parseDate(v, { today, ...opts });

describe('cleanCell, isBlank and parseText', () => {
  it('trims, collapses spaces and no-break spaces', () => {
    expect(cleanCell('  Budi \u00a0  Santoso\t ')).toBe('Budi Santoso');
    expect(cleanCell('a \n\n b')).toBe('a\nb');
    expect(cleanCell(null)).toBe('');
  });
  it('treats placeholders as blank', () => {
    for (const v of ['', '   ', '-', '—', 'N/A', '#N/A', 'null', 'Tidak ada']) expect(isBlank(v), v).toBe(true);
    expect(isBlank('0')).toBe(false);
  });
  it('returns null for blank, or required; enforces length', () => {
    expect(parseText(' Budi ')).toEqual({ ok: true, value: 'Budi' });
    expect(parseText(' - ')).toEqual({ ok: true, value: null });
    expect(parseText('', { required: true })).toEqual({ ok: false, error: 'required' });
    expect(parseText('abcdef', { maxLength: 5 })).toEqual({ ok: false, error: 'too_long' });
  });
});

describe('parseDate', () => {
  it('reads numeric dates day first', () => {
    expect(date('12/01/1990')).toEqual({ ok: true, value: '1990-01-12' });
    expect(date('12-01-1990').ok && date('12-01-1990')).toMatchObject({ value: '1990-01-12' });
    expect(date('12.01.1990')).toMatchObject({ value: '1990-01-12' });
    expect(date('3/4/1990')).toMatchObject({ value: '1990-04-03' }); // ambiguous: day first, as Indonesia writes
    expect(date('1/2/90')).toMatchObject({ value: '1990-02-01' });
    expect(date('1/2/05')).toMatchObject({ value: '2005-02-01' });
    expect(date('1/2/30')).toMatchObject({ value: '1930-02-01' }); // 2030 is in the future
    expect(date('12/01/1990 00:00')).toMatchObject({ value: '1990-01-12' });
  });
  it('reads month first only when asked, and guesses a column\'s order', () => {
    expect(date('3/4/1990', { order: 'mdy' })).toMatchObject({ value: '1990-03-04' });
    expect(date('01/13/1990')).toEqual({ ok: false, error: 'date_invalid' });
    expect(guessDateOrder(['01/02/1990', '01/13/1990'])).toBe('mdy');
    expect(guessDateOrder(['01/02/1990', '13/01/1990', '01/13/1990'])).toBe('dmy');
    expect(guessDateOrder(['01/02/1990'])).toBe('dmy');
  });
  it('reads ISO dates, with or without a time', () => {
    expect(date('1990-01-12')).toMatchObject({ value: '1990-01-12' });
    expect(date('1990/1/2')).toMatchObject({ value: '1990-01-02' });
    expect(date('1990-01-12T08:30:00')).toMatchObject({ value: '1990-01-12' });
    expect(date('1990-01-12 08:30:00')).toMatchObject({ value: '1990-01-12' });
    expect(date('19900112')).toMatchObject({ value: '1990-01-12' });
    expect(date('12011990')).toMatchObject({ value: '1990-01-12' });
  });
  it('reads Indonesian and English month names', () => {
    expect(date('12 Januari 1990')).toMatchObject({ value: '1990-01-12' });
    expect(date('12 Jan 1990')).toMatchObject({ value: '1990-01-12' });
    expect(date('12-Jan-90')).toMatchObject({ value: '1990-01-12' });
    expect(date('1 Agustus 1945')).toMatchObject({ value: '1945-08-01' });
    expect(date('17 Agt 1945')).toMatchObject({ value: '1945-08-17' });
    expect(date('5 Mei 2001')).toMatchObject({ value: '2001-05-05' });
    expect(date('30 Nopember 1999')).toMatchObject({ value: '1999-11-30' });
    expect(date('1 Okt. 2000')).toMatchObject({ value: '2000-10-01' });
    expect(date('25 Desember 2000')).toMatchObject({ value: '2000-12-25' });
    expect(date('Senin, 12 Januari 1990')).toMatchObject({ value: '1990-01-12' });
    expect(date('12 January 1990')).toMatchObject({ value: '1990-01-12' });
    expect(date('January 12, 1990')).toMatchObject({ value: '1990-01-12' });
    expect(date('Oct 3 2001')).toMatchObject({ value: '2001-10-03' });
    expect(date('12th March 1990')).toMatchObject({ value: '1990-03-12' });
    expect(date('12 Smarch 1990')).toEqual({ ok: false, error: 'date_format' });
  });
  it('reads Excel serial numbers, with the 1900 leap-year bug', () => {
    expect(date('32874')).toEqual({ ok: true, value: '1990-01-01' });
    expect(date('32874.5')).toEqual({ ok: true, value: '1990-01-01' });
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(59)).toBe('1900-02-28');
    expect(excelSerialToIso(60)).toBeNull(); // 29 February 1900 never existed
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(excelSerialToIso(36526)).toBe('2000-01-01');
    expect(excelSerialToIso(45000.75)).toBe('2023-03-15T18:00:00');
    expect(excelSerialToIso(0, { date1904: true })).toBe('1904-01-01');
    expect(date('31413', { date1904: true })).toMatchObject({ value: '1990-01-02' });
    expect(date('60')).toEqual({ ok: false, error: 'date_invalid' });
    expect(date('1990')).toEqual({ ok: false, error: 'date_format' }); // a year, not a serial
  });
  it('refuses impossible and future dates, handles blanks', () => {
    expect(date('30/02/1990')).toEqual({ ok: false, error: 'date_invalid' });
    expect(date('29/02/2001')).toEqual({ ok: false, error: 'date_invalid' });
    expect(date('29/02/2000')).toMatchObject({ value: '2000-02-29' });
    expect(date('1990-13-01')).toEqual({ ok: false, error: 'date_invalid' });
    expect(date('kemarin')).toEqual({ ok: false, error: 'date_format' });
    expect(date('01/01/2030', { notFuture: true })).toEqual({ ok: false, error: 'date_future' });
    expect(date('01/01/2030')).toMatchObject({ value: '2030-01-01' });
    expect(date('  ')).toEqual({ ok: true, value: null });
    expect(date('', { required: true })).toEqual({ ok: false, error: 'required' });
  });
});

describe('parseGender', () => {
  it('reads Indonesian and English words and letters', () => {
    for (const v of ['L', 'l', 'Laki-laki', 'LAKI LAKI', 'Laki2', 'Pria', 'M', 'male', 'Male ']) expect(parseGender(v), v).toEqual({ ok: true, value: 'L' });
    for (const v of ['P', 'Perempuan', 'PEREMPUAN', 'Wanita', 'F', 'female', 'W']) expect(parseGender(v), v).toEqual({ ok: true, value: 'P' });
  });
  it('refuses what it cannot tell, handles blanks', () => {
    expect(parseGender('Pr')).toEqual({ ok: false, error: 'gender_unknown' });
    expect(parseGender('x')).toEqual({ ok: false, error: 'gender_unknown' });
    expect(parseGender('')).toEqual({ ok: true, value: null });
    expect(parseGender('-', { required: true })).toEqual({ ok: false, error: 'required' });
  });
});

describe('parseList', () => {
  it('splits on semicolons, commas, pipes and newlines', () => {
    expect(parseList('Kuliner; Fesyen')).toEqual({ ok: true, value: ['Kuliner', 'Fesyen'] });
    expect(parseList('kuliner, fesyen')).toEqual({ ok: true, value: ['kuliner', 'fesyen'] });
    expect(parseList('kuliner | fesyen')).toMatchObject({ value: ['kuliner', 'fesyen'] });
    expect(parseList('- kuliner\n- fesyen\n')).toMatchObject({ value: ['kuliner', 'fesyen'] });
    expect(parseList('1. kuliner\n2. fesyen')).toMatchObject({ value: ['kuliner', 'fesyen'] });
    expect(parseList('musik / film')).toMatchObject({ value: ['musik', 'film'] });
  });
  it('deduplicates, drops empties, keeps commas inside items when ; is used', () => {
    expect(parseList('Kuliner;; kuliner ; Fesyen;')).toMatchObject({ value: ['Kuliner', 'Fesyen'] });
    expect(parseList('Film, Animasi, dan Video; Musik')).toMatchObject({ value: ['Film, Animasi, dan Video', 'Musik'] });
    expect(parseList(' ; ; ')).toEqual({ ok: true, value: null });
    expect(parseList('', { required: true })).toEqual({ ok: false, error: 'required' });
  });
  it('keeps known items whole and in their canonical spelling', () => {
    const known = ['Film, Animasi, dan Video', 'Kuliner', 'Musik'];
    expect(parseList('film, animasi, dan video, kuliner', { known })).toMatchObject({ value: ['Film, Animasi, dan Video', 'Kuliner'] });
    expect(parseList('MUSIK,lainnya', { known })).toMatchObject({ value: ['Musik', 'lainnya'] });
  });
});

describe('parseEmail', () => {
  it('accepts sane addresses, lower-cased', () => {
    expect(parseEmail(' Budi.Santoso@Example.co.id ')).toEqual({ ok: true, value: 'budi.santoso@example.co.id' });
    expect(parseEmail('mailto:siti+iccn@gmail.com')).toEqual({ ok: true, value: 'siti+iccn@gmail.com' });
    expect(parseEmail('<ani@mail.id>')).toEqual({ ok: true, value: 'ani@mail.id' });
  });
  it('refuses the rest', () => {
    for (const v of ['budi', 'budi@', '@mail.com', 'budi@mail', 'budi @mail.com', 'budi@@mail.com', 'budi..s@mail.com', '.budi@mail.com', 'budi@mail.c', 'budi@-mail.com']) {
      expect(parseEmail(v), v).toEqual({ ok: false, error: 'email_format' });
    }
    expect(parseEmail('-')).toEqual({ ok: true, value: null });
  });
});

describe('parseInteger and parseDigits', () => {
  it('reads whole numbers with thousands separators', () => {
    expect(parseInteger('1.250')).toEqual({ ok: true, value: 1250 });
    expect(parseInteger('1,250,000')).toEqual({ ok: true, value: 1250000 });
    expect(parseInteger('2015')).toEqual({ ok: true, value: 2015 });
    expect(parseInteger('12.0')).toEqual({ ok: true, value: 12 });
    expect(parseInteger('2,5')).toEqual({ ok: false, error: 'number_format' });
    expect(parseInteger('1800', { min: 1900, max: 2026 })).toEqual({ ok: false, error: 'number_range' });
  });
  it('reads digit strings and refuses Excel scientific notation', () => {
    expect(parseDigits("'3273011201900001")).toEqual({ ok: true, value: '3273011201900001' });
    expect(parseDigits('3273 0112 0190 0001', { length: 16 })).toEqual({ ok: true, value: '3273011201900001' });
    expect(parseDigits('3.27301E+15')).toEqual({ ok: false, error: 'digits_scientific' });
    expect(parseDigits('32730A')).toEqual({ ok: false, error: 'digits_format' });
    expect(parseDigits('123', { length: 16 })).toEqual({ ok: false, error: 'digits_format' });
  });
});
