/**
 * Cell value parsers for imports. Each returns { ok: true, value } or { ok: false, error } with a
 * stable error code for the row-by-row report. Blank cells (after trimming, or "-", "n/a", …) give
 * { ok: true, value: null }, or the error "required" when { required: true } is passed.
 */

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ValueErrorCode };
export type ValueErrorCode =
  | 'required'
  | 'too_long'
  | 'date_format'
  | 'date_invalid'
  | 'date_future'
  | 'gender_unknown'
  | 'email_format'
  | 'number_format'
  | 'number_range'
  | 'digits_format'
  | 'digits_scientific';

export interface Requirable {
  /** A blank cell is the error "required" instead of null. */
  required?: boolean;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = <T>(error: ValueErrorCode): ParseResult<T> => ({ ok: false, error });
const blank = <T>(opts?: Requirable): ParseResult<T | null> => (opts?.required ? fail('required') : ok(null));

// What people write in a cell that means "nothing".
const BLANK_MARKERS = new Set(['-', '--', '---', '–', '—', '_', '.', '?', 'n/a', 'na', '#n/a', 'null', 'nil', 'none', 'tidak ada', 'tdk ada', 'belum ada', '(kosong)', 'kosong']);

/** Trims (including no-break spaces), collapses runs of spaces and tabs, keeps newlines single. */
export function cleanCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(/[\u00a0\u2007\u202f\u200b\ufeff]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Whether a cell is blank: empty after cleaning, or a placeholder such as "-", "n/a", "tidak ada". */
export function isBlank(value: string | null | undefined): boolean {
  const v = cleanCell(value);
  return v === '' || BLANK_MARKERS.has(v.toLowerCase());
}

/** A cleaned text cell, or null when blank. */
export function parseText(value: string | null | undefined, opts: Requirable & { maxLength?: number } = {}): ParseResult<string | null> {
  if (isBlank(value)) return blank(opts);
  const v = cleanCell(value);
  if (opts.maxLength !== undefined && v.length > opts.maxLength) return fail('too_long');
  return ok(v);
}

// ---------------------------------------------------------------- dates

const MONTHS: Record<string, number> = {};
const monthNames: Array<[number, string[]]> = [
  [1, ['januari', 'january', 'jan']],
  [2, ['februari', 'pebruari', 'february', 'feb', 'peb']],
  [3, ['maret', 'march', 'mar', 'mrt']],
  [4, ['april', 'apr']],
  [5, ['mei', 'may']],
  [6, ['juni', 'june', 'jun']],
  [7, ['juli', 'july', 'jul']],
  [8, ['agustus', 'august', 'aug', 'agu', 'agt', 'ags', 'agust']],
  [9, ['september', 'sept', 'sep']],
  [10, ['oktober', 'october', 'okt', 'oct']],
  [11, ['november', 'nopember', 'nov', 'nop']],
  [12, ['desember', 'december', 'des', 'dec']],
];
for (const [m, names] of monthNames) for (const name of names) MONTHS[name] = m;
const WEEKDAYS = /^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b[,.]?\s*/i;

export interface DateOptions extends Requirable {
  /** How to read a numeric date such as 03/04/1990: day first (Indonesia, the default) or month first. */
  order?: 'dmy' | 'mdy';
  /** "Now", for two-digit years and notFuture. */
  today?: Date;
  /** Refuse dates after today (birth dates): error "date_future". */
  notFuture?: boolean;
  /** The workbook uses the 1904 date system (old Mac Excel). */
  date1904?: boolean;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (month < 1 || month > 12 || day < 1 || year < 1000 || year > 9999) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  d.setUTCFullYear(year);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const DAY_MS = 86_400_000;

/**
 * An Excel serial number as an ISO date ("1990-01-01") or date-time ("1990-01-01T12:00:00"). Excel
 * counts 1900-01-01 as 1 and believes 1900 was a leap year: serial 60 is the nonexistent 29 February
 * 1900 (null here) and every serial after it is one day ahead, so they count from 1899-12-30.
 */
export function excelSerialToIso(serial: number, opts: { date1904?: boolean } = {}): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2_958_466) return null;
  let epoch: number;
  if (opts.date1904) epoch = Date.UTC(1904, 0, 1);
  else if (serial < 1 || (serial >= 60 && serial < 61)) return null;
  else epoch = serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const t = epoch + Math.round(serial * DAY_MS / 1000) * 1000;
  const iso = new Date(t).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

function fullYear(y: string, today: Date): number {
  const n = Number(y);
  if (y.length > 2) return n;
  const current = today.getUTCFullYear();
  return 2000 + n > current ? 1900 + n : 2000 + n;
}

/**
 * A date as "YYYY-MM-DD". Accepts 12/01/1990, 12-01-1990, 12.01.1990, 1/2/90 (day first unless
 * order is "mdy"), 1990-01-12 (with or without a time), 19900112, "12 Januari 1990", "12 Jan 1990",
 * "Senin, 12 Januari 1990", "January 12, 1990", and Excel serial numbers (32874 → 1990-01-01). A bare
 * four-digit year is not a date. Two-digit years go to the latest century that is not in the future.
 */
export function parseDate(value: string | null | undefined, opts: DateOptions = {}): ParseResult<string | null> {
  if (isBlank(value)) return blank(opts);
  const today = opts.today ?? new Date();
  const v = cleanCell(value).toLowerCase().replace(WEEKDAYS, '').trim();
  const result = readDate(v, opts, today);
  if (!result.ok || result.value === null) return result;
  if (opts.notFuture && result.value > today.toISOString().slice(0, 10)) return fail('date_future');
  return result;
}

function readDate(v: string, opts: DateOptions, today: Date): ParseResult<string | null> {
  let m: RegExpMatchArray | null;
  const valid = (iso: string | null) => (iso ? ok(iso) : fail<string | null>('date_invalid'));

  // ISO, possibly with a time (what readTable writes for Excel date cells).
  if ((m = v.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$/))) {
    return valid(isoDate(Number(m[1]), Number(m[2]), Number(m[3])));
  }
  // Numeric day/month/year (or month/day/year).
  if ((m = v.match(/^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/))) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const [day, month] = opts.order === 'mdy' ? [b, a] : [a, b];
    return valid(isoDate(fullYear(m[3], today), month, day));
  }
  // Month names: "12 januari 1990", "12-jan-90", "12 jan. 1990".
  if ((m = v.match(/^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{2}|\d{4})$/))) {
    const month = MONTHS[m[2]];
    if (!month) return fail('date_format');
    return valid(isoDate(fullYear(m[3], today), month, Number(m[1])));
  }
  // "january 12, 1990", "jan 12 1990".
  if ((m = v.match(/^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2}|\d{4})$/))) {
    const month = MONTHS[m[1]];
    if (!month) return fail('date_format');
    return valid(isoDate(fullYear(m[3], today), month, Number(m[2])));
  }
  // Eight digits: yyyymmdd, else ddmmyyyy.
  if ((m = v.match(/^(\d{4})(\d{2})(\d{2})$/))) {
    const ymd = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (ymd && Number(m[1]) >= 1800) return ok(ymd);
    const dmy = v.match(/^(\d{2})(\d{2})(\d{4})$/);
    return valid(dmy && isoDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1])));
  }
  // Excel serial (what a date becomes when a cell's format is lost). A plausible year is not a serial.
  if ((m = v.match(/^\d{1,7}(?:[.,]\d+)?$/))) {
    const serial = Number(v.replace(',', '.'));
    if (Number.isInteger(serial) && serial >= 1800 && serial <= 2200) return fail('date_format');
    const iso = excelSerialToIso(serial, opts);
    return valid(iso && iso.slice(0, 10));
  }
  return fail('date_format');
}

/**
 * Decides a column's order from its values: "mdy" only if some value can only be month-first
 * (second number above 12) and none can only be day-first; otherwise "dmy", as Indonesia writes.
 */
export function guessDateOrder(values: Iterable<string>): 'dmy' | 'mdy' {
  let dayFirst = false;
  let monthFirst = false;
  for (const value of values) {
    const m = cleanCell(value).match(/^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*\d{2,4}\b/);
    if (!m) continue;
    if (Number(m[1]) > 12) dayFirst = true;
    if (Number(m[2]) > 12) monthFirst = true;
  }
  return monthFirst && !dayFirst ? 'mdy' : 'dmy';
}

// ---------------------------------------------------------------- gender

const GENDERS: Record<string, 'L' | 'P'> = {};
for (const w of ['l', 'lk', 'laki', 'lakilaki', 'laki2', 'lelaki', 'pria', 'cowok', 'm', 'male', 'man', 'boy', 'men']) GENDERS[w] = 'L';
for (const w of ['p', 'pr', 'perempuan', 'wanita', 'cewek', 'f', 'female', 'woman', 'women', 'girl', 'w']) GENDERS[w] = 'P';
delete GENDERS.pr; // "Pr" is Pria to some and Perempuan to others

/** Sex as on the KTP: "L" (laki-laki) or "P" (perempuan). */
export function parseGender(value: string | null | undefined, opts: Requirable = {}): ParseResult<'L' | 'P' | null> {
  if (isBlank(value)) return blank(opts);
  const key = cleanCell(value).toLowerCase().replace(/[^a-z0-9]/g, '');
  const gender = GENDERS[key];
  return gender ? ok(gender) : fail('gender_unknown');
}

// ---------------------------------------------------------------- lists

export interface ListOptions extends Requirable {
  /**
   * Known items that themselves contain a separator ("Film, Animasi, dan Video"): kept whole,
   * matched case-insensitively, and returned in their canonical spelling.
   */
  known?: readonly string[];
}

/**
 * A list in one cell: "Kuliner; Fesyen", "kuliner, fesyen", one per line, "a | b", "a / b", bullets
 * and numbering dropped. Items are trimmed and deduplicated (case-insensitively, first spelling kept).
 * When the cell holds ";", "|" or newlines, commas are left inside items.
 */
export function parseList(value: string | null | undefined, opts: ListOptions = {}): ParseResult<string[] | null> {
  if (isBlank(value)) return blank(opts);
  let v = cleanCell(value);
  const protectedItems: string[] = [];
  for (const item of [...(opts.known ?? [])].sort((a, b) => b.length - a.length)) {
    if (!/[,;|/\n]/.test(item)) continue;
    const pattern = new RegExp(item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*'), 'gi');
    v = v.replace(pattern, () => `\uE000${protectedItems.push(item) - 1}\uE000`);
  }
  const strong = /[;|\n]/.test(v);
  const parts = v.split(strong ? /[;|\n]/ : /[,;|\n]|\s\/\s/);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of parts) {
    const item = part
      .replace(/\uE000(\d+)\uE000/g, (_, i: string) => protectedItems[Number(i)])
      .replace(/^\s*(?:[-*•·]|\d+[.)])\s*/, '')
      .trim();
    if (!item || isBlank(item)) continue;
    const canonical = opts.known?.find((k) => k.toLowerCase() === item.toLowerCase()) ?? item;
    const key = canonical.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(canonical);
  }
  if (out.length === 0) return blank(opts);
  return ok(out);
}

// ---------------------------------------------------------------- e-mail

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/;

/** An e-mail address, lower-cased; "mailto:" and surrounding <> dropped. A sane check, not RFC 5322. */
export function parseEmail(value: string | null | undefined, opts: Requirable = {}): ParseResult<string | null> {
  if (isBlank(value)) return blank(opts);
  const v = cleanCell(value).replace(/^mailto:/i, '').replace(/^<(.*)>$/, '$1').trim().toLowerCase();
  if (v.length > 254 || !EMAIL.test(v)) return fail('email_format');
  const local = v.slice(0, v.indexOf('@'));
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return fail('email_format');
  return ok(v);
}

// ---------------------------------------------------------------- numbers and digit strings

/**
 * A whole number: "1.250" and "1,250" are thousands (as Indonesian and English write them), "1 250" too.
 * Excel's "12.0" is 12.
 */
export function parseInteger(value: string | null | undefined, opts: Requirable & { min?: number; max?: number } = {}): ParseResult<number | null> {
  if (isBlank(value)) return blank(opts);
  let v = cleanCell(value).replace(/\s/g, '');
  if (/^[+-]?\d+\.0+$/.test(v)) v = v.replace(/\.0+$/, '');
  else if (/^[+-]?\d{1,3}([.,])\d{3}(?:\1\d{3})*$/.test(v)) v = v.replace(/[.,]/g, '');
  if (!/^[+-]?\d+$/.test(v)) return fail('number_format');
  const n = Number(v);
  if (!Number.isSafeInteger(n)) return fail('number_range');
  if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) return fail('number_range');
  return ok(n);
}

/**
 * A digit string such as a NIK or KK: spaces, dots, dashes and Excel's leading apostrophe dropped.
 * "3.27301E+15" is refused with "digits_scientific": Excel has already lost the last digits.
 */
export function parseDigits(value: string | null | undefined, opts: Requirable & { length?: number } = {}): ParseResult<string | null> {
  if (isBlank(value)) return blank(opts);
  const v = cleanCell(value).replace(/^'/, '');
  if (/^\d+(?:[.,]\d+)?e\+?\d+$/i.test(v)) return fail('digits_scientific');
  const digits = v.replace(/[\s.-]/g, '');
  if (!/^\d+$/.test(digits)) return fail('digits_format');
  if (opts.length !== undefined && digits.length !== opts.length) return fail('digits_format');
  return ok(digits);
}
