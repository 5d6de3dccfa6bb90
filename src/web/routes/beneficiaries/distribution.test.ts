import { describe, expect, it } from 'vitest';
import { csvText } from '../../files.ts';
import { monthPeriod, parseCsv, parseDay, parseRegencyCode, readPartnerFile, todayWib } from './distribution.ts';

describe('periods', () => {
  it('a month from any of its days, leap years included', () => {
    expect(monthPeriod('2026-11-22')).toEqual({ start: '2026-11-01', end: '2026-11-30' });
    expect(monthPeriod('2028-02-03')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
  });

  it('today is counted in WIB', () => {
    expect(todayWib(new Date('2026-11-30T18:00:00Z'))).toBe('2026-12-01');
  });
});

describe('CSV', () => {
  it('writes a BOM, CRLF, quotes where needed, and defuses formulas', () => {
    expect(csvText(['Nama', 'Alasan'], [['Siti; "Ani"', '=1+1'], ['Budi', null]])).toBe('\uFEFFNama,Alasan\r\n"Siti; ""Ani""",\'=1+1\r\nBudi,\r\n');
  });

  it('reads commas, semicolons, quotes and newlines in cells, and skips blank lines', () => {
    expect(parseCsv('\uFEFFnama;nik\r\n"Siti; Ani";3273\r\n\r\n"a ""b""\nc";1\n')).toEqual([
      ['nama', 'nik'],
      ['Siti; Ani', '3273'],
      ['a "b"\nc', '1'],
    ]);
  });

  it('reads a partner list by its usual headers', () => {
    const file = readPartnerFile('No,NIK,Nama Lengkap,Tgl Lahir,Kab/Kota\n7,3273 0115 0292 0001,Andi Pratama,15/02/1992,3273\n8,,X,,\n');
    expect(file).toEqual({
      rows: [{ ref: '7', nik: '3273011502920001', fullName: 'Andi Pratama', birthDate: '1992-02-15', regencyCode: '32.73' }],
      missing: [],
      skipped: [3],
    });
    expect(readPartnerFile('nik,tanggal\n1,2\n').missing).toEqual(['fullName']);
  });

  it('reads dates day first and refuses impossible ones; regency codes with or without the dot', () => {
    expect(parseDay('2-3-1990')).toBe('1990-03-02');
    expect(parseDay('1990-03-02')).toBe('1990-03-02');
    expect(parseDay('31/02/1990')).toBeNull();
    expect(parseRegencyCode('32.73')).toBe('32.73');
    expect(parseRegencyCode('Kota Bandung')).toBeNull();
  });
});
