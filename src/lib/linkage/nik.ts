/**
 * NIK (Nomor Induk Kependudukan, the national identity number) and KK (Kartu Keluarga, the family
 * card number) parsing. Pure, no I/O; the only import is this library's date comparator.
 *
 * NIK, 16 digits: `PP RR DD  DDMMYY  SSSS`
 *   PP RR DD  province, regency and district codes where the person was first registered (may be
 *             an old code, e.g. from before a regency was split);
 *   DDMMYY    birth date; women have 40 added to the day (a woman born on the 7th has 47);
 *   SSSS      serial, never 0000.
 * There is no check digit: a NIK can only be checked for structure, a known province and a real
 * calendar date. An unknown regency or district is a warning, not an error (codes change).
 *
 * KK, 16 digits: `PP RR DD  DDMMYY  SSSS`: region where the card was issued, issue date (no +40),
 * serial. It groups a household.
 *
 * The rules follow the product's own NIK validation (src/lib/nik) and SPEC.md, with one
 * deliberate difference: see `resolveTwoDigitYear`.
 */
import { compareDates, type DateComparison } from './compare.ts';

/**
 * The 38 province codes in use (Kepmendagri 2025). Only the province is checked here, because the
 * list is short and stable; regencies and districts need a data set, which the caller passes as
 * `knownRegion`.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21',
  '31', '32', '33', '34', '35', '36',
  '51', '52', '53',
  '61', '62', '63', '64', '65',
  '71', '72', '73', '74', '75', '76',
  '81', '82',
  '91', '92', '93', '94', '95', '96',
]);

export type NikError = 'nik_format' | 'nik_province' | 'nik_birth_date' | 'nik_serial';
export type KkError = 'kk_format' | 'kk_province' | 'kk_issue_date';
export type RegionWarning = 'regency_unknown' | 'district_unknown';
export type NikWarning = `nik_${RegionWarning}`;
/** `kk_serial_zero`: SPEC.md gives no rule for a 0000 KK serial, so it is reported, not rejected. */
export type KkWarning = `kk_${RegionWarning}` | 'kk_serial_zero';

/** The region part shared by NIK and KK. Codes are written with dots, as Kemendagri writes them. */
export interface RegionCodes {
  /** "32" */
  provinceCode: string;
  /** "32.73" */
  regencyCode: string;
  /** "32.73.01" */
  districtCode: string;
}

export interface ParsedNik extends RegionCodes {
  /** The 16 digits, cleaned of spaces, dots and dashes. */
  nik: string;
  /** YYYY-MM-DD, century resolved against the reference date. */
  birthDate: string;
  /** L (laki-laki, male) or P (perempuan, female), from the +40 on the day. */
  sex: 'L' | 'P';
  /** The last 4 digits. */
  serial: string;
}

export interface ParsedKk extends RegionCodes {
  /** The 16 digits, cleaned of spaces, dots and dashes. */
  kk: string;
  /** YYYY-MM-DD, century resolved against the reference date. */
  issueDate: string;
  /** The last 4 digits. */
  serial: string;
}

export type ParseResult<T, E, W> = { ok: true; value: T; warnings: W[] } | { ok: false; errors: E[]; warnings: W[] };
export type NikResult = ParseResult<ParsedNik, NikError, NikWarning>;
export type KkResult = ParseResult<ParsedKk, KkError, KkWarning>;

export interface IdParseOptions {
  /**
   * "Today", for the century of a two-digit year (a birth or issue date cannot be in the future).
   * A Date (read in UTC) or an ISO date string. Defaults to the current time: pass it explicitly
   * wherever results must be reproducible (tests, benchmarks, re-running a linkage job).
   */
  referenceDate?: Date | string;
  /**
   * Whether a region code is known ("32.73" for a regency, "32.73.01" for a district). Without it
   * regency and district codes are not checked. An unknown code gives a warning, not an error.
   */
  knownRegion?: (code: string) => boolean;
}

/** Removes the spaces, dots and dashes people type inside a NIK or KK ("3273 0145 …"). */
export function cleanIdNumber(input: string): string {
  return input.replace(/[\s.-]/g, '');
}

// Parsing a million NIKs against the same reference date should not rebuild it a million times.
let cachedReferenceKey: string | number | undefined;
let cachedReference = { year: 0, iso: '' };

function referenceDay(option: Date | string | undefined): { year: number; iso: string } {
  const key = option === undefined ? undefined : typeof option === 'string' ? option : option.getTime();
  if (key !== undefined && key === cachedReferenceKey) return cachedReference;
  // The one place the clock is read, and only when the caller did not say what "today" is.
  const date = option === undefined ? new Date() : typeof option === 'string' ? new Date(`${option.slice(0, 10)}T00:00:00Z`) : option;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid referenceDate: ${String(option)}`);
  const reference = { year: date.getUTCFullYear(), iso: date.toISOString().slice(0, 10) };
  if (key !== undefined) {
    cachedReferenceKey = key;
    cachedReference = reference;
  }
  return reference;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** YYYY-MM-DD for a real calendar date (Gregorian), else null. */
function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const lastDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > lastDay) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/**
 * Resolves a two-digit year into the most recent real date not after the reference day: 20yy if
 * that date has already happened, otherwise 19yy. Returns null when neither is a real date (e.g.
 * 31 February) or both are in the future.
 *
 * The product's validator (src/lib/nik) picks 19yy only when yy is greater than the current
 * two-digit year, and rejects a date later this year in 20yy; here that date falls back to 19yy
 * (a person aged 99 or 100, who exists among elderly beneficiaries). Everything else agrees.
 */
export function resolveTwoDigitYear(day: number, month: number, twoDigitYear: number, referenceDate?: Date | string): string | null {
  const reference = referenceDay(referenceDate);
  const centuryBase = Math.floor(reference.year / 100) * 100;
  for (const base of [centuryBase, centuryBase - 100]) {
    const candidate = isoDate(base + twoDigitYear, month, day);
    // ISO dates compare correctly as strings.
    if (candidate !== null && candidate <= reference.iso) return candidate;
  }
  return null;
}

function regionCodes(digits: string): RegionCodes {
  const provinceCode = digits.slice(0, 2);
  const regencyCode = `${provinceCode}.${digits.slice(2, 4)}`;
  return { provinceCode, regencyCode, districtCode: `${regencyCode}.${digits.slice(4, 6)}` };
}

function regionWarning(region: RegionCodes, knownRegion: IdParseOptions['knownRegion']): RegionWarning | null {
  if (!knownRegion) return null;
  if (!knownRegion(region.regencyCode)) return 'regency_unknown';
  if (!knownRegion(region.districtCode)) return 'district_unknown';
  return null;
}

/**
 * Parses and validates a NIK.
 *
 * Errors: `nik_format` (not 16 digits after cleaning; nothing else is checked then),
 * `nik_province` (not one of the 38 provinces), `nik_birth_date` (not a real date, or in the
 * future in both centuries), `nik_serial` (0000). Warnings (only with `knownRegion`, and only when
 * the province is valid): `nik_regency_unknown`, else `nik_district_unknown`.
 *
 * @example parseNik('3273014507900001', { referenceDate: '2026-01-01' })
 *   // { ok: true, value: { nik: '3273014507900001', provinceCode: '32', regencyCode: '32.73',
 *   //   districtCode: '32.73.01', birthDate: '1990-07-05', sex: 'P', serial: '0001' }, warnings: [] }
 */
export function parseNik(input: string, options: IdParseOptions = {}): NikResult {
  const nik = cleanIdNumber(input);
  if (!/^\d{16}$/.test(nik)) return { ok: false, errors: ['nik_format'], warnings: [] };
  const errors: NikError[] = [];
  const warnings: NikWarning[] = [];
  const region = regionCodes(nik);
  if (!PROVINCE_CODES.has(region.provinceCode)) errors.push('nik_province');

  const encodedDay = Number(nik.slice(6, 8));
  const sex: 'L' | 'P' = encodedDay > 40 ? 'P' : 'L';
  const day = sex === 'P' ? encodedDay - 40 : encodedDay;
  const birthDate = resolveTwoDigitYear(day, Number(nik.slice(8, 10)), Number(nik.slice(10, 12)), options.referenceDate);
  if (birthDate === null) errors.push('nik_birth_date');

  const serial = nik.slice(12);
  if (serial === '0000') errors.push('nik_serial');

  if (!errors.includes('nik_province')) {
    const warning = regionWarning(region, options.knownRegion);
    if (warning) warnings.push(`nik_${warning}`);
  }
  if (errors.length > 0 || birthDate === null) return { ok: false, errors, warnings };
  return { ok: true, value: { nik, ...region, birthDate, sex, serial }, warnings };
}

/**
 * Parses and validates a KK (family card) number: region where issued, issue date, serial.
 *
 * Errors: `kk_format`, `kk_province`, `kk_issue_date` (not a real date, or in the future).
 * Warnings: `kk_regency_unknown` / `kk_district_unknown` (with `knownRegion`), `kk_serial_zero`.
 *
 * @example parseKk('3273012003150007', { referenceDate: '2026-01-01' })
 *   // { ok: true, value: { kk: '3273012003150007', provinceCode: '32', regencyCode: '32.73',
 *   //   districtCode: '32.73.01', issueDate: '2015-03-20', serial: '0007' }, warnings: [] }
 */
export function parseKk(input: string, options: IdParseOptions = {}): KkResult {
  const kk = cleanIdNumber(input);
  if (!/^\d{16}$/.test(kk)) return { ok: false, errors: ['kk_format'], warnings: [] };
  const errors: KkError[] = [];
  const warnings: KkWarning[] = [];
  const region = regionCodes(kk);
  if (!PROVINCE_CODES.has(region.provinceCode)) errors.push('kk_province');

  const issueDate = resolveTwoDigitYear(Number(kk.slice(6, 8)), Number(kk.slice(8, 10)), Number(kk.slice(10, 12)), options.referenceDate);
  if (issueDate === null) errors.push('kk_issue_date');

  const serial = kk.slice(12);
  if (serial === '0000') warnings.push('kk_serial_zero');

  if (!errors.includes('kk_province')) {
    const warning = regionWarning(region, options.knownRegion);
    if (warning) warnings.push(`kk_${warning}`);
  }
  if (errors.length > 0 || issueDate === null) return { ok: false, errors, warnings };
  return { ok: true, value: { kk, ...region, issueDate, serial }, warnings };
}

/** How a parsed NIK agrees with what the person declared. */
export interface NikConsistency {
  /** `unknown` when no sex was declared. */
  sex: 'match' | 'mismatch' | 'unknown';
  /** How the declared birth date compares with the NIK's (see compareDates); `unknown` when none was declared. */
  birthDate: DateComparison | 'unknown';
}

/**
 * Compares a parsed NIK with the declared sex and birth date (ISO). A mismatch is a data-quality
 * signal for review, not proof of a wrong NIK: the declared value may be the wrong one.
 *
 * @example checkNikAgainstDeclared(parsed, { sex: 'L', birthDate: '1990-05-07' })
 *   // { sex: 'mismatch', birthDate: 'day_month_swapped' } for a NIK of a woman born 1990-07-05
 */
export function checkNikAgainstDeclared(nik: ParsedNik, declared: { sex?: 'L' | 'P' | null; birthDate?: string | null }): NikConsistency {
  return {
    sex: declared.sex ? (declared.sex === nik.sex ? 'match' : 'mismatch') : 'unknown',
    birthDate: declared.birthDate ? compareDates(nik.birthDate, declared.birthDate) : 'unknown',
  };
}
