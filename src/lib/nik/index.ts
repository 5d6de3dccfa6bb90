/**
 * Indonesian NIK (Nomor Induk Kependudukan) parsing and validation. Pure, no I/O.
 *
 * Structure (16 digits): PP RR DD  DDMMYY  SSSS
 *   PP RR DD  province, regency and district where first registered (may be an old code)
 *   DDMMYY    birth date; women have 40 added to the day
 *   SSSS      serial, never 0000
 * There is no check digit: a NIK can only be checked for structure, a known province and a real date.
 */

/** The 38 province codes in use (Kepmendagri 2025); the regency/district parts are checked by the caller's lookup. */
export const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21',
  '31', '32', '33', '34', '35', '36',
  '51', '52', '53',
  '61', '62', '63', '64', '65',
  '71', '72', '73', '74', '75', '76',
  '81', '82',
  '91', '92', '93', '94', '95', '96',
]);

export type NikError = 'nik_format' | 'nik_province' | 'nik_birth_date' | 'nik_serial';
export type NikWarning = 'nik_regency_unknown' | 'nik_district_unknown';

export interface ParsedNik {
  nik: string;
  provinceCode: string;
  /** With dots, as Kemendagri writes it: "32.73". */
  regencyCode: string;
  districtCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'L' | 'P';
  serial: string;
}

export type NikResult =
  | { ok: true; value: ParsedNik; warnings: NikWarning[] }
  | { ok: false; errors: NikError[]; warnings: NikWarning[] };

export interface NikOptions {
  /** Today, for deciding the century of a two-digit year (a birth date cannot be in the future). */
  today?: Date;
  /** Known region codes; an unknown regency or district is a warning, not an error. */
  knownRegion?: (code: string) => boolean;
}

/** Removes spaces, dots and dashes people type inside a NIK. */
export function cleanNik(input: string): string {
  return input.replace(/[\s.-]/g, '');
}

export function parseNik(input: string, opts: NikOptions = {}): NikResult {
  const nik = cleanNik(input);
  if (!/^\d{16}$/.test(nik)) return { ok: false, errors: ['nik_format'], warnings: [] };
  const errors: NikError[] = [];
  const warnings: NikWarning[] = [];
  const provinceCode = nik.slice(0, 2);
  const regencyCode = `${provinceCode}.${nik.slice(2, 4)}`;
  const districtCode = `${regencyCode}.${nik.slice(4, 6)}`;
  if (!PROVINCE_CODES.has(provinceCode)) errors.push('nik_province');

  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex: 'L' | 'P' = day > 40 ? 'P' : 'L';
  if (day > 40) day -= 40;
  const today = opts.today ?? new Date();
  const currentYy = today.getUTCFullYear() % 100;
  const century = yy > currentYy ? 1900 : 2000;
  const year = century + yy;
  const date = new Date(Date.UTC(year, month - 1, day));
  const realDate = month >= 1 && month <= 12 && day >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!realDate || date.getTime() > today.getTime()) errors.push('nik_birth_date');

  const serial = nik.slice(12);
  if (serial === '0000') errors.push('nik_serial');

  if (opts.knownRegion && !errors.includes('nik_province')) {
    if (!opts.knownRegion(regencyCode)) warnings.push('nik_regency_unknown');
    else if (!opts.knownRegion(districtCode)) warnings.push('nik_district_unknown');
  }
  if (errors.length) return { ok: false, errors, warnings };
  const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { ok: true, value: { nik, provinceCode, regencyCode, districtCode, birthDate, sex, serial }, warnings };
}

/** "3273********0001": enough to recognise, not enough to use. */
export function maskNik(nik: string): string {
  return nik.length === 16 ? `${nik.slice(0, 4)}********${nik.slice(12)}` : '****************';
}
